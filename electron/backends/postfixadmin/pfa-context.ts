import { err, ok, type Result } from '../../../shared/errors/result.ts';
import { defaultEncrypt, passwordWriter, type PasswordWriter } from './encrypt-scheme.ts';
import type { HashOptions } from './password-hash.ts';
import type { SiteRules } from './site-config.ts';
import type { PfaSchema } from './site-schema.ts';
import { classifySqlError } from './sql-errors.ts';
import { sqlBool, type SqlDialect, type SqlDriver, type SqlExecutor, type SqlValue } from './sql-driver.ts';

export { DEFAULT_QUOTA_MULTIPLIER } from './site-config.ts';

/** What every PostfixAdmin operation needs: the database, its schema, the site's rules and who acts. */
export interface PfaContext {
  readonly driver: SqlDriver;
  readonly rules: SiteRules;
  readonly hashOptions: HashOptions;
  /** Recorded in PostfixAdmin's own `log` table next to Mailroom's journal. */
  readonly actor: string;
  /** The schema as read at connect time (read once, then cached). */
  schema(): Promise<PfaSchema>;
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

/** Runs `work` in one transaction with the schema already read: on SQLite's single handle a first read inside would wait for itself. */
export async function transaction<T>(ctx: PfaContext, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  await ctx.schema();
  return ctx.driver.transaction(work);
}

/** How passwords are written on this site: its `encrypt`, else PostfixAdmin's default for the revision. */
export async function writerFor(ctx: PfaContext): Promise<PasswordWriter> {
  return passwordWriter(ctx.rules.encrypt ?? defaultEncrypt((await ctx.schema()).revision), ctx.hashOptions);
}

// Sizes: PostfixAdmin counts quotas in its own "MB" (quota_multiplier bytes: 1 024 000 by default) and
// shows stored bytes ÷ multiplier. Mailroom shows decimal MB (10^6 bytes). So that both tools show the same
// figure, one site-MB is reported as one Mailroom MB: quotas and usage are scaled by 10^6 / multiplier.
const MB = 1_000_000;

/** Mailroom bytes (quota asked for) → whole site-MB, rounded up; null or 0 = unlimited (0). */
export function toSiteMb(bytes: number | null | undefined): number {
  return bytes ? Math.ceil(bytes / MB - 1e-9) : 0;
}

/** Site-MB as stored in `domain.quota` / `domain.maxquota` → Mailroom bytes; 0 and -1 (unlimited, disabled) → null. */
export function fromSiteMb(mb: number): number | null {
  return mb > 0 ? mb * MB : null;
}

/** Mailroom bytes → `mailbox.quota` as PostfixAdmin stores it (site-MB × multiplier); 0 = unlimited. */
export function storedMailboxQuota(bytes: number | null | undefined, multiplier: number): number {
  return toSiteMb(bytes) * multiplier;
}

/** Stored bytes (`mailbox.quota`, `quota2.bytes`) → Mailroom bytes at one site-MB per MB. */
export function fromStoredBytes(stored: number, multiplier: number): number {
  return Math.round((stored / multiplier) * MB);
}

/** A stored mailbox quota (0 or less = unlimited) as Mailroom bytes or null. */
export function quotaOrNull(stored: number, multiplier: number): number | null {
  return stored > 0 ? fromStoredBytes(stored, multiplier) : null;
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

/** The database's own clock as SQL, as PostfixAdmin's db_insert/db_update write `created` and `modified`. */
export function nowSql(dialect: SqlDialect): string {
  return dialect === 'sqlite' ? "datetime('now')" : 'now()';
}

/** SQL for "now + `days` days" on the database clock; its one `?` takes what `daysParam` returns. */
export function inDaysSql(dialect: SqlDialect): string {
  switch (dialect) {
    case 'mysql':
      return 'now() + INTERVAL ? DAY';
    case 'postgres':
      return "now() + (CAST(? AS integer) * interval '1 day')";
    case 'sqlite':
      return "datetime('now', ?)";
  }
}

/** The bound value for inDaysSql's placeholder. */
export function daysParam(dialect: SqlDialect, days: number): SqlValue {
  return dialect === 'sqlite' ? `${days >= 0 ? '+' : ''}${days} days` : days;
}

/** Bound booleans of this dialect and its NOW() expression. */
export function values(ctx: PfaContext): { now: string; yes: SqlValue; no: SqlValue } {
  return { now: nowSql(ctx.driver.dialect), yes: sqlBool(ctx.driver.dialect, true), no: sqlBool(ctx.driver.dialect, false) };
}

/** Appends to PostfixAdmin's admin log as its db_log() does: `user (origin)`, the domain, an action it knows, the id. */
export async function logAction(tx: SqlExecutor, ctx: PfaContext, domain: string, action: string, data: string): Promise<void> {
  if (!(await ctx.schema()).has('log')) return;
  await tx.run(`INSERT INTO log (timestamp, username, domain, action, data) VALUES (${nowSql(ctx.driver.dialect)}, ?, ?, ?, ?)`, [`${ctx.actor} (mailroom)`, domain, action, data]);
}
