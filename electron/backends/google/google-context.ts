import { admin, type admin_directory_v1, type admin_reports_v1 } from '@googleapis/admin';
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { createRetryingFetch, type FetchLike, type HttpLayerOptions } from '../http/http-client.ts';
import { classifySdkError } from '../http/http-errors.ts';
import { DelegatedAuth, GOOGLE_TOKEN_URL, parseServiceAccountKey, SCOPES } from './google-auth.ts';

/** Connection settings for Google Workspace; the service-account JSON key is the secret. */
export interface GoogleSettings {
  /** A super-admin the service account impersonates for Directory and Reports calls. */
  readonly adminEmail: string;
  /** Customer ID; defaults to "my_customer" (the admin's own account). */
  readonly customer?: string;
  /** Overrides https://admin.googleapis.com/ (Directory, Reports); used by tests and private endpoints. */
  readonly rootUrl?: string;
  /** Overrides https://gmail.googleapis.com/ (forwarding settings). */
  readonly gmailRootUrl?: string;
}

/** What every Google operation needs: settings, delegated auth, the shared fetch and what the last probe found. */
export interface GoogleContext {
  readonly settings: GoogleSettings;
  /** Null when the stored secret is not a service-account key (probe reports it). */
  readonly auth: DelegatedAuth | null;
  readonly fetch: FetchLike;
  readonly now: () => number;
  /** Set by probe: the Gmail settings scopes were granted. */
  canForward: boolean;
  /** Set by probe: the Reports usage scope was granted. */
  canReadUsage: boolean;
}

/** Builds the context from settings and the service-account JSON; token requests go to the key's token_uri. */
export function createGoogleContext(settings: GoogleSettings, serviceAccountJson: string, options: HttpLayerOptions = {}): GoogleContext {
  const key = parseServiceAccountKey(serviceAccountJson);
  const tokenUri = key.ok ? key.value.tokenUri : GOOGLE_TOKEN_URL;
  const fetch = createRetryingFetch({
    ...options,
    rewriteUrl: (url) => (url === GOOGLE_TOKEN_URL && tokenUri !== GOOGLE_TOKEN_URL ? tokenUri : (options.rewriteUrl?.(url) ?? url)),
  });
  return { settings, auth: key.ok ? new DelegatedAuth(key.value, fetch) : null, fetch, now: options.now ?? Date.now, canForward: false, canReadUsage: false };
}

/** Runs one SDK call, turning its errors into `backend.*` Results. */
export async function call<T>(where: string, run: () => Promise<{ data: T }>): Promise<Result<T>> {
  try {
    return ok((await run()).data);
  } catch (error) {
    return { ok: false, error: classifySdkError(error, `Google ${where}`) };
  }
}

/** The domain part of an address, lower-cased. */
export const domainOf = (address: string): string => address.split('@')[1]?.toLowerCase() ?? '';

/** The customer the Directory calls act for. */
export function customer(ctx: GoogleContext): string {
  return ctx.settings.customer ?? 'my_customer';
}

function common(ctx: GoogleContext, scopes: readonly string[], subject = ctx.settings.adminEmail, rootUrl = ctx.settings.rootUrl) {
  // The shared layer owns retries: turn gaxios's own retry off so a 401 is sent exactly once.
  return {
    auth: ctx.auth!.client(subject, scopes),
    retry: false,
    fetchImplementation: ctx.fetch,
    ...(rootUrl ? { rootUrl } : {}),
  };
}

/** The Directory API, acting as the admin. */
export function directory(ctx: GoogleContext): admin_directory_v1.Admin {
  return admin({ version: 'directory_v1', ...common(ctx, SCOPES.directory) });
}

/** The Reports API, acting as the admin. */
export function reports(ctx: GoogleContext): admin_reports_v1.Admin {
  return admin({ version: 'reports_v1', ...common(ctx, SCOPES.reports) });
}

/** The Gmail API acting as `user` (forwarding settings accept only the mailbox owner). */
export function gmailAs(ctx: GoogleContext, user: string): gmail_v1.Gmail {
  return gmail({ version: 'v1', ...common(ctx, SCOPES.gmail, user, ctx.settings.gmailRootUrl) });
}

/** The Gmail API acting as `user` with the messages scope (reading and labelling a reports mailbox). */
export function gmailMessagesAs(ctx: GoogleContext, user: string): gmail_v1.Gmail {
  return gmail({ version: 'v1', ...common(ctx, SCOPES.gmailMessages, user, ctx.settings.gmailRootUrl) });
}
