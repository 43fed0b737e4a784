import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

/** `mailroom audit list|verify|export`: the journal of every change made through Mailroom. */
export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'read, verify and export the audit journal',
  usage: `mailroom audit list [--limit N] [--action AREA.METHOD] [--json]
mailroom audit verify [--json]
mailroom audit export            (CSV on stdout)`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      const { values } = parse(rest, { limit: { type: 'string' }, action: { type: 'string' } }, false);
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number.');
      const result = await ctx.api.audit.list({ limit, ...(values.action ? { action: values.action } : {}) });
      if (!result.ok) return emitError(ctx, result.error), ExitCode.failed;
      emit(ctx, result.value, () =>
        result.value.entries.length === 0
          ? 'The journal is empty: nothing has been changed through Mailroom yet.'
          : table(
              ['SEQ', 'AT', 'OPERATOR', 'ACTION', 'OBJECT', 'RESULT'],
              result.value.entries.map((e) => [String(e.seq), e.at, e.operator, e.action, e.object ?? '', e.result === 'ok' ? 'ok' : `error ${e.errorCode ?? ''}`]),
            ),
      );
      return ExitCode.ok;
    }
    if (sub === 'verify') {
      parse(rest, {}, false);
      const result = await ctx.api.audit.verify();
      if (!result.ok) return emitError(ctx, result.error), ExitCode.failed;
      const v = result.value;
      emit(ctx, v, () =>
        v.ok ? `The journal is intact: ${v.checked} entries verified.` : `The journal was tampered with at entry ${v.firstProblem?.seq}: ${v.firstProblem?.reason}.`,
      );
      return v.ok ? ExitCode.ok : ExitCode.failed;
    }
    if (sub === 'export') {
      parse(rest, {}, false);
      const result = await ctx.api.audit.exportCsv();
      if (!result.ok) return emitError(ctx, result.error), ExitCode.failed;
      ctx.io.stdout.write(result.value);
      return ExitCode.ok;
    }
    throw new UsageError(sub ? `Unknown subcommand "audit ${sub}".` : 'Missing subcommand: list, verify or export.');
  },
};
