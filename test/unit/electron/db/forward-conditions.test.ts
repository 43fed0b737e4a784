import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import { RoutingRepo } from '../../../../electron/db/routing-repo.ts';
import type { ForwardingInfo, MailboxInfo } from '../../../../shared/domain/provisioning.ts';

const box = (address: string): MailboxInfo => ({ address, domain: address.split('@')[1]!, displayName: null, active: true, quotaBytes: null, usedBytes: null, messageCount: null });

function setup() {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES ('c1', 'one', 'imap', '{}', 'now')").run();
  return { db, inventory: new InventoryRepo(db), routing: new RoutingRepo(db) };
}

describe('forward conditions in the cache (migration 017)', () => {
  it('stores which target only some mail takes, through a refresh and a single write, and the routing view reads it back', () => {
    const { inventory, routing } = setup();
    const forwarding: ForwardingInfo = { address: 'eva@a.test', targets: ['home@o.test', 'desk@o.test'], keepCopy: true, state: 'active', conditions: { 'home@o.test': 'from contains boss', 'gone@o.test': 'stale' } };
    inventory.replace('c1', { domains: [], aliases: [], groups: [], mailboxes: [box('eva@a.test'), box('ivo@a.test')], forwarding: [forwarding] }, 't1');
    const eva = () => routing.load().mailboxes.find((m) => m.address === 'eva@a.test')!;
    // Only live targets keep a condition; desk takes all mail.
    expect(eva()).toMatchObject({ forwardTargets: ['home@o.test', 'desk@o.test'], forwardConditions: { 'home@o.test': 'from contains boss' } });
    expect(routing.load().mailboxes.find((m) => m.address === 'ivo@a.test')).not.toHaveProperty('forwardConditions');

    inventory.putForwarding('c1', { ...forwarding, conditions: { 'desk@o.test': 'subject contains tax' } }, 't2');
    expect(eva().forwardConditions).toEqual({ 'desk@o.test': 'subject contains tax' });
    inventory.putForwarding('c1', { address: 'eva@a.test', targets: ['home@o.test'], keepCopy: true, state: 'off', conditions: { 'home@o.test': 'x' } }, 't3');
    expect(eva()).toMatchObject({ forwardTargets: [] });
    expect(eva()).not.toHaveProperty('forwardConditions');
  });
});
