import { type AppError, type Result, appError, err, ok } from '../../../shared/errors/result.ts';
import type { HttpClient } from '../http/http-client.ts';

/** One JMAP method call: [name, arguments, call id] (RFC 8620 §3.2). */
export type Invocation = readonly [string, Record<string, unknown>, string];

/** Capabilities Stalwart 0.16 management calls declare. */
export const USING = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'] as const;

/** Capabilities of JMAP for Sieve (RFC 9661) calls in a user's own account. */
export const SIEVE_USING = ['urn:ietf:params:jmap:core', 'urn:ietf:params:jmap:sieve'] as const;

/** What the JMAP session resource says about the logged-in admin. */
export interface Session {
  readonly apiUrl: string;
  readonly uploadUrl: string;
  readonly downloadUrl: string;
  /** The admin's own account, which `x:` registry calls name. */
  readonly accountId: string;
}

// JMAP method-level errors (RFC 8620 §3.6.2), SetErrors (§5.3) and the registry's own SetErrors
// (primaryKeyViolation, invalidForeignKey, validationFailed in crates/jmap-proto/src/error/set.rs).
const SET_ERRORS: Record<string, AppError['code']> = {
  alreadyExists: 'backend.conflict',
  primaryKeyViolation: 'backend.conflict',
  notFound: 'backend.notFound',
  blobNotFound: 'backend.notFound',
  forbidden: 'backend.forbidden',
  accountNotFound: 'backend.notFound',
  accountNotSupportedByMethod: 'backend.forbidden',
  invalidProperties: 'backend.validation',
  invalidArguments: 'backend.validation',
  invalidPatch: 'backend.validation',
  invalidForeignKey: 'backend.validation',
  validationFailed: 'backend.validation',
  invalidScript: 'backend.validation',
  tooLarge: 'backend.validation',
  overQuota: 'backend.validation',
  singleton: 'backend.validation',
  willDestroy: 'backend.conflict',
  objectIsLinked: 'backend.conflict',
  scriptIsActive: 'backend.conflict',
  requestTooLarge: 'backend.validation',
  unsupportedFilter: 'backend.unsupported',
  unsupportedSort: 'backend.unsupported',
  unknownMethod: 'backend.unsupported',
  serverUnavailable: 'backend.unavailable',
  serverFail: 'backend.unavailable',
};

/** Maps a JMAP error object (`{type, description, properties}`) to an AppError. */
export function classifyJmapError(error: { type?: unknown; description?: unknown; properties?: unknown }, where: string): AppError {
  const type = typeof error.type === 'string' ? error.type : 'serverFail';
  // A hostile or odd server could name an inherited property ("constructor"); only our own keys count.
  const code = Object.hasOwn(SET_ERRORS, type) ? SET_ERRORS[type]! : 'backend.validation';
  const description = typeof error.description === 'string' ? `: ${error.description}` : '';
  const properties = Array.isArray(error.properties) ? ` (${error.properties.join(', ')})` : '';
  return appError(code, `${where}: ${type}${description}${properties}`, {
    retryable: code === 'backend.unavailable',
    detail: { vendorCode: type, ...(typeof error.description === 'string' ? { backendMessage: `${error.description}${properties}` } : {}) },
  });
}

/** Options of one JMAP request: whose account and which capabilities (default: the admin's, management). */
export interface CallOptions {
  readonly accountId?: string;
  readonly using?: readonly string[];
  readonly signal?: AbortSignal | undefined;
}

