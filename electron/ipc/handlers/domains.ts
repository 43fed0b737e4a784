import type { InventoryRepo } from '../../db/inventory-repo.ts';
import type { DkimSigning } from '../../provisioning/dkim-signing.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `domains` area: lists from the cache, changes through the provisioning service, DKIM keys on the platform. */
export function domainsHandlers(service: ProvisioningService, inventory: InventoryRepo, dkim: DkimSigning): AreaHandlers<'domains'> {
  return {
    list: ([query]) => ok(inventory.listDomains(query)),
    refresh: ([id], ctx) => service.refresh(id, null, ctx.signal),
    create: async ([id, input], ctx) => noteChange(ctx.audit, id, input.name, await service.createDomain(id, input)),
    update: async ([id, name, patch], ctx) => noteChange(ctx.audit, id, name, await service.updateDomain(id, name, patch)),
    remove: async ([id, name], ctx) => noteChange(ctx.audit, id, name, await service.removeDomain(id, name)),
    dkimKeys: ([id, domain]) => dkim.signers(id, domain),
    // The journal records the public key and selector; the private key never reaches a result.
    installDkim: async ([id, key], ctx) => noteChange(ctx.audit, id, `${key.selector}._domainkey.${key.domain}`, await dkim.install(id, key)),
    generateDkim: async ([id, key], ctx) => noteChange(ctx.audit, id, `${key.selector}._domainkey.${key.domain}`, await dkim.generate(id, key)),
  };
}
