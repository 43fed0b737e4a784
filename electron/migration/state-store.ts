import type { Db } from '../db/database.ts';
import type { FolderMapping } from './folder-map.ts';
import { ModseqState } from './modseq-state.ts';

/** Lifecycle of one source message: pending → appending (intent recorded) → done | failed; skipped = already on the target. */
export type MessageState = 'pending' | 'appending' | 'done' | 'skipped' | 'failed';

/** One message row of the write-ahead state. */
export interface MessageRow {
  readonly sourcePath: string;
  readonly uidValidity: number;
  readonly uid: number;
  readonly key: string;
  readonly size: number;
  readonly internalDate: number | null;
  readonly state: MessageState;
  readonly targetPath: string;
  readonly targetUid: number | null;
  /** UIDVALIDITY of the target folder when targetUid was learnt (APPENDUID). */
  readonly targetUidValidity?: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
}

/** What the deep verification reads of a landed row. */
export type LandedRow = Pick<MessageRow, 'uid' | 'key' | 'targetUid' | 'targetUidValidity'>;

/** Per-folder bookkeeping that lets a no-change re-run skip a folder from its STATUS alone. */
export interface FolderRow {
  readonly sourcePath: string;
  readonly targetPath: string;
  readonly uidValidity: number | null;
  readonly uidNext: number | null;
  readonly messages: number | null;
  readonly status: string;
}

/** A message identity to settle. */
export interface MessageRef {
  readonly sourcePath: string;
  readonly uidValidity: number;
  readonly uid: number;
}

// A page of a target folder's rows in one landed state after a primary key, on the target index.
const landedInState = (state: 'done' | 'skipped'): string => `SELECT source_path AS sourcePath, source_uidvalidity AS uidValidity, source_uid AS uid, msg_key AS key
  FROM migration_messages INDEXED BY migration_messages_target
  WHERE job_id = ? AND target_path = ? AND state = '${state}' AND (source_path, source_uidvalidity, source_uid) > (?, ?, ?)
  ORDER BY source_path, source_uidvalidity, source_uid LIMIT ?`;

/**
 * Write-ahead state of one migration job in SQLite (WAL): every state change commits before the
 * step it announces, so a killed process resumes knowing which messages were certainly copied,
 * certainly not, and which are uncertain ('appending') and must be checked against the target.
 */
export class StateStore {
  readonly db: Db;
  readonly jobId: string;
  /** Per-folder HIGHESTMODSEQ marks for delta passes (CONDSTORE). */
  readonly modseq: ModseqState;
  private readonly s;

