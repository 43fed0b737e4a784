import { randomUUID } from 'node:crypto';
import { ok, type Result } from '../../shared/errors/result.ts';
import type { MigrationPlan, MigrationPlanRow, MigrationPresetName } from '../../shared/domain/migration.ts';
import { takeInventory } from './inventory.ts';
import { batchSeconds, cutoverTimeline, estimateMailbox } from './planner.ts';
import { discoverDav } from './plan-dav.ts';
import type { PlanPairs } from './plan-pairs.ts';
import { presetFor } from './presets.ts';

/** What a new plan is made from: mailbox pairs (URLs or users of connections) and the presets. */
export interface PlanInput {
  readonly name?: string;
  readonly sourceConnectionId?: string;
  readonly targetConnectionId?: string;
  readonly preset: MigrationPresetName;
  readonly sourcePreset?: MigrationPresetName;
  readonly parallel?: number;
  readonly inventory?: boolean;
  readonly start?: string;
  /** Other users' and shared folders count in the estimates (and are copied). */
  readonly includeShared?: boolean;
  readonly rows: readonly { source: string; target: string; sourcePassword?: string | undefined; targetPassword?: string | undefined; sourceDav?: string | undefined; targetDav?: string | undefined }[];
}

/** Checks the pairs, takes each source's inventory (four at a time) and estimates the batch and its DNS cut-over. */
export async function buildPlan(pairs: PlanPairs, input: PlanInput, now: Date): Promise<Result<MigrationPlan>> {
  const target = presetFor(input.preset)!;
  const sourcePreset = input.sourcePreset ? presetFor(input.sourcePreset) : null;
  const id = randomUUID().slice(0, 12);
  const rows: MigrationPlanRow[] = [];
  for (const [seq, r] of input.rows.entries()) {
    const row = await pairs.row(id, seq, r, input.sourceConnectionId ?? null, input.targetConnectionId ?? null);
    if (!row.ok) {
      for (const done of rows) await pairs.forgetSecrets(id, done.seq);
      return row;
    }
    rows.push(row.value);
  }
  if (input.inventory ?? true) {
    const queue = [...rows.keys()];
    const lane = async (): Promise<void> => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const row = rows[i]!;
        const ep = await pairs.endpoints(id, row);
        if (!ep.ok) {
          rows[i] = { ...row, warnings: [`inventory: ${ep.error.message}`] };
          continue;
        }
        const inv = await takeInventory(ep.value.source, target.maxMessageBytes);
        if (!inv.ok) rows[i] = { ...row, warnings: [`inventory: ${inv.error.message}`] };
        else {
          const estimate = estimateMailbox(inv.value, target, sourcePreset, input.includeShared ?? false);
          rows[i] = { ...row, inventory: inv.value, estimate, warnings: estimate.warnings };
        }
        // Calendars and contacts beside the mail (the IMAP login, or the google:/m365: connection's delegation); a failure stays on this row.
        if (row.sourceDav) {
          const dav = await discoverDav(() => pairs.davSide(row, 'source', ep.value.source), row.sourceDav);
          const current = rows[i]!;
          rows[i] = { ...current, dav, warnings: dav.error ? [...current.warnings, `calendars and contacts: ${dav.error}`] : current.warnings };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, rows.length) }, lane));
  }
  const parallel = input.parallel ?? 4;
  const total = batchSeconds(rows.map((r) => r.estimate?.seconds ?? 0), parallel);
  const created = now.toISOString();
  const plan: MigrationPlan = {
    id,
    name: input.name ?? `Migration ${created.slice(0, 16).replace('T', ' ')}`,
    createdAt: created,
    updatedAt: created,
    targetPreset: input.preset,
    sourcePreset: input.sourcePreset ?? null,
    mailboxes: rows.length,
    messages: rows.reduce((n, r) => n + (r.estimate?.messages ?? 0), 0),
    bytes: rows.reduce((n, r) => n + (r.estimate?.bytes ?? 0), 0),
    batchSeconds: total,
    parallel,
    warnings: rows.reduce((n, r) => n + r.warnings.length, 0),
    timeline: cutoverTimeline(input.start ? new Date(input.start) : new Date(now.getTime() + 2 * 86_400_000), total),
    gmailLabels: 'once',
    includeShared: input.includeShared ?? false,
    rows,
  };
  return ok(plan);
}
