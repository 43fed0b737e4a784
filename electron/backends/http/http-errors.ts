import { type AppError, appError } from '../../../shared/errors/result.ts';
import { isGoogleRateLimitBody, parseRetryAfter } from './retry.ts';

/** The parts of a failed HTTP exchange the classifier looks at; never headers that carry credentials. */
export interface FailedExchange {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfter?: string | null;
}

/** Pulls a human-readable message out of the common vendor error bodies (Google, Graph, JMAP, mailcow). */
export function vendorMessage(body: unknown): string | null {
  if (typeof body === 'string') return body.trim().slice(0, 300) || null;
  if (!body || typeof body !== 'object') return null;
  if (Array.isArray(body)) {
    const msgs = body.map((item) => mailcowMsg(item)).filter((m): m is string => m !== null);
    return msgs.length ? msgs.join('; ') : null;
  }
  const b = body as Record<string, unknown>;
  const error = b['error'];
  if (error && typeof error === 'object') {
    const msg = (error as Record<string, unknown>)['message'];
    if (typeof msg === 'string') return msg;
  }
  if (typeof error === 'string') {
    const description = b['error_description'];
    return typeof description === 'string' ? `${error}: ${description}` : error;
  }
  for (const key of ['detail', 'title', 'message', 'msg']) {
    if (typeof b[key] === 'string') return b[key];
  }
  return null;
}

/** Vendor error code when the body carries one (Graph `error.code`, Google `error.errors[0].reason`, JMAP `type`). */
export function vendorCode(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const error = b['error'];
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; errors?: { reason?: unknown }[]; status?: unknown };
    const reason = Array.isArray(e.errors) ? e.errors[0]?.reason : undefined;
    if (typeof reason === 'string') return reason;
    if (typeof e.code === 'string') return e.code;
    if (typeof e.status === 'string') return e.status;
  }
  if (typeof error === 'string') return error;
  return typeof b['type'] === 'string' ? b['type'] : null;
}

// Graph reports duplicates as 400 with these codes rather than 409 (directory object conflicts).
const CONFLICT_CODES = new Set(['ObjectConflict', 'Request_MultipleObjectsWithSameKeyValue', 'duplicate', 'conflict', 'alreadyExists']);

const OAUTH_AUTH_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied', 'invalid_scope']);

/** Maps an HTTP status and body to a stable `backend.*` AppError. */
export function classifyHttpFailure(exchange: FailedExchange, where: string, nowMs: number = Date.now()): AppError {
  const { status, body } = exchange;
  const message = vendorMessage(body);
  const code = vendorCode(body);
  // The vendor's own words travel apart from ours too, so the console can quote them under its sentence.
  const detail = { status, ...(code ? { vendorCode: code } : {}), ...(message ? { backendMessage: message } : {}) };
  const say = (what: string): string => `${where}: ${what}${message ? ` (${message})` : ''}`;
  const retryAfterMs = parseRetryAfter(exchange.retryAfter, nowMs);
  const withDelay = retryAfterMs === null ? {} : { retryAfterMs };
  // OAuth token endpoints (Google, Entra ID) answer a revoked key or a scope not granted by
  // domain-wide delegation with 400/401 and an RFC 6749 §5.2 error: that is an auth failure, never retried.
  if (status < 500 && typeof code === 'string' && OAUTH_AUTH_ERRORS.has(code)) {
    return appError('backend.auth', say('the identity provider refused the credentials (not retried)'), { detail });
  }
  if (status === 429 || (status === 403 && isGoogleRateLimitBody(body))) {
    return appError('backend.rateLimited', say('the service is throttling requests'), { retryable: true, ...withDelay, detail });
  }
  if (status === 401) {
    return appError('backend.auth', say('the credentials were rejected; check the key or secret (not retried)'), { detail });
  }
  if (status === 403) return appError('backend.forbidden', say('the credentials lack permission for this operation'), { detail });
  if (status === 404) return appError('backend.notFound', say('not found'), { detail });
  if (status === 409 || status === 412 || (code !== null && CONFLICT_CODES.has(code))) {
    return appError('backend.conflict', say('conflicts with what already exists'), { detail });
  }
  if (status === 400 || status === 422) return appError('backend.validation', say('the service refused the input'), { detail });
  if (status >= 500) {
    return appError('backend.unavailable', say(`the service failed (HTTP ${status})`), { retryable: true, ...withDelay, detail });
  }
  return appError('backend.unavailable', say(`unexpected HTTP ${status}`), { detail });
}

/** Classifies a transport failure (refused, reset, TLS, aborted) thrown before any HTTP status. */
export function classifyTransportFailure(error: unknown, where: string): AppError {
  if (isAbort(error)) return appError('cancelled', `${where}: cancelled`);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown })?.code;
  const text = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return appError('backend.unavailable', `${where}: cannot reach the service (${text})`, { retryable: true, detail: { code } });
}

/** True for an AbortSignal cancellation in any of its shapes (DOMException, undici, SDK wrappers). */
export function isAbort(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | null;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

/** Classifies whatever an SDK throws: gaxios (`response.status`), Graph (`statusCode`), or a transport error. */
export function classifySdkError(error: unknown, where: string): AppError {
  if (isAbort(error)) return appError('cancelled', `${where}: cancelled`);
  const e = error as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    body?: unknown;
    headers?: { get?: (name: string) => string | null };
    response?: { status?: unknown; data?: unknown; headers?: { get?: (name: string) => string | null } };
  } | null;
  const response = e?.response;
  if (response && typeof response.status === 'number') {
    return classifyHttpFailure({ status: response.status, body: response.data, retryAfter: response.headers?.get?.('retry-after') ?? null }, where);
  }
  if (e && typeof e.statusCode === 'number' && e.statusCode > 0) {
    // GraphError keeps the raw body as a string and the code/message parsed beside it.
    let body: unknown = e.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // not JSON: keep the text as the message
      }
    }
    return classifyHttpFailure({ status: e.statusCode, body, retryAfter: e.headers?.get?.('retry-after') ?? null }, where);
  }
  return classifyTransportFailure(error, where);
}

function mailcowMsg(item: unknown): string | null {
  if (!item || typeof item !== 'object') return null;
  const msg = (item as { msg?: unknown }).msg;
  if (typeof msg === 'string') return msg;
  // mailcow sends msg as [key, ...args], e.g. ["mailbox_invalid", "x@y"] or ["object_exists", "x@y"]
  if (Array.isArray(msg)) return msg.map(String).join(' ');
  return null;
}
