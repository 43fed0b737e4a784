import { type AppError, type Result, appError, err, ok } from '../../../shared/errors/result.ts';
import type { HttpClient } from '../http/http-client.ts';

/** One JMAP method call: [name, arguments, call id] (RFC 8620 §3.2). */
export type Invocation = readonly [string, Record<string, unknown>, string];

/** Capabilities Stalwart 0.16 management calls declare. */
export const USING = ['urn:ietf:params:jmap:core', 'urn:stalwart:jmap'] as const;

interface Session {
  readonly apiUrl: string;
  readonly accountId: string;
  readonly version: string | null;
}

// JMAP method-level error types (RFC 8620 §3.6.2) and /set SetError types (§5.3) → stable codes.
const SET_ERRORS: Record<string, AppError['code']> = {
  alreadyExists: 'backend.conflict',
  notFound: 'backend.notFound',
  forbidden: 'backend.forbidden',
  accountNotFound: 'backend.notFound',
  invalidProperties: 'backend.validation',
  invalidArguments: 'backend.validation',
  invalidPatch: 'backend.validation',
  tooLarge: 'backend.validation',
  overQuota: 'backend.validation',
  singleton: 'backend.validation',
  willDestroy: 'backend.conflict',
  objectIsLinked: 'backend.conflict',
  requestTooLarge: 'backend.validation',
  unknownMethod: 'backend.unsupported',
  serverUnavailable: 'backend.unavailable',
  serverFail: 'backend.unavailable',
};

/** Maps a JMAP error object (`{type, description}`) to an AppError. */
export function classifyJmapError(error: { type?: unknown; description?: unknown; properties?: unknown }, where: string): AppError {
  const type = typeof error.type === 'string' ? error.type : 'serverFail';
  const code = SET_ERRORS[type] ?? 'backend.validation';
  const description = typeof error.description === 'string' ? `: ${error.description}` : '';
  const properties = Array.isArray(error.properties) ? ` (${error.properties.join(', ')})` : '';
  return appError(code, `${where}: ${type}${description}${properties}`, {
    retryable: code === 'backend.unavailable',
    detail: { vendorCode: type, ...(typeof error.description === 'string' ? { backendMessage: `${error.description}${properties}` } : {}) },
  });
}

/** Minimal JMAP client for Stalwart's management API: session discovery, batched calls, /set error mapping. */
export class JmapClient {
  readonly #http: HttpClient;
  #session: Session | null = null;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Reads the JMAP session; fails with `backend.unsupported` when the server is not Stalwart 0.16+. */
  async session(signal?: AbortSignal): Promise<Result<Session>> {
    if (this.#session) return ok(this.#session);
    const res = await this.#http.json<{ capabilities?: Record<string, { version?: string }>; primaryAccounts?: Record<string, string>; apiUrl?: string }>({ path: '.well-known/jmap', signal });
    if (!res.ok) return res;
    const body = res.value.body;
    // 0.15.x has no urn:stalwart:jmap capability; its REST API (/api/principal) is a different adapter.
    const stalwart = body.capabilities?.['urn:stalwart:jmap'];
    if (!stalwart) return err('backend.unsupported', 'Stalwart: no urn:stalwart:jmap capability; this server predates 0.16 (REST management API).');
    const accountId = body.primaryAccounts?.['urn:stalwart:jmap'] ?? '';
    this.#session = { apiUrl: body.apiUrl ?? '/jmap', accountId, version: stalwart.version ?? null };
    return ok(this.#session);
  }

  /** Sends method calls in one request; returns each response's arguments by call id, or the first error. */
  async call(calls: readonly Invocation[], signal?: AbortSignal): Promise<Result<Map<string, Record<string, unknown>>>> {
    const session = await this.session(signal);
    if (!session.ok) return session;
    const withAccount = calls.map(([name, args, id]) => [name, { accountId: session.value.accountId, ...args }, id]);
    const res = await this.#http.json<{ methodResponses?: [string, Record<string, unknown>, string][] }>({
      method: 'POST',
      path: new URL(session.value.apiUrl, 'http://x').pathname,
      body: { using: USING, methodCalls: withAccount },
      signal,
    });
    if (!res.ok) return res;
    const out = new Map<string, Record<string, unknown>>();
    for (const [name, args, id] of res.value.body.methodResponses ?? []) {
      if (name === 'error') return { ok: false, error: classifyJmapError(args, `Stalwart ${calls.find((c) => c[2] === id)?.[0] ?? 'call'}`) };
      out.set(id, args);
    }
    return ok(out);
  }

  /** Runs one `/set` and turns notCreated/notUpdated/notDestroyed into an error. */
  async set(type: string, args: Record<string, unknown>): Promise<Result<Record<string, unknown>>> {
    const res = await this.call([[`x:${type}/set`, args, 's']]);
    if (!res.ok) return res;
    const body = res.value.get('s') ?? {};
    for (const key of ['notCreated', 'notUpdated', 'notDestroyed']) {
      const failures = body[key] as Record<string, { type?: string; description?: string }> | null | undefined;
      const first = failures ? Object.values(failures)[0] : undefined;
      if (first) return { ok: false, error: classifyJmapError(first, `Stalwart x:${type}/set`) };
    }
    return ok(body);
  }

  /** Pages through `/query` by position and fetches each page with `/get` in the same request. */
  async *list<T>(type: string, filter: Record<string, unknown>, pageSize: number, signal?: AbortSignal): AsyncIterable<Result<T>> {
    for (let position = 0; ; position += pageSize) {
      const res = await this.call(
        [
          [`x:${type}/query`, { filter, position, limit: pageSize, calculateTotal: true }, 'q'],
          [`x:${type}/get`, { '#ids': { resultOf: 'q', name: `x:${type}/query`, path: '/ids' } }, 'g'],
        ],
        signal,
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
}