/** Minimal JMAP client for Stalwart: session discovery, batched calls, /set error mapping, blobs. */
export class JmapClient {
  readonly #http: HttpClient;
  #session: Session | null = null;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Reads the JMAP session; `backend.unsupported` when the server is not Stalwart 0.16+. Stalwart lists
   * `urn:stalwart:jmap` per account and in primaryAccounts, not among the session capabilities.
   */
  async session(signal?: AbortSignal): Promise<Result<Session>> {
    if (this.#session) return ok(this.#session);
    const res = await this.#http.json<{ primaryAccounts?: Record<string, string>; apiUrl?: string; uploadUrl?: string; downloadUrl?: string }>({ path: '.well-known/jmap', signal });
    if (!res.ok) return res;
    const body = res.value.body;
    const accountId = body.primaryAccounts?.['urn:stalwart:jmap'];
    // 0.15.x has no urn:stalwart:jmap account; its REST API (/api/principal) is a different adapter.
    if (!accountId) return err('backend.unsupported', 'Stalwart: no urn:stalwart:jmap account in the session; this server predates 0.16 (REST management API).');
    this.#session = {
      apiUrl: body.apiUrl ?? '/jmap/',
      uploadUrl: body.uploadUrl ?? '/jmap/upload/{accountId}/',
      downloadUrl: body.downloadUrl ?? '/jmap/download/{accountId}/{blobId}/{name}?accept={type}',
      accountId,
    };
    return ok(this.#session);
  }

  /** Reads `/api/account`: the admin's effective permissions and the server edition. */
  async account(signal?: AbortSignal): Promise<Result<{ permissions: ReadonlySet<string>; edition: string }>> {
    const res = await this.#http.json<{ permissions?: unknown; edition?: unknown }>({ path: 'api/account', signal });
    if (!res.ok) return res;
    const permissions = Array.isArray(res.value.body?.permissions) ? res.value.body.permissions.map(String) : [];
    return ok({ permissions: new Set(permissions), edition: typeof res.value.body?.edition === 'string' ? res.value.body.edition : 'unknown' });
  }

  /** Sends method calls in one request; returns each response's arguments by call id, or the first error. */
  async call(calls: readonly Invocation[], options: CallOptions = {}): Promise<Result<Map<string, Record<string, unknown>>>> {
    const session = await this.session(options.signal);
    if (!session.ok) return session;
    const accountId = options.accountId ?? session.value.accountId;
    const withAccount = calls.map(([name, args, id]) => [name, { accountId, ...args }, id]);
    const res = await this.#http.json<{ methodResponses?: [string, Record<string, unknown>, string][] }>({
      method: 'POST',
      path: pathOf(session.value.apiUrl),
      body: { using: options.using ?? USING, methodCalls: withAccount },
      signal: options.signal,
    });
    if (!res.ok) return res;
    const out = new Map<string, Record<string, unknown>>();
    for (const [name, args, id] of res.value.body.methodResponses ?? []) {
      if (name === 'error') return { ok: false, error: classifyJmapError(args, `Stalwart ${calls.find((c) => c[2] === id)?.[0] ?? 'call'}`) };
      out.set(id, args);
    }
    return ok(out);
  }

  /** Runs one `/set` (`x:<type>/set` unless `method` names another) and turns notCreated/notUpdated/notDestroyed into an error. */
  async set(type: string, args: Record<string, unknown>, options: CallOptions & { method?: string } = {}): Promise<Result<Record<string, unknown>>> {
    const method = options.method ?? `x:${type}/set`;
    const res = await this.call([[method, args, 's']], options);
    if (!res.ok) return res;
    const body = res.value.get('s') ?? {};
    for (const key of ['notCreated', 'notUpdated', 'notDestroyed']) {
      const failures = body[key] as Record<string, { type?: string; description?: string }> | null | undefined;
      const first = failures ? Object.values(failures)[0] : undefined;
      if (first) return { ok: false, error: classifyJmapError(first, `Stalwart ${method}`) };
    }
    return ok(body);
  }

  /** Pages through `x:<type>/query` by position and fetches each page with `/get` in the same request. */
  async *list<T>(type: string, filter: Record<string, unknown>, pageSize: number, signal?: AbortSignal): AsyncIterable<Result<T>> {
    for (let position = 0; ; position += pageSize) {
      const res = await this.call(
        [
          [`x:${type}/query`, { filter, position, limit: pageSize, calculateTotal: true }, 'q'],
          [`x:${type}/get`, { '#ids': { resultOf: 'q', name: `x:${type}/query`, path: '/ids' } }, 'g'],
        ],
        { signal },
      );
      if (!res.ok) {
        yield res;
        return;
      }
      const ids = (res.value.get('q')?.['ids'] ?? []) as unknown[];
      const total = res.value.get('q')?.['total'];
      for (const item of (res.value.get('g')?.['list'] ?? []) as T[]) yield ok(item);
      if (ids.length < pageSize || (typeof total === 'number' && position + ids.length >= total)) return;
    }
  }

  /** Uploads a blob into `accountId` (RFC 8620 §6.1) and returns its blobId. */
  async upload(accountId: string, text: string, type: string): Promise<Result<string>> {
    const session = await this.session();
    if (!session.ok) return session;
    const res = await this.#http.json<{ blobId?: string }>({ method: 'POST', path: pathOf(session.value.uploadUrl.replace('{accountId}', encodeURIComponent(accountId))), raw: { text, type } });
    if (!res.ok) return res;
    return typeof res.value.body?.blobId === 'string' ? ok(res.value.body.blobId) : err('backend.validation', 'Stalwart: the upload answer has no blobId.');
  }

  /** Downloads a text blob of `accountId` (RFC 8620 §6.2). */
  async download(accountId: string, blobId: string, name: string, type: string): Promise<Result<string>> {
    const session = await this.session();
    if (!session.ok) return session;
    const url = session.value.downloadUrl
      .replace('{accountId}', encodeURIComponent(accountId))
      .replace('{blobId}', encodeURIComponent(blobId))
      .replace('{name}', encodeURIComponent(name))
      .replace('{type}', encodeURIComponent(type));
    const parsed = new URL(url, 'http://x');
    const res = await this.#http.json<unknown>({ path: parsed.pathname, query: Object.fromEntries(parsed.searchParams) });
    if (!res.ok) return res;
    return ok(typeof res.value.body === 'string' ? res.value.body : res.value.body === null ? '' : JSON.stringify(res.value.body));
  }
}

// Session URLs are absolute; the HttpClient resolves paths against the configured base URL.
function pathOf(url: string): string {
  return new URL(url, 'http://x').pathname;
}
