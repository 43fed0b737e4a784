import type { InventoryRepo } from '../../db/inventory-repo.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `aliases` area (catch-alls included). */
export function aliasesHandlers(service: ProvisioningService, inventory: InventoryRepo): AreaHandlers<'aliases'> {
  return {
    list: ([query]) => ok(inventory.listAliases(query)),
    upsert: async ([id, alias], ctx) => noteChange(ctx.audit, id, alias.address, await service.upsertAlias(id, alias)),
    remove: async ([id, address], ctx) => noteChange(ctx.audit, id, address, await service.removeAlias(id, address)),
  };
}
