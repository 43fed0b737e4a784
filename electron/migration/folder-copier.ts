import type { ListedFolder } from './raw-listing.ts';
import { classifyImapError } from '../backends/imap/imap-errors.ts';
import type { AppendItem } from './append-connection.ts';
import type { FetchConnection } from './fetch-connection.ts';
import type { FetchedBody } from '../imap/fetch-parse.ts';
import { releaseLiteral } from '../imap/response-reader.ts';
import { filterFlags } from './flags.ts';
import type { FolderMapping } from './folder-map.ts';
import { isProvisionalKey, keyFromBody } from './message-key.ts';
import { fetchMetaRaw, uidChunks, uidSet } from './message-meta.ts';
import { reconcileFolder } from './folder-reconcile.ts';
import { scanNew } from './folder-scan.ts';
import type { MessageRef, MessageRow } from './state-store.ts';
import { unchangedSince } from './folder-status.ts';
import { sleep, StallGuard, untilAborted } from './copy-deadlines.ts';
import { sha1Hex } from './content-diff.ts';
import type { CopyContext } from './copy-context.ts';

export type { CopyContext } from './copy-context.ts';

interface Batch {
  readonly refs: (MessageRef & { readonly key: string; readonly contentSha1: string })[];
  readonly items: AppendItem[];
  bytes: number;
}

// MULTIAPPEND batch bound: 50 messages a command was the sweet spot measured on Dovecot (issue 5).
// Batch bytes, bodies in flight and read-ahead come from the run's memory bound (memory-budget.ts).
const BATCH_MESSAGES = 50;
const MAX_ROUNDS = 6;

/**
 * Copies one folder: metadata pass → new rows (pending) → reconcile with what the target already
 * has → body pass feeding MULTIAPPEND batches, each written ahead as 'appending' → settle from the
 * tagged answer. Uncertain batches (connection dropped before the answer) are re-checked against
 * the target by message key before anything is appended again, so nothing is duplicated or lost.
 */
export class FolderCopier {
  private readonly ctx: CopyContext;
  private readonly mapping: FolderMapping;
  private readonly listed: ListedFolder;
  private readonly targetPath: string;
  private uidValidity = 0;
  private permanentFlags: ReadonlySet<string> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private batchSeq = 0;
  private fetcher: FetchConnection | null = null;
  private readonly stalls = new StallGuard();

  constructor(ctx: CopyContext, mapping: FolderMapping, listed: ListedFolder) {
    this.ctx = ctx;
    this.mapping = mapping;
    this.listed = listed;
    this.targetPath = mapping.targetPath!;
  }

