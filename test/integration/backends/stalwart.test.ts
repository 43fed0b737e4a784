import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StalwartAdapter } from '../../../electron/backends/stalwart/stalwart-adapter.ts';
import { dkimPublicValue } from '../../../electron/dns/dkim-keys.ts';
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

  it('detects 0.16 through the urn:stalwart:jmap account and derives forwarding and DKIM from the admin permissions', async () => {
    const caps = unwrap(await adapter().probe());
    expect(caps).toMatchObject({ kind: 'stalwart', version: '0.16+ (oss)', group: { model: 'list' }, forward: { set: { level: 'emulated' } }, dkim: { install: { level: 'native' } } });
    fake.permissions = fake.permissions.filter((p) => p !== 'impersonate' && p !== 'sysDkimSignatureCreate');
    const limited = unwrap(await adapter().probe());
    expect(limited.forward.set.level).toBe('unsupported');
    expect(limited.dkim.install).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('sysDkimSignatureCreate') });
  });

  it('pages accounts by JMAP position and manages mailboxes with byte quotas', async () => {
    for (let i = 0; i < 25; i += 1) fake.seed('Account', { '@type': 'User', name: `u${i}`, domainId, usedDiskQuota: i * 10 });
    const st = adapter();
    const before = fake.server.count('/jmap/');
    const all = await collect(st.listMailboxes('example.net'));
    expect(all).toHaveLength(25);
    expect(all[3]).toMatchObject({ address: 'u3@example.net', usedBytes: 30 });
    // 10 per page: positions 0, 10, 20 (plus one call to map domain names).
    expect(fake.server.count('/jmap/') - before).toBe(4);

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
    // Only the Password credential changed; the permissions went back to inherited.
    const zoe = [...fake.store.get('Account')!.values()].find((a) => a['name'] === 'zoe')!;
    expect(zoe['credentials']).toEqual({ '0': { '@type': 'Password', secret: 'new-pw-654321' } });
    expect(zoe['permissions']).toEqual({ '@type': 'Inherit' });
    unwrap(await st.deleteMailbox('zoe@example.net'));
    expect((await collect(st.listMailboxes('example.net'))).some((m) => m.address === 'zoe@example.net')).toBe(false);
  });

  it('manages aliases, catch-all, mailing-list members and Sieve forwarding', async () => {
    const annId = fake.seed('Account', { '@type': 'User', name: 'ann', domainId });
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
    // The script lives in ann's own JMAP account, as an active RFC 9661 script whose content is a blob.
    const [script] = [...fake.sieve.of(annId).values()];
    expect(script).toMatchObject({ name: 'mailroom-forward', isActive: true });
    expect(fake.sieve.download(annId, script!.blobId)).toBe('require ["copy"];\nredirect :copy "ann@elsewhere.test";\n');
    expect(unwrap(await st.getForwarding('ann@example.net'))).toEqual({ address: 'ann@example.net', targets: ['ann@elsewhere.test'], keepCopy: true, state: 'active' });
    unwrap(await st.setForwarding('ann@example.net', [], false));
    expect(unwrap(await st.getForwarding('ann@example.net')).state).toBe('off');
    expect(fake.sieve.of(annId).size).toBe(0);

    // bob filters his own mail: Stalwart runs one active script, so Mailroom does not replace it.
    const bobId = [...fake.store.get('Account')!.values()].find((a) => a['name'] === 'bob')!.id;
    const own = fake.sieve.upload(bobId, 'keep;', 'application/sieve');
    fake.sieve.of(bobId).set('x1', { id: 'x1', name: 'my-filters', blobId: String(own['blobId']), isActive: true });
    const refused = await st.setForwarding('bob@example.net', ['bob@elsewhere.test'], false);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'backend.conflict', message: expect.stringContaining('my-filters') });
  });

  it('creates and deletes domains, makes alias domains (Domain.aliases) and refuses to delete a domain in use', async () => {
    const st = adapter();
    unwrap(await st.createDomain('example.org', { description: 'Org' }));
    const parent = unwrap(await st.createAliasDomain('example.com', 'example.net'));
    expect(parent).toMatchObject({ name: 'example.net', aliasDomains: ['example.com'] });
    expect(fake.store.get('Domain')!.get(domainId)!['aliases']).toEqual({ 'example.com': true });
    const taken = await st.createAliasDomain('example.com', 'example.org');
    expect(!taken.ok && taken.error).toMatchObject({ code: 'backend.conflict', detail: { vendorCode: 'primaryKeyViolation' } });
    const ownDomain = await st.createAliasDomain('example.org', 'example.net');
    expect(!ownDomain.ok && ownDomain.error.code).toBe('backend.conflict');
    expect((await collect(st.listDomains())).map((d) => [d.name, d.aliasDomains])).toEqual([['example.net', ['example.com']], ['example.org', []]]);
    fake.seed('Account', { '@type': 'User', name: 'ann', domainId });
    const inUse = await st.deleteDomain('example.net');
    expect(!inUse.ok && inUse.error).toMatchObject({ code: 'backend.conflict', detail: { vendorCode: 'objectIsLinked' } });
    unwrap(await st.deleteDomain('example.org'));
    expect((await collect(st.listDomains())).map((d) => d.name)).toEqual(['example.net']);
  });

  it('installs DKIM keys as active DkimSignature objects and lists which keys sign the domain', async () => {
    const st = adapter();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const first = unwrap(await st.installDkimKey({ domain: 'example.net', selector: 'r1', privateKeyPem: rsa }));
    expect(first).toEqual({ domain: 'example.net', selector: 'r1', algorithm: 'rsa', publicKey: dkimPublicValue(rsa), active: true });
    unwrap(await st.installDkimKey({ domain: 'example.net', selector: 'e1', privateKeyPem: ed }));
    const stored = [...fake.store.get('DkimSignature')!.values()];
    expect(stored.map((s) => [s['@type'], s['selector'], s['stage']])).toEqual([['Dkim1RsaSha256', 'r1', 'active'], ['Dkim1Ed25519Sha256', 'e1', 'active']]);
    // The private key goes in as a SecretText and never comes back.
    expect(stored[0]!['privateKey']).toEqual({ '@type': 'Text', secret: rsa });
    const listed = unwrap(await st.listDkimKeys('example.net'));
    expect(listed).toEqual([first, { domain: 'example.net', selector: 'e1', algorithm: 'ed25519', publicKey: dkimPublicValue(ed), active: true }]);
    // Installing the same selector again replaces its key.
    const rsa2 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    unwrap(await st.installDkimKey({ domain: 'example.net', selector: 'r1', privateKeyPem: rsa2 }));
    expect(unwrap(await st.listDkimKeys('example.net'))[0]?.publicKey).toBe(dkimPublicValue(rsa2));
    const clash = await st.installDkimKey({ domain: 'example.net', selector: 'e1', privateKeyPem: rsa2 });
    expect(!clash.ok && clash.error.code).toBe('backend.conflict');
    const missing = await st.installDkimKey({ domain: 'nowhere.test', selector: 's', privateKeyPem: rsa });
    expect(!missing.ok && missing.error.code).toBe('backend.notFound');
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    fake.server.throttle({ times: 1, retryAfter: new Date(Date.now() + 1500).toUTCString(), match: (r) => r.path === '/jmap/' });
    const started = Date.now();
    expect((await collect(adapter().listDomains())).map((d) => d.name)).toEqual(['example.net']);
    // An HTTP-date Retry-After has one-second resolution: expect at least ~0.5 s of waiting.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(fake.server.seen.filter((r) => r.path === '/jmap/').map((r) => r.status)).toEqual([429, 200]);
  });

  it('never retries a rejected password', async () => {
    const result = await adapter('wrong').probe();
    expect(!result.ok && result.error.code).toBe('backend.auth');
    expect(fake.server.count()).toBe(1);
  });
});
