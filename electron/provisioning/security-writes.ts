import type { InventoryRepo } from '../db/inventory-repo.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { SpamThreshold, TenantSettings } from '../../shared/domain/provisioning.ts';
import type { Result } from '../../shared/errors/result.ts';
import { domainOf, done, unsupported, type Write } from './provisioning-write.ts';

/** Changes the platform settings standards hold connections to: spam thresholds and tenant-wide settings. */
export class SecurityWrites {
  private readonly write: Write;
  private readonly inventory: InventoryRepo;

  constructor(write: Write, inventory: InventoryRepo) {
    this.write = write;
    this.inventory = inventory;
  }

  /** Sets a mailbox's spam thresholds; the cache and the journal get what the platform reads back. */
  setSpamThreshold(idOrName: string, address: string, threshold: SpamThreshold): Promise<Result<Change<SpamThreshold>>> {
    return this.write(idOrName, {
      domain: domainOf(address),
      before: async (a) => {
        if (!a.listSpamThresholds) return null;
        for await (const t of a.listSpamThresholds(domainOf(address))) if (t.ok && t.value.address === address) return { low: t.value.low, high: t.value.high };
        return null;
      },
      work: async (a) => (a.setSpamThreshold ? a.setSpamThreshold(address, threshold) : unsupported('spam thresholds')),
      sync: (t, { id, at }) => (this.inventory.putSpamThreshold(id, address, t, at), done),
    });
  }

  /** Changes tenant-wide settings (Microsoft security defaults); the cache and the journal get what the platform reads back. */
  setTenantSettings(idOrName: string, patch: TenantSettings): Promise<Result<Change<TenantSettings>>> {
    return this.write(idOrName, {
      domain: '',
      before: async (a) => {
        const read = a.readTenantSettings ? await a.readTenantSettings() : null;
        return read?.ok ? read.value : null;
      },
      work: async (a) => (a.updateTenantSettings ? a.updateTenantSettings(patch) : unsupported('tenant-wide security settings')),
      sync: (settings, { id, at }) => (this.inventory.putTenantSettings(id, settings, at), done),
    });
  }
}
