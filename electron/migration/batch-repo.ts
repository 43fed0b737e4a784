import type { Db } from '../db/database.ts';
import type {
  MigrationBatchPair,
  MigrationBatchStatus,
  MigrationMailboxReport,
  MigrationPairStatus,
  StartBatchOptions,
} from '../../shared/domain/migration.ts';

/** Counters persisted per pair. */
export interface PairCounters {
  readonly total: number;
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly bytes: number;
  readonly folder: string | null;
  readonly foldersDone: number;
  readonly foldersTotal: number;
  readonly seconds: number;
  /** Fleet batches: the pair's lane and the worker running it (kept with the counters, which are JSON). */
  readonly lane?: string;
  readonly worker?: string | null;
}

/** A pair row as stored. */
export interface PairRow {
  readonly batchId: string;
  readonly seq: number;
  readonly source: string;
  readonly target: string;
  readonly jobId: string;
  readonly status: MigrationPairStatus;
  readonly passes: number;
  readonly counters: PairCounters;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly report: Omit<MigrationMailboxReport, 'batchId' | 'seq' | 'source' | 'target'> | null;
}

/** A batch row as stored. */
export interface BatchRow {
  readonly id: string;
  readonly planId: string;
  readonly planName: string;
  readonly status: MigrationBatchStatus;
  readonly dryRun: boolean;
  readonly options: StartBatchOptions;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const EMPTY_COUNTERS: PairCounters = { total: 0, copied: 0, skipped: 0, failed: 0, bytes: 0, folder: null, foldersDone: 0, foldersTotal: 0, seconds: 0 };

/** SQLite storage of migration batches and their mailbox pairs (plans: plan-repo.ts). */
export class BatchRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  createBatch(batch: BatchRow, pairs: readonly Pick<PairRow, 'seq' | 'source' | 'target' | 'jobId'>[]): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO migration_batches (id, plan_id, plan_name, status, dry_run, options_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(batch.id, batch.planId, batch.planName, batch.status, batch.dryRun ? 1 : 0, JSON.stringify(batch.options), batch.createdAt, batch.updatedAt);
      const ins = this.db.prepare(`INSERT INTO migration_batch_pairs (batch_id, seq, source, target, job_id, status) VALUES (?, ?, ?, ?, ?, 'queued')`);
      for (const p of pairs) ins.run(batch.id, p.seq, p.source, p.target, p.jobId);
    })();
  }

  batch(id: string): BatchRow | null {
    const r = this.db.prepare('SELECT id, plan_id AS planId, plan_name AS planName, status, dry_run AS d, options_json AS o, created_at AS createdAt, updated_at AS updatedAt FROM migration_batches WHERE id = ?').get(id) as
      | { id: string; planId: string; planName: string; status: MigrationBatchStatus; d: number; o: string; createdAt: string; updatedAt: string }
      | undefined;
    return r ? { id: r.id, planId: r.planId, planName: r.planName, status: r.status, dryRun: r.d === 1, options: JSON.parse(r.o) as StartBatchOptions, createdAt: r.createdAt, updatedAt: r.updatedAt } : null;
  }

  batchIds(): string[] {
    return this.db.prepare('SELECT id FROM migration_batches ORDER BY created_at DESC, id DESC').pluck().all() as string[];
  }

  setBatchStatus(id: string, status: MigrationBatchStatus, now: string): void {
    this.db.prepare('UPDATE migration_batches SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
  }

  /** Batches that were running when the process stopped become 'interrupted'; their running pairs go back to the queue. */
  markInterrupted(now: string): number {
    return this.db.transaction(() => {
      const n = this.db.prepare(`UPDATE migration_batches SET status = 'interrupted', updated_at = ? WHERE status IN ('running', 'pausing')`).run(now).changes;
      this.db.prepare(`UPDATE migration_batch_pairs SET status = 'queued' WHERE status = 'running'`).run();
      return n;
    })();
  }

  pairs(batchId: string): PairRow[] {
    return (
      this.db
        .prepare(`SELECT batch_id AS batchId, seq, source, target, job_id AS jobId, status, passes, counters_json AS c, started_at AS startedAt, finished_at AS finishedAt,
          error_code AS errorCode, error_message AS errorMessage, report_json AS r FROM migration_batch_pairs WHERE batch_id = ? ORDER BY seq`)
        .all(batchId) as (Omit<PairRow, 'counters' | 'report'> & { c: string; r: string | null })[]
    ).map(({ c, r, ...p }) => ({ ...p, counters: { ...EMPTY_COUNTERS, ...(JSON.parse(c) as Partial<PairCounters>) }, report: r ? (JSON.parse(r) as PairRow['report']) : null }));
  }

  updatePair(batchId: string, seq: number, patch: Partial<Omit<PairRow, 'batchId' | 'seq' | 'source' | 'target' | 'jobId'>>): void {
    const cols: string[] = [];
    const vals: unknown[] = [];
    const set = (col: string, v: unknown): void => {
      cols.push(`${col} = ?`);
      vals.push(v);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.passes !== undefined) set('passes', patch.passes);
    if (patch.counters !== undefined) set('counters_json', JSON.stringify(patch.counters));
    if (patch.startedAt !== undefined) set('started_at', patch.startedAt);
    if (patch.finishedAt !== undefined) set('finished_at', patch.finishedAt);
    if (patch.errorCode !== undefined) set('error_code', patch.errorCode);
    if (patch.errorMessage !== undefined) set('error_message', patch.errorMessage);
    if (patch.report !== undefined) {
      set('report_json', JSON.stringify(patch.report));
      set('verified_at', patch.report?.verifiedAt ?? null);
    }
    if (cols.length === 0) return;
    this.db.prepare(`UPDATE migration_batch_pairs SET ${cols.join(', ')} WHERE batch_id = ? AND seq = ?`).run(...vals, batchId, seq);
  }
}

/** Pair status as the console shows it. */
export function toBatchPair(p: PairRow, live: { messagesPerSecond: number; bytesPerSecond: number } | null): MigrationBatchPair {
  const c = p.counters;
  const left = Math.max(0, c.total - c.copied - c.skipped - c.failed);
  const mps = live?.messagesPerSecond ?? 0;
  const verification = p.report?.folders ?? null;
  return {
    seq: p.seq,
    source: p.source,
    target: p.target,
    status: p.status,
    total: c.total,
    copied: c.copied,
    skipped: c.skipped,
    failed: c.failed,
    bytes: c.bytes,
    messagesPerSecond: round(mps),
    bytesPerSecond: Math.round(live?.bytesPerSecond ?? 0),
    etaSeconds: p.status === 'done' ? 0 : mps > 0 ? Math.ceil(left / mps) : null,
    folder: c.folder,
    foldersDone: c.foldersDone,
    foldersTotal: c.foldersTotal,
    passes: p.passes,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    error: p.errorCode ? { code: p.errorCode, message: p.errorMessage ?? '' } : null,
    verified: verification
      ? { clean: p.report?.clean ?? false, missing: verification.reduce((n, f) => n + f.missing, 0), extra: verification.reduce((n, f) => n + f.extra, 0) }
      : null,
    ...(c.lane ? { lane: c.lane, worker: c.worker ?? null } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
