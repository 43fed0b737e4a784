import type { Db } from '../db/database.ts';
import type { CutoverStep, FolderInventory, MailboxEstimate } from './planner.ts';

/** A stored plan: editable and viewable offline. */
export interface StoredPlan {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly targetPreset: string;
  readonly summary: { readonly batchSeconds: number; readonly parallel: number; readonly timeline: readonly CutoverStep[] };
  readonly rows: readonly { source: string; target: string; inventory: readonly FolderInventory[] | null; estimate: MailboxEstimate; warnings: readonly string[] }[];
}

/** Saves a plan (replacing one with the same id). */
export function savePlan(db: Db, plan: StoredPlan): void {
  db.transaction(() => {
    db.prepare('DELETE FROM migration_plans WHERE id = ?').run(plan.id);
    db.prepare('INSERT INTO migration_plans (id, name, created_at, updated_at, target_preset, options_json, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      plan.id, plan.name, plan.createdAt, new Date().toISOString(), plan.targetPreset, '{}', JSON.stringify(plan.summary),
    );
    const ins = db.prepare('INSERT INTO migration_plan_rows (plan_id, seq, source, target, inventory_json, estimate_json, warnings_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
    plan.rows.forEach((r, i) => ins.run(plan.id, i, r.source, r.target, JSON.stringify(r.inventory), JSON.stringify(r.estimate), JSON.stringify(r.warnings)));
  })();
}

/** Loads a plan by id or name, with no network. */
export function loadPlan(db: Db, idOrName: string): StoredPlan | null {
  const p = db.prepare('SELECT id, name, created_at AS createdAt, target_preset AS targetPreset, summary_json AS s FROM migration_plans WHERE id = ? OR name = ?').get(idOrName, idOrName) as
    | { id: string; name: string; createdAt: string; targetPreset: string; s: string }
    | undefined;
  if (!p) return null;
  const rows = (db.prepare('SELECT source, target, inventory_json AS i, estimate_json AS e, warnings_json AS w FROM migration_plan_rows WHERE plan_id = ? ORDER BY seq').all(p.id) as { source: string; target: string; i: string; e: string; w: string }[]).map(
    (r) => ({ source: r.source, target: r.target, inventory: JSON.parse(r.i) as FolderInventory[] | null, estimate: JSON.parse(r.e) as MailboxEstimate, warnings: JSON.parse(r.w) as string[] }),
  );
  return { id: p.id, name: p.name, createdAt: p.createdAt, targetPreset: p.targetPreset, summary: JSON.parse(p.s) as StoredPlan['summary'], rows };
}
