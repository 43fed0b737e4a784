import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import type { MailboxPageQuery } from '../../../../shared/domain/inventory.ts';
import type { MailboxInfo } from '../../../../shared/domain/provisioning.ts';

const GB = 1024 ** 3;
const box = (address: string, usedBytes: number | null, quotaBytes: number | null, active = true): MailboxInfo => ({ address, domain: address.split('@')[1]!, displayName: null, active, quotaBytes, usedBytes, messageCount: null });

function setup() {
  const db = openDatabase(':memory:');
  db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES ('c1', 'one', 'postfixadmin', '{}', 'now')").run();
  const inventory = new InventoryRepo(db);
  inventory.replace('c1', {
    domains: [], aliases: [], groups: [], forwarding: [],
    mailboxes: [
      box('ann@b.test', 0.95 * GB, GB),
      box('bob@a.test', 3 * GB, null),
      box('cy@a.test', 0.5 * GB, 2 * GB, false),
      box('dee@c.test', null, 4 * GB),
      box('eve@b.test', 1.96 * GB, 2 * GB),
    ],
  }, 't');
  return { db, inventory };
}

/** Every row of a query, read page by page through the keyset. */
function walk(inventory: InventoryRepo, query: MailboxPageQuery): string[] {
  const seen: string[] = [];
  let afterKey: string | undefined;
  for (let guard = 0; guard < 20; guard += 1) {
    const page = inventory.pageMailboxes({ ...query, limit: 2, ...(afterKey ? { afterKey } : {}) });
    seen.push(...page.rows.map((r) => r.address));
    if (!page.nextKey) return seen;
    afterKey = page.nextKey;
  }
  throw new Error('the keyset did not end');
}

describe('mailbox order and filters', () => {
  it('pages every order through its keyset, ascending and descending', () => {
    const { inventory } = setup();
    expect(walk(inventory, { sort: 'domain' })).toEqual(['bob@a.test', 'cy@a.test', 'ann@b.test', 'eve@b.test', 'dee@c.test']);
    expect(walk(inventory, { sort: 'used', dir: 'desc' })).toEqual(['bob@a.test', 'eve@b.test', 'ann@b.test', 'cy@a.test', 'dee@c.test']);
    // No quota sorts as the largest quota.
    expect(walk(inventory, { sort: 'quota' })).toEqual(['ann@b.test', 'cy@a.test', 'eve@b.test', 'dee@c.test', 'bob@a.test']);
    expect(walk(inventory, { sort: 'usage', dir: 'desc' })).toEqual(['eve@b.test', 'ann@b.test', 'cy@a.test', 'dee@c.test', 'bob@a.test']);
    expect(walk(inventory, { dir: 'desc' })).toEqual(['eve@b.test', 'dee@c.test', 'cy@a.test', 'bob@a.test', 'ann@b.test']);
  });

  it('filters by status and near quota, counted exactly, also with search text and offsets', () => {
    const { inventory } = setup();
    expect(inventory.pageMailboxes({ status: 'suspended' })).toMatchObject({ total: 1, rows: [{ address: 'cy@a.test' }] });
    expect(inventory.pageMailboxes({ status: 'active' }).total).toBe(4);
    expect(walk(inventory, { nearQuota: true, sort: 'usage', dir: 'desc' })).toEqual(['eve@b.test', 'ann@b.test']);
    expect(inventory.searchMailboxes({ text: 'b.test', nearQuota: true, sort: 'used' }).rows.map((r) => r.address)).toEqual(['ann@b.test', 'eve@b.test']);
    expect(inventory.pageMailboxes({ sort: 'domain', offset: 3, limit: 10 }).rows.map((r) => r.address)).toEqual(['eve@b.test', 'dee@c.test']);
  });

  it('walks an index for every order and filter instead of sorting the table', () => {
    const { db } = setup();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    const usage = 'CASE WHEN m.quota_bytes > 0 THEN coalesce(m.used_bytes, 0) * 1.0 / m.quota_bytes ELSE -1 END';
    expect(plan(`SELECT m.id FROM mailboxes m ORDER BY coalesce(m.used_bytes, -1) DESC, m.address DESC, m.connection_id DESC LIMIT 10`)).toContain('mailboxes_used_key');
    expect(plan(`SELECT m.id FROM mailboxes m WHERE ${usage} >= 0.9 ORDER BY ${usage}, m.address, m.connection_id LIMIT 10`)).toContain('mailboxes_usage_key');
    expect(plan(`SELECT m.id FROM mailboxes m WHERE m.active = 0 ORDER BY m.address, m.connection_id LIMIT 10`)).toContain('mailboxes_suspended');
    expect(plan(`SELECT m.id FROM mailboxes m ORDER BY m.domain, m.address, m.connection_id LIMIT 10`)).not.toContain('TEMP B-TREE');
  });
});
