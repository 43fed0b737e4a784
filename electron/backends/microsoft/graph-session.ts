import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { AuthenticationHandler, Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { type AppError, type Result, appError, ok } from '../../../shared/errors/result.ts';
import type { FetchLike } from '../http/http-client.ts';
import { classifySdkError } from '../http/http-errors.ts';

/** Where the tenant's identity provider and Graph live; defaults are Microsoft's global cloud. */
export interface GraphEndpoints {
  readonly tenantId: string;
  readonly clientId: string;
  /** e.g. https://login.microsoftonline.com (national clouds and tests override it). */
  readonly authorityHost: string;
  /** e.g. https://graph.microsoft.com */
  readonly graphBaseUrl: string;
}

// msal-common ServerError codes (RFC 6749 §5.2) that mean the app registration or secret is wrong.
const AUTH_CODES = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_request', 'invalid_scope', 'access_denied']);

/** Classifies msal's token errors: a refused secret is `backend.auth`, never retried. */
export function classifyMsalError(error: unknown): AppError {
  const e = error as { errorCode?: unknown; name?: unknown } | null;
  const code = typeof e?.errorCode === 'string' ? e.errorCode : '';
  if (AUTH_CODES.has(code) || /^AADSTS7000/.test(code)) {
    return appError('backend.auth', `Microsoft 365: Entra ID refused the app credentials (${code}); check the client ID and secret (not retried).`, { detail: { vendorCode: code } });
  }
  return classifySdkError(error, 'Microsoft 365 token');
}

/** The last link of the Graph middleware chain: hands each request to the shared retrying fetch. */
class SharedTransport implements Middleware {
  readonly #fetch: FetchLike;

  constructor(fetchImplementation: FetchLike) {
    this.#fetch = fetchImplementation;
  }

  async execute(context: Context): Promise<void> {
    context.response = await this.#fetch(context.request as string | Request, context.options as RequestInit);
  }
}

/** An app-only (client credentials) Graph session: msal for tokens, the Graph SDK for calls, one shared fetch for both. */
export class GraphSession {
  readonly client: Client;
  readonly #msal: ConfidentialClientApplication;
  readonly #scope: string;

  constructor(endpoints: GraphEndpoints, clientSecret: string, fetchImplementation: FetchLike) {
    const authority = new URL(`/${encodeURIComponent(endpoints.tenantId)}`, endpoints.authorityHost).href;
    const host = new URL(endpoints.authorityHost).host;
    const network: INetworkModule = {
      sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(fetchImplementation, 'GET', url, options),
      sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(fetchImplementation, 'POST', url, options),
    };
    this.#msal = new ConfidentialClientApplication({
      auth: {
        clientId: endpoints.clientId,
        authority,
        clientSecret,
        // A non-Microsoft host must be listed or msal refuses it as an untrusted authority.
        ...(host === 'login.microsoftonline.com' ? {} : { knownAuthorities: [host] }),
      },
      system: { networkClient: network },
    });
    this.#scope = new URL('/.default', endpoints.graphBaseUrl).href;
    const graph = new URL(endpoints.graphBaseUrl);
    const auth = new AuthenticationHandler({ getAccessToken: () => this.#token() });
    this.client = Client.initWithMiddleware({
      baseUrl: `${graph.origin}/`,
      // Graph's RetryHandler is left out on purpose: the shared layer owns retries and Retry-After.
      middleware: [auth, new SharedTransport(fetchImplementation)],
      // The SDK attaches the token only to Graph hosts or these (host names without port).
      customHosts: new Set([graph.hostname]),
    });
  }

  /** Acquires (or reuses from msal's cache) an app-only token; throws msal's error on failure. */
  async #token(): Promise<string> {
    const result = await this.#msal.acquireTokenByClientCredential({ scopes: [this.#scope] });
    if (!result?.accessToken) throw new Error('Entra ID returned no access token');
    return result.accessToken;
  }

  /** Checks the credentials by acquiring a token. */
  async authenticate(): Promise<Result<void>> {
    try {
      await this.#token();
      return ok(undefined);
    } catch (error) {
      return { ok: false, error: classifyMsalError(error) };
    }
  }
}

async function send<T>(fetchImplementation: FetchLike, method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
  const response = await fetchImplementation(url, {
    method,
    ...(options?.headers ? { headers: options.headers } : {}),
    ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const text = await response.text();
  return { headers, status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}
