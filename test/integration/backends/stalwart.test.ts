import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StalwartAdapter } from '../../../electron/backends/stalwart/stalwart-adapter.ts';
import { StalwartFake } from '../../fakes/stalwart/stalwart-fake.ts';
import { collect, unwrap } from './collect.ts';

describe('Stalwart 0.16 adapter against the JMAP management fake', () => {
  let fake: StalwartFake;
  let base: string;
  let domainId: string;
  const adapter = (password = 'admin-secret'): StalwartAdapter => new StalwartAdapter({ baseUrl: base, username: 'admin', pageSize: 10 }, password, { retry: { baseDelayMs: 5 } });

  beforeEach(async () => {
    fake = new StalwartFake('admin', 'admin-secret');
    base = await fake.server.start();
    domainId = fake.seed('Domain', { name: 'example.net', isEnabled: true });
  });
  afterEach(() => fake.server.close());

  it('detects 0.16 through the urn:stalwart:jmap capability', async () => {
    const caps = unwrap(await adapter().probe());
    expect(caps).toMatchObject({ kind: 'stalwart', version: '0.16.0', group: { model: 'list' }, forward: { set: { level: 'emulated' } } });
  });

  it('pages accounts by JMAP position and manages mailboxes with byte quotas', async () => {
    for (let i = 0; i < 25; i += 1) fake.seed('Account', { '@type': 'User', name: `u${i}`, domainId, usedDiskQuota: i * 10 });
    const st = adapter();
    const before = fake.server.count('/jmap');
    const all = await collect(st.listMailboxes('example.net'));
    expect(all).toHaveLength(25);
    expect(all[3]).toMatchObject({ address: 'u3@example.net', usedBytes: 30 });
    // 10 per page: positions 0, 10, 20 (plus one call to map domain names).
    expect(fake.server.count('/jmap') - before).toBe(4);

    const created = unwrap(await st.createMailbox({ address: 'zoe@example.net', displayName: 'Zoe', password: 'pw-123456', quotaBytes: 5_000_000 }));
    expect(created).toMatchObject({ state: 'done', value: { address: 'zoe@example.net', quotaBytes: 5_000_000, active: true } });
    const dup = await st.createMailbox({ address: 'zoe@example.net', password: 'pw-123456' });
    expect(!dup.ok && dup.error.code).toBe('backend.conflict');
    const bad = await st.createMailbox({ address: 'bad name@example.net', password: 'pw-123456' });
    expect(!bad.ok && bad.error.code).toBe('backend.validation');

    const suspended = unwrap(await st.updateMailbox('zoe@example.net', { active: false, quotaBytes: 9_000_000 }));
    expect(suspended).toMatchObject({ active: false, quotaBytes: 9_000_000 });
    expect(unwrap(await st.updateMailbox('zoe@example.net', { active: true })).active).toBe(true);
    unwrap(await st.setPassword('zoe@example.net', 'new-pw-654321'));
    unwrap(await st.deleteMailbox('zoe@example.net'));
    expect((await collect(st.listMailboxes('example.net'))).some((m) => m.address === 'zoe@example.net')).toBe(false);
  });

  it('manages aliases, catch-all, mailing-list members and Sieve forwarding', async () => {
    fake.seed('Account', { '@type': 'User', name: 'ann', domainId });
    fake.seed('Account', { '@type': 'User', name: 'bob', domainId });
    const st = adapter();
    unwrap(await st.upsertAlias({ address: 'sales@example.net', targets: ['ann@example.net'] }));
    unwrap(await st.upsertAlias({ address: 'sales@example.net', targets: ['bob@example.net'] }));
    unwrap(await st.upsertAlias({ address: '@example.net', targets: ['ann@example.net'] }));
    expect(await collect(st.listAliases('example.net'))).toEqual([
      { address: '@example.net', domain: 'example.net', targets: ['ann@example.net'], active: true },
      { address: 'sales@example.net', domain: 'example.net', targets: ['bob@example.net'], active: true },
    ]);
    unwrap(await st.deleteAlias('sales@example.net'));
    unwrap(await st.deleteAlias('@example.net'));
    expect(await collect(st.listAliases(null))).toEqual([]);

    unwrap(await st.upsertGroup({ address: 'team@example.net', name: 'Team', members: ['ann@example.net', 'x@partner.test'] }));
    unwrap(await st.upsertGroup({ address: 'team@example.net', members: ['bob@example.net'] }));
    expect(await collect(st.listGroups('example.net'))).toEqual([{ address: 'team@example.net', name: 'Team', members: ['bob@example.net'] }]);
    unwrap(await st.deleteGroup('team@example.net'));

    unwrap(await st.setForwarding('ann@example.net', ['ann@elsewhere.test'], true));
    const script = [...(fake.store.get('SieveUserScript')?.values() ?? [])][0];
    expect(script?.['script']).toBe('require ["copy"];\nredirect :copy "ann@elsewhere.test";\n');
    expect(unwrap(await st.getForwarding('ann@example.net'))).toEqual({ address: 'ann@example.net', targets: ['ann@elsewhere.test'], keepCopy: true, state: 'active' });
    unwrap(await st.setForwarding('ann@example.net', [], false));
    expect(unwrap(await st.getForwarding('ann@example.net')).state).toBe('off');
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    fake.server.throttle({ times: 1, retryAfter: new Date(Date.now() + 1500).toUTCString(), match: (r) => r.path === '/jmap' });
    const started = Date.now();
    expect((await collect(adapter().listDomains())).map((d) => d.name)).toEqual(['example.net']);
    // An HTTP-date Retry-After has one-second resolution: expect at least ~0.5 s of waiting.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(fake.server.seen.filter((r) => r.path === '/jmap').map((r) => r.status)).toEqual([429, 200]);
  });

  it('never retries a rejected password', async () => {
    const result = await adapter('wrong').probe();
    expect(!result.ok && result.error.code).toBe('backend.auth');
    expect(fake.server.count()).toBe(1);
  });
});
