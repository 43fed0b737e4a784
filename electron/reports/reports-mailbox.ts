import { randomUUID } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import type { ImapSettings } from '../../shared/domain/connection.ts';
import {
  DEFAULT_PROCESSED_FOLDER,
  ERROR_KEYWORD,
  STORED_KEYWORD,
  type MailboxIngestRequest,
  type MailboxIngestResult,
  type ReportsIngestProgress,
  type UnreadableMessage,
} from '../../shared/domain/reports-mailbox.ts';
import type { ReportError } from '../../shared/domain/reports.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { HttpLayerOptions } from '../backends/http/http-client.ts';
import type { ReportsService } from './reports-service.ts';

/** The slice of the connections service this needs: find a connection and read its secret. */
export interface SavedConnections {
  find(idOrName: string): { id: string; name: string; kind: string; settings: Record<string, unknown> } | null;
  secretOf(id: string): Promise<string | null>;
}

// Messages fetched per round trip: bounded memory, and at most one batch to redo after a crash.
const BATCH = 50;

/** Reads new report messages from a saved connection's folder (IMAP, Gmail label or Graph folder) into the cache, then moves or marks them. */
export class ReportsMailbox {
  private readonly reports: ReportsService;
  private readonly connections: SavedConnections;
  private readonly onProgress: (progress: ReportsIngestProgress) => void;
  private readonly http: HttpLayerOptions | undefined;
  private readonly runs = new Map<string, AbortController>();

  /** `http` tunes retries and TLS trust for the Gmail and Graph sources. */
  constructor(deps: { reports: ReportsService; connections: SavedConnections; onProgress?: (progress: ReportsIngestProgress) => void; http?: HttpLayerOptions }) {
    this.reports = deps.reports;
    this.connections = deps.connections;
    this.onProgress = deps.onProgress ?? (() => undefined);
    this.http = deps.http;
  }

  /**
   * One run: every message not yet stored or marked unreadable; stored ones moved (or marked) only after their reports are in.
   *
   * Cancelling (`cancel(runId)`) stops after the message being read: what was stored is moved or marked first, so the
   * next run neither loses nor doubles anything.
   */
  async ingest(request: MailboxIngestRequest): Promise<Result<MailboxIngestResult>> {
    const runId = request.runId ?? randomUUID();
    if (this.runs.has(runId)) return err('input.invalid', `A mailbox run with id ${runId} is already running.`);
    const controller = new AbortController();
    this.runs.set(runId, controller);
    try {
      return await this.run(request, controller.signal);
    } finally {
      this.runs.delete(runId);
    }
  }

  /** Stops a running mailbox run; true when a run with that id was running. */
  cancel(runId: string): Result<{ cancelled: boolean }> {
    const controller = this.runs.get(runId);
    controller?.abort();
    return ok({ cancelled: controller !== undefined });
  }

