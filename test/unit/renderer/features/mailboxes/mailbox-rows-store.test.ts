// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import type { CachedMailbox, MailboxKeysetPage, MailboxPageQuery } from '../../../../../shared/domain/inventory.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { ok } from '../../../../../shared/errors/result.ts';

const TOTAL = 1000;
const box = (i: number): CachedMailbox => ({
  connectionId: 'c1', connectionName: 'Main', connectionKind: 'postfixadmin', refreshedAt: null, stale: false,
  address: `u${String(i).padStart(4, '0')}@x.test`, domain: 'x.test', displayName: null, active: true, quotaBytes: null, usedBytes: null, messageCount: null, forwardTargets: [], keepCopy: false,
});
const calls: MailboxPageQuery[] = [];

let store: typeof import('../../../../../renderer/features/mailboxes/mailbox-rows-store.ts');

beforeAll(async () => {
  // A cache of 1,000 rows in address order: offset or keyset, like mailboxes.page.
  const page = async (q: MailboxPageQuery) => {
    calls.push(q);
    const start = q.afterKey ? Number(q.afterKey) + 1 : (q.offset ?? 0);
    const rows = Array.from({ length: Math.max(0, Math.min(q.limit ?? 200, TOTAL - start)) }, (_, k) => box(start + k));
    const end = start + rows.length;
    return ok<MailboxKeysetPage>({ rows, total: TOTAL, capped: false, nextKey: end < TOTAL ? String(end - 1) : null });
  };
  (window as { api?: unknown }).api = { mailboxes: { page }, on: () => () => undefined } as unknown as WindowApi;
  store = await import('../../../../../renderer/features/mailboxes/mailbox-rows-store.ts');
});

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('mailbox rows store', () => {
  it('loads the first chunk, knows the exact count, and jumps by offset without loading what lies before', async () => {
    const rows = store.useMailboxRows;
    rows.getState().reload();
    await settle();
    expect(rows.getState()).toMatchObject({ ready: true, count: TOTAL });
    expect(store.rowAt(rows.getState().chunks, 0)?.address).toBe('u0000@x.test');
    calls.length = 0;
    rows.getState().ensureRange(980, 999);
    await settle();
    expect(calls).toEqual([{ offset: 800, limit: store.PAGE }]);
    expect(store.rowAt(rows.getState().chunks, 999)?.address).toBe('u0999@x.test');
    expect(rows.getState().chunks.has(2)).toBe(false);
    // Next to a loaded chunk the keyset is used.
    calls.length = 0;
    rows.getState().ensureRange(200, 220);
    await settle();
    expect(calls).toEqual([{ afterKey: '199', limit: store.PAGE }]);
  });

  it('sends the order and the filters to the cache', async () => {
    const rows = store.useMailboxRows;
    rows.getState().setSort('usage', 'desc');
    rows.getState().setFilters({ status: 'suspended', nearQuota: true });
    await settle();
    expect(calls.at(-1)).toEqual({ status: 'suspended', nearQuota: true, sort: 'usage', dir: 'desc', limit: store.PAGE });
    expect(store.viewQuery({ text: ' ann ', filters: { connectionId: 'c1', domain: '', status: 'all', nearQuota: false }, sort: { key: 'address', dir: 'asc' } })).toEqual({ connectionId: 'c1', text: 'ann' });
  });
});
