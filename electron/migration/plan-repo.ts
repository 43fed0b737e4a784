import type { Db } from '../db/database.ts';
import type {
  GmailLabelsChoice,
  MigrationCutoverStep,
  MigrationDavInventory,
  MigrationEstimate,
  MigrationFolderInventory,
  MigrationPlan,
  MigrationPlanRow,
  MigrationPlanSummary,
  MigrationPresetName,
} from '../../shared/domain/migration.ts';

/** Plan options kept in `migration_plans.options_json`. */
export interface PlanOptions {
  readonly sourcePreset: MigrationPresetName | null;
  readonly gmailLabels: GmailLabelsChoice;
  readonly includeShared?: boolean;
  readonly start: string | null;
}

/** SQLite storage of migration plans and their mailbox pairs: the one place plans are written and read. */
export class PlanRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Saves a plan, replacing its rows (and the plan of the same id). */
  savePlan(plan: MigrationPlan): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM migration_plan_rows WHERE plan_id = ?').run(plan.id);
      const options: PlanOptions = { sourcePreset: plan.sourcePreset, gmailLabels: plan.gmailLabels, includeShared: plan.includeShared ?? false, start: plan.timeline[1]?.at ?? null };
      this.db
        .prepare(`INSERT INTO migration_plans (id, name, created_at, updated_at, target_preset, options_json, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, created_at = excluded.created_at, updated_at = excluded.updated_at, target_preset = excluded.target_preset,
          options_json = excluded.options_json, summary_json = excluded.summary_json`)
        .run(plan.id, plan.name, plan.createdAt, plan.updatedAt, plan.targetPreset, JSON.stringify(options), JSON.stringify({ batchSeconds: plan.batchSeconds, parallel: plan.parallel, timeline: plan.timeline }));
      const ins = this.db.prepare(`INSERT INTO migration_plan_rows (plan_id, seq, source, target, inventory_json, estimate_json, warnings_json,
        source_connection_id, target_connection_id, has_source_secret, has_target_secret, source_dav, target_dav, dav_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const r of plan.rows) {
        ins.run(plan.id, r.seq, r.source, r.target, JSON.stringify(r.inventory), JSON.stringify(r.estimate), JSON.stringify(r.warnings), r.sourceConnectionId, r.targetConnectionId, r.hasSourceSecret ? 1 : 0, r.hasTargetSecret ? 1 : 0, r.sourceDav ?? null, r.targetDav ?? null, r.dav ? JSON.stringify(r.dav) : null);
      }
    })();
  }

  /** A whole plan, or null. */
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
          has_source_secret AS hs, has_target_secret AS ht, source_dav AS sd, target_dav AS td, dav_json AS d FROM migration_plan_rows WHERE plan_id = ? ORDER BY seq`)
        .all(id) as { seq: number; source: string; target: string; i: string | null; e: string; w: string; sc: string | null; tc: string | null; hs: number; ht: number; sd: string | null; td: string | null; d: string | null }[]
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
        sourceDav: r.sd,
        targetDav: r.td,
        dav: r.d ? (JSON.parse(r.d) as MigrationDavInventory) : null,
      }),
    );
    return {
      ...summarize(p, options, summary, rows),
      timeline: summary.timeline,
      gmailLabels: options.gmailLabels,
      includeShared: options.includeShared ?? false,
      rows,
    };
  }

  /** Every plan, newest first. */
  plans(): MigrationPlanSummary[] {
    const ids = this.db.prepare('SELECT id FROM migration_plans ORDER BY created_at DESC').pluck().all() as string[];
    return ids.map((id) => this.plan(id)).filter((p): p is MigrationPlan => p !== null).map(({ timeline: _t, gmailLabels: _g, includeShared: _i, rows: _r, ...s }) => s);
  }

  /** Deletes a plan and its rows. */
  removePlan(id: string): boolean {
    return this.db.prepare('DELETE FROM migration_plans WHERE id = ?').run(id).changes > 0;
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