  constructor(db: Db, jobId: string) {
    this.db = db;
    this.jobId = jobId;
    this.modseq = new ModseqState(db, jobId);
    this.s = {
      insert: db.prepare(`INSERT OR IGNORE INTO migration_messages (job_id, source_path, source_uidvalidity, source_uid, msg_key, size, internal_date, state, target_path)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`),
      setState: db.prepare(`UPDATE migration_messages SET state = ?, batch = ? WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid = ?`),
      setStateKey: db.prepare(`UPDATE migration_messages SET state = ?, batch = ?, msg_key = ?, content_sha1 = COALESCE(?, content_sha1) WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid = ?`),
      setKey: db.prepare(`UPDATE migration_messages SET msg_key = ? WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid = ?`),
      done: db.prepare(`UPDATE migration_messages SET state = ?, target_uidvalidity = ?, target_uid = ?, error_code = NULL, error_message = NULL
        WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid = ?`),
      fail: db.prepare(`UPDATE migration_messages SET state = 'failed', error_code = ?, error_message = ? WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid = ?`),
      rows: db.prepare(`SELECT source_path AS sourcePath, source_uidvalidity AS uidValidity, source_uid AS uid, msg_key AS key, size, internal_date AS internalDate,
        state, target_path AS targetPath, target_uid AS targetUid, target_uidvalidity AS targetUidValidity, error_code AS errorCode, error_message AS errorMessage
        FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? ORDER BY source_uid`),
      inStateAfter: db.prepare(`SELECT source_path AS sourcePath, source_uidvalidity AS uidValidity, source_uid AS uid, msg_key AS key, size, internal_date AS internalDate,
        state, target_path AS targetPath, target_uid AS targetUid, target_uidvalidity AS targetUidValidity, error_code AS errorCode, error_message AS errorMessage
        FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid > ? AND state = ? ORDER BY source_uid LIMIT ?`),
      // Only what the deep check matches on: at 100,000 rows, whole rows took twice as long to read.
      landedIn: db.prepare(`SELECT source_uid AS uid, msg_key AS key, target_uid AS targetUid, target_uidvalidity AS targetUidValidity
        FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid > ? AND state IN ('done', 'skipped') ORDER BY source_uid`),
      landedPage: db.prepare(`SELECT source_uid AS uid, msg_key AS key, target_uid AS targetUid, target_uidvalidity AS targetUidValidity
        FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid > ? AND state IN ('done', 'skipped') ORDER BY source_uid LIMIT ?`),
      // Sorted by SQLite (its own bounded sorter, spilling to a temporary file), not in the process.
      sharedTargetUids: db.prepare(`SELECT target_uid FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND state IN ('done', 'skipped')
        AND target_uidvalidity = ? AND target_uid IS NOT NULL GROUP BY target_uid HAVING COUNT(*) > 1`).pluck(),
      // The first pending UID, from the state index (which holds the primary key): a delta's few new
      // rows sit above every landed one, and a window from UID 0 would read the whole folder to find them.
      firstPending: db.prepare(`SELECT MIN(source_uid) FROM migration_messages INDEXED BY migration_messages_state
        WHERE job_id = ? AND source_path = ? AND state = 'pending' AND source_uidvalidity = ?`).pluck(),
      folderStates: db.prepare(`SELECT state, COUNT(*) AS n FROM migration_messages WHERE job_id = ? AND source_path = ? GROUP BY state`),
      maxUid: db.prepare(`SELECT MAX(source_uid) AS m FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ?`),
      // Two ranges of the primary key, not "<>": that one reads every row of the folder (0.1-0.7 s at 100,000).
      dropBelow: db.prepare(`DELETE FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity < ?`),
      dropAbove: db.prepare(`DELETE FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity > ?`),
      landedKeys: db.prepare(`SELECT msg_key AS key, COUNT(*) AS n FROM migration_messages WHERE job_id = ? AND target_path = ? AND state IN ('done', 'skipped') GROUP BY msg_key`),
      // A page of a target folder's landed rows by primary key, the order main's whole-folder read returned them in (EXPLAIN QUERY PLAN:
      // it walked the job's primary key). Each state is read on the target index, whose entries end in the primary key, and the
      // two are merged, so a page reads only this folder's rows: walking the primary key read every row of the job for each page.
      landedInTarget: db.prepare(`SELECT * FROM (${landedInState('done')}) UNION ALL SELECT * FROM (${landedInState('skipped')})
        ORDER BY sourcePath, uidValidity, uid LIMIT ?`),
      releaseUncertain: db.prepare(`UPDATE migration_messages SET state = 'pending', batch = NULL WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND state = 'appending'`),
      landedCount: db.prepare(`SELECT COUNT(*) AS n FROM migration_messages WHERE job_id = ? AND target_path = ? AND state IN ('done', 'skipped')`),
      stateCount: db.prepare(`SELECT COUNT(*) FROM migration_messages WHERE job_id = ? AND source_path = ? AND state = ?`).pluck(),
      openCount: db.prepare(`SELECT COUNT(*) AS n FROM migration_messages WHERE job_id = ? AND source_path = ? AND state IN ('pending', 'appending')`),
      folder: db.prepare(`SELECT source_path AS sourcePath, target_path AS targetPath, source_uidvalidity AS uidValidity, source_uidnext AS uidNext,
        source_messages AS messages, status FROM migration_folders WHERE job_id = ? AND source_path = ?`),
      upsertFolder: db.prepare(`INSERT INTO migration_folders (job_id, source_path, target_path, special_use, source_uidvalidity, source_uidnext, source_messages, status, last_error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, source_path) DO UPDATE SET target_path = excluded.target_path, special_use = excluded.special_use,
        source_uidvalidity = excluded.source_uidvalidity, source_uidnext = excluded.source_uidnext, source_messages = excluded.source_messages,
        status = excluded.status, last_error = excluded.last_error`),
      // Grouped like folderCounts, in the covering index's order (no temporary B-tree), and summed here.
      counts: db.prepare(`SELECT state, COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM migration_messages WHERE job_id = ? GROUP BY source_path, state`),
      folderCounts: db.prepare(`SELECT source_path AS sourcePath, state, COUNT(*) AS n FROM migration_messages WHERE job_id = ? GROUP BY source_path, state`),
      failures: db.prepare(`SELECT source_path AS sourcePath, source_uid AS uid, size, error_code AS errorCode, error_message AS errorMessage
        FROM migration_messages WHERE job_id = ? AND state = 'failed' ORDER BY source_path, source_uid LIMIT ?`),
      seenKey: db.prepare(`SELECT 1 FROM migration_messages WHERE job_id = ? AND msg_key = ? AND source_path <> ? AND state IN ('done', 'skipped', 'appending', 'pending') LIMIT 1`),
    };
  }

