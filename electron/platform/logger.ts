import { appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makePrivateDir, PRIVATE_FILE_MODE, tightenPath } from './private-files.ts';

/** Structured log sink; fields are redacted before anything is written. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|private[-_]?key|authorization|credential/i;

/** Replaces the value of every secret-looking key, at any depth, with "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** A logger that appends JSON lines to a file (created on first write). */
export function createFileLogger(file: string, mirror?: (line: string) => void): Logger {
  let ready = false;
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const line = JSON.stringify({ at: new Date().toISOString(), level, message, ...(redact(fields ?? {}) as object) });
    if (!ready) {
      makePrivateDir(dirname(file));
      tightenPath(file);
      ready = true;
    }
    appendFileSync(file, line + '\n', { mode: PRIVATE_FILE_MODE });
    mirror?.(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that keeps lines in memory, for tests and for the CLI's quiet commands. */
export function createMemoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    lines.push(JSON.stringify({ level, message, ...(redact(fields ?? {}) as object) }));
  };
  return {
    lines,
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
