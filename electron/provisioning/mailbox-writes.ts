import type { BackendAdapter } from '../backends/adapter.ts';
import type { InventoryRepo } from '../db/inventory-repo.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { ForwardingInfo, MailboxInfo, MailboxPatch, NewMailbox, Outcome } from '../../shared/domain/provisioning.ts';
import { ok, type Result } from '../../shared/errors/result.ts';
import { syncAddress } from './address-writes.ts';
import { domainOf, done, type Write } from './provisioning-write.ts';

/** The state of a mailbox for the journal's "before" (null when absent or unreadable). */
async function mailboxState(adapter: BackendAdapter, address: string): Promise<MailboxInfo | null> {
  const read = adapter.getMailbox ? await adapter.getMailbox(address) : null;
  return read?.ok ? read.value : null;
}

/** Creates, changes, suspends and deletes mailboxes; sets passwords and forwarding. */
export class MailboxWrites {
  private readonly write: Write;
  private readonly inventory: InventoryRepo;

  constructor(write: Write, inventory: InventoryRepo) {
    this.write = write;
    this.inventory = inventory;
  }

  /** Creates a mailbox; the journal gets the mailbox as created, never the password. */
  create(idOrName: string, input: NewMailbox): Promise<Result<Change<Outcome<MailboxInfo>>>> {
    return this.write(idOrName, {
      domain: domainOf(input.address),
      work: (a) => a.createMailbox(input),
      after: (o) => o.value,
      sync: (o, { id, at }) => (this.inventory.putMailbox(id, o.value, at), done),
    });
  }

  /** Changes name, quota or state (`active: false` suspends). */
  update(idOrName: string, address: string, patch: MailboxPatch): Promise<Result<Change<MailboxInfo>>> {
    return this.write(idOrName, {
      domain: domainOf(address),
      before: (a) => mailboxState(a, address),
      work: (a) => a.updateMailbox(address, patch),
      sync: (m, { id, at }) => (this.inventory.putMailbox(id, m, at), done),
    });
  }

  /** Deletes a mailbox. */
  remove(idOrName: string, address: string): Promise<Result<Change<{ readonly address: string }>>> {
    return this.write(idOrName, {
      domain: domainOf(address),
      before: (a) => mailboxState(a, address),
      work: async (a) => {
        const removed = await a.deleteMailbox(address);
        return removed.ok ? ok({ address }) : removed;
      },
      after: () => null,
      sync: (_v, target) => {
        this.inventory.removeMailbox(target.id, address);
        // Where forwarding is an alias on the mailbox's address, that alias may outlive the mailbox.
        return syncAddress(this.inventory, address, target);
      },
    });
  }

  /** Sets a password (a forced change at next login where asked and possible); the journal never sees it. */
  setPassword(idOrName: string, address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<Change<{ readonly address: string }>>> {
    return this.write(idOrName, {
      domain: domainOf(address),
      work: async (a) => {
        const set = await a.setPassword(address, password, options);
        return set.ok ? ok({ address }) : set;
      },
      after: () => ({ password: 'changed' }),
      // Nothing the cache holds changed.
      sync: () => done,
    });
  }

  /** Sets (or, with no targets, turns off) a mailbox's forwarding. */
  setForwarding(idOrName: string, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Change<Outcome<ForwardingInfo>>>> {
    return this.write(idOrName, {
      domain: domainOf(address),
      before: async (a) => {
        const f = await a.getForwarding(address);
        return f.ok ? f.value : null;
      },
      work: (a) => a.setForwarding(address, targets, keepCopy),
      after: (o) => o.value,
      sync: (o, target) => {
        // A refresh caches forwarding only from platforms that list it, so the row shows what a refresh would.
        if (target.adapter.listForwarding) this.inventory.putForwarding(target.id, o.value, target.at);
        return syncAddress(this.inventory, address, target);
      },
    });
  }
}