  /** Runs the folder to completion or until rounds are exhausted; never throws for a dropped connection. */
  async run(): Promise<void> {
    const { store } = this.ctx;
    const status = this.listed.status;
    if (unchangedSince(store, this.mapping.sourcePath, status)) {
      // Nothing new since the last complete pass (RFC 3501: same UIDVALIDITY and UIDNEXT).
      this.ctx.counters.skipped += status?.messages ?? 0;
      this.ctx.unchanged.add(this.mapping.sourcePath);
      this.ctx.report(this.mapping.sourcePath);
      return;
    }
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      let failure: unknown = null;
      try {
        if (await this.pass()) return;
      } catch (error) {
        if (this.ctx.signal?.aborted) throw error;
        failure = error;
      }
      await this.stalls.endRound(this.mapping.sourcePath, failure, () => this.settleAll());
      if (failure !== null) {
        if (!classifyImapError(failure, 'copy').retryable || round === MAX_ROUNDS) throw failure;
        await this.settleAll();
        await sleep(200 * round);
      }
    }
  }

  // One pass on a borrowed source connection; true when the folder has nothing left to settle.
  private async pass(): Promise<boolean> {
    const fetcher = await this.ctx.borrowFetcher();
    try {
      return await this.passWith(fetcher);
    } finally {
      this.ctx.returnFetcher(fetcher);
    }
  }

  private async passWith(fetcher: FetchConnection): Promise<boolean> {
    const { store } = this.ctx;
    const path = this.mapping.sourcePath;
    this.fetcher = fetcher;
    // In a frame of its own (folder-scan.ts): the scan's first window is not held through the copy.
    const { box, unknownOnTarget } = await scanNew(this.ctx, fetcher, { mapping: this.mapping, listed: this.listed, targetPath: this.targetPath });
    this.uidValidity = box.uidValidity;
    // Counted in SQLite; reconciled (uncertain batches, or a target holding messages this job did not
    // put there) and copied a UID window at a time.
    if (store.countIn(path, 'appending') > 0 || unknownOnTarget) await this.reconcile();
    if (this.ctx.gmail) this.dropCrossLabelDuplicates();
    if (store.countIn(path, 'pending') > 0) {
      if (!this.ctx.dryRun) this.permanentFlags = this.ctx.permanentFlags.has(this.targetPath) ? this.ctx.permanentFlags.get(this.targetPath) : await this.loadPermanentFlags();
      for (let after = (store.firstPending(path, this.uidValidity) ?? 1) - 1; ; ) {
        const rows = store.pendingAfter(path, this.uidValidity, after, this.ctx.budget.uidWindow);
        if (rows.length === 0) break;
        after = rows.at(-1)!.uid;
        const todo = this.refuseOversize(rows);
        if (!this.ctx.dryRun) await this.copyBodies(todo);
      }
      if (!this.ctx.dryRun) {
        await this.settleAll();
        if (store.countIn(path, 'appending') > 0) await this.reconcile();
      }
    }
    const states = store.folderStates(path);
    const done = states.pending + states.appending === 0 || this.ctx.dryRun;
    store.saveFolder({
      sourcePath: path,
      targetPath: this.targetPath,
      specialUse: this.mapping.specialUse,
      uidValidity: this.uidValidity,
      uidNext: box.uidNext,
      messages: box.exists,
      status: done && !this.ctx.dryRun ? 'done' : 'partial',
      lastError: null,
    });
    if (done) this.ctx.counters.skipped += states.skipped + states.done - this.copiedNow;
    this.ctx.report(path);
    return done;
  }

  // Rows this run settled 'done' (a count: a set of their UIDs would grow with the folder).
  private copiedNow = 0;

  // Reconciles the folder a UID window at a time (folder-reconcile.ts).
  private async reconcile(): Promise<void> {
    const landed = await reconcileFolder(this.ctx, { sourcePath: this.mapping.sourcePath, uidValidity: this.uidValidity, targetPath: this.targetPath, source: () => this.source() });
    this.copiedNow += landed;
    this.ctx.counters.copied += landed;
  }

  // Gmail: a pending message another label folder already holds (or will copy) is skipped; a UID window at a time.
  private dropCrossLabelDuplicates(): void {
    const { store } = this.ctx;
    for (let after = 0; ; ) {
      const rows = store.pendingAfter(this.mapping.sourcePath, this.uidValidity, after, this.ctx.budget.uidWindow);
      if (rows.length === 0) return;
      after = rows.at(-1)!.uid;
      const dup = rows.filter((r) => store.keySeenElsewhere(r.key, r.sourcePath));
      if (dup.length > 0) store.settle(dup, 'skipped', null, null);
    }
  }

  // Fails the window's rows over the target's size limit; returns the others.
  private refuseOversize(rows: readonly MessageRow[]): MessageRow[] {
    const limit = this.ctx.appendLimit;
    return rows.filter((r) => {
      if (!limit || r.size <= limit) return true;
      this.ctx.store.fail(r, 'imap.tooLarge', `${r.size} bytes is over the target's limit of ${limit} bytes; not copied, still on the source`);
      this.ctx.counters.failed++;
      return false;
    });
  }

  private async loadPermanentFlags(): Promise<ReadonlySet<string> | undefined> {
    const target = await this.ctx.target();
    const lock = await target.getMailboxLock(this.targetPath);
    try {
      const box = target.mailbox;
      return box ? box.permanentFlags : undefined;
    } finally {
      lock.release();
    }
  }

  private async copyBodies(todo: readonly MessageRow[]): Promise<void> {
    const byUid = new Map(todo.map((r) => [r.uid, r]));
    // Every body yielded counts in the run's budget until its upload ends or it is dropped here; a batch leaves
    // this loop's hands before it is sent (dispatch gives its bytes back itself).
    let batch: Batch = { refs: [], items: [], bytes: 0 };
    const flush = async (): Promise<void> => {
      const full = batch;
      batch = { refs: [], items: [], bytes: 0 };
      if (full.items.length > 0) await this.dispatch(full);
    };
    const dropped = new Set<string>();
    const deferred: MessageRow[] = [];
    try {
      for (const set of uidChunks(todo.map((r) => r.uid), 5000)) {
        // Paused or cancelled in an earlier chunk: its stream was left early and the connection is spent.
        if (this.ctx.signal?.aborted) break;
        for await (const m of this.bodies(set)) {
          // Held by the budget: a batch half full goes now rather than wait (many small APPENDs cost more a message).
          if (m === null) {
            if (batch.items.length >= BATCH_MESSAGES / 2 || batch.bytes >= this.ctx.budget.batchBytes / 2) await flush();
            continue;
          }
          // Pause or cancel: stop reading; what is already in flight settles, the rest stays pending.
          if (this.ctx.signal?.aborted) {
            this.ctx.bodies.release(m.content.length);
            break;
          }
          const row = byUid.get(m.uid);
          if (!row) {
            this.ctx.bodies.release(m.content.length);
            continue;
          }
          byUid.delete(m.uid);
          const key = isProvisionalKey(row.key) ? keyFromBody(m.content, row.internalDate, row.size) : row.key;
          if (key === null) {
            this.ctx.bodies.release(m.content.length);
            deferred.push(row);
            continue;
          }
          const flags = filterFlags(m.flags, this.permanentFlags);
          for (const f of flags.dropped) dropped.add(f);
          const date = m.internalDate ?? new Date(row.internalDate ?? Date.now());
          const item: AppendItem = { content: m.content, flags: flags.kept, internalDate: date };
          // Verification by content: the hash of the very bytes appended, written ahead with the intent.
          const ref = { ...row, key, contentSha1: sha1Hex(m.content) };
          // The body in hand is in no batch yet: if sending the full batch fails, its bytes come back here.
          if (batch.items.length >= BATCH_MESSAGES || batch.bytes + item.content.length > this.ctx.budget.batchBytes) await flush().catch((e: unknown) => (this.ctx.bodies.release(item.content.length), Promise.reject(e)));
          batch.refs.push(ref);
          batch.items.push(item);
          batch.bytes += item.content.length;
        }
      }
      if (this.ctx.signal?.aborted) {
        await this.settleAll();
        throw new Error('aborted');
      }
      await flush();
    } finally {
      // Not sent (cancelled, or the source dropped mid-stream): its rows stay pending and its bytes come back.
      this.ctx.bodies.release(batch.bytes);
    }
    if (deferred.length > 0) {
      const keys = new Map((await fetchMetaRaw(this.source(), uidSet(deferred.map((r) => r.uid)), 0, true)).map((x) => [x.uid, x.key]));
      const keyed = deferred.filter((r) => keys.has(r.uid)).map((r) => ({ ...r, key: keys.get(r.uid)! }));
      this.ctx.store.setKeys(keyed);
      if (keyed.length > 0) await this.copyBodies(keyed);
    }
    if (dropped.size > 0) this.ctx.warnings.push(`${this.mapping.sourcePath}: flags the target refuses were dropped: ${[...dropped].join(' ')}`);
    // Rows the source no longer returns were expunged there after listing: nothing to copy.
    const gone = [...byUid.values()];
    if (gone.length > 0) {
      this.ctx.store.settle(gone, 'skipped', null, null);
      this.ctx.warnings.push(`${this.mapping.sourcePath}: ${gone.length} message(s) vanished from the source during the run`);
    }
  }

  // Sends a batch whose bytes the budget already counts (a held batch costs nothing more on the wire); its
  // bytes come back when the upload ends, or at once when it is not sent.
  private async dispatch(batch: Batch): Promise<void> {
    const budget = this.ctx.bodies;
    // Paused or cancelled (uploads end within the stall time or the abort's grace): the batch stays pending.
    if (this.ctx.signal?.aborted) return budget.release(batch.bytes);
    try {
      // Write-ahead: the intent (with the message's identity key) is committed, and made durable where the state is shared, before a byte of the APPEND leaves the process.
      this.ctx.store.setState(batch.refs, 'appending', ++this.batchSeq, true);
      await this.ctx.durable();
    } catch (error) {
      budget.release(batch.bytes);
      throw error;
    }
    if (this.ctx.signal?.aborted) {
      budget.release(batch.bytes);
      return this.ctx.store.setState(batch.refs, 'pending');
    }
    budget.startUpload();
    const task = this.send(batch.refs, batch.items, 0).finally(() => {
      budget.endUpload(batch.bytes);
      this.inFlight.delete(task);
    });
    this.inFlight.add(task);
    // Observed by settleAll; this keeps a failure from counting as unhandled before then.
    task.catch(() => undefined);
  }

  private async send(refs: MessageRef[], items: AppendItem[], attempt: number): Promise<void> {
    const { store, counters } = this.ctx;
    const groups = await this.ctx.pool.submit(this.targetPath, items);
    let at = 0;
    for (const { count, outcome } of groups) {
      const r = refs.slice(at, at + count);
      const it = items.slice(at, at + count);
      at += count;
      if (outcome.ok) {
        store.settle(r, 'done', outcome.uidValidity, outcome.uids);
        this.copiedNow += r.length;
        counters.copied += count;
        counters.bytes += it.reduce((n, i) => n + i.content.length, 0);
        // Answered OK, so every byte was sent: the bodies are freed now rather than at the next full GC.
        for (const i of it) releaseLiteral(i.content);
        this.ctx.report(this.mapping.sourcePath);
        continue;
      }
      // Dropped before the answer: outcome unknown; rows stay 'appending' until reconciled.
      if (outcome.dropped) {
        this.stalls.noteUpload(outcome.error);
        continue;
      }
      const error = outcome.error;
      if (error.code === 'imap.throttled' && attempt < 8) {
        await sleep(Math.min(error.retryAfterMs ?? 5_000, 300_000), this.ctx.signal);
        // Paused or cancelled while waiting: the target refused these, so they are simply not copied yet.
        if (this.ctx.signal?.aborted) store.setState(r, 'pending');
        else await this.send(r, it, attempt + 1);
      } else if (outcome.responseCode === 'TRYCREATE' && attempt < 2) {
        await (await this.ctx.target()).mailboxCreate(this.targetPath).catch(() => undefined);
        await this.send(r, it, attempt + 1);
      } else if (count > 1) {
        // MULTIAPPEND is atomic (RFC 3502): nothing landed; find the culprit one message at a time.
        await Promise.all(r.map((x, i) => this.send([x], [it[i]!], attempt)));
      } else {
        store.fail(r[0]!, error.code, error.message);
        counters.failed++;
      }
    }
  }

  // The body stream of a UID set on this pass's source connection (already examined).
  // null: the budget holds the stream and nothing is queued (fetch-connection.ts gatedBodies).
  private bodies(set: string): AsyncGenerator<FetchedBody | null> {
    return untilAborted(this.source().gatedBodies(set, this.ctx.budget.readAheadBytes, this.ctx.bodies), this.ctx.signal);
  }

  // This pass's source connection; spent (and replaced next pass) if a body stream was left early.
  private source(): FetchConnection {
    if (!this.fetcher?.alive) throw Object.assign(new Error('the source connection closed'), { code: 'ECONNRESET' });
    return this.fetcher;
  }

  private async settleAll(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

