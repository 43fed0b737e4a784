import { readFileSync } from 'node:fs';
import type { ImportStepKind } from '../../../shared/domain/import.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand } from '../cli-context.ts';
import { emit, emitError } from '../output.ts';

const MARK: Record<ImportStepKind, string> = { create: '+', update: '~', unchanged: '=', error: '!' };

/** `mailroom import F.csv [--connection NAME] [--dry-run]`: the `mailboxes.import` operation over a fresh refresh. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'bulk-create or update domains, mailboxes, aliases, groups and forwards from CSV',
  usage: `mailroom import FILE.csv [--connection NAME] [--dry-run] [--json]
         columns: type (domain|mailbox|alias|group|forward), address, name, quota, targets (a;b), active, password
         (the console's export columns display_name, quota_mb, forward_to work too); without --connection each
         row goes to the connection holding its domain; new mailboxes without a password get one, printed once;
         a blank cell leaves the value as it is, - or none clears it (no name, unlimited quota, forwarding off);
         one line per address; --dry-run runs every check the import runs, the platform's limits included`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { connection: { type: 'string' }, 'dry-run': { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('Give one CSV file.');
    let csv: string;
    try {
      csv = readFileSync(positionals[0]!, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const services = ctx.services();
    const conn = values.connection ? services.connections.find(values.connection) : undefined;
    if (values.connection && !conn) throw new UsageError(`No connection "${values.connection}".`);
    // The diff is computed against the platform as it is now, not as the cache last saw it.
    for (const id of conn ? [conn.id] : services.connections.list().filter((c) => c.kind !== 'imap').map((c) => c.id)) {
      const refreshed = await ctx.api.domains.refresh(id);
      if (!refreshed.ok) {
        emitError(ctx, refreshed.error);
        return ExitCode.failed;
      }
    }
    const dryRun = Boolean(values['dry-run']);
    const result = await ctx.api.mailboxes.import({ csv, dryRun, ...(conn ? { connectionId: conn.id } : {}) });
    if (!result.ok) {
      emitError(ctx, result.error);
      return result.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
    }
    const report = result.value;
    const { create, update, unchanged, error } = report.counts;
    const diff = report.steps.map((s) => `${MARK[s.kind]} ${s.type} ${s.address}${s.detail ? `  ${s.detail}` : ''}`);
    if (dryRun) {
      emit(ctx, report, () => [...diff, `${create + update} change(s), ${unchanged} unchanged, ${error} error(s); nothing written (dry run).`].join('\n'));
      return error ? ExitCode.failed : ExitCode.ok;
    }
    const failed = report.applied.filter((a) => !a.ok).length;
    emit(ctx, report, () =>
      [
        ...report.steps.filter((s) => s.kind === 'error').map((s) => `! ${s.type} ${s.address}  ${s.detail}`),
        ...report.applied.map((a) => (a.ok ? `ok   ${a.address}${a.generatedPassword ? `  password (shown once): ${a.generatedPassword}` : ''}` : `FAIL ${a.address}  ${a.error?.code}: ${a.error?.message}`)),
        `${report.applied.length - failed} applied, ${failed} failed, ${error} error(s) not applied.`,
      ].join('\n'),
    );
    return failed || error ? ExitCode.failed : ExitCode.ok;
  },
};
