import type { InventoryRepo } from '../../db/inventory-repo.ts';
import type { InviteService } from '../../invite/invite-service.ts';
import type { ImportService } from '../../provisioning/import-service.ts';
import { ProvisioningService, type Change } from '../../provisioning/provisioning-service.ts';
import { ok, err, type Result } from '../../../shared/errors/result.ts';
import type { AreaHandlers, HandlerContext } from '../router.ts';

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/** Copies a change's before/after into the journal note and returns its value. */
function audited<T>(ctx: HandlerContext, connectionId: string, object: string, result: Result<Change<T>>): Result<T> {
  ctx.audit.connectionId = connectionId;
  ctx.audit.object = object;
  if (!result.ok) return result;
  ctx.audit.before = result.value.before;
  ctx.audit.after = result.value.after;
  return ok(result.value.value);
}

function unsupported(what: string): Result<never> {
  return err('backend.unsupported', `This platform has no ${what} through Mailroom.`);
}

/** Handlers of the `domains`, `mailboxes`, `aliases` and `groups` areas. */
export function provisioningHandlers(
  service: ProvisioningService,
  inventory: InventoryRepo,
  invites: InviteService,
  importer: ImportService,
): { domains: AreaHandlers<'domains'>; mailboxes: AreaHandlers<'mailboxes'>; aliases: AreaHandlers<'aliases'>; groups: AreaHandlers<'groups'> } {
  const S = ProvisioningService;
  return {
    domains: {
      list: ([query]) => ok(inventory.listDomains(query)),
      refresh: ([id], ctx) => service.refresh(id, null, ctx.signal),
      create: async ([id, input], ctx) =>
        audited(ctx, id, input.name, await service.change(id, input.aliasOf ?? input.name, async (a) => {
          if (input.aliasOf) {
            if (!a.createAliasDomain) return unsupported('alias domains');
            const made = await a.createAliasDomain(input.name, input.aliasOf);
            return made.ok ? ok({ state: 'done' as const, value: made.value }) : made;
          }
          const { name, aliasOf: _alias, ...options } = input;
          return a.createDomain(name, options);
        })),
      update: async ([id, name, patch], ctx) =>
        audited(ctx, id, name, await service.change(id, name, (a) => (a.updateDomain ? a.updateDomain(name, patch) : Promise.resolve(unsupported('domain changes'))), (a) => S.domainState(a, name))),
      remove: async ([id, name], ctx) =>
        audited(ctx, id, name, await service.change(id, name, async (a) => {
          const removed = await a.deleteDomain(name);
          return removed.ok ? ok({ name }) : removed;
        }, (a) => S.domainState(a, name), () => null)),
    },
    mailboxes: {
      search: ([query]) => ok(inventory.searchMailboxes(query)),
      page: ([query]) => ok(inventory.pageMailboxes(query)),
      // The one-time password exists only in the mail; the journal records where the invite went.
      invite: async ([input], ctx) => audited(ctx, input.connectionId, input.address, await invites.invite(input)),
      // Each applied step is journaled on its own; this entry records the import as a whole (never a password).
      import: async ([request], ctx) => {
        const report = await importer.run(request);
        ctx.audit.object = request.dryRun ? 'csv import (dry run)' : 'csv import';
        if (request.connectionId) ctx.audit.connectionId = request.connectionId;
        if (report.ok) ctx.audit.after = { counts: report.value.counts, applied: report.value.applied.length, failed: report.value.applied.filter((a) => !a.ok).length };
        return report;
      },
      // The journal gets the mailbox as created: never the password.
      create: async ([id, input], ctx) =>
        audited(ctx, id, input.address, await service.change(id, domainOf(input.address), (a) => a.createMailbox(input), undefined, (o) => o.value)),
      update: async ([id, address, patch], ctx) =>
        audited(ctx, id, address, await service.change(id, domainOf(address), (a) => a.updateMailbox(address, patch), (a) => S.mailboxState(a, address))),
      remove: async ([id, address], ctx) =>
        audited(ctx, id, address, await service.change(id, domainOf(address), async (a) => {
          const removed = await a.deleteMailbox(address);
          return removed.ok ? ok({ address }) : removed;
        }, (a) => S.mailboxState(a, address), () => null)),
      setPassword: async ([id, address, password], ctx) =>
        audited(ctx, id, address, await service.change(id, domainOf(address), async (a) => {
          const set = await a.setPassword(address, password);
          return set.ok ? ok({ address }) : set;
        }, undefined, () => ({ password: 'changed' }))),
      setForwarding: async ([id, address, targets, keepCopy], ctx) =>
        audited(ctx, id, address, await service.change(id, domainOf(address), (a) => a.setForwarding(address, targets, keepCopy), async (a) => {
          const f = await a.getForwarding(address);
          return f.ok ? f.value : null;
        }, (o) => o.value)),
    },
    aliases: {
      list: ([query]) => ok(inventory.listAliases(query)),
      upsert: async ([id, alias], ctx) =>
        audited(ctx, id, alias.address, await service.change(id, domainOf(alias.address), (a) => a.upsertAlias(alias), (a) => S.aliasState(a, alias.address))),
      remove: async ([id, address], ctx) =>
        audited(ctx, id, address, await service.change(id, domainOf(address), async (a) => {
          const removed = await a.deleteAlias(address);
          return removed.ok ? ok({ address }) : removed;
        }, (a) => S.aliasState(a, address), () => null)),
    },
    groups: {
      list: ([query]) => ok(inventory.listGroups(query)),
      upsert: async ([id, group], ctx) =>
        audited(ctx, id, group.address, await service.change(id, domainOf(group.address), (a) => a.upsertGroup(group), (a) => S.groupState(a, group.address))),
      remove: async ([id, address], ctx) =>
        audited(ctx, id, address, await service.change(id, domainOf(address), async (a) => {
          const removed = await a.deleteGroup(address);
          return removed.ok ? ok({ address }) : removed;
        }, (a) => S.groupState(a, address), () => null)),
    },
  };
}
