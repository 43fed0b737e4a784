import type { Db } from '../db/database.ts';
import type {
  MigrationBatchPair,
  MigrationBatchStatus,
  MigrationCutoverStep,
  MigrationEstimate,
  MigrationFolderInventory,
  MigrationMailboxReport,
  MigrationPairStatus,
  MigrationPlan,
  MigrationPlanRow,
  MigrationPlanSummary,
  MigrationPresetName,
  StartBatchOptions,
} from '../../shared/domain/migration.ts';

/** Plan options kept in `migration_plans.options_json`. */
export interface PlanOptions {
  readonly sourcePreset: MigrationPresetName | null;
  readonly gmailLabels: 'once' | 'per-label';
  readonly start: string | null;
}

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

/** SQLite access for migration plans (the console's view) and batches. */
export class MigrationRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  savePlan(plan: MigrationPlan): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM migration_plan_rows WHERE plan_id = ?').run(plan.id);
      const options: PlanOptions = { sourcePreset: plan.sourcePreset, gmailLabels: plan.gmailLabels, start: plan.timeline[1]?.at ?? null };
      this.db
        .prepare(`INSERT INTO migration_plans (id, name, created_at, updated_at, target_preset, options_json, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at, target_preset = excluded.target_preset,
          options_json = excluded.options_json, summary_json = excluded.summary_json`)
        .run(plan.id, plan.name, plan.createdAt, plan.updatedAt, plan.targetPreset, JSON.stringify(options), JSON.stringify({ batchSeconds: plan.batchSeconds, parallel: plan.parallel, timeline: plan.timeline }));
      const ins = this.db.prepare(`INSERT INTO migration_plan_rows (plan_id, seq, source, target, inventory_json, estimate_json, warnings_json,
        source_connection_id, target_connection_id, has_source_secret, has_target_secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const r of plan.rows) {
        ins.run(plan.id, r.seq, r.source, r.target, JSON.stringify(r.inventory), JSON.stringify(r.estimate), JSON.stringify(r.warnings), r.sourceConnectionId, r.targetConnectionId, r.hasSourceSecret ? 1 : 0, r.hasTargetSecret ? 1 : 0);
      }
    })();
  }

  plan(id: string): MigrationPlan | null {
    const p = this.db.prepare('SELECT id, name, created_at AS createdAt, updated_at AS updatedAt, target_preset AS targetPreset, options_json AS o, summary_json AS s FROM migration_plans WHERE id = ?').get(id) as
      | { id: string; name: string; createdAt: string; updatedAt: string; targetPreset: MigrationPresetName; o: string; s: string }
      | undefined;
    if (!p) return null;
    const options = { sourcePreset: null, gmailLabels: 'once', start: null, ...(JSON.parse(p.o) as Partial<PlanOptions>) } as PlanOptions;
    const summary = JSON.parse(p.s) as { batchSeconds: number; parallel: number; timeline: MigrationCutoverStep[] };
    const rows = (
      this.db
        .prepare(`SELECT seq, source, target, inventory_json AS i, estimate_json AS e, warnings_json AS w, source_connection_id AS sc, target_connection_id AS tc,
          has_source_secret AS hs, has_target_secret AS ht FROM migration_plan_rows WHERE plan_id = ? ORDER BY seq`)
        .all(id) as { seq: number; source: string; target: string; i: string | null; e: string; w: string; sc: string | null; tc: string | null; hs: number; ht: number }[]
    ).map(
      (r): MigrationPlanRow => ({
        seq: r.seq,
        source: r.source,
        target: r.target,
        sourceConnectionId: r.sc,
        targetConnectionId: r.tc,
        hasSourceSecret: r.hs === 1,
        hasTargetSecret: r.ht === 1,
        inventory: r.i ? (JSON.parse(r.i) as MigrationFolderInventory[] | null) : null,
        estimate: (JSON.parse(r.e) as MigrationEstimate | null) ?? null,
        warnings: JSON.parse(r.w) as string[],
      }),
    );
    return {
      ...summarize(p, options, summary, rows),
      timeline: summary.timeline,
      gmailLabels: options.gmailLabels,
      rows,
    };
  }

  plans(): MigrationPlanSummary[] {
    const ids = this.db.prepare('SELECT id FROM migration_plans ORDER BY created_at DESC').pluck().all() as string[];
    return ids.map((id) => this.plan(id)).filter((p): p is MigrationPlan => p !== null).map(({ timeline: _t, gmailLabels: _g, rows: _r, ...s }) => s);
  }

  removePlan(id: string): boolean {
    return this.db.prepare('DELETE FROM migration_plans WHERE id = ?').run(id).changes > 0;
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

function summarize(
  p: { id: string; name: string; createdAt: string; updatedAt: string; targetPreset: MigrationPresetName },
  options: PlanOptions,
  summary: { batchSeconds: number; parallel: number },
  rows: readonly MigrationPlanRow[],
): MigrationPlanSummary {
  return {
    id: p.id,
    name: p.name,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    targetPreset: p.targetPreset,
    sourcePreset: options.sourcePreset,
    mailboxes: rows.length,
    messages: rows.reduce((n, r) => n + (r.estimate?.messages ?? 0), 0),
    bytes: rows.reduce((n, r) => n + (r.estimate?.bytes ?? 0), 0),
    batchSeconds: summary.batchSeconds,
    parallel: summary.parallel,
    warnings: rows.reduce((n, r) => n + r.warnings.length, 0),
  };
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
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
