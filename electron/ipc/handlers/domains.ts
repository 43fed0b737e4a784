import type { InventoryRepo } from '../../db/inventory-repo.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `domains` area: lists from the cache, changes through the provisioning service. */
export function domainsHandlers(service: ProvisioningService, inventory: InventoryRepo): AreaHandlers<'domains'> {
  return {
    list: ([query]) => ok(inventory.listDomains(query)),
    refresh: ([id], ctx) => service.refresh(id, null, ctx.signal),
    create: async ([id, input], ctx) => noteChange(ctx.audit, id, input.name, await service.createDomain(id, input)),
    update: async ([id, name, patch], ctx) => noteChange(ctx.audit, id, name, await service.updateDomain(id, name, patch)),
    remove: async ([id, name], ctx) => noteChange(ctx.audit, id, name, await service.removeDomain(id, name)),
  };
}
