import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import type { MailboxInfo } from '../../../../shared/domain/provisioning.ts';

const box = (address: string, displayName: string | null = null, usedBytes: number | null = 0): MailboxInfo => ({ address, domain: address.split('@')[1]!, displayName, active: true, quotaBytes: null, usedBytes, messageCount: null });
const snapshot = (mailboxes: MailboxInfo[]) => ({ domains: [], aliases: [], groups: [], forwarding: [], mailboxes });

function setup() {
  const db = openDatabase(':memory:');
  const ins = db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES (?, ?, 'postfixadmin', '{}', 'now')");
  ins.run('c1', 'one');
  ins.run('c2', 'two');
  return { db, inventory: new InventoryRepo(db) };
}

describe('mailbox cache', () => {
  it('refreshes as a diff: unchanged rows keep their id, changed rows update (and the trigram index follows), vanished rows go', () => {
    const { db, inventory } = setup();
    inventory.replace('c1', snapshot([box('ann@a.test', 'Ann'), box('bob@a.test', 'Bob'), box('cy@a.test')]), 't1');
    const ids = () => Object.fromEntries((db.prepare('SELECT address, id, refreshed_at FROM mailboxes ORDER BY address').all() as { address: string; id: number }[]).map((r) => [r.address, r]));
    const before = ids();
    inventory.replace('c1', snapshot([box('ann@a.test', 'Ann'), box('bob@a.test', 'Robert', 5), box('dee@a.test')]), 't2');
    const after = ids();
    expect(after['ann@a.test']).toEqual({ ...before['ann@a.test'], refreshed_at: 't2' });
    expect(after['bob@a.test']!.id).toBe(before['bob@a.test']!.id);
    expect(after['cy@a.test']).toBeUndefined();
    expect(after['dee@a.test']).toBeDefined();
    expect(inventory.searchMailboxes({ text: 'rober' }).rows.map((r) => [r.address, r.usedBytes])).toEqual([['bob@a.test', 5]]);
    expect(inventory.searchMailboxes({ text: 'Bob' }).total).toBe(1); // the address still matches
    expect(inventory.searchMailboxes({ text: 'cy@' }).total).toBe(0);
    // A domain-scoped refresh leaves the other domains alone.
    inventory.replace('c1', snapshot([box('new@b.test')]), 't3', 'b.test');
    expect(inventory.searchMailboxes({}).rows.map((r) => r.address)).toEqual(['ann@a.test', 'bob@a.test', 'dee@a.test', 'new@b.test']);
  });

  it('searches by address prefix for 1-2 characters and by substring from 3, counting every match exactly', () => {
    const { inventory } = setup();
    inventory.replace('c1', snapshot(Array.from({ length: 1200 }, (_, i) => box(`user${String(i).padStart(4, '0')}@big.test`, `User ${i}`)).concat([box('zed@big.test', 'Anna Zed')])), 't');
    expect(inventory.searchMailboxes({ text: 'u', limit: 5 })).toMatchObject({ total: 1200, capped: false });
    expect(inventory.searchMailboxes({ text: 'u', limit: 5 }).rows.map((r) => r.address)).toEqual(['user0000@big.test', 'user0001@big.test', 'user0002@big.test', 'user0003@big.test', 'user0004@big.test']);
    expect(inventory.searchMailboxes({ text: 'ze' })).toMatchObject({ total: 1, capped: false });
    expect(inventory.searchMailboxes({ text: 'an' }).total).toBe(0); // prefix of the address only
    expect(inventory.searchMailboxes({ text: 'anna' }).rows.map((r) => r.address)).toEqual(['zed@big.test']);
    expect(inventory.searchMailboxes({ text: '0119' })).toMatchObject({ total: 1, capped: false });
    expect(inventory.searchMailboxes({ text: 'ser1' })).toMatchObject({ total: 200, capped: false });
    expect(inventory.searchMailboxes({ text: '%' }).total).toBe(0);
    expect(inventory.searchMailboxes({}).total).toBe(1201); // browsing counts exactly
  });

  it('counts a dense match (over 10,000 rows) exactly, scoped or not, and recounts after a change', () => {
    const { inventory } = setup();
    const many = (n: number, at: string) => Array.from({ length: n }, (_, i) => box(`person${i}@${at}`, i % 3 === 0 ? 'Common Name' : `Other ${i}`));
    inventory.replace('c1', snapshot(many(9000, 'one.test')), 't');
    inventory.replace('c2', snapshot(many(6667, 'two.test')), 't');
    expect(inventory.searchMailboxes({ text: 'person', limit: 1 })).toMatchObject({ total: 15_667, capped: false });
    expect(inventory.pageMailboxes({ text: 'person', limit: 200, connectionId: 'c2' }).total).toBe(6667);
    expect(inventory.pageMailboxes({ text: 'mon na', limit: 200 }).total).toBe(3000 + 2223);
    inventory.replace('c2', snapshot(many(6000, 'two.test')), 't2');
    expect(inventory.pageMailboxes({ text: 'person', limit: 200 }).total).toBe(15_000);
  });

  it('pages with a keyset in (address, connection) order, across connections', () => {
    const { inventory } = setup();
    inventory.replace('c1', snapshot(['a', 'c', 'e', 'same'].map((l) => box(`${l}@x.test`))), 't');
    inventory.replace('c2', snapshot(['b', 'd', 'same'].map((l) => box(`${l}@x.test`))), 't');
    const seen: string[] = [];
    let afterKey: string | undefined;
    for (let guard = 0; guard < 10; guard += 1) {
      const page = inventory.pageMailboxes({ limit: 3, ...(afterKey ? { afterKey } : {}) });
      expect(page.total).toBe(7);
      seen.push(...page.rows.map((r) => `${r.address}/${r.connectionId}`));
      if (page.nextKey === null) break;
      afterKey = page.nextKey;
    }
    expect(seen).toEqual(['a@x.test/c1', 'b@x.test/c2', 'c@x.test/c1', 'd@x.test/c2', 'e@x.test/c1', 'same@x.test/c1', 'same@x.test/c2']);
    const jump = inventory.pageMailboxes({ offset: 5, limit: 1 });
    expect(jump.rows.map((r) => r.address)).toEqual(['same@x.test']);
    expect(inventory.pageMailboxes({ afterKey: jump.nextKey!, limit: 5 }).rows.map((r) => r.connectionId)).toEqual(['c2']);
    const filtered = inventory.pageMailboxes({ text: 'same', connectionId: 'c2' });
    expect(filtered).toMatchObject({ total: 1, nextKey: null, rows: [{ address: 'same@x.test', connectionName: 'two' }] });
  });
});
