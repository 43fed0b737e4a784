import type { ImapFlow, ListResponse } from 'imapflow';
import { classifyImapError } from '../backends/imap/imap-errors.ts';
import type { AppendItem } from './append-connection.ts';
import { filterFlags } from './flags.ts';
import type { FolderMapping } from './folder-map.ts';
import { KeyCounts } from './message-key.ts';
import { fetchFolderKeys, fetchMeta, uidChunks } from './message-meta.ts';
import type { MessageRef, MessageRow, StateStore } from './state-store.ts';
import type { TargetPool } from './target-pool.ts';

/** Shared by every folder of a run. */
export interface CopyContext {
  readonly store: StateStore;
  readonly pool: TargetPool;
  /** imapflow client on the target for STATUS, SELECT and reconciliation reads (re-opened when dropped). */
  readonly target: () => Promise<ImapFlow>;
  readonly dryRun: boolean;
  readonly appendLimit: number | null;
  readonly counters: { copied: number; skipped: number; failed: number; bytes: number; total: number };
  readonly warnings: string[];
  readonly signal: AbortSignal | undefined;
  readonly gmail: boolean;
  /** Opens a fresh source connection after one dropped. */
  readonly reopenSource: () => Promise<ImapFlow>;
  report(folder: string): void;
}

interface Batch {
  readonly refs: MessageRef[];
  readonly items: AppendItem[];
  bytes: number;
}

// MULTIAPPEND batch bounds: 50 messages a command was the sweet spot measured on Dovecot (issue 5).
const BATCH_MESSAGES = 50;
const BATCH_BYTES = 2 * 1024 * 1024;
// Bodies held in memory between FETCH and the server's answer to APPEND; keeps memory flat.
const IN_FLIGHT_BYTES = 48 * 1024 * 1024;
const MAX_ROUNDS = 6;

/**
 * Copies one folder: metadata pass → new rows (pending) → reconcile with what the target already
 * has → body pass feeding MULTIAPPEND batches, each written ahead as 'appending' → settle from the
 * tagged answer. Uncertain batches (connection dropped before the answer) are re-checked against
 * the target by message key before anything is appended again, so nothing is duplicated or lost.
 */
export class FolderCopier {
  private readonly ctx: CopyContext;
  private source: ImapFlow;
  private readonly mapping: FolderMapping;
  private readonly listed: ListResponse;
  private readonly targetPath: string;
  private uidValidity = 0;
  private permanentFlags: ReadonlySet<string> | undefined;
  private inFlightBytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly drained: (() => void)[] = [];
  private batchSeq = 0;

  constructor(ctx: CopyContext, source: ImapFlow, mapping: FolderMapping, listed: ListResponse) {
    this.ctx = ctx;
    this.source = source;
    this.mapping = mapping;
    this.listed = listed;
    this.targetPath = mapping.targetPath!;
  }

  /** The source client in use at the end (it may have been replaced after a drop). */
  get client(): ImapFlow {
    return this.source;
  }

