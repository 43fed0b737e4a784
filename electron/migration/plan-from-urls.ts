import { createHash } from 'node:crypto';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { MigrationPlan, MigrationPlanRow, NewPlanFromUrls, PlanFromUrls } from '../../shared/domain/migration.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { parseEndpointUrl, type EndpointAddress } from './endpoint.ts';
import type { SavedConnections } from '../dav/cloud-side.ts';
import { davSideProblem, discoverDav, openDavSide } from './plan-dav.ts';
import { takeInventory } from './inventory.ts';
import type { PlanRepo } from './plan-repo.ts';
import { batchSeconds, cutoverTimeline, estimateMailbox } from './planner.ts';
import { presetFor } from './presets.ts';

/**
 * Plans from source URLs (migration.createPlanFromUrls, and `mailroom plan --state FILE` on its
 * own database): each source is inventoried in turn with its password, which is not kept; a source
 * whose inventory fails is reported and left out. The plan's id derives from its name, so planning
 * again under the same name replaces it.
 */
export async function createPlanFromUrls(
  repo: PlanRepo,
  input: NewPlanFromUrls,
  now: Date,
  endpointDefaults: Partial<Pick<ImapEndpoint, 'ca' | 'servername' | 'timeoutMs'>> = {},
  connections: SavedConnections | null = null,
): Promise<Result<PlanFromUrls>> {
  const addresses: EndpointAddress[] = [];
  for (const pair of input.pairs) {
    const address = parseEndpointUrl(pair.source);
    if (typeof address === 'string') return err('input.invalid', `source ${pair.source}: ${address}`);
    for (const [side, dav] of [['source_dav', pair.sourceDav], ['target_dav', pair.targetDav]] as const) {
      const problem = dav ? davSideProblem(dav, connections) : null;
      if (problem) return err('input.invalid', `${side} of ${pair.source}: ${problem}`);
    }
    addresses.push(address);
  }
  const target = presetFor(input.preset)!;
  const sourcePreset = input.sourcePreset ? presetFor(input.sourcePreset) : null;
  const rows: MigrationPlanRow[] = [];
  const failures: PlanFromUrls['failures'][number][] = [];
  for (const [i, pair] of input.pairs.entries()) {
    const endpoint: ImapEndpoint = { ...addresses[i]!, auth: { password: pair.sourcePassword }, ...(input.ca ? { ca: input.ca } : {}), ...endpointDefaults };
    const inventory = await takeInventory(endpoint, target.maxMessageBytes);
    if (!inventory.ok) {
      failures.push({ source: pair.source, error: inventory.error });
      continue;
    }
    const estimate = estimateMailbox(inventory.value, target, sourcePreset, input.includeShared ?? false);
    // Calendars and contacts are planned beside the mail; a DAV failure is the row's warning, not the plan's.
    const sourceDav = pair.sourceDav;
    const dav = sourceDav ? await discoverDav(() => openDavSide(sourceDav, endpoint, connections), sourceDav) : null;
    const warnings = dav?.error ? [...estimate.warnings, `calendars and contacts: ${dav.error}`] : estimate.warnings;
    rows.push({
      seq: rows.length, source: pair.source, target: pair.target, sourceConnectionId: null, targetConnectionId: null, hasSourceSecret: false, hasTargetSecret: false,
      inventory: inventory.value, estimate, warnings, sourceDav: pair.sourceDav ?? null, targetDav: pair.targetDav ?? null, dav,
    });
  }
  const parallel = input.parallel ?? 4;
  const total = batchSeconds(rows.map((r) => r.estimate?.seconds ?? 0), parallel);
  const created = now.toISOString();
  const name = input.name ?? `plan-${created.slice(0, 10)}`;
  const plan: MigrationPlan = {
    id: createHash('sha256').update(name).digest('hex').slice(0, 12),
    name,
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
  repo.savePlan(plan);
  return ok({ plan: repo.plan(plan.id)!, failures });
}
