import { readFileSync, writeFileSync } from 'node:fs';
import type { PriceImportReport, PriceRowError, PriceTable } from '../../../shared/domain/storage.ts';
import type { AppError } from '../../../shared/errors/result.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

/** Usage lines of `storage prices`. */
export const pricesUsage = `mailroom storage prices [--json]                        (the price table the cost figures use)
mailroom storage prices export [--out FILE]             (CSV: id,label,kind,model,monthly,currency,included_gb_per_seat)
mailroom storage prices import FILE [--dry-run] [--json] (all or nothing: every bad row is named, none is applied; journaled)`;

const planRows = (t: PriceTable): string =>
  table(
    ['ID', 'LABEL', 'KIND', 'MODEL', 'MONTHLY', 'INCLUDED/SEAT'],
    t.plans.map((p) => [p.id, p.label, p.kind, p.model, `${p.monthly.toFixed(2)} ${t.currency}`, p.includedBytesPerSeat === null ? '-' : `${p.includedBytesPerSeat / 1e9} GB`]),
  );

/** `mailroom storage prices [export|import]`: shows, exports or imports the price table as CSV. */
export async function storagePrices(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub.startsWith('--')) {
    parse(argv, {});
    const r = await ctx.api.storage.prices();
    if (!r.ok) return failed(ctx, r.error);
    emit(ctx, r.value, () => (r.value.plans.length ? planRows(r.value) : 'No plans: every platform shows its cost as "—".'));
    return ExitCode.ok;
  }
  if (sub === 'export') {
    const { values, positionals } = parse(rest, { out: { type: 'string' } });
    if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}"; write to a file with --out FILE.`);
    const r = await ctx.api.storage.exportPrices();
    if (!r.ok) return failed(ctx, r.error);
    if (!values.out) {
      ctx.io.stdout.write(r.value);
      return ExitCode.ok;
    }
    try {
      writeFileSync(values.out, r.value, { mode: 0o600 });
    } catch (error) {
      throw new UsageError(`Cannot write ${values.out}: ${(error as Error).message}`);
    }
    ctx.io.stderr.write(`Wrote the price table to ${values.out}.\n`);
    return ExitCode.ok;
  }
  if (sub === 'import') {
    const { values, positionals } = parse(rest, { 'dry-run': { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('storage prices import takes exactly one CSV file.');
    let csv: string;
    try {
      csv = readFileSync(positionals[0]!, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${positionals[0]}: ${(error as Error).message}`);
    }
    if (csv.includes('\u0000')) throw new UsageError(`${positionals[0]} is not a price-table CSV: it looks like a binary file.`);
    const r = await ctx.api.storage.importPrices({ csv, dryRun: values['dry-run'] === true });
    if (!r.ok) {
      emitError(ctx, r.error);
      const rows = (r.error.detail as { rows?: PriceRowError[] } | undefined)?.rows ?? [];
      if (!ctx.json) for (const row of rows) ctx.io.stderr.write(`  ${row.line > 0 ? `line ${row.line}` : 'file'}: ${row.message}\n`);
      return r.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
    }
    emit(ctx, r.value, () => summary(r.value));
    return ExitCode.ok;
  }
  throw new UsageError(`Unknown subcommand "storage prices ${sub}": export or import.`);
}

function summary(r: PriceImportReport): string {
  const list = (ids: readonly string[]): string => (ids.length ? ids.join(', ') : 'none');
  const what = `added ${list(r.added)}; changed ${list(r.changed)}; removed ${list(r.removed)}`;
  return `${planRows(r.table)}\n${r.applied ? `Imported the price table (${what}).` : `Dry run, nothing written: the import would have ${what}.`}`;
}

function failed(ctx: CliContext, error: AppError): number {
  emitError(ctx, error);
  return error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
}
