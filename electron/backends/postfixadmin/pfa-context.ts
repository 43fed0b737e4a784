import { err, ok, type Result } from '../../../shared/errors/result.ts';
import type { HashOptions, PasswordScheme } from './password-hash.ts';
import { classifySqlError } from './sql-errors.ts';
import { sqlBool, sqlNow, type SqlDriver, type SqlExecutor, type SqlValue } from './sql-driver.ts';

/** PostfixAdmin's default `$CONF['quota_multiplier']`: one "MB" in its forms is 1 024 000 bytes. */
export const DEFAULT_QUOTA_MULTIPLIER = 1_024_000;

/** What every PostfixAdmin operation needs: the database, the site's conventions and who acts. */
export interface PfaContext {
  readonly driver: SqlDriver;
  readonly scheme: PasswordScheme;
  readonly hashOptions: HashOptions;
  readonly multiplier: number;
  /** Recorded in PostfixAdmin's own `log` table next to Mailroom's journal. */
  readonly actor: string;
  readonly now: () => Date;
}

/** Raised inside a transaction to roll it back with an expected failure. */
export class Rejection extends Error {
  readonly result: Result<never>;

  constructor(result: Result<never>) {
    super(result.ok ? 'rejected' : result.error.message);
    this.result = result;
  }
}

/** Rolls back the surrounding transaction and returns `result` to the caller. */
export function reject(code: Parameters<typeof err>[0], message: string): never {
  throw new Rejection(err(code, message));
}

/** Runs one operation, turning driver errors into `backend.*` Results. */
export async function guard<T>(what: string, work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof Rejection) return error.result;
    return { ok: false, error: classifySqlError(error, what) };
  }
}

/** Bytes → the stored `mailbox.quota` (whole site-MB × multiplier, rounded up); null or 0 = unlimited. */
export function storedMailboxQuota(bytes: number | null | undefined, multiplier: number): number {
  return bytes ? Math.ceil(bytes / multiplier) * multiplier : 0;
}

/** Bytes → site-MB as `domain.quota` / `domain.maxquota` hold them; null or 0 = unlimited. */
export function toSiteMb(bytes: number | null | undefined, multiplier: number): number {
  return bytes ? Math.ceil(bytes / multiplier) : 0;
}

/** A stored quota (0 = unlimited) as bytes or null. */
export function quotaOrNull(value: number): number | null {
  return value > 0 ? value : null;
}

/** Splits `alias.goto` into targets. */
export function parseGoto(goto: unknown): string[] {
  return String(goto ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
}

/** True for PostfixAdmin's vacation target `local#domain@autoreply.domain`, which Mailroom keeps untouched. */
export function isSystemTarget(target: string): boolean {
  return target.includes('#');
}

/** Bound values for the `created`/`modified` columns and booleans of this dialect. */
export function values(ctx: PfaContext): { now: string; yes: SqlValue; no: SqlValue } {
  return { now: sqlNow(ctx.now()), yes: sqlBool(ctx.driver.dialect, true), no: sqlBool(ctx.driver.dialect, false) };
}

/** Appends to PostfixAdmin's own admin log, so its web UI shows what Mailroom did. */
export async function logAction(tx: SqlExecutor, ctx: PfaContext, domain: string, action: string, data: string): Promise<void> {
  await tx.run('INSERT INTO log (timestamp, username, domain, action, data) VALUES (?, ?, ?, ?, ?)', [
    sqlNow(ctx.now()),
    `${ctx.actor} (mailroom)`,
    domain,
    action,
    data,
  ]);
}
