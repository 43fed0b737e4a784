import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { InventoryRepo } from '../../../../electron/db/inventory-repo.ts';
import { SettingsRepo } from '../../../../electron/db/settings-repo.ts';
import { StorageRepo } from '../../../../electron/db/storage-repo.ts';
import { StorageService } from '../../../../electron/storage/storage-service.ts';
import { allocationOf, alternatives, costOf, defaultPriceTable, planFor } from '../../../../electron/storage/price-table.ts';
import type { MailboxInfo } from '../../../../shared/domain/provisioning.ts';

const GB = 1e9;

describe('price table', () => {
  it('picks the assigned plan, else the first of the kind, and prices seats or flat', () => {
    const table = { ...defaultPriceTable, assignments: { g2: 'google-business-standard' } };
    expect(planFor(table, 'g1', 'google')?.id).toBe('google-business-starter');
    expect(planFor(table, 'g2', 'google')?.id).toBe('google-business-standard');
    expect(planFor(table, 'x', 'imap')).toBeNull();
    expect(costOf(planFor(table, 'g2', 'google'), 10)).toBe(140);
    expect(costOf(planFor(table, 'm', 'microsoft'), 3)).toBe(18);
    expect(costOf(planFor(table, 'p', 'postfixadmin'), 500)).toBe(20);
    expect(costOf(null, 5)).toBeNull();
    expect(alternatives(table, 100)).toEqual({ perSeat: 600, flat: 20 });
  });
  it('classifies pooled, split, both (with headroom) and unlimited allocation', () => {
    expect(allocationOf(10 * GB, null)).toEqual({ allocation: 'pooled', headroomBytes: null });
    expect(allocationOf(null, 4 * GB)).toEqual({ allocation: 'split', headroomBytes: null });
    expect(allocationOf(10 * GB, 12 * GB)).toEqual({ allocation: 'both', headroomBytes: -2 * GB });
    expect(allocationOf(null, null)).toEqual({ allocation: 'unlimited', headroomBytes: null });
  });
});

describe('storage summary over the cache', () => {
  const box = (address: string, used: number | null, quota: number | null, active = true): MailboxInfo => ({ address, domain: address.split('@')[1]!, displayName: null, active, quotaBytes: quota, usedBytes: used, messageCount: null });

  it('sums per platform and domain, lists who is near and over quota, and prices the inventory', () => {
    const db = openDatabase(':memory:');
    const ins = db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES (?, ?, ?, '{}', 'now')");
    ins.run('g', 'Google', 'google');
    ins.run('p', 'Box', 'postfixadmin');
    const inventory = new InventoryRepo(db);
    const empty = { aliases: [], groups: [], forwarding: [] };
    inventory.replace('g', { ...empty, domains: [{ name: 'g.test', description: null, active: true, mailboxCount: 3, quotaBytes: null, usedBytes: null }], mailboxes: [box('a@g.test', 5 * GB, null), box('b@g.test', 1 * GB, null), box('c@g.test', 0, null, false)] }, 't');
    inventory.replace('p', {
      ...empty,
      domains: [{ name: 'p.test', description: null, active: true, mailboxCount: 2, quotaBytes: 3 * GB, usedBytes: null }, { name: 'q.test', description: null, active: true, mailboxCount: 0, quotaBytes: null, usedBytes: null }],
      mailboxes: [box('full@p.test', 2 * GB, 2 * GB), box('near@p.test', 0.95 * GB, 1 * GB), box('ok@p.test', 0.1 * GB, 1 * GB)],
    }, 't');
    const service = new StorageService(new StorageRepo(db), new SettingsRepo(db));
    const s = service.summary();
    expect(s.currency).toBe('USD');
    expect(s.platforms.map((p) => [p.connectionName, p.mailboxes, p.activeMailboxes, p.usedBytes, p.quotaBytes, p.planId, p.monthlyCost])).toEqual([
      ['Box', 3, 3, 3.05 * GB, 4 * GB, 'self-hosted-server', 20],
      ['Google', 3, 2, 6 * GB, null, 'google-business-starter', 21],
    ]);
    expect(s.platforms[1]).toMatchObject({ perSeatCost: 18, flatCost: 20 });
    expect(s.totals).toEqual({ usedBytes: 9.05 * GB, mailboxes: 6, monthlyCost: 41 });
    expect(s.domains.find((d) => d.domain === 'p.test')).toMatchObject({ mailboxes: 3, domainQuotaBytes: 3 * GB, mailboxQuotaBytes: 4 * GB, allocation: 'both', headroomBytes: -1 * GB });
    expect(s.domains.find((d) => d.domain === 'g.test')).toMatchObject({ allocation: 'unlimited' });
    expect(s.domains.find((d) => d.domain === 'q.test')).toMatchObject({ mailboxes: 0, usedBytes: 0, allocation: 'unlimited' });
    expect(s.nearQuota.map((m) => [m.address, m.ratio])).toEqual([['full@p.test', 1], ['near@p.test', 0.95]]);
    expect(s.overQuota.map((m) => m.address)).toEqual(['full@p.test']);
    expect(s.largest[0]).toMatchObject({ address: 'a@g.test', usedBytes: 5 * GB, ratio: null });

    service.setPrices({ ...defaultPriceTable, currency: 'EUR', assignments: { g: 'google-business-standard' } });
    expect(service.summary()).toMatchObject({ currency: 'EUR', totals: { monthlyCost: 62 } });
    db.close();
  });
});
