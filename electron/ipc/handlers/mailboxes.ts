import type { InventoryRepo } from '../../db/inventory-repo.ts';
import type { InviteService } from '../../invite/invite-service.ts';
import type { ImportService } from '../../provisioning/import-service.ts';
import type { ProvisioningService } from '../../provisioning/provisioning-service.ts';
import { noteChange } from '../../audit/audit-recorder.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `mailboxes` area: search from the cache; changes, invitations and imports through their services. */
export function mailboxesHandlers(service: ProvisioningService, inventory: InventoryRepo, invites: InviteService, importer: ImportService): AreaHandlers<'mailboxes'> {
  return {
    search: ([query]) => ok(inventory.searchMailboxes(query)),
    page: ([query]) => ok(inventory.pageMailboxes(query)),
    // The one-time password exists only in the mail; the journal records where the invite went and,
    // when it failed, whether the password changed anyway.
    invite: async ([input], ctx) => {
      const { result, state } = await invites.invite(input);
      if (!result.ok) ctx.audit.afterFailure = state;
      return noteChange(ctx.audit, input.connectionId, input.address, result);
    },
    // Each applied step is journaled on its own; this entry records the import as a whole (never a password).
    import: async ([request], ctx) => {
      const report = await importer.run(request, ctx.operator);
      ctx.audit.object = request.dryRun ? 'csv import (dry run)' : 'csv import';
      if (request.connectionId) ctx.audit.connectionId = request.connectionId;
      if (report.ok) ctx.audit.after = { counts: report.value.counts, applied: report.value.applied.length, failed: report.value.applied.filter((a) => !a.ok).length };
      return report;
    },
    create: async ([id, input], ctx) => noteChange(ctx.audit, id, input.address, await service.createMailbox(id, input)),
    update: async ([id, address, patch], ctx) => noteChange(ctx.audit, id, address, await service.updateMailbox(id, address, patch)),
    remove: async ([id, address], ctx) => noteChange(ctx.audit, id, address, await service.removeMailbox(id, address)),
    setPassword: async ([id, address, password], ctx) => noteChange(ctx.audit, id, address, await service.setPassword(id, address, password)),
    setForwarding: async ([id, address, targets, keepCopy], ctx) => noteChange(ctx.audit, id, address, await service.setForwarding(id, address, targets, keepCopy)),
    setSpamThreshold: async ([id, address, threshold], ctx) => noteChange(ctx.audit, id, address, await service.setSpamThreshold(id, address, threshold)),
  };
}
