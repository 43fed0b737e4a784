import type { InventoryRepo } from '../../db/inventory-repo.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `groups` area. */
export function groupsHandlers(service: ProvisioningService, inventory: InventoryRepo): AreaHandlers<'groups'> {
  return {
    list: ([query]) => ok(inventory.listGroups(query)),
    upsert: async ([id, group], ctx) => noteChange(ctx.audit, id, group.address, await service.upsertGroup(id, group)),
    remove: async ([id, address], ctx) => noteChange(ctx.audit, id, address, await service.removeGroup(id, address)),
  };
}
