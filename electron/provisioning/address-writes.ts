import type { BackendAdapter } from '../backends/adapter.ts';
import type { InventoryRepo } from '../db/inventory-repo.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { AliasInfo, GroupInfo } from '../../shared/domain/provisioning.ts';
import { ok, type Result } from '../../shared/errors/result.ts';
import { domainOf, done, findListed, orNull, type Write, type WriteTarget } from './provisioning-write.ts';

/** Reads the alias at one address from the platform (null when there is none). */
export function readAlias(adapter: BackendAdapter, address: string): Promise<Result<AliasInfo | null>> {
  return findListed(adapter.listAliases(domainOf(address)), (a) => a.address === address);
}

/** Reads the group at one address from the platform (null when there is none). */
export function readGroup(adapter: BackendAdapter, address: string): Promise<Result<GroupInfo | null>> {
  return findListed(adapter.listGroups(domainOf(address)), (g) => g.address === address);
}

// Both, because several platforms keep them as one object: a PostfixAdmin or mailcow alias with
// several targets is also a group, and mailcow forwarding is an alias on the mailbox's own address.
/** Re-reads the alias and the group at one address into the cache. */
export async function syncAddress(inventory: InventoryRepo, address: string, { id, adapter, at }: WriteTarget): Promise<Result<void>> {
  const alias = await readAlias(adapter, address);
  if (!alias.ok) return alias;
  const group = await readGroup(adapter, address);
  if (!group.ok) return group;
  inventory.putAlias(id, address, alias.value, at);
  inventory.putGroup(id, address, group.value, at);
  return done;
}

/** Creates, changes and deletes aliases, catch-alls and groups. */
export class AddressWrites {
  private readonly write: Write;
  private readonly inventory: InventoryRepo;

  constructor(write: Write, inventory: InventoryRepo) {
    this.write = write;
    this.inventory = inventory;
  }

  /** Creates or replaces an alias or catch-all (`@domain`). */
  upsertAlias(idOrName: string, alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<Change<AliasInfo>>> {
    return this.write(idOrName, {
      domain: domainOf(alias.address),
      before: async (a) => orNull(await readAlias(a, alias.address)),
      work: (a) => a.upsertAlias(alias),
      sync: (_v, target) => syncAddress(this.inventory, alias.address, target),
    });
  }

  /** Deletes an alias or catch-all. */
  removeAlias(idOrName: string, address: string): Promise<Result<Change<{ readonly address: string }>>> {
    return this.write(idOrName, {
      domain: domainOf(address),
      before: async (a) => orNull(await readAlias(a, address)),
      work: async (a) => {
        const removed = await a.deleteAlias(address);
        return removed.ok ? ok({ address }) : removed;
      },
      after: () => null,
      sync: (_v, target) => syncAddress(this.inventory, address, target),
    });
  }

  /** Creates or replaces a group with its members. */
  upsertGroup(idOrName: string, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<Change<GroupInfo>>> {
    return this.write(idOrName, {
      domain: domainOf(group.address),
      before: async (a) => orNull(await readGroup(a, group.address)),
      work: (a) => a.upsertGroup(group),
      sync: (_v, target) => syncAddress(this.inventory, group.address, target),
    });
  }

  /** Deletes a group. */
  removeGroup(idOrName: string, address: string): Promise<Result<Change<{ readonly address: string }>>> {
    return this.write(idOrName, {
      domain: domainOf(address),
      before: async (a) => orNull(await readGroup(a, address)),
      work: async (a) => {
        const removed = await a.deleteGroup(address);
        return removed.ok ? ok({ address }) : removed;
      },
      after: () => null,
      sync: (_v, target) => syncAddress(this.inventory, address, target),
    });
  }
}
