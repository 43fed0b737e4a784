import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AuditCheckpoint, AuditVerification } from '../../../shared/domain/audit.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

/** `mailroom audit list|verify|export`: the journal of every change made through Mailroom. */
export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'read, verify and export the audit journal',
  usage: `mailroom audit list [--limit N] [--action AREA.METHOD] [--json]
mailroom audit verify [--checkpoint FILE] [--json]   (exit 1 when the journal or the checkpoint does not check out)
mailroom audit export [--checkpoint FILE]            (CSV on stdout; FILE gets a signed checkpoint of the newest entry)`,
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
      const { values } = parse(rest, { checkpoint: { type: 'string' } }, false);
      const result =
        values.checkpoint === undefined
          ? await ctx.api.audit.verify()
          : await ctx.api.audit.verifyCheckpoint(readCheckpoint(values.checkpoint) as AuditCheckpoint) // the router validates the file's shape;
      if (!result.ok) {
        if (result.error.code === 'input.invalid') throw new UsageError(`${values.checkpoint} is not a Mailroom audit checkpoint (${result.error.message}).`);
        return emitError(ctx, result.error), ExitCode.failed;
      }
      emit(ctx, result.value, () => describe(result.value, ctx.secretStore));
      return result.value.ok ? ExitCode.ok : ExitCode.failed;
    }
    if (sub === 'export') {
      const { values } = parse(rest, { checkpoint: { type: 'string' } }, false);
      // Signed before the CSV is read, so the CSV holds at least the entry the checkpoint records.
      const checkpoint = values.checkpoint === undefined ? null : await ctx.api.audit.checkpoint();
      const result = await ctx.api.audit.exportCsv();
      if (!result.ok) return emitError(ctx, result.error), ExitCode.failed;
      ctx.io.stdout.write(result.value);
      if (checkpoint === null) return ExitCode.ok;
      if (!checkpoint.ok) return emitError(ctx, checkpoint.error), ExitCode.failed;
      try {
        writeFileSync(values.checkpoint!, `${JSON.stringify(checkpoint.value, null, 2)}\n`);
      } catch (error) {
        throw new UsageError(`Cannot write the checkpoint to ${values.checkpoint}: ${(error as Error).message}`);
      }
      ctx.io.stderr.write(`Checkpoint of entry ${checkpoint.value.seq} written to ${values.checkpoint}.\n`);
      return ExitCode.ok;
    }
    throw new UsageError(sub ? `Unknown subcommand "audit ${sub}".` : 'Missing subcommand: list, verify or export.');
  },
};

function readCheckpoint(file: string): unknown {
  let text: string;
  try {
    // A checkpoint is a few hundred bytes; anything large is the wrong file, not worth reading.
    if (statSync(file).size > 64 * 1024) throw new Error('it is larger than 64 KB');
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the checkpoint ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not a Mailroom audit checkpoint (it is not JSON).`);
  }
}

function describe(v: AuditVerification, secretStore: string): string {
  if (!v.ok) return ['The journal is damaged:', ...v.problems.map((p) => `  - ${p.reason}`)].join('\n');
  const lines = [`The journal is intact: ${v.checked} entries verified, anchored in ${secretStore} up to entry ${v.anchoredSeq}.`];
  if (v.legacyUpTo > 0) lines.push(`Entries 1 to ${v.legacyUpTo} were written before the journal was keyed and are checked by their SHA-256 chain.`);
  if (v.unanchored) lines.push(`Entries ${v.unanchored.from} to ${v.unanchored.to} are sealed but not anchored yet: their removal would not be detected.`);
  if (v.checkpoint) lines.push(`It matches the checkpoint of ${v.checkpoint.at} (entry ${v.checkpoint.seq}).`);
  return lines.join('\n');
}
