import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import { ProvisioningFactsRepo } from '../../../../electron/db/provisioning-facts-repo.ts';
import type { DomainInfo, MailboxInfo } from '../../../../shared/domain/provisioning.ts';

const domain = (name: string, quotaBytes: number | null): DomainInfo => ({ name, description: null, active: true, mailboxCount: null, quotaBytes, usedBytes: null });
const box = (address: string, active = true): MailboxInfo => ({ address, domain: address.split('@')[1]!, displayName: null, active, quotaBytes: 1000, usedBytes: null, messageCount: null });

function setup(): ProvisioningFactsRepo {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES ('c1', 'one', 'postfixadmin', '{}', 'now'), ('c2', 'two', 'mailcow', '{}', 'now')").run();
  const inventory = new InventoryRepo(db);
  inventory.replace('c1', {
    domains: [domain('a.test', 5000), domain('b.test', null), domain('empty.test', 1)],
    mailboxes: [box('bob@a.test'), box('ann@a.test', false), box('cy@b.test')],
    aliases: [
      { address: '@a.test', domain: 'a.test', targets: ['ann@a.test'], active: true },
      { address: 'sales@b.test', domain: 'b.test', targets: ['x@gmail.test'], active: false },
    ],
    groups: [],
    forwarding: [{ address: 'ann@a.test', targets: ['ann@elsewhere.test'], keepCopy: false, state: 'active' }],
    tenant: { securityDefaults: true },
  }, 't');
  inventory.replace('c2', { domains: [domain('a.test', 7)], mailboxes: [box('zed@a.test')], aliases: [], groups: [], forwarding: [] }, 't');
  return new ProvisioningFactsRepo(db);
}

describe('provisioning facts', () => {
  it('reads a connection\'s domains together with the same facts as one domain at a time', () => {
    const repo = setup();
    const read = repo.reader();
    const a = read('c1', 'a.test');
    expect(a).toEqual(repo.facts('c1', 'a.test'));
    expect(a.quotaBytes).toBe(5000);
    expect(a.mailboxes.map((m) => [m.address, m.active, m.forwardTargets, m.keepCopy])).toEqual([
      ['ann@a.test', false, ['ann@elsewhere.test'], false],
      ['bob@a.test', true, [], false],
    ]);
    expect(a.aliases).toEqual([{ address: '@a.test', active: true, targets: ['ann@a.test'] }]);
    expect(a.tenant).toEqual({ securityDefaults: true });
    for (const name of ['b.test', 'empty.test']) expect(read('c1', name)).toEqual(repo.facts('c1', name));
    expect(read('c1', 'empty.test')).toMatchObject({ quotaBytes: 1, mailboxes: [], aliases: [] });
    // The same name on another connection is that connection's domain, without the first one's tenant settings.
    expect(read('c2', 'a.test')).toEqual({ quotaBytes: 7, mailboxes: [expect.objectContaining({ address: 'zed@a.test' })], aliases: [] });
    // A domain not in the cache reads as the single-domain query answers it.
    expect(read('c1', 'gone.test')).toEqual({ quotaBytes: null, mailboxes: [], aliases: [], tenant: { securityDefaults: true } });
  });
});
