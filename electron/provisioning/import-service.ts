import type { InventoryRepo } from '../db/inventory-repo.ts';
import { noteChange, type AuditNote, type AuditRecorder } from '../audit/audit-recorder.ts';
import type { ImportApplied, ImportReport, ImportRequest, ImportStepKind } from '../../shared/domain/import.ts';
import type { Area } from '../../shared/ipc/contract.ts';
import { parseArgs } from '../../shared/ipc/schemas.ts';
import { ok, type Result } from '../../shared/errors/result.ts';
import type { ProvisioningService } from './provisioning-service.ts';
import { planImport, type ImportOp } from './import-plan.ts';

/** The provisioning writes an import applies. */
export type ImportWrites = Pick<ProvisioningService, 'createDomain' | 'createMailbox' | 'updateMailbox' | 'setForwarding' | 'upsertAlias' | 'upsertGroup'>;

/**
 * Bulk CSV import: a dry-run diff against the cache, then the same plan applied step by step through the
 * provisioning service, each operation validated like its console call and journaled on its own under the
 * same action. Shared by the console and `mailroom import`.
 */
export class ImportService {
  private readonly inventory: InventoryRepo;
  private readonly writes: ImportWrites;
  private readonly recorder: Pick<AuditRecorder, 'record'>;

  constructor(deps: { inventory: InventoryRepo; writes: ImportWrites; recorder: Pick<AuditRecorder, 'record'> }) {
    this.inventory = deps.inventory;
    this.writes = deps.writes;
    this.recorder = deps.recorder;
  }

  /** Plans the CSV and, unless it is a dry run, applies every create and update on behalf of `operator`. */
  async run(request: ImportRequest, operator: string): Promise<Result<ImportReport>> {
    const planned = planImport(this.inventory, request);
    if (!planned.ok) return planned;
    const steps = planned.value;
    const applied: ImportApplied[] = [];
    if (!request.dryRun) {
      for (const step of steps) {
        if (step.kind !== 'create' && step.kind !== 'update') continue;
        let failure: Result<unknown> | null = null;
        for (const op of step.ops) {
          const r = await this.apply(op, operator);
          if (!r.ok) {
            failure = r;
            break;
          }
        }
        applied.push({ line: step.line, address: step.address, ok: failure === null, ...(failure && !failure.ok ? { error: failure.error } : {}), ...(failure === null && step.generatedPassword ? { generatedPassword: step.generatedPassword } : {}) });
      }
    }
    const counts: Record<ImportStepKind, number> = { create: 0, update: 0, unchanged: 0, error: 0 };
    for (const s of steps) counts[s.kind] += 1;
    return ok({ dryRun: request.dryRun, steps: steps.map(({ ops: _o, generatedPassword: _p, ...s }) => s), counts, applied });
  }

  // Input the console would refuse is refused here too, unjournaled, exactly as the router does.
  private async apply(planned: ImportOp, operator: string): Promise<Result<unknown>> {
    const [area, method] = planned.action.split('.') as [Area, string];
    const parsed = parseArgs(area, method as never, planned.args);
    if (!parsed.ok) return parsed;
    const op = { action: planned.action, args: parsed.value } as ImportOp;
    const note: AuditNote = {};
    const result = await this.perform(op, note);
    await this.recorder.record(operator, op.action, note, result);
    return result;
  }

  private async perform(op: ImportOp, note: AuditNote): Promise<Result<unknown>> {
    const w = this.writes;
    switch (op.action) {
      case 'domains.create': {
        const [id, input] = op.args;
        return noteChange(note, id, input.name, await w.createDomain(id, input));
      }
      case 'mailboxes.create': {
        const [id, input] = op.args;
        return noteChange(note, id, input.address, await w.createMailbox(id, input));
      }
      case 'mailboxes.update': {
        const [id, address, patch] = op.args;
        return noteChange(note, id, address, await w.updateMailbox(id, address, patch));
      }
      case 'mailboxes.setForwarding': {
        const [id, address, targets, keepCopy] = op.args;
        return noteChange(note, id, address, await w.setForwarding(id, address, targets, keepCopy));
      }
      case 'aliases.upsert': {
        const [id, alias] = op.args;
        return noteChange(note, id, alias.address, await w.upsertAlias(id, alias));
      }
      case 'groups.upsert': {
        const [id, group] = op.args;
        return noteChange(note, id, group.address, await w.upsertGroup(id, group));
      }
    }
  }
}