  /** The job's database, for the ledgers that keep other facts of its rows (content-state.ts). */
  get database(): Db {
    return this.db;
  }

  /** Creates the job row when it does not exist yet. */
  ensureJob(source: string, target: string, now: string): void {
    this.db
      .prepare(`INSERT INTO migration_jobs (id, source, target, created_at, updated_at, status) VALUES (?, ?, ?, ?, ?, 'running')
        ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, status = 'running'`)
      .run(this.jobId, source, target, now, now);
  }

  /** The "nothing changed" record a complete run left (see quiet-check.ts), or null. */
  quietRecord(): { fingerprint: string; mappings: FolderMapping[] } | null {
    const row = this.db.prepare('SELECT quiet_fingerprint AS f, quiet_mappings AS m FROM migration_jobs WHERE id = ?').get(this.jobId) as { f: string | null; m: string | null } | undefined;
    return row?.f && row.m ? { fingerprint: row.f, mappings: JSON.parse(row.m) as FolderMapping[] } : null;
  }

  /** Saves (or, with null, forgets) the "nothing changed" record. */
  saveQuiet(record: { fingerprint: string; mappings: readonly FolderMapping[] } | null): void {
    this.db.prepare('UPDATE migration_jobs SET quiet_fingerprint = ?, quiet_mappings = ? WHERE id = ?').run(record?.fingerprint ?? null, record ? JSON.stringify(record.mappings) : null, this.jobId);
  }

  /** Records the job's final status. */
  finishJob(status: string, lastError: string | null, now: string): void {
    this.db.prepare('UPDATE migration_jobs SET status = ?, last_error = ?, updated_at = ? WHERE id = ?').run(status, lastError, now, this.jobId);
  }

  /** The folder's bookkeeping row, if any. */
  folder(sourcePath: string): FolderRow | undefined {
    return this.s.folder.get(this.jobId, sourcePath) as FolderRow | undefined;
  }

  /** Saves the folder's bookkeeping row. */
  saveFolder(f: FolderRow & { specialUse: string | null; lastError: string | null }): void {
    this.s.upsertFolder.run(this.jobId, f.sourcePath, f.targetPath, f.specialUse, f.uidValidity, f.uidNext, f.messages, f.status, f.lastError);
  }

  /** Forgets rows of a previous UIDVALIDITY (RFC 3501 §2.3.1.1: those UIDs mean nothing now); returns how many. */
  dropStaleUidValidity(sourcePath: string, uidValidity: number): number {
    return this.db.transaction(() => this.s.dropBelow.run(this.jobId, sourcePath, uidValidity).changes + this.s.dropAbove.run(this.jobId, sourcePath, uidValidity).changes)();
  }

  /** Highest source UID recorded for the folder, or 0. */
  maxUid(sourcePath: string, uidValidity: number): number {
    return (this.s.maxUid.get(this.jobId, sourcePath, uidValidity) as { m: number | null }).m ?? 0;
  }

  /** Every row of a folder, by UID. */
  rows(sourcePath: string, uidValidity: number): MessageRow[] {
    return this.s.rows.all(this.jobId, sourcePath, uidValidity) as MessageRow[];
  }

