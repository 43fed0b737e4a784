import { DEFAULT_PROCESSED_FOLDER, type MailboxIngestRequest, type MailboxIngestResult, type ReportsIngestProgress, type UnreadableMessage } from '../../shared/domain/reports-mailbox.ts';
import type { ReportError } from '../../shared/domain/reports.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { HttpLayerOptions } from '../backends/http/http-client.ts';
import type { ReportMailSource } from '../backends/report-mail-source.ts';
import type { ReportsService } from './reports-service.ts';

/** A saved Google Workspace or Microsoft 365 connection, as the reports mailbox needs it. */
export interface ApiConnection {
  readonly name: string;
  readonly kind: 'google' | 'microsoft';
  readonly settings: Readonly<Record<string, unknown>>;
}

// Messages read between two rounds of marking: at most one batch is re-read (as duplicates) after a crash.
const BATCH = 50;

const subjectOf = (raw: Buffer): string | null => /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(raw.subarray(0, 16_384).toString('latin1'))?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? null;

/**
 * Reads new report messages from a Gmail label or a Microsoft 365 folder into the cache, then moves or marks them.
 *
 * When `signal` aborts, the run stops after the message being read (an aborted download stores nothing), moves or
 * marks what it stored, and answers `cancelled`: the next run neither loses nor doubles anything.
 */
export async function ingestApiMailbox(
  deps: { reports: ReportsService; onProgress: (p: ReportsIngestProgress) => void; http?: HttpLayerOptions },
  conn: ApiConnection,
  secret: string,
  request: MailboxIngestRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<Result<MailboxIngestResult>> {
  const mailbox = request.mailbox ?? (conn.kind === 'google' ? (conn.settings['adminEmail'] as string | undefined) : undefined);
  if (!mailbox) return err('input.invalid', `Connection "${conn.name}" is a Microsoft 365 connection: name the mailbox that receives the reports (--mailbox ADDRESS).`);
  const folder = request.folder ?? (conn.kind === 'google' ? 'INBOX' : 'inbox');
  const after = request.after ?? 'processed';
  const processedFolder = after === 'processed' ? (request.processedFolder ?? DEFAULT_PROCESSED_FOLDER) : null;
  const { openReportMailSource } = await import('../backends/report-mail-source.ts');
  const opened = await openReportMailSource(conn.kind, conn.settings, secret, { mailbox, folder, processedFolder }, deps.http ?? {});
  if (!opened.ok) return opened;
  const source: ReportMailSource = opened.value;
  const pending: string[] = [];
  const stored = { aggregate: 0, tls: 0, failure: 0 };
  let duplicates = 0;
  const cancelled = (done: number): Result<never> =>
    err('cancelled', 'The mailbox run was cancelled.', { detail: { done, total: pending.length, stored, duplicates } });
  for await (const ref of source.pending(signal)) {
    if (signal.aborted) break;
    if (!ref.ok) return ref;
    pending.push(ref.value.id);
  }
  const where = `${conn.name}:${mailbox}/${folder}`;
  let handled = 0;
  const errors: ReportError[] = [];
  const unreadable: UnreadableMessage[] = [];
  if (signal.aborted) return cancelled(0);
  deps.onProgress({ connection: conn.name, done: 0, total: pending.length });
  for (let i = 0; i < pending.length && !signal.aborted; i += BATCH) {
    const done: string[] = [];
    const failed: string[] = [];
    for (const id of pending.slice(i, i + BATCH)) {
      if (signal.aborted) break;
      const raw = await source.raw(id, signal);
      // Cancelled while downloading: the message was not read, so it is neither stored nor marked.
      if (signal.aborted) break;
      if (!raw.ok && raw.error.retryable) {
        // Throttled past the retry budget or a passing outage: not the message's fault, so it is not marked and the next run reads it.
        errors.push({ source: `${where} message ${id}`, reason: `${raw.error.message} (left for the next run)` });
        continue;
      }
      // A message the platform will not hand out is one error line, like an unreadable report.
      const result = raw.ok
        ? await deps.reports.ingest([{ name: `${where} message ${id}`, bytes: raw.value }], { keepRaw: request.keepRaw ?? false })
        : { stored: { aggregate: 0, tls: 0, failure: 0 }, duplicates: 0, errors: [{ source: `${where} message ${id}`, reason: raw.error.message }], sources: 1 };
      for (const kind of ['aggregate', 'tls', 'failure'] as const) stored[kind] += result.stored[kind];
      duplicates += result.duplicates;
      errors.push(...result.errors);
      if (result.errors.length === 0) done.push(id);
      else {
        failed.push(id);
        unreadable.push({ id, subject: raw.ok ? subjectOf(raw.value) : null, reason: result.errors.map((e) => e.reason).join('; ') });
      }
    }
    // Marked only after the reports are committed: a crash before this re-reads them as duplicates.
    if (failed.length) {
      const marked = await source.markUnreadable(failed);
      if (!marked.ok) return marked;
    }
    if (done.length) {
      const marked = await source.markStored(done);
      if (!marked.ok) return marked;
      handled += done.length;
    }
    deps.onProgress({ connection: conn.name, done: signal.aborted ? i + done.length + failed.length : Math.min(i + BATCH, pending.length), total: pending.length });
  }
  if (signal.aborted) return cancelled(handled + unreadable.length);
  return ok({ stored, duplicates, errors, sources: pending.length, connection: conn.name, folder, after, processedFolder, messages: pending.length, handled, unreadable, mailbox });
}
