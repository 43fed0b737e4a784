import type { MigrationPlan, MigrationPlanPatch, MigrationPlanRow, MigrationPresetName } from '../../shared/domain/migration.ts';
import { batchSeconds, cutoverTimeline, estimateMailbox } from './planner.ts';
import { presetFor } from './presets.ts';

/** The settings of a plan edit, without its row changes. */
export type PlanSettingsPatch = Omit<MigrationPlanPatch, 'keepRows' | 'addRows'>;

/**
 * The plan with `rows` under the patched settings, every estimate recomputed from its inventory (the
 * preset and whether shared folders count may have changed), and the batch and cut-over after them.
 * The console's edit (PlanService.updatePlan) and `mailroom plan --edit` both go through it.
 */
export function reestimatedPlan(plan: MigrationPlan, patch: PlanSettingsPatch, rows: readonly MigrationPlanRow[], now: Date): MigrationPlan {
  const preset = presetFor(patch.targetPreset ?? plan.targetPreset)!;
  const parallel = patch.parallel ?? plan.parallel;
  const includeShared = patch.includeShared ?? plan.includeShared ?? false;
  const sourcePreset = plan.sourcePreset ? presetFor(plan.sourcePreset)! : null;
  // Shared folders count in the estimate only when the plan copies them.
  const estimated = rows.map((r) => {
    if (!r.inventory) return r;
    const estimate = estimateMailbox(r.inventory, preset, sourcePreset, includeShared);
    return { ...r, estimate, warnings: [...r.warnings.filter((w) => w.startsWith('inventory:') || w.startsWith('calendars and contacts:')), ...estimate.warnings] };
  });
  const total = batchSeconds(estimated.map((r) => r.estimate?.seconds ?? 0), parallel);
  const start = patch.start ? new Date(patch.start) : new Date(plan.timeline[1]?.at ?? now.getTime());
  return {
    ...plan,
    name: patch.name ?? plan.name,
    targetPreset: preset.name as MigrationPresetName,
    parallel,
    gmailLabels: patch.gmailLabels ?? plan.gmailLabels,
    includeShared,
    updatedAt: now.toISOString(),
    batchSeconds: total,
    timeline: cutoverTimeline(start, total),
    rows: estimated,
    mailboxes: estimated.length,
    messages: estimated.reduce((n, r) => n + (r.estimate?.messages ?? 0), 0),
    bytes: estimated.reduce((n, r) => n + (r.estimate?.bytes ?? 0), 0),
    warnings: estimated.reduce((n, r) => n + r.warnings.length, 0),
  };
}