  /** Up to `limit` pending rows of a folder above `afterUid`, by UID: one window of the copy. */
  pendingAfter(sourcePath: string, uidValidity: number, afterUid: number, limit: number): MessageRow[] {
    return this.inStateAfter(sourcePath, uidValidity, 'pending', afterUid, limit);
  }

  /** Up to `limit` rows of a folder in one state above `afterUid`, by UID. */
  inStateAfter(sourcePath: string, uidValidity: number, state: MessageState, afterUid: number, limit: number): MessageRow[] {
    return this.s.inStateAfter.all(this.jobId, sourcePath, uidValidity, afterUid, state, limit) as MessageRow[];
  }

  /** Puts a folder's uncertain rows ('appending') back to pending: what reconciliation found no copy of. */
  releaseUncertain(sourcePath: string, uidValidity: number): void {
    this.s.releaseUncertain.run(this.jobId, sourcePath, uidValidity);
  }

  /** The folder's landed rows (done or skipped) above `afterUid`, read one at a time: use each before the next database call. */
  landedIn(sourcePath: string, uidValidity: number, afterUid = 0): IterableIterator<LandedRow> {
    return this.s.landedIn.iterate(this.jobId, sourcePath, uidValidity, afterUid) as IterableIterator<LandedRow>;
  }

  /** Up to `limit` landed rows (done or skipped) of a folder above `afterUid`, by UID: one page of the deep check. */
  landedPage(sourcePath: string, uidValidity: number, afterUid: number, limit: number): LandedRow[] {
    return this.s.landedPage.all(this.jobId, sourcePath, uidValidity, afterUid, limit) as LandedRow[];
  }

  /** Target UIDs (of that target UIDVALIDITY) that more than one landed row of the folder claims. */
  sharedTargetUids(sourcePath: string, uidValidity: number, targetUidValidity: number): Set<number> {
    return new Set(this.s.sharedTargetUids.all(this.jobId, sourcePath, uidValidity, targetUidValidity) as number[]);
  }

  /** The lowest pending UID of a folder, or null when none is pending. */
  firstPending(sourcePath: string, uidValidity: number): number | null {
    return (this.s.firstPending.get(this.jobId, sourcePath, uidValidity) as number | null) ?? null;
  }

  /** How many rows of a folder are in each state (counted in SQLite, not loaded). */
  folderStates(sourcePath: string): Record<MessageState, number> {
    const out = { pending: 0, appending: 0, done: 0, skipped: 0, failed: 0 };
    for (const r of this.s.folderStates.all(this.jobId, sourcePath) as { state: MessageState; n: number }[]) out[r.state] = r.n;
    return out;
  }

  /** Rows of a folder in one state: O(those rows), where folderStates reads the whole folder's index entries. */
  countIn(sourcePath: string, state: MessageState): number {
    return this.s.stateCount.get(this.jobId, sourcePath, state) as number;
  }

  /** Rows still to settle (pending or appending) in a folder. */
  openCount(sourcePath: string): number {
    return (this.s.openCount.get(this.jobId, sourcePath) as { n: number }).n;
  }

