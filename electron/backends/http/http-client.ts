import { Agent, fetch as undiciFetch } from 'undici';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { classifyHttpFailure, classifyTransportFailure, isAbort } from './http-errors.ts';
import { type RetryPolicy, backoffDelay, defaultRetryPolicy, isThrottle, parseRetryAfter, sleep as realSleep } from './retry.ts';

/** The fetch signature every SDK transport hook accepts (gaxios `fetchImplementation`, msal, Graph middleware). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One retry the layer is about to make; paths only, never query strings or headers (they may carry secrets). */
export interface RetryEvent {
  readonly attempt: number;
  readonly status: number | null;
  readonly delayMs: number;
  readonly method: string;
  readonly path: string;
}

/** Options shared by every HTTP-backed adapter. */
export interface HttpLayerOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Extra CA certificate (PEM) to trust, for servers with a private or self-signed certificate. */
  readonly caCertificate?: string;
  /** Injected for tests; defaults to a real, abortable timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly onRetry?: (event: RetryEvent) => void;
  /** Maps a URL before sending, to point an SDK's fixed endpoint (Google's token URL) at a configured one. */
  readonly rewriteUrl?: (url: string) => string;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

function baseFetch(caCertificate: string | undefined): FetchLike {
  if (caCertificate === undefined) return (input, init) => fetch(input, init);
  const dispatcher = new Agent({ connect: { ca: caCertificate } });
  // undici's own fetch takes its dispatcher; its Request/Response types are structurally the web ones.
  return (input, init) => undiciFetch(input as never, { ...(init as object), dispatcher } as never) as unknown as Promise<Response>;
}

/**
 * A fetch that owns retries for every backend: honours Retry-After (seconds or HTTP-date), backs off on
 * 429/503 and Google's rate-limit 403s with capped full-jitter, and never retries 401 or other 403s
 * (mailcow and Mail-in-a-Box report failed keys to fail2ban and ban the caller's IP).
 */
export function createRetryingFetch(options: HttpLayerOptions = {}): FetchLike {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const send = baseFetch(options.caCertificate);
  const wait = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  return async (input, init = {}) => {
    const original = input instanceof Request ? input : null;
    let url = original ? original.url : String(input);
    if (options.rewriteUrl) url = options.rewriteUrl(url);
    const method = (init.method ?? original?.method ?? 'GET').toUpperCase();
    const signal = init.signal ?? original?.signal ?? undefined;
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= policy.maxAttempts;
      let response: Response;
      try {
        response = await send(original ? new Request(url, original.clone()) : url, init);
      } catch (error) {
        if (isAbort(error) || last || !IDEMPOTENT.has(method)) throw error;
        const delayMs = backoffDelay(attempt - 1, policy, random);
        options.onRetry?.({ attempt, status: null, delayMs, method, path: new URL(url).pathname });
        await wait(delayMs, signal ?? undefined);
        continue;
      }
      if (last || response.status < 400 || response.status === 401) return response;
      let body: unknown = null;
      if (response.status === 403) body = await response.clone().json().catch(() => null);
      const throttled = isThrottle(response.status, body);
      const flaky = (response.status === 502 || response.status === 504) && IDEMPOTENT.has(method);
      if (!throttled && !flaky) return response;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
      if (retryAfter !== null && retryAfter > policy.maxRetryAfterMs) return response;
      const delayMs = retryAfter ?? backoffDelay(attempt - 1, policy, random);
      await response.body?.cancel().catch(() => undefined);
      options.onRetry?.({ attempt, status: response.status, delayMs, method, path: new URL(url).pathname });
      await wait(delayMs, signal ?? undefined);
    }
  };
}

/** A JSON request relative to the client's base URL. */
export interface JsonRequest {
  readonly method?: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** A non-JSON body (a JMAP blob upload) sent as is with its media type, instead of `body`. */
  readonly raw?: { readonly text: string; readonly type: string };
  readonly signal?: AbortSignal | undefined;
}

/** A successful JSON exchange. */
export interface JsonResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Small JSON client over the retrying fetch, for backends without an official SDK (mailcow, Stalwart). */
export class HttpClient {
  /** The retrying fetch, for callers that need raw access. */
  readonly fetch: FetchLike;
  readonly #baseUrl: string;
  readonly #headers: () => Promise<Record<string, string>>;
  readonly #where: string;
  readonly #now: () => number;

  constructor(options: HttpLayerOptions & { baseUrl: string; where: string; headers?: () => Promise<Record<string, string>> }) {
    this.fetch = createRetryingFetch(options);
    this.#baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.#headers = options.headers ?? (async () => ({}));
    this.#where = options.where;
    this.#now = options.now ?? Date.now;
  }

  /** Sends one JSON request; non-2xx answers and transport failures come back as classified errors. */
  async json<T>(request: JsonRequest): Promise<Result<JsonResponse<T>>> {
    const url = new URL(request.path.replace(/^\//, ''), this.#baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const method = request.method ?? 'GET';
    const where = `${this.#where} ${method} ${url.pathname}`;
    const headers: Record<string, string> = { accept: 'application/json', ...(await this.#headers()) };
    if (request.raw !== undefined) headers['content-type'] = request.raw.type;
    else if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        ...(request.raw !== undefined ? { body: request.raw.text } : request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      text = await response.text();
    } catch (error) {
      return { ok: false, error: classifyTransportFailure(error, where) };
    }
    let body: unknown = text;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        // a proxy's HTML error page: keep the text for the message
      }
    } else {
      body = null;
    }
    if (!response.ok) {
      const error = classifyHttpFailure({ status: response.status, body, retryAfter: response.headers.get('retry-after') }, where, this.#now());
      return { ok: false, error };
    }
    return ok({ status: response.status, headers: response.headers, body: body as T });
  }
}
