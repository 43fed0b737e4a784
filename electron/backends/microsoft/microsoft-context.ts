import type { Client } from '@microsoft/microsoft-graph-client';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { createRetryingFetch, type HttpLayerOptions } from '../http/http-client.ts';
import { classifySdkError } from '../http/http-errors.ts';
import { classifyMsalError, GraphSession } from './graph-session.ts';

/** Connection settings for a Microsoft 365 tenant (app registration, client credentials); the client secret is the secret. */
export interface MicrosoftSettings {
  readonly tenantId: string;
  readonly clientId: string;
  /** Defaults to https://login.microsoftonline.com */
  readonly authorityHost?: string;
  /** Defaults to https://graph.microsoft.com */
  readonly graphBaseUrl?: string;
  /** Licence (SKU id) given to new mailboxes; defaults to the first subscribed SKU with Exchange and a free seat. */
  readonly licenseSkuId?: string;
  /** Two-letter country required before a licence can be assigned; defaults to "US". */
  readonly usageLocation?: string;
}

/** What every Microsoft 365 operation needs: settings, the Graph session and client, and the licence the probe chose. */
export interface MicrosoftContext {
  readonly settings: MicrosoftSettings;
  readonly session: GraphSession;
  readonly graph: Client;
  /** e.g. https://graph.microsoft.com (member references are built from its origin). */
  readonly graphBase: string;
  /** Set by probe: the SKU new mailboxes get, or null when the tenant has no Exchange licence. */
  licenceSku: string | null;
}

/** Builds the context from settings and the client secret: one retrying fetch for msal and Graph. */
export function createMicrosoftContext(settings: MicrosoftSettings, clientSecret: string, options: HttpLayerOptions = {}): MicrosoftContext {
  const graphBase = settings.graphBaseUrl ?? 'https://graph.microsoft.com';
  const session = new GraphSession(
    { tenantId: settings.tenantId, clientId: settings.clientId, authorityHost: settings.authorityHost ?? 'https://login.microsoftonline.com', graphBaseUrl: graphBase },
    clientSecret,
    createRetryingFetch(options),
  );
  return { settings, session, graph: session.client, graphBase, licenceSku: null };
}

/** A Graph user with the fields Mailroom reads. */
export interface GraphUser {
  id: string;
  userPrincipalName?: string;
  mail?: string | null;
  displayName?: string | null;
  accountEnabled?: boolean;
  proxyAddresses?: string[];
  provisionedPlans?: { service?: string; capabilityStatus?: string; provisioningStatus?: string }[];
}

/** The `$select` for users. */
export const USER_FIELDS = 'id,userPrincipalName,mail,displayName,accountEnabled,proxyAddresses';

/** A `backend.unsupported` answer naming the Exchange Online cmdlet that does what Graph cannot. */
export function sidecar<T>(what: string, cmdlet: string): Result<T> {
  return err('backend.unsupported', `Microsoft 365: ${what} needs Exchange Online PowerShell: ${cmdlet}`, { detail: { level: 'needs-sidecar', cmdlet } });
}

/** The domain part of an address, lower-cased. */
export const domainOf = (address: string): string => address.split('@')[1]?.toLowerCase() ?? '';

/** Quotes a value as an OData string literal. */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Runs one Graph call, turning msal and Graph errors into `backend.*` Results. */
export async function call<T>(ctx: MicrosoftContext, where: string, run: (graph: Client) => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run(ctx.graph));
  } catch (error) {
    // The auth middleware rethrows msal's error; classify both kinds once here.
    const code = (error as { errorCode?: unknown }).errorCode;
    if (typeof code === 'string') {
      return { ok: false, error: classifyMsalError(error) };
    }
    return { ok: false, error: classifySdkError(error, `Microsoft Graph ${where}`) };
  }
}

/** Follows @odata.nextLink until the collection ends. */
export async function* pages<T>(
  ctx: MicrosoftContext,
  where: string,
  first: (graph: Client) => Promise<{ value?: T[]; '@odata.nextLink'?: string }>,
  signal?: AbortSignal,
): AsyncIterable<Result<T>> {
  let page = await call(ctx, where, first);
  for (;;) {
    if (!page.ok) {
      yield page;
      return;
    }
    for (const item of page.value.value ?? []) yield ok(item);
    const next = page.value['@odata.nextLink'];
    if (!next || signal?.aborted) return;
    page = await call(ctx, where, (graph) => graph.api(next).options(signal ? { signal } : {}).get());
  }
}
