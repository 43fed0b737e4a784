import type { InventoryRepo } from '../db/inventory-repo.ts';
import { noteChange, type AuditNote, type AuditRecorder } from '../audit/audit-recorder.ts';
import type { ImportApplied, ImportReport, ImportRequest, ImportStepKind } from '../../shared/domain/import.ts';
import type { Area } from '../../shared/ipc/contract.ts';
import { argsParser } from '../../shared/ipc/args-parser.ts';
import { ok, type Result } from '../../shared/errors/result.ts';
import type { ProvisioningService } from './provisioning-service.ts';
import type { ImportOp, PlannedStep } from './import-plan.ts';

/** The provisioning writes an import applies. */
export type ImportWrites = Pick<ProvisioningService, 'checkWrites' | 'createDomain' | 'createMailbox' | 'updateMailbox' | 'setForwarding' | 'upsertAlias' | 'upsertGroup'>;

/**
 * Bulk CSV import. One validation path for the dry run and the apply: the plan (each operation through the
 * router's own validator, against the cache and the lines before it), then the platform's own limits read
 * without writing; only then, unless it is a dry run, the same plan applied step by step through the
 * provisioning service, each operation journaled on its own under its action. Shared by the console and
 * `mailroom import`.
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
    // The planner validates with the operations' zod schemas: loaded by the first import, not by every command.
    const { planImport } = await import('./import-plan.ts');
    const planned = planImport(this.inventory, request);
    if (!planned.ok) return planned;
    const limited = await this.checkLimits(planned.value);
    if (!limited.ok) return limited;
    const steps = limited.value;
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
    return ok({ dryRun: request.dryRun, steps: steps.map(({ ops: _o, writes: _w, generatedPassword: _p, ...s }) => s), counts, applied });
  }

  // The platform's verdict on every planned write, per connection in file order; a refused domain line
  // takes the lines that need that domain with it.
  private async checkLimits(steps: readonly PlannedStep[]): Promise<Result<PlannedStep[]>> {
    const out = [...steps];
    const byConnection = new Map<string, number[]>();
    steps.forEach((s, i) => {
      if (s.connectionId && s.writes.length > 0 && (s.kind === 'create' || s.kind === 'update')) byConnection.set(s.connectionId, [...(byConnection.get(s.connectionId) ?? []), i]);
    });
    for (const [connectionId, indices] of byConnection) {
      const verdicts = await this.writes.checkWrites(connectionId, indices.flatMap((i) => steps[i]!.writes));
      if (!verdicts.ok) return verdicts;
      let at = 0;
      for (const i of indices) {
        const refused = verdicts.value.slice(at, at + steps[i]!.writes.length).find((v) => v !== null);
        at += steps[i]!.writes.length;
        if (refused) out[i] = refuse(steps[i]!, refused.message);
      }
    }
    for (const lost of out.filter((s, i) => s.type === 'domain' && s.kind === 'error' && steps[i]!.kind === 'create')) {
      out.forEach((s, i) => {
        if (s.line > lost.line && s.connectionId === lost.connectionId && s.type !== 'domain' && (s.kind === 'create' || s.kind === 'update') && s.address.endsWith(`@${lost.address}`)) {
          out[i] = refuse(s, `The domain ${lost.address} (line ${lost.line}) is refused: ${lost.detail}`);
        }
      });
    }
    return ok(out);
  }

  // Input the console would refuse is refused here too, unjournaled, exactly as the router does.
  private async apply(planned: ImportOp, operator: string): Promise<Result<unknown>> {
    const [area, method] = planned.action.split('.') as [Area, string];
    const parsed = (await argsParser())(area, method as never, planned.args);
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

function refuse(step: PlannedStep, detail: string): PlannedStep {
  const { generatedPassword: _p, ...rest } = step;
  return { ...rest, kind: 'error', detail, ops: [], writes: [] };
}
