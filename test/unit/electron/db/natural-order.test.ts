import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { ConnectionsRepo } from '../../../../electron/db/connections-repo.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import { naturalKey } from '../../../../electron/db/natural-key.ts';
import type { DomainInfo } from '../../../../shared/domain/provisioning.ts';

const domain = (name: string): DomainInfo => ({ name, description: null, active: true, mailboxCount: 0, quotaBytes: null, usedBytes: null });

describe('natural order in the cache', () => {
  it('keys names so numbers sort by value, shorter numbers first, case-blind', () => {
    const names = ['client10', 'Client2', 'client1', 'client0', 'client100', 'client02', 'alpha', 'client', 'client9b'];
    expect([...names].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : naturalKey(a) > naturalKey(b) ? 1 : a < b ? -1 : 1))).toEqual([
      'alpha', 'client', 'client0', 'client1', 'Client2', 'client02', 'client9b', 'client10', 'client100',
    ]);
  });

  it('lists domains, aliases and connections client0, client1, client2 … client10', () => {
    const db = openDatabase(':memory:');
    const ins = db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES (?, ?, 'postfixadmin', '{}', 'now')");
    for (const [id, name] of [['a', 'Box 10'], ['b', 'box 2'], ['c', 'Box 1']]) ins.run(id, name);
    const inventory = new InventoryRepo(db);
    const names = Array.from({ length: 12 }, (_, i) => `client${i}.example`).reverse();
    inventory.replace('a', { domains: names.map(domain), mailboxes: [], groups: [], forwarding: [], aliases: names.map((n) => ({ address: `info@${n}`, domain: n, targets: ['x@y.test'], active: true })) }, 't');
    expect(inventory.listDomains().map((d) => d.name).slice(0, 4)).toEqual(['client0.example', 'client1.example', 'client2.example', 'client3.example']);
    expect(inventory.listDomains().at(-1)?.name).toBe('client11.example');
    expect(inventory.listAliases().map((a) => a.address).slice(9, 12)).toEqual(['info@client9.example', 'info@client10.example', 'info@client11.example']);
    expect(new ConnectionsRepo(db).list().map((c) => c.name)).toEqual(['Box 1', 'box 2', 'Box 10']);
  });
});