  /** Runs the folder to completion or until rounds are exhausted; never throws for a dropped connection. */
  async run(): Promise<void> {
    const { store } = this.ctx;
    const status = this.listed.status;
    const prev = store.folder(this.mapping.sourcePath);
    if (
      prev &&
      status?.uidValidity !== undefined &&
      prev.uidValidity === Number(status.uidValidity) &&
      prev.uidNext === status.uidNext &&
      prev.messages === status.messages &&
      prev.status === 'done' &&
      store.openCount(this.mapping.sourcePath) === 0
    ) {
      // Nothing new since the last complete pass (RFC 3501: same UIDVALIDITY and UIDNEXT).
      this.ctx.counters.skipped += status.messages ?? 0;
      this.ctx.report(this.mapping.sourcePath);
      return;
    }
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      try {
        if (await this.pass()) return;
      } catch (error) {
        if (this.ctx.signal?.aborted) throw error;
        if (!classifyImapError(error, 'copy').retryable || round === MAX_ROUNDS) throw error;
        await this.settleAll();
        await sleep(200 * round);
        this.source.close();
        this.source = await this.ctx.reopenSource();
      }
    }
  }

  // One pass; true when the folder has nothing left to settle.
  private async pass(): Promise<boolean> {
    const { store } = this.ctx;
    const path = this.mapping.sourcePath;
    const box = await this.source.mailboxOpen(path, { readOnly: true });
    this.uidValidity = Number(box.uidValidity);
    const dropped = store.dropStaleUidValidity(path, this.uidValidity);
    if (dropped > 0) this.ctx.warnings.push(`${path}: UIDVALIDITY changed; ${dropped} old state rows re-checked by content`);
    const known = store.maxUid(path, this.uidValidity);
    if (box.exists > 0 && box.uidNext - 1 > known) {
      const metas = await fetchMeta(this.source, `${known + 1}:*`, known);
      store.insertPending(
        metas.map((m) => ({
          sourcePath: path,
          uidValidity: this.uidValidity,
          uid: m.uid,
          key: m.key,
          size: m.size,
          internalDate: m.internalDate?.getTime() ?? null,
          targetPath: this.targetPath,
        })),
      );
    }
    let rows = store.rows(path, this.uidValidity);
    if (rows.some((r) => r.state === 'appending') || (await this.targetHasUnknown())) {
      await this.reconcile(rows);
      rows = store.rows(path, this.uidValidity);
    }
    if (this.ctx.gmail) rows = this.dropCrossLabelDuplicates(rows);
    rows = this.refuseOversize(rows);
    const todo = rows.filter((r) => r.state === 'pending');
    if (todo.length > 0 && !this.ctx.dryRun) {
      await this.loadPermanentFlags();
      await this.copyBodies(todo);
      await this.settleAll();
      rows = store.rows(path, this.uidValidity);
      if (rows.some((r) => r.state === 'appending')) {
        await this.reconcile(rows);
        rows = store.rows(path, this.uidValidity);
      }
    }
    const open = rows.filter((r) => r.state === 'pending' || r.state === 'appending').length;
    const done = open === 0 || this.ctx.dryRun;
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
    if (done) this.ctx.counters.skipped += rows.filter((r) => r.state === 'skipped' || (r.state === 'done' && !this.copiedNow.has(r.uid))).length;
    this.ctx.report(path);
    return done;
  }

  private readonly copiedNow = new Set<number>();

  private async targetHasUnknown(): Promise<boolean> {
    const st = await (await this.ctx.target()).status(this.targetPath, { messages: true }).catch((e: { responseStatus?: string }) => {
      // NO: the folder does not exist yet (dry run); anything else (a drop) must not pass as "empty".
      if (e?.responseStatus === 'NO') return false as const;
      throw e;
    });
    return st !== false && (st.messages ?? 0) > this.ctx.store.landedCount(this.targetPath);
  }

  /**
   * Settles uncertain ('appending') and not-yet-copied ('pending') rows against the target's
   * content: a target message whose key no landed row claims is this row's copy.
   */
  private async reconcile(rows: readonly MessageRow[]): Promise<void> {
    const { store } = this.ctx;
    const onTarget = new KeyCounts();
    for (const m of await fetchFolderKeys(await this.ctx.target(), this.targetPath)) onTarget.add(m.key);
    for (const [key, n] of store.landedKeys(this.targetPath)) onTarget.add(key, -n);
    const uncertain = rows.filter((r) => r.state === 'appending');
    const pending = rows.filter((r) => r.state === 'pending');
    const landed = uncertain.filter((r) => onTarget.take(r.key));
    const lost = uncertain.filter((r) => !landed.includes(r));
    const present = pending.filter((r) => onTarget.take(r.key));
    store.settle(landed, 'done', null, null);
    store.setState(lost, 'pending');
    store.settle(present, 'skipped', null, null);
    for (const r of landed) this.copiedNow.add(r.uid);
    this.ctx.counters.copied += landed.length;
  }

  private dropCrossLabelDuplicates(rows: MessageRow[]): MessageRow[] {
    const dup = rows.filter((r) => r.state === 'pending' && this.ctx.store.keySeenElsewhere(r.key, r.sourcePath));
    if (dup.length === 0) return rows;
    this.ctx.store.settle(dup, 'skipped', null, null);
    return this.ctx.store.rows(this.mapping.sourcePath, this.uidValidity);
  }

  private refuseOversize(rows: MessageRow[]): MessageRow[] {
    const limit = this.ctx.appendLimit;
    if (!limit) return rows;
    const big = rows.filter((r) => r.state === 'pending' && r.size > limit);
    for (const r of big) {
      this.ctx.store.fail(r, 'imap.tooLarge', `${r.size} bytes is over the target's limit of ${limit} bytes; not copied, still on the source`);
      this.ctx.counters.failed++;
    }
    return big.length ? this.ctx.store.rows(this.mapping.sourcePath, this.uidValidity) : rows;
  }

  private async loadPermanentFlags(): Promise<void> {
    const target = await this.ctx.target();
    const lock = await target.getMailboxLock(this.targetPath);
    try {
      const box = target.mailbox;
      this.permanentFlags = box ? box.permanentFlags : undefined;
    } finally {
      lock.release();
    }
  }

  private async copyBodies(todo: readonly MessageRow[]): Promise<void> {
    const byUid = new Map(todo.map((r) => [r.uid, r]));
    let batch: Batch = { refs: [], items: [], bytes: 0 };
    const dropped = new Set<string>();
    for (const set of uidChunks(todo.map((r) => r.uid), 5000)) {
      for await (const m of this.source.fetch(set, { uid: true, source: true, flags: true, internalDate: true }, { uid: true })) {
        const row = byUid.get(m.uid);
        if (!row || !m.source) continue;
        byUid.delete(m.uid);
        const flags = filterFlags(m.flags ?? [], this.permanentFlags);
        for (const f of flags.dropped) dropped.add(f);
        const date = m.internalDate ? new Date(m.internalDate) : new Date(row.internalDate ?? Date.now());
        const item: AppendItem = { content: m.source, flags: flags.kept, internalDate: date };
        if (batch.items.length > 0 && (batch.items.length >= BATCH_MESSAGES || batch.bytes + item.content.length > BATCH_BYTES)) {
          await this.dispatch(batch);
          batch = { refs: [], items: [], bytes: 0 };
        }
        batch.refs.push(row);
        batch.items.push(item);
        batch.bytes += item.content.length;
      }
    }
    if (batch.items.length > 0) await this.dispatch(batch);
    if (dropped.size > 0) this.ctx.warnings.push(`${this.mapping.sourcePath}: flags the target refuses were dropped: ${[...dropped].join(' ')}`);
    // Rows the source no longer returns were expunged there after listing: nothing to copy.
    const gone = [...byUid.values()];
    if (gone.length > 0) {
      this.ctx.store.settle(gone, 'skipped', null, null);
      this.ctx.warnings.push(`${this.mapping.sourcePath}: ${gone.length} message(s) vanished from the source during the run`);
    }
  }

  private async dispatch(batch: Batch): Promise<void> {
    while (this.inFlightBytes > IN_FLIGHT_BYTES && this.inFlight.size > 0) await new Promise<void>((r) => this.drained.push(r));
    // Write-ahead: the intent is committed before a byte of the APPEND leaves the process.
    this.ctx.store.setState(batch.refs, 'appending', ++this.batchSeq);
    this.inFlightBytes += batch.bytes;
    const task = this.send(batch.refs, batch.items, 0).finally(() => {
      this.inFlightBytes -= batch.bytes;
      this.inFlight.delete(task);
      this.drained.shift()?.();
    });
    this.inFlight.add(task);
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
        for (const x of r) this.copiedNow.add(x.uid);
        counters.copied += count;
        counters.bytes += it.reduce((n, i) => n + i.content.length, 0);
        continue;
      }
      // Dropped before the answer: outcome unknown; rows stay 'appending' until reconciled.
      if (outcome.dropped) continue;
      const error = outcome.error;
      if (error.code === 'imap.throttled' && attempt < 8) {
        await sleep(Math.min(error.retryAfterMs ?? 5_000, 300_000));
        await this.send(r, it, attempt + 1);
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

  private async settleAll(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
