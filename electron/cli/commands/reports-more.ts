import type { MailboxIngestResult } from '../../../shared/domain/reports-mailbox.ts';
import { randomUUID } from 'node:crypto';
import { appError, type AppError } from '../../../shared/errors/result.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

// A missing connection or folder, or a connection of another kind, is the caller's mistake: usage, exit 2.
const USAGE_CODES = new Set(['input.invalid', 'notFound', 'backend.unsupported']);

function failed(ctx: CliContext, error: AppError): number {
  if (USAGE_CODES.has(error.code)) throw new UsageError(error.message);
  emitError(ctx, error);
  return ExitCode.failed;
}

function stopped(ctx: CliContext, error: AppError): number {
  const d = error.detail as { done: number; total: number; stored: { aggregate: number; tls: number; failure: number }; duplicates: number };
  const reports = d.stored.aggregate + d.stored.tls + d.stored.failure;
  emitError(ctx, appError('cancelled', `Stopped after ${d.done} of ${d.total} messages (${reports} reports stored, ${d.duplicates} already there); they are moved or marked, so running the same command again reads only the rest.`, { detail: d }));
  return ExitCode.failed;
}

/** `mailroom reports ingest --connection C [--mailbox M] [--folder F] [--after processed|flag] [--processed-folder P]`. */
export async function ingestMailboxCommand(rest: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parse(rest, { connection: { type: 'string' }, mailbox: { type: 'string' }, folder: { type: 'string' }, after: { type: 'string' }, 'processed-folder': { type: 'string' }, 'keep-raw': { type: 'boolean' } }, false);
  const after = values.after ?? 'processed';
  if (after !== 'processed' && after !== 'flag') throw new UsageError(`--after is "processed" (move to a folder) or "flag" (mark with a keyword), not "${after}".`);
  if (after === 'flag' && values['processed-folder']) throw new UsageError('--processed-folder goes with --after processed.');
  const off = ctx.services().events.on('reports.ingestProgress', (p) => {
    if (!ctx.json && p.total > 0) ctx.io.stderr.write(`\r${p.done} of ${p.total} messages read`);
  });
  // Ctrl+C stops after the message being read; what was stored is moved or marked first (a second Ctrl+C kills).
  const runId = `cli-reports-${randomUUID()}`;
  const stop = (): void => void ctx.api.reports.cancelIngest(runId);
  process.once('SIGINT', stop);
  let run;
  try {
    run = await ctx.api.reports.ingestMailbox({
      runId,
      connection: values.connection!,
      after,
      ...(values.mailbox ? { mailbox: values.mailbox } : {}),
      ...(values.folder ? { folder: values.folder } : {}),
      ...(values['processed-folder'] ? { processedFolder: values['processed-folder'] } : {}),
      ...(values['keep-raw'] ? { keepRaw: true } : {}),
    });
  } finally {
    process.off('SIGINT', stop);
    off();
  }
  if (!ctx.json) ctx.io.stderr.write('\n');
  if (!run.ok && run.error.code === 'cancelled') return stopped(ctx, run.error);
  if (!run.ok) return failed(ctx, run.error);
  const r: MailboxIngestResult = run.value;
  emit(ctx, r, () => {
    const s = r.stored;
    const where = r.after === 'processed' ? `moved to "${r.processedFolder}"` : r.mailbox ? 'marked "Mailroom report stored"' : 'marked $MailroomReportStored';
    const lines = [
      `${r.messages} new messages in ${r.connection}:${r.mailbox ? `${r.mailbox}/` : ''}${r.folder}: stored ${s.aggregate} aggregate, ${s.tls} TLS and ${s.failure} failure reports; ${r.duplicates} were already stored; ${r.handled} messages ${where}.`,
    ];
    const mark = r.mailbox ? '"Mailroom report error"' : '$MailroomReportError';
    for (const u of r.unreadable) lines.push(`not read (left in place, marked ${mark}): ${u.id ?? `UID ${u.uid}`} ${u.subject ?? ''}: ${u.reason}`);
    for (const e of r.errors) if (e.reason.endsWith('(left for the next run)')) lines.push(`not read now: ${e.source}: ${e.reason}`);
    return lines.join('\n');
  });
  // A message left for the next run (throttled) is an error line without being unreadable: still exit 1.
  return r.unreadable.length === 0 && r.errors.length === 0 ? ExitCode.ok : ExitCode.failed;
}

/** `mailroom reports verdict --domain D [--json]`: ready for p=reject? */
export async function verdictCommand(rest: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parse(rest, { domain: { type: 'string' } }, false);
  if (!values.domain) throw new UsageError('reports verdict needs --domain D.');
  const result = await ctx.api.reports.verdict({ domain: values.domain });
  if (!result.ok) return failed(ctx, result.error);
  const v = result.value;
  emit(ctx, v, () => {
    const rate = v.passRate === null ? 'no reports' : `${(v.passRate * 100).toFixed(1)}% of ${v.messages} messages passed DMARC`;
    const lines = [`${v.domain}: ${v.ready ? 'ready for p=reject' : 'not ready for p=reject'} (${rate} since ${v.since.slice(0, 10)}; published p=${v.published?.p ?? 'unknown'}).`];
    for (const reason of v.reasons) lines.push(`- ${reason}`);
    if (v.blockers.length) lines.push(table(['SOURCE IP', 'MESSAGES', 'CLASS', 'KNOWN SENDER'], v.blockers.map((b) => [b.sourceIp, String(b.messages), b.classification, b.knownSender ?? ''])));
    for (const b of v.blockers) lines.push(`  ${b.advice}`);
    lines.push(`${v.ready ? 'Publish' : 'When ready, publish'}: ${v.record.name}. 300 IN TXT ${v.record.zoneValue}`);
    return lines.join('\n');
  });
  return ExitCode.ok;
}
