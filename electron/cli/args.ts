import { parseArgs, type ParseArgsConfig } from 'node:util';
import { plaintextProblem } from '../../shared/lib/validate.ts';
import { UsageError, type CliContext } from './cli-context.ts';

/** parseArgs with strict checking, turning its errors into UsageError. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  allowPositionals = true,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true; args: string[] }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses a port number option, or throws UsageError. */
export function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--${name} must be a port number (1-65535), not "${value}".`);
  return port;
}

/**
 * Refuses credentials in clear to another machine unless --allow-plaintext was given (checked before any
 * secret is asked for); with it, warns on stderr. True when plaintext was allowed and is needed.
 */
export function refusePlaintext(ctx: Pick<CliContext, 'io'>, target: { tls?: string; host?: string; url?: string }, allowed: boolean | undefined): boolean {
  const problem = plaintextProblem(target);
  if (problem === null) return false;
  if (!allowed) throw new UsageError(`${problem}: use TLS (https, --tls implicit or starttls), or pass --allow-plaintext to accept that.`);
  ctx.io.stderr.write(`warning: ${problem} (--allow-plaintext).\n`);
  return true;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** Parses "500MB", "2GiB", "0" or "unlimited" into bytes (null = unlimited), or throws UsageError naming `--name`. */
export function parseSize(value: string, name: string): number | null {
  const text = value.trim();
  if (/^(unlimited|none|0)$/i.test(text)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`--${name} "${value.slice(0, 40)}" is not a size (e.g. 500MB, 2GiB, unlimited).`);
  return bytes;
}

/** Parses a yes/no option, or throws UsageError naming `--name`. */
export function parseYesNo(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(yes|true|1|on)$/i.test(value)) return true;
  if (/^(no|false|0|off)$/i.test(value)) return false;
  throw new UsageError(`--${name} must be yes or no, not "${value.slice(0, 40)}".`);
}
