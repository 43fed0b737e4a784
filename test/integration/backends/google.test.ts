import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GoogleWorkspaceAdapter } from '../../../electron/backends/google/google-adapter.ts';
import { SCOPES } from '../../../electron/backends/google/google-auth.ts';
import { GoogleFake } from '../../fakes/google/google-fake.ts';
import { collect, unwrap } from './collect.ts';

const SA = 'mailroom@project.iam.gserviceaccount.com';
const ADMIN = 'admin@example.com';
const ALL_SCOPES = [...SCOPES.directory, ...SCOPES.reports, ...SCOPES.gmail];

describe('Google Workspace adapter against the Directory/Gmail/Reports fake', () => {
  let keys: { publicKey: string; privateKey: string };
  let fake: GoogleFake;
  let base: string;

  beforeAll(() => {
    keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  });
  beforeEach(async () => {
    fake = new GoogleFake(['example.com', 'example.org']);
    fake.directory.seedUser(ADMIN, 'Ada Admin');
    fake.registerServiceAccount(SA, keys.publicKey);
    ALL_SCOPES.forEach((s) => fake.dwdScopes.add(s));
    base = await fake.server.start();
  });
  afterEach(() => fake.server.close());

  const adapter = (privateKey = keys.privateKey): GoogleWorkspaceAdapter => {
    const secret = JSON.stringify({ type: 'service_account', client_email: SA, private_key: privateKey, token_uri: `${base}/token` });
    return new GoogleWorkspaceAdapter({ adminEmail: ADMIN, rootUrl: `${base}/`, gmailRootUrl: `${base}/` }, secret, { retry: { baseDelayMs: 20 } });
  };
  const probed = async (): Promise<GoogleWorkspaceAdapter> => {
    const g = adapter();
    unwrap(await g.probe());
    return g;
  };

  it('probes delegated scopes: forwarding needs gmail.settings.* under domain-wide delegation', async () => {
    const caps = unwrap(await adapter().probe());
    expect(caps).toMatchObject({ kind: 'google-workspace', group: { model: 'object' }, usage: { freshness: 'days' } });
    expect(caps.forward.set.level).toBe('native');
    expect(caps.quota.set).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('Admin console') });

    SCOPES.gmail.forEach((s) => fake.dwdScopes.delete(s));
    const limited = adapter();
    const caps2 = unwrap(await limited.probe());
    expect(caps2.forward.set).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('Domain-wide delegation') });
    const fwd = await limited.setForwarding('admin@example.com', ['x@example.org'], true);
    expect(!fwd.ok && fwd.error.code).toBe('backend.unsupported');
  });

  it('lists users across pageToken pages with Reports usage in bytes', async () => {
    for (let i = 0; i < 1100; i += 1) fake.directory.seedUser(`user${i}@example.com`);
    fake.usageMb.set('user7@example.com', 300);
    const g = await probed();
    const before = fake.server.count('/admin/directory/v1/users');
    const boxes = await collect(g.listMailboxes(null));
    expect(boxes).toHaveLength(1101);
    expect(fake.server.count('/admin/directory/v1/users') - before).toBe(3);
    // Reports for the newest days are missing; the adapter walks back until a day has data.
    expect(boxes.find((b) => b.address === 'user7@example.com')?.usedBytes).toBe(300 * 1_048_576);
    const scoped = await collect(g.listMailboxes('example.org'));
    expect(scoped).toEqual([]);
  });

  it('creates, updates, suspends and deletes a user; a new domain is pending DNS verification', async () => {
    const g = await probed();
    const created = unwrap(await g.createMailbox({ address: 'alice@example.com', displayName: 'Alice Liddell', password: 'Wonder-land-1', forceChangeAtFirstLogin: true }));
    expect(created).toEqual({ state: 'done', value: expect.objectContaining({ address: 'alice@example.com', displayName: 'Alice Liddell', active: true }) });
    expect(fake.directory.users.get('alice@example.com')?.changePasswordAtNextLogin).toBe(true);
    const dup = await g.createMailbox({ address: 'alice@example.com', password: 'Wonder-land-1' });
    expect(!dup.ok && dup.error.code).toBe('backend.conflict');
    const quota = await g.createMailbox({ address: 'q@example.com', password: 'Wonder-land-1', quotaBytes: 1024 });
    expect(!quota.ok && quota.error.code).toBe('backend.unsupported');

    const suspended = unwrap(await g.updateMailbox('alice@example.com', { active: false, displayName: 'Alice L' }));
    expect(suspended.active).toBe(false);
    expect(fake.directory.users.get('alice@example.com')?.signOuts).toBe(1);
    unwrap(await g.setPassword('alice@example.com', 'Another-pass-2'));
    unwrap(await g.deleteMailbox('alice@example.com'));
    expect(fake.directory.users.has('alice@example.com')).toBe(false);

    const domain = unwrap(await g.createDomain('new.example'));
    expect(domain).toMatchObject({ state: 'pending', reason: 'dns' });
    expect((await collect(g.listDomains())).map((d) => d.name)).toContain('new.example');
  });

  it('adds an alias domain under its parent (domainAliases), unverified until DNS, and deletes a domain', async () => {
    const g = await probed();
    const parent = unwrap(await g.createAliasDomain('example.net', 'example.com'));
    expect(parent).toMatchObject({ name: 'example.com', aliasDomains: ['example.net'] });
    expect(fake.directory.aliasParent('example.net')?.domainAliases[0]).toMatchObject({ kind: 'admin#directory#domainAlias', parentDomainName: 'example.com', verified: false });
    const dup = await g.createAliasDomain('example.org', 'example.com');
    expect(!dup.ok && dup.error.code).toBe('backend.conflict');
    unwrap(await g.deleteDomain('example.org'));
    expect((await collect(g.listDomains())).map((d) => d.name)).toEqual(['example.com']);
  });

  it('reads the last login of each user (the epoch meaning never) and 2-Step Verification enforcement from Directory', async () => {
    const g = await probed();
    const bob = fake.directory.seedUser('bob@example.com', 'Bob B');
    bob.lastLoginTime = '2026-11-30T08:15:00.000Z';
    bob.isEnrolledIn2Sv = true;
    bob.isEnforcedIn2Sv = true;
    const users = await collect(g.listMailboxes('example.com'));
    expect(users.map((u) => [u.address, u.lastLoginAt, u.twoStepEnforced])).toEqual([
      [ADMIN, null, false],
      ['bob@example.com', '2026-11-30T08:15:00.000Z', true],
    ]);
  });

  it('manages user aliases and group members', async () => {
    fake.directory.seedUser('bob@example.com', 'Bob B');
    fake.directory.seedUser('carol@example.com', 'Carol C');
    const g = await probed();
    unwrap(await g.upsertAlias({ address: 'sales@example.com', targets: ['bob@example.com'] }));
    unwrap(await g.upsertAlias({ address: 'sales@example.com', targets: ['carol@example.com'] }));
    expect(await collect(g.listAliases('example.com'))).toEqual([{ address: 'sales@example.com', domain: 'example.com', targets: ['carol@example.com'], active: true }]);
    const multi = await g.upsertAlias({ address: 'x@example.com', targets: ['bob@example.com', 'carol@example.com'] });
    expect(!multi.ok && multi.error.code).toBe('backend.validation');
    unwrap(await g.deleteAlias('sales@example.com'));

    unwrap(await g.upsertGroup({ address: 'team@example.com', name: 'Team', members: ['bob@example.com', 'carol@example.com'] }));
    unwrap(await g.upsertGroup({ address: 'team@example.com', members: ['carol@example.com', 'ext@partner.test'] }));
    expect(await collect(g.listGroups('example.com'))).toEqual([{ address: 'team@example.com', name: 'Team', members: ['carol@example.com', 'ext@partner.test'] }]);
    unwrap(await g.deleteGroup('team@example.com'));
    expect(fake.directory.groups.size).toBe(0);
  });

  it('reports external forwarding as pending until the target confirms', async () => {
    fake.directory.seedUser('bob@example.com', 'Bob B');
    const g = await probed();
    const first = unwrap(await g.setForwarding('bob@example.com', ['bob@gmail.test'], true));
    expect(first).toEqual({ state: 'pending', reason: 'confirmation', value: { address: 'bob@example.com', targets: ['bob@gmail.test'], keepCopy: true, state: 'pending-confirmation' } });
    expect(unwrap(await g.getForwarding('bob@example.com')).state).toBe('pending-confirmation');

    fake.confirmForwarding('bob@example.com', 'bob@gmail.test');
    const second = unwrap(await g.setForwarding('bob@example.com', ['bob@gmail.test'], false));
    expect(second).toMatchObject({ state: 'done', value: { state: 'active', keepCopy: false } });
    expect(unwrap(await g.getForwarding('bob@example.com'))).toMatchObject({ targets: ['bob@gmail.test'], keepCopy: false, state: 'active' });

    const internal = unwrap(await g.setForwarding('bob@example.com', ['admin@example.com'], true));
    expect(internal.state).toBe('done');
    unwrap(await g.setForwarding('bob@example.com', [], false));
    expect(unwrap(await g.getForwarding('bob@example.com')).state).toBe('off');
  });

  it('honours Retry-After on 429 and backs off on 403 userRateLimitExceeded', async () => {
    const g = await probed();
    fake.server.throttle({ times: 1, retryAfter: '1', match: (r) => r.path.endsWith('/users') });
    const started = Date.now();
    expect((await collect(g.listMailboxes('example.com'))).length).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    fake.server.throttle({
      times: 2,
      match: (r) => r.path.endsWith('/groups'),
      reply: { status: 403, body: { error: { code: 403, message: 'Quota exceeded for quota metric', errors: [{ reason: 'userRateLimitExceeded' }] } } },
    });
    expect(await collect(g.listGroups(null))).toEqual([]);
    const statuses = fake.server.seen.filter((r) => r.path.endsWith('/groups')).map((r) => r.status);
    expect(statuses).toEqual([403, 403, 200]);
  });

  it('never retries a revoked token (401) or a key the token endpoint refuses', async () => {
    const g = await probed();
    fake.revokeTokens();
    const before = fake.server.count('/admin/directory/v1/users');
    const first = (await collect(g.listMailboxes('example.com')).catch((e: Error) => e.message)) as string;
    expect(first).toContain('backend.auth');
    expect(fake.server.count('/admin/directory/v1/users') - before).toBe(1);

    fake.server.seen.length = 0;
    const wrong = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const bad = await adapter(wrong.privateKey).probe();
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('backend.auth');
      expect(bad.error.message).not.toContain('PRIVATE KEY');
    }
    expect(fake.server.seen.map((r) => r.path)).toEqual(['/token']);
  });
});