  /** Adds newly seen source messages as pending (existing rows are kept). */
  insertPending(rows: readonly Omit<MessageRow, 'state' | 'targetUid' | 'errorCode' | 'errorMessage'>[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.insert.run(this.jobId, r.sourcePath, r.uidValidity, r.uid, r.key, r.size, r.internalDate, r.targetPath);
    })();
  }

  /** Moves rows to a state in one transaction (the write-ahead step before an APPEND uses 'appending', with the key and content hash). */
  setState(refs: readonly (MessageRef & { readonly key?: string; readonly contentSha1?: string })[], state: MessageState, batch: number | null = null, withKeys = false): void {
    this.db.transaction(() => {
      for (const r of refs) {
        if (withKeys && r.key !== undefined) this.s.setStateKey.run(state, batch, r.key, r.contentSha1 ?? null, this.jobId, r.sourcePath, r.uidValidity, r.uid);
        else this.s.setState.run(state, batch, this.jobId, r.sourcePath, r.uidValidity, r.uid);
      }
    })();
  }

  /** Replaces rows' identity keys (provisional keys learnt from the server). */
  setKeys(rows: readonly (MessageRef & { readonly key: string })[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.setKey.run(r.key, this.jobId, r.sourcePath, r.uidValidity, r.uid);
    })();
  }

  /** Marks rows copied (with target UIDs from APPENDUID when known) or skipped (already on the target). */
  settle(refs: readonly MessageRef[], state: 'done' | 'skipped', targetUidValidity: number | null, targetUids: readonly (number | null)[] | null): void {
    this.db.transaction(() => {
      refs.forEach((r, i) => this.s.done.run(state, targetUidValidity, targetUids?.[i] ?? null, this.jobId, r.sourcePath, r.uidValidity, r.uid));
    })();
  }

  /** Marks one row failed with a stable code and a message for the report. */
  fail(ref: MessageRef, code: string, message: string): void {
    this.s.fail.run(code, message, this.jobId, ref.sourcePath, ref.uidValidity, ref.uid);
  }

  /** How many copies of each key the job has landed (done or skipped) in a target folder. */
  landedKeys(targetPath: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.s.landedKeys.all(this.jobId, targetPath) as { key: string; n: number }[]) out.set(r.key, r.n);
    return out;
  }

  /**
   * The keys of the messages the job has landed (done or skipped) in a target folder, one per copy,
   * `limit` at a time by primary key. `after` is the last row of the previous page.
   */
  landedInTarget(targetPath: string, after: MessageRef | null, limit: number): (MessageRef & { readonly key: string })[] {
    const from = after ?? { sourcePath: '', uidValidity: -1, uid: -1 };
    const cursor = [this.jobId, targetPath, from.sourcePath, from.uidValidity, from.uid, limit];
    return this.s.landedInTarget.all(...cursor, ...cursor, limit) as (MessageRef & { readonly key: string })[];
  }

  /** Messages the job has landed in a target folder. */
  landedCount(targetPath: string): number {
    return (this.s.landedCount.get(this.jobId, targetPath) as { n: number }).n;
  }

  /** True when another folder of this job already holds (or will copy) the key: Gmail label de-duplication. */
  keySeenElsewhere(key: string, sourcePath: string): boolean {
    return this.s.seenKey.get(this.jobId, key, sourcePath) !== undefined;
  }

  /** Puts failed messages back to pending (and their folders out of 'done') so the next pass tries them again; returns how many. */
  retryFailed(): number {
    return this.db.transaction(() => {
      const n = this.db.prepare(`UPDATE migration_messages SET state = 'pending', error_code = NULL, error_message = NULL WHERE job_id = ? AND state = 'failed'`).run(this.jobId).changes;
      if (n > 0) this.db.prepare(`UPDATE migration_folders SET status = 'partial' WHERE job_id = ?`).run(this.jobId);
      return n;
    })();
  }

  /** Totals by state. */
  counts(): Record<MessageState, { n: number; bytes: number }> {
    const out = { pending: { n: 0, bytes: 0 }, appending: { n: 0, bytes: 0 }, done: { n: 0, bytes: 0 }, skipped: { n: 0, bytes: 0 }, failed: { n: 0, bytes: 0 } };
    for (const r of this.s.counts.all(this.jobId) as { state: MessageState; n: number; bytes: number }[]) out[r.state] = { n: out[r.state].n + r.n, bytes: out[r.state].bytes + r.bytes };
    return out;
  }

  /** Counts by folder and state. */
  folderCounts(): Map<string, Partial<Record<MessageState, number>>> {
    const out = new Map<string, Partial<Record<MessageState, number>>>();
    for (const r of this.s.folderCounts.all(this.jobId) as { sourcePath: string; state: MessageState; n: number }[]) {
      const e = out.get(r.sourcePath) ?? {};
      e[r.state] = r.n;
      out.set(r.sourcePath, e);
    }
    return out;
  }

  /** Failed messages, for the report. */
  failures(limit = 1000): { sourcePath: string; uid: number; size: number; errorCode: string; errorMessage: string }[] {
    return this.s.failures.all(this.jobId, limit) as never;
  }
}
