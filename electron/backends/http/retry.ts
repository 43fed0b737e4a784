/** How the shared HTTP layer retries: bounded attempts, capped exponential back-off with full jitter. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 disables retries. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the caller gets `backend.rateLimited` with the delay. */
  readonly maxRetryAfterMs: number;
}

/** Defaults for interactive console work: four attempts, at most 30 s between them. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** Parses Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Delay before retry number `retry` (0-based): uniform in [0, min(max, base·2^retry)] ("full jitter"). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(random() * cap);
}

// Google signals throttling as 403 with these reasons (Directory API "limits" page and the Gmail
// "handle errors" guide); every other 403 is a permission problem and must not be retried.
const GOOGLE_RATE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);

/** True when a JSON error body is Google's "slow down" 403 rather than a permission failure. */
export function isGoogleRateLimitBody(body: unknown): boolean {
  const error = (body as { error?: { errors?: { reason?: unknown }[]; status?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return false;
  if (error.status === 'RESOURCE_EXHAUSTED') return true;
  return Array.isArray(error.errors) && error.errors.some((e) => typeof e?.reason === 'string' && GOOGLE_RATE_REASONS.has(e.reason));
}

/** Whether a response status (and body, for Google's 403) is a throttle the layer may retry. */
export function isThrottle(status: number, body: unknown): boolean {
  if (status === 429 || status === 503) return true;
  return status === 403 && isGoogleRateLimitBody(body);
}

/** Statuses that mean "who you are" failed; retrying them gets mailcow and Mail-in-a-Box callers IP-banned. */
export function isAuthFailure(status: number, body: unknown): boolean {
  return status === 401 || (status === 403 && !isGoogleRateLimitBody(body));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
