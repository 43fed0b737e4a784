import type { GmailLabelsChoice, MigrationCutoverStep, MigrationPlan, MigrationPlanPatch, MigrationPlanRow, MigrationPresetName, MigrationSharedFigures } from '../../../shared/domain/migration.ts';

/** Kinds of planner warnings, so the table can count them and colour them. */
export type WarningKind = 'oversize' | 'keywords' | 'refused' | 'labels' | 'other';

/** The figures one row of the plan table shows. */
export interface RowFacts {
  readonly folders: number | null;
  readonly messages: number | null;
  readonly bytes: number | null;
  readonly uploadBytes: number | null;
  readonly oversize: number | null;
  readonly labelOverheadBytes: number | null;
  /** Other users' and shared folders, apart (counted in the figures above only when the plan includes them). */
  readonly shared: MigrationSharedFigures | null;
  /** Folder names the target refuses (they get renamed). */
  readonly refused: readonly string[];
  readonly seconds: number | null;
  readonly limitedBy: string | null;
  readonly warnings: readonly { readonly kind: WarningKind; readonly text: string }[];
}

/** Classifies a planner warning by its wording (the planner's sentences are stable: see electron/migration/planner.ts). */
export function warningKind(text: string): WarningKind {
  if (/over .*limit|oversize/i.test(text)) return 'oversize';
  if (/keywords?/i.test(text)) return 'keywords';
  if (/renamed|refuses|reserves/i.test(text)) return 'refused';
  if (/label/i.test(text)) return 'labels';
  return 'other';
}

/** Figures and classified warnings of one plan row; null figures mean "no inventory yet". */
export function rowFacts(row: MigrationPlanRow): RowFacts {
  const warnings = dedupe([...(row.estimate?.warnings ?? []), ...row.warnings]).map((text) => ({ kind: warningKind(text), text }));
  const refused = warnings.filter((w) => w.kind === 'refused').map((w) => w.text.split(':')[0]!.trim());
  const e = row.estimate;
  return {
    folders: row.inventory ? row.inventory.length : null,
    messages: e ? e.messages : null,
    bytes: e ? e.bytes : null,
    uploadBytes: e ? e.uploadBytes : null,
    oversize: e ? e.oversize : null,
    labelOverheadBytes: e ? e.labelOverheadBytes : null,
    shared: e?.shared ?? null,
    refused: dedupe(refused),
    seconds: e ? e.seconds : null,
    limitedBy: e ? e.limitedBy : null,
    warnings,
  };
}

/** Totals over the included rows of a plan. */
export interface PlanTotals {
  readonly mailboxes: number;
  readonly messages: number;
  readonly bytes: number;
  readonly uploadBytes: number;
  readonly oversize: number;
  readonly labelOverheadBytes: number;
  /** What the rows' other users' and shared folders hold. */
  readonly sharedBytes: number;
  readonly warnings: number;
  /** Rows without an inventory (planned offline, or the source was unreachable). */
  readonly withoutInventory: number;
}

/** Sums the figures of the rows that are kept. */
export function planTotals(rows: readonly MigrationPlanRow[]): PlanTotals {
  let messages = 0, bytes = 0, uploadBytes = 0, oversize = 0, labelOverheadBytes = 0, sharedBytes = 0, warnings = 0, withoutInventory = 0;
  for (const r of rows) {
    const f = rowFacts(r);
    messages += f.messages ?? 0;
    bytes += f.bytes ?? 0;
    uploadBytes += f.uploadBytes ?? 0;
    oversize += f.oversize ?? 0;
    labelOverheadBytes += f.labelOverheadBytes ?? 0;
    sharedBytes += f.shared?.bytes ?? 0;
    warnings += f.warnings.length;
    if (r.estimate === null) withoutInventory += 1;
  }
  return { mailboxes: rows.length, messages, bytes, uploadBytes, oversize, labelOverheadBytes, sharedBytes, warnings, withoutInventory };
}

/** Batch duration when mailboxes run `parallel` at a time, longest first (the planner's greedy schedule). */
export function batchSeconds(seconds: readonly number[], parallel: number): number {
  const lanes = new Array<number>(Math.max(1, Math.floor(parallel) || 1)).fill(0);
  for (const s of [...seconds].sort((a, b) => b - a)) {
    const i = lanes.indexOf(Math.min(...lanes));
    lanes[i]! += s;
  }
  return Math.max(0, ...lanes);
}

/** An unsaved edit of a plan, made offline. */
export interface PlanDraft {
  readonly excluded: ReadonlySet<number>;
  readonly targetPreset: MigrationPresetName;
  readonly parallel: number;
  readonly gmailLabels: GmailLabelsChoice;
  /** Copy other users' and shared folders too (RFC 2342 namespaces other than the personal one). */
  readonly includeShared: boolean;
  /** ISO time of the first pass, or null to keep the plan's. */
  readonly start: string | null;
}

/** The draft matching a saved plan. */
export function draftOf(plan: MigrationPlan): PlanDraft {
  return { excluded: new Set(), targetPreset: plan.targetPreset, parallel: plan.parallel, gmailLabels: plan.gmailLabels, includeShared: plan.includeShared ?? false, start: null };
}

/** The update that turns the plan into the draft, or null when nothing changed. */
export function draftPatch(plan: MigrationPlan, draft: PlanDraft): MigrationPlanPatch | null {
  const patch: { -readonly [K in keyof MigrationPlanPatch]: MigrationPlanPatch[K] } = {};
  if (draft.excluded.size > 0) patch.keepRows = plan.rows.map((r) => r.seq).filter((seq) => !draft.excluded.has(seq));
  if (draft.targetPreset !== plan.targetPreset) patch.targetPreset = draft.targetPreset;
  if (draft.parallel !== plan.parallel) patch.parallel = draft.parallel;
  if (draft.gmailLabels !== plan.gmailLabels) patch.gmailLabels = draft.gmailLabels;
  if (draft.includeShared !== (plan.includeShared ?? false)) patch.includeShared = draft.includeShared;
  if (draft.start !== null && draft.start !== firstPassStart(plan.timeline)) patch.start = draft.start;
  return Object.keys(patch).length ? patch : null;
}

/** What a step of the cut-over timeline is, for its marker and wording. */
export type CutoverPhase = 'lower-ttl' | 'first-pass' | 'switch' | 'delta' | 'final' | 'other';

/** Recognises the planner's cut-over steps by their wording, falling back to their position. */
export function cutoverPhase(step: MigrationCutoverStep, index: number): CutoverPhase {
  const t = step.step.toLowerCase();
  if (/lower .*ttl/.test(t)) return 'lower-ttl';
  if (/switch mx/.test(t)) return 'switch';
  if (/final delta|raise the ttl/.test(t)) return 'final';
  if (/delta pass/.test(t)) return 'delta';
  if (/first pass/.test(t)) return 'first-pass';
  return (['lower-ttl', 'first-pass', 'switch', 'delta', 'final'] as const)[index] ?? 'other';
}

/** The ISO time the first pass starts, from the timeline. */
export function firstPassStart(timeline: readonly MigrationCutoverStep[]): string | null {
  const i = timeline.findIndex((s, n) => cutoverPhase(s, n) === 'first-pass');
  return timeline[i]?.at ?? null;
}

/** The ISO time of the MX switch, the T of the timeline. */
export function switchTime(timeline: readonly MigrationCutoverStep[]): string | null {
  const i = timeline.findIndex((s, n) => cutoverPhase(s, n) === 'switch');
  return timeline[i]?.at ?? null;
}

function dedupe(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
