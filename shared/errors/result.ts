/** Stable error codes: UI text, tests and logs key on these, never on messages. */
export type ErrorCode =
  | 'input.invalid'
  | 'transport.unauthorized'
  | 'vault.unavailable'
  | 'vault.notFound'
  | 'connection.secretMissing'
  | 'connection.inUse'
  | 'notFound'
  | 'conflict'
  | 'backend.unsupported'
  | 'backend.auth'
  | 'backend.forbidden'
  | 'backend.notFound'
  | 'backend.conflict'
  | 'backend.validation'
  | 'backend.rateLimited'
  | 'backend.unavailable'
  | 'backend.partial'
  | 'imap.auth'
  | 'imap.connection'
  | 'imap.tls'
  | 'imap.throttled'
  | 'imap.timeout'
  | 'imap.protocol'
  | 'imap.tooLarge'
  | 'smtp.failed'
  | 'dns.timeout'
  | 'dns.refused'
  | 'dns.failed'
  | 'io.failed'
  | 'audit.damaged'
  | 'cancelled'
  | 'internal';

/** An expected failure, safe to show and to send over IPC: no secrets, no stack. */
export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly detail?: unknown;
}

/** The outcome of every operation that can fail in an expected way. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: AppError };

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed Result; `retryable` defaults to false. */
export function err<T = never>(
  code: ErrorCode,
  message: string,
  extra: { retryable?: boolean; retryAfterMs?: number; detail?: unknown } = {},
): Result<T> {
  return { ok: false, error: appError(code, message, extra) };
}

/** Builds an AppError value. */
export function appError(
  code: ErrorCode,
  message: string,
  extra: { retryable?: boolean; retryAfterMs?: number; detail?: unknown } = {},
): AppError {
  const error: AppError = { code, message, retryable: extra.retryable ?? false };
  return {
    ...error,
    ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
    ...(extra.detail === undefined ? {} : { detail: extra.detail }),
  };
}

/** Marks a branch the type system proves unreachable; reaching it is a bug. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
