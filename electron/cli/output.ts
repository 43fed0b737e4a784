import type { AppError } from '../../shared/errors/result.ts';
import type { CliContext } from './cli-context.ts';

/** Prints a value as one JSON document (with --json) or as the given human text. */
export function emit(ctx: CliContext, value: unknown, human: () => string): void {
  ctx.io.stdout.write(ctx.json ? JSON.stringify(value) + '\n' : human() + '\n');
}

/** Prints an expected failure: JSON `{"error":{...}}` on stdout with --json, else a line on stderr. */
export function emitError(ctx: CliContext, error: AppError): void {
  if (ctx.json) ctx.io.stdout.write(JSON.stringify({ error }) + '\n');
  else ctx.io.stderr.write(`error [${error.code}]: ${error.message}\n`);
}

/** Formats rows as an aligned plain-text table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
