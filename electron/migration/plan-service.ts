import { err, ok, type Result } from '../../shared/errors/result.ts';
import type {
  MigrationPlan,
  MigrationPlanPatch,
  MigrationPlanRow,
  MigrationPlanSummary,
  NewPlanFromConnections,
  NewPlanFromCsv,
  NewPlanFromUrls,
  PlanFromUrls,
} from '../../shared/domain/migration.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { buildPlan, type PlanInput } from './plan-builder.ts';
import { parsePlanCsv, planCsv } from './plan-csv.ts';
import { createPlanFromUrls } from './plan-from-urls.ts';
import type { PlanPairs } from './plan-pairs.ts';
import type { PlanRepo } from './plan-repo.ts';
import { reestimatedPlan } from './plan-reestimate.ts';

/** What the plan operations need: the plan storage, the mailbox pairs (keychain, connections) and the clock. */
export interface PlanServiceDeps {
  readonly repo: PlanRepo;
  readonly pairs: PlanPairs;
  readonly now: () => Date;
  readonly endpointDefaults?: Partial<Pick<ImapEndpoint, 'ca' | 'servername' | 'timeoutMs'>>;
}

/** Migration plans, offline in SQLite: created from a CSV, two connections or source URLs, edited, exported. */
export class PlanService {
  private readonly deps: PlanServiceDeps;

  constructor(deps: PlanServiceDeps) {
    this.deps = deps;
  }

  /** Every plan, newest first. */
  listPlans(): MigrationPlanSummary[] {
    return this.deps.repo.plans();
  }

  /** One whole plan. */
  getPlan(id: string): Result<MigrationPlan> {
    const plan = this.deps.repo.plan(id);
    return plan ? ok(plan) : err('notFound', `No migration plan ${id}.`);
  }

  /** Plans the pairs of a CSV; its passwords go to the keychain. */
  async createPlanFromCsv(input: NewPlanFromCsv): Promise<Result<MigrationPlan>> {
    const parsed = parsePlanCsv(input.csv);
    if (!parsed.ok) return parsed;
    const includeShared = input.includeShared ?? parsed.value.includeShared;
    return this.savedPlan({ ...input, rows: parsed.value.pairs, ...(includeShared !== undefined ? { includeShared } : {}) });
  }

  /** Plans users of two IMAP connections (by default the connections' own users). */
  async createPlanFromConnections(input: NewPlanFromConnections): Promise<Result<MigrationPlan>> {
    const s = this.deps.pairs.imapConnection(input.sourceConnectionId);
    if (!s.ok) return s;
    const t = this.deps.pairs.imapConnection(input.targetConnectionId);
    if (!t.ok) return t;
    const rows = input.pairs?.map((p) => ({ source: p.source, target: p.target })) ?? [{ source: s.value.user, target: t.value.user }];
    return this.savedPlan({ ...input, rows });
  }

  /** Plans from source URLs whose passwords serve the inventory only. */
  createPlanFromUrls(input: NewPlanFromUrls): Promise<Result<PlanFromUrls>> {
    return createPlanFromUrls(this.deps.repo, input, this.deps.now(), this.deps.endpointDefaults, this.deps.pairs.savedConnections);
  }

  /** Renames, re-presets, re-times, or keeps and adds rows; estimates follow the preset. */
  async updatePlan(id: string, patch: MigrationPlanPatch): Promise<Result<MigrationPlan>> {
    const { repo, pairs } = this.deps;
    const plan = repo.plan(id);
    if (!plan) return err('notFound', `No migration plan ${id}.`);
    let rows: MigrationPlanRow[] = [...plan.rows];
    if (patch.keepRows) {
      const bySeq = new Map(rows.map((r) => [r.seq, r]));
      const missing = patch.keepRows.filter((s) => !bySeq.has(s));
      if (missing.length > 0) return err('input.invalid', `The plan has no rows ${missing.join(', ')}.`);
      const kept = new Set(patch.keepRows);
      for (const r of rows) if (!kept.has(r.seq)) await pairs.forgetSecrets(plan.id, r.seq);
      rows = patch.keepRows.map((s) => bySeq.get(s)!);
    }
    const next = Math.max(-1, ...plan.rows.map((r) => r.seq)) + 1;
    const added: MigrationPlanRow[] = [];
    for (const [i, a] of (patch.addRows ?? []).entries()) {
      const row = await pairs.row(plan.id, next + i, a, rows[0]?.sourceConnectionId ?? null, rows[0]?.targetConnectionId ?? null);
      if (!row.ok) return row;
      added.push(row.value);
    }
    rows = [...rows, ...added];
    repo.savePlan(reestimatedPlan(plan, patch, rows, this.deps.now()));
    return ok(repo.plan(id)!);
  }

  /** Deletes a plan and its rows' passwords. */
  async removePlan(id: string): Promise<Result<{ id: string }>> {
    const plan = this.deps.repo.plan(id);
    if (!plan) return err('notFound', `No migration plan ${id}.`);
    for (const r of plan.rows) await this.deps.pairs.forgetSecrets(id, r.seq);
    this.deps.repo.removePlan(id);
    return ok({ id });
  }

  /** A plan's rows and estimates as CSV. */
  exportPlanCsv(id: string): Result<string> {
    const plan = this.deps.repo.plan(id);
    return plan ? ok(planCsv(plan)) : err('notFound', `No migration plan ${id}.`);
  }

  private async savedPlan(input: PlanInput): Promise<Result<MigrationPlan>> {
    const plan = await buildPlan(this.deps.pairs, input, this.deps.now());
    if (!plan.ok) return plan;
    this.deps.repo.savePlan(plan.value);
    return ok(this.deps.repo.plan(plan.value.id)!);
  }
}