  private async run(request: MailboxIngestRequest, signal: AbortSignal): Promise<Result<MailboxIngestResult>> {
    const conn = this.connections.find(request.connection);
    if (!conn) return err('notFound', `No saved connection "${request.connection}".`);
    if (conn.kind !== 'imap' && conn.kind !== 'google' && conn.kind !== 'microsoft') {
      return err('backend.unsupported', `Connection "${conn.name}" is a ${conn.kind} connection; a reports mailbox is read over IMAP, the Gmail API or Microsoft Graph.`);
    }
    if (conn.kind !== 'imap') {
      const secret = await this.connections.secretOf(conn.id);
      if (secret === null) return err('vault.notFound', `The keychain holds no secret for "${conn.name}"; remove and add the connection again.`);
      const { ingestApiMailbox } = await import('./reports-api-mailbox.ts');
      return ingestApiMailbox({ reports: this.reports, onProgress: this.onProgress, ...(this.http ? { http: this.http } : {}) }, { name: conn.name, kind: conn.kind, settings: conn.settings }, secret, request, signal);
    }
    if (request.mailbox !== undefined) return err('input.invalid', 'An IMAP connection is one mailbox already; --mailbox goes with Google and Microsoft 365 connections.');
    const folder = request.folder ?? 'INBOX';
    const after = request.after ?? 'processed';
    const processedFolder = after === 'processed' ? (request.processedFolder ?? DEFAULT_PROCESSED_FOLDER) : null;
    if (processedFolder !== null && processedFolder.toLowerCase() === folder.toLowerCase()) {
      return err('input.invalid', `The processed folder cannot be the folder being read ("${folder}").`);
    }
    const password = await this.connections.secretOf(conn.id);
    if (password === null) return err('vault.notFound', `The keychain holds no password for "${conn.name}"; remove and add the connection again.`);
    // imapflow is loaded when a mailbox is read, not at start-up.
    const { ImapFlow: Client } = await import('imapflow');
    const { buildImapFlowOptions } = await import('../backends/imap/imap-options.ts');
    const { classifyImapError } = await import('../backends/imap/imap-errors.ts');
    const settings = conn.settings as unknown as ImapSettings;
    const client = new Client(buildImapFlowOptions(settings, { password }));
    // imapflow emits 'error' for socket failures after connect; without a listener Node would crash.
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (processedFolder !== null) await ensureFolder(client, processedFolder);
      const run = await this.readFolder(client, conn.name, folder, { after, processedFolder, keepRaw: request.keepRaw ?? false, signal });
      await client.logout();
      if (signal.aborted) return err('cancelled', 'The mailbox run was cancelled.', { detail: { done: run.handled + run.unreadable.length, total: run.messages, stored: run.stored, duplicates: run.duplicates } });
      return ok(run);
    } catch (error) {
      client.close();
      if (error instanceof MissingFolder) return err('notFound', error.message);
      return { ok: false, error: classifyImapError(error, `${settings.host}:${settings.port}`) };
    }
  }

  private async readFolder(
    client: ImapFlow,
    connection: string,
    folder: string,
    options: { after: 'processed' | 'flag'; processedFolder: string | null; keepRaw: boolean; signal: AbortSignal },
  ): Promise<MailboxIngestResult> {
    const stored = { aggregate: 0, tls: 0, failure: 0 };
    let duplicates = 0;
    let handled = 0;
    const errors: ReportError[] = [];
    const unreadable: UnreadableMessage[] = [];
    let lock;
    try {
      lock = await client.getMailboxLock(folder);
    } catch {
      throw new MissingFolder(`The folder "${folder}" does not exist on "${connection}".`);
    }
    try {
      const pending: number[] = [];
      const exists = client.mailbox === false ? 0 : client.mailbox.exists;
      if (exists > 0) for await (const m of client.fetch('1:*', { uid: true, flags: true })) {
        if (!m.flags?.has(ERROR_KEYWORD) && !m.flags?.has(STORED_KEYWORD)) pending.push(m.uid);
      }
      this.onProgress({ connection, done: 0, total: pending.length });
      for (let i = 0; i < pending.length && !options.signal.aborted; i += BATCH) {
        const uids = pending.slice(i, i + BATCH);
        const fetched: { uid: number; subject: string | null; source: Buffer }[] = [];
        for await (const m of client.fetch(uids.join(','), { uid: true, envelope: true, source: true }, { uid: true })) {
          if (m.source) fetched.push({ uid: m.uid, subject: m.envelope?.subject ?? null, source: m.source });
        }
        const done: number[] = [];
        const failed: number[] = [];
        for (const message of fetched) {
          if (options.signal.aborted) break;
          const result = await this.reports.ingest([{ name: `${connection}:${folder} UID ${message.uid}`, bytes: message.source }], { keepRaw: options.keepRaw });
          for (const kind of ['aggregate', 'tls', 'failure'] as const) stored[kind] += result.stored[kind];
          duplicates += result.duplicates;
          errors.push(...result.errors);
          if (result.errors.length === 0) done.push(message.uid);
          else {
            failed.push(message.uid);
            unreadable.push({ uid: message.uid, subject: message.subject, reason: result.errors.map((e) => e.reason).join('; ') });
          }
        }
        // Marked only after the reports are committed: a crash before this line re-reads them as duplicates.
        if (failed.length) await client.messageFlagsAdd(failed.join(','), [ERROR_KEYWORD], { uid: true });
        if (done.length) {
          if (options.processedFolder !== null) await client.messageMove(done.join(','), options.processedFolder, { uid: true });
          else await client.messageFlagsAdd(done.join(','), [STORED_KEYWORD], { uid: true });
          handled += done.length;
        }
        this.onProgress({ connection, done: options.signal.aborted ? i + done.length + failed.length : Math.min(i + BATCH, pending.length), total: pending.length });
      }
      return { stored, duplicates, errors, sources: pending.length, connection, folder, after: options.after, processedFolder: options.processedFolder, messages: pending.length, handled, unreadable };
    } finally {
      lock.release();
    }
  }
}

class MissingFolder extends Error {}

async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const folders = await client.list();
  if (folders.some((f) => f.path.toLowerCase() === path.toLowerCase())) return;
  await client.mailboxCreate(path);
}
