import { ok, type Result } from '../../../shared/errors/result.ts';
import type { MigrationBatch } from '../../../shared/domain/migration.ts';
import type { MigrationService } from '../../migration/migration-service.ts';
import type { AreaHandlers, HandlerContext } from '../router.ts';

/** Handlers of the `migration` area: plans, batches, single copies and reports. Passwords given in inputs never reach the journal. */
export function migrationHandlers(service: MigrationService): AreaHandlers<'migration'> {
  const batchAudit = (ctx: HandlerContext, result: Result<MigrationBatch>): Result<MigrationBatch> => {
    if (result.ok) {
      ctx.audit.object = `migration.batch:${result.value.id}`;
      ctx.audit.after = { status: result.value.status, plan: result.value.planName, pairs: result.value.pairsTotal };
    }
    return result;
  };
  return {
    listPlans: () => ok(service.plans.listPlans()),
    getPlan: ([id]) => service.plans.getPlan(id),
    createPlanFromCsv: async ([input], ctx) => {
      const r = await service.plans.createPlanFromCsv(input);
      if (r.ok) {
        ctx.audit.object = `migration.plan:${r.value.id}`;
        ctx.audit.after = { name: r.value.name, mailboxes: r.value.mailboxes, preset: r.value.targetPreset };
      }
      return r;
    },
    createPlanFromConnections: async ([input], ctx) => {
      const r = await service.plans.createPlanFromConnections(input);
      if (r.ok) {
        ctx.audit.object = `migration.plan:${r.value.id}`;
        ctx.audit.after = { name: r.value.name, mailboxes: r.value.mailboxes, preset: r.value.targetPreset };
      }
      return r;
    },
    updatePlan: async ([id, patch], ctx) => {
      ctx.audit.object = `migration.plan:${id}`;
      const r = await service.plans.updatePlan(id, patch);
      if (r.ok) ctx.audit.after = { name: r.value.name, mailboxes: r.value.mailboxes, preset: r.value.targetPreset, includeShared: r.value.includeShared ?? false };
      return r;
    },
    removePlan: async ([id], ctx) => {
      ctx.audit.object = `migration.plan:${id}`;
      return service.plans.removePlan(id);
    },
    exportPlanCsv: ([id]) => service.plans.exportPlanCsv(id),
    startBatch: ([planId, options], ctx) => batchAudit(ctx, service.startBatch(planId, options)),
    pauseBatch: ([id], ctx) => batchAudit(ctx, service.pauseBatch(id)),
    resumeBatch: ([id], ctx) => batchAudit(ctx, service.resumeBatch(id)),
    cancelBatch: ([id], ctx) => batchAudit(ctx, service.cancelBatch(id)),
    deltaPass: ([id], ctx) => batchAudit(ctx, service.deltaPass(id)),
    verifyBatch: ([id], ctx) => batchAudit(ctx, service.verifyBatch(id)),
    retryFailed: ([id], ctx) => batchAudit(ctx, service.retryFailed(id)),
    listBatches: () => ok(service.listBatches()),
    getBatch: ([id]) => service.getBatch(id),
    report: ([batchId, seq]) => service.report(batchId, seq),
    exportReportCsv: ([batchId]) => service.exportReportCsv(batchId),
    copyMailbox: async ([input], ctx) => {
      const r = await service.copyMailbox(input, ctx.signal);
      if (r.ok) {
        ctx.audit.object = `migration.job:${r.value.jobId}`;
        ctx.audit.after = { source: r.value.source, target: r.value.target, dryRun: r.value.dryRun, complete: r.value.complete, copied: r.value.copied, failed: r.value.failed, error: r.value.error?.code ?? null };
      }
      return r;
    },
    createPlanFromUrls: async ([input], ctx) => {
      const r = await service.plans.createPlanFromUrls(input);
      if (r.ok) {
        ctx.audit.object = `migration.plan:${r.value.plan.id}`;
        ctx.audit.after = { name: r.value.plan.name, mailboxes: r.value.plan.mailboxes, preset: r.value.plan.targetPreset, failed: r.value.failures.length };
      }
      return r;
    },
    fleetStatus: ([input]) => service.fleet.status(input),
    fleetSettings: () => service.fleet.read(),
    setFleetSettings: async ([input], ctx) => {
      const r = await service.fleet.write(input);
      ctx.audit.object = 'migration.fleetSettings';
      // The password itself never reaches the journal: only whether one is kept.
      if (r.ok) ctx.audit.after = { redis: r.value.redis, state: r.value.state, recipient: r.value.recipient, hasRedisPassword: r.value.hasRedisPassword };
      return r;
    },
  };
}
