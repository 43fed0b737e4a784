import type { BackendAdapter } from '../backends/adapter.ts';
import type { InventoryRepo } from '../db/inventory-repo.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { NewDomain } from '../../shared/domain/inventory.ts';
import type { DomainInfo, DomainPatch, Outcome } from '../../shared/domain/provisioning.ts';
import { ok, type Result } from '../../shared/errors/result.ts';
import { done, findListed, orNull, unsupported, type Write } from './provisioning-write.ts';

/** Reads one domain from the platform's domain list (null when absent). */
function readDomain(adapter: BackendAdapter, name: string): Promise<Result<DomainInfo | null>> {
  return findListed(adapter.listDomains(), (d) => d.name === name);
}

/** Creates, changes and deletes domains and alias domains. */
export class DomainWrites {
  private readonly write: Write;
  private readonly inventory: InventoryRepo;

  constructor(write: Write, inventory: InventoryRepo) {
    this.write = write;
    this.inventory = inventory;
  }

  /** Creates a domain, or with `aliasOf` a whole-domain alias of an existing one. */
  create(idOrName: string, input: NewDomain): Promise<Result<Change<Outcome<DomainInfo>>>> {
    const { name, aliasOf, ...options } = input;
    return this.write(idOrName, {
      domain: aliasOf ?? name,
      work: async (a) => {
        if (!aliasOf) return a.createDomain(name, options);
        if (!a.createAliasDomain) return unsupported('alias domains');
        const made = await a.createAliasDomain(name, aliasOf);
        return made.ok ? ok({ state: 'done' as const, value: made.value }) : made;
      },
      sync: async (o, { id, adapter, at }) => {
        // For an alias domain the answer is the target (now listing the alias); the alias's own row is read back.
        this.inventory.putDomain(id, o.value, at);
        if (!aliasOf) return done;
        const alias = await readDomain(adapter, name);
        if (!alias.ok) return alias;
        if (alias.value) this.inventory.putDomain(id, alias.value, at);
        return done;
      },
    });
  }

  /** Changes a domain's description, state or limits. */
  update(idOrName: string, name: string, patch: DomainPatch): Promise<Result<Change<DomainInfo>>> {
    return this.write(idOrName, {
      domain: name,
      before: async (a) => orNull(await readDomain(a, name)),
      work: (a) => (a.updateDomain ? a.updateDomain(name, patch) : Promise.resolve(unsupported('domain changes'))),
      sync: (d, { id, at }) => (this.inventory.putDomain(id, d, at), done),
    });
  }

  /** Deletes a domain. */
  remove(idOrName: string, name: string): Promise<Result<Change<{ readonly name: string }>>> {
    return this.write(idOrName, {
      domain: name,
      before: async (a) => orNull(await readDomain(a, name)),
      work: async (a) => {
        const removed = await a.deleteDomain(name);
        return removed.ok ? ok({ name }) : removed;
      },
      after: () => null,
      sync: (_v, { id }) => (this.inventory.removeDomain(id, name), done),
    });
  }
}
