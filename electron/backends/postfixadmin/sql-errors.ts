import { appError, type AppError } from '../../../shared/errors/result.ts';

interface DriverError {
  readonly code?: string;
  readonly errno?: number;
  readonly message?: string;
}

// MySQL/MariaDB server error numbers, PostgreSQL SQLSTATEs and SQLite extended codes, classified once.
const MYSQL: Readonly<Record<number, AppError['code']>> = {
  1045: 'backend.auth', // ER_ACCESS_DENIED_ERROR
  1044: 'backend.forbidden', // ER_DBACCESS_DENIED_ERROR
  1142: 'backend.forbidden', // ER_TABLEACCESS_DENIED_ERROR
  1049: 'backend.notFound', // ER_BAD_DB_ERROR
  1146: 'backend.validation', // ER_NO_SUCH_TABLE
  1054: 'backend.validation', // ER_BAD_FIELD_ERROR
  1062: 'backend.conflict', // ER_DUP_ENTRY
  1451: 'backend.conflict', // ER_ROW_IS_REFERENCED_2
  1452: 'backend.validation', // ER_NO_REFERENCED_ROW_2
  1205: 'backend.unavailable', // ER_LOCK_WAIT_TIMEOUT
  1213: 'backend.unavailable', // ER_LOCK_DEADLOCK
};

const POSTGRES: Readonly<Record<string, AppError['code']>> = {
  '28P01': 'backend.auth',
  '28000': 'backend.auth',
  '42501': 'backend.forbidden',
  '3D000': 'backend.notFound',
  '42P01': 'backend.validation',
  '42703': 'backend.validation',
  '23505': 'backend.conflict',
  '23503': 'backend.conflict',
  '40001': 'backend.unavailable',
  '40P01': 'backend.unavailable',
  '57P03': 'backend.unavailable',
};

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'PROTOCOL_CONNECTION_LOST']);

/** Maps a mysql2, pg or better-sqlite3 error to an AppError; the message never carries the SQL password. */
export function classifySqlError(error: unknown, what: string): AppError {
  const e = (error ?? {}) as DriverError;
  const said = scrub(e.message ?? String(error));
  const text = `${what}: ${said}`;
  const detail = { driverCode: e.code ?? null, errno: e.errno ?? null, backendMessage: said };
  if (e.code && NETWORK.has(e.code)) return appError('backend.unavailable', text, { retryable: true, detail });
  if (typeof e.errno === 'number' && MYSQL[e.errno]) return build(MYSQL[e.errno]!, text, detail);
  if (e.code && POSTGRES[e.code]) return build(POSTGRES[e.code]!, text, detail);
  if (e.code?.startsWith('SQLITE_')) {
    if (e.code.startsWith('SQLITE_CONSTRAINT')) return build('backend.conflict', text, detail);
    if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED') return build('backend.unavailable', text, detail);
    if (e.code === 'SQLITE_CANTOPEN' || e.code === 'SQLITE_NOTADB') return appError('backend.unavailable', text, { detail });
    if (e.code === 'SQLITE_READONLY' || e.code === 'SQLITE_PERM' || e.code === 'SQLITE_AUTH') return build('backend.forbidden', text, detail);
    if (/no such (table|column)/.test(e.message ?? '')) return build('backend.validation', text, detail);
  }
  if (/password authentication failed|Access denied/i.test(e.message ?? '')) return build('backend.auth', text, detail);
  return appError('backend.unavailable', text, { detail });
}

function build(code: AppError['code'], message: string, detail: unknown): AppError {
  const retryable = code === 'backend.unavailable';
  return appError(code, message, { retryable, detail });
}

function scrub(message: string): string {
  // Drivers quote the offending SQL in some messages; values there may be password hashes.
  return message.replace(/\{[A-Z0-9.-]+\}\S+/g, '{…}').slice(0, 400);
}
