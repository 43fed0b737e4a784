import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MicrosoftGraphAdapter } from '../../../electron/backends/microsoft/microsoft-adapter.ts';
import { MicrosoftFake } from '../../fakes/microsoft/microsoft-fake.ts';
import { selfSignedCertificate } from '../../fakes/http/self-signed.ts';
import { collect, collectResult, unwrap } from './collect.ts';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'graph~client~secret~value';

describe('Microsoft 365 adapter against the Entra ID + Graph fake (HTTPS)', () => {
  let tls: { key: string; cert: string };
  let fake: MicrosoftFake;
  let base: string;

  beforeAll(() => {
    tls = selfSignedCertificate();
  });
  beforeEach(async () => {
    fake = new MicrosoftFake({ tenant: TENANT, clientId: CLIENT, secret: SECRET, tls });
    fake.graph.domains.set('contoso.test', { id: 'contoso.test', isVerified: true, isDefault: true });
    base = await fake.server.start();
  });
  afterEach(() => fake.server.close());

  const adapter = (secret = SECRET): MicrosoftGraphAdapter =>
    new MicrosoftGraphAdapter({ tenantId: TENANT, clientId: CLIENT, authorityHost: base, graphBaseUrl: base }, secret, { caCertificate: tls.cert, retry: { baseDelayMs: 20 } });
  const probed = async (): Promise<MicrosoftGraphAdapter> => {
    const m = adapter();
    unwrap(await m.probe());
    return m;
  };

  it('probes licences and flags Exchange-only operations as needs-sidecar with the cmdlet', async () => {
    const caps = unwrap(await adapter().probe());
    expect(caps.kind).toBe('microsoft-365');
    expect(caps.mailbox.create.how).toContain('Exchange licence');
    expect(caps.alias.manage).toMatchObject({ level: 'needs-sidecar', manual: expect.stringContaining('Set-Mailbox') });
    expect(caps.quota.set.manual).toContain('-ProhibitSendReceiveQuota');
    expect(caps.dkim.generate.manual).toContain('New-DkimSigningConfig');
    expect(caps.forward.set.level).toBe('emulated');
  });

  it('reads last sign-ins from signInActivity (interactive or not), and is refused without Entra ID P1', async () => {
    fake.graph.seedUser('ann@contoso.test').lastSignIn = '2026-12-01T10:00:00Z';
    fake.graph.seedUser('bo@contoso.test');
    fake.graph.seedUser('cy@fabrikam.test').lastSignIn = '2026-11-01T10:00:00Z';
    const m = await probed();
    const logins = await collect(m.listLastLogins('contoso.test'));
    expect(logins.map((l) => [l.address, l.lastLoginAt])).toEqual([['ann@contoso.test', '2026-12-01T10:00:00.000Z'], ['bo@contoso.test', null]]);
    fake.graph.premium = false;
    const refused = await collectResult(m.listLastLogins(null));
    expect(refused.ok ? null : [refused.error.code, refused.error.message]).toEqual(['backend.forbidden', expect.stringContaining('premium license')]);
    // Listing mailboxes never asks for signInActivity, so a tenant without P1 still lists them (lastLoginAt absent).
    expect((await collect(m.listMailboxes('contoso.test'))).every((b) => b.lastLoginAt === undefined)).toBe(true);
  });

  it('reads security defaults and turns them on through identitySecurityDefaultsEnforcementPolicy, read back', async () => {
    fake.securityDefaults = false;
    const m = await probed();
    expect(unwrap(await m.readTenantSettings())).toEqual({ securityDefaults: false });
    expect(unwrap(await m.updateTenantSettings({ securityDefaults: true }))).toEqual({ securityDefaults: true });
    expect(fake.securityDefaults).toBe(true);
    expect(fake.server.count('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy')).toBe(3);
  });

  it('lists users across @odata.nextLink pages and filters a domain with an advanced query', async () => {
    for (let i = 0; i < 230; i += 1) fake.graph.seedUser(`user${i}@contoso.test`);
    fake.graph.seedUser('x@fabrikam.test');
    fake.graph.seedUser('nobox@contoso.test', { licensed: false });
    const m = await probed();
    const before = fake.server.count('/v1.0/users');
    const all = await collect(m.listMailboxes(null));
    expect(all).toHaveLength(231);
    expect(fake.server.count('/v1.0/users') - before).toBe(3);
    const scoped = await collect(m.listMailboxes('fabrikam.test'));
    expect(scoped.map((b) => b.address)).toEqual(['x@fabrikam.test']);
  });

  it('creates a mailbox as pending until Exchange provisions it, and pending licence when no seat is free', async () => {
    fake.graph.provisioningDelayMs = 60_000;
    const m = await probed();
    const pending = unwrap(await m.createMailbox({ address: 'ann@contoso.test', displayName: 'Ann', password: 'P@ssw0rd-long-1' }));
    expect(pending).toMatchObject({ state: 'pending', reason: 'licence', value: { address: 'ann@contoso.test' } });

    fake.graph.provisioningDelayMs = 0;
    const done = unwrap(await m.createMailbox({ address: 'ben@contoso.test', password: 'P@ssw0rd-long-1' }));
    expect(done).toMatchObject({ state: 'done', value: { address: 'ben@contoso.test', active: true } });

    fake.graph.sku.consumedUnits = fake.graph.sku.prepaidUnits.enabled;
    const noSeat = unwrap(await m.createMailbox({ address: 'cy@contoso.test', password: 'P@ssw0rd-long-1' }));
    expect(noSeat).toMatchObject({ state: 'pending', reason: 'licence' });
    // The unlicensed user has no mailbox, so Graph's mail APIs refuse it.
    const rule = await m.setForwarding('cy@contoso.test', ['a@contoso.test'], true);
    expect(!rule.ok && rule.error.code).toBe('backend.notFound');

    const quota = await m.updateMailbox('ben@contoso.test', { quotaBytes: 10 * 1024 ** 3 });
    expect(quota.ok).toBe(false);
    if (!quota.ok) expect(quota.error.detail).toEqual({ level: 'needs-sidecar', cmdlet: "Set-Mailbox -Identity 'ben@contoso.test' -UseDatabaseQuotaDefaults $false -IssueWarningQuota '10737418240 B' -ProhibitSendQuota '10737418240 B' -ProhibitSendReceiveQuota '10737418240 B'" });

    const off = unwrap(await m.updateMailbox('ben@contoso.test', { active: false, displayName: 'Ben B' }));
    expect(off).toMatchObject({ active: false, displayName: 'Ben B' });
    unwrap(await m.setPassword('ben@contoso.test', 'An0ther-long-pass', { forceChange: true }));
    unwrap(await m.deleteMailbox('ben@contoso.test'));
    expect([...fake.graph.users.values()].some((u) => u.userPrincipalName === 'ben@contoso.test')).toBe(false);
  });

  it('creates a domain pending DNS verification, lists it and deletes it; alias domains are not a Graph object', async () => {
    const m = await probed();
    expect(unwrap(await m.createDomain('fabrikam.test'))).toMatchObject({ state: 'pending', reason: 'dns', value: { name: 'fabrikam.test', active: false } });
    expect((await collect(m.listDomains())).map((d) => d.name)).toEqual(['contoso.test', 'fabrikam.test']);
    unwrap(await m.deleteDomain('fabrikam.test'));
    expect((await collect(m.listDomains())).map((d) => d.name)).toEqual(['contoso.test']);
    expect('createAliasDomain' in m).toBe(false);
  });

  it('reads aliases but hands alias writes to Exchange Online PowerShell', async () => {
    fake.graph.seedUser('dee@contoso.test', { aliases: ['sales@contoso.test'] });
    const m = await probed();
    expect(await collect(m.listAliases('contoso.test'))).toEqual([{ address: 'sales@contoso.test', domain: 'contoso.test', targets: ['dee@contoso.test'], active: true }]);
    const add = await m.upsertAlias({ address: 'info@contoso.test', targets: ['dee@contoso.test'] });
    expect(!add.ok && add.error.detail).toEqual({ level: 'needs-sidecar', cmdlet: "Set-Mailbox -Identity 'dee@contoso.test' -EmailAddresses @{Add='smtp:info@contoso.test'}" });
    const del = await m.deleteAlias('sales@contoso.test');
    expect(!del.ok && del.error.detail).toEqual({ level: 'needs-sidecar', cmdlet: "Set-Mailbox -Identity 'dee@contoso.test' -EmailAddresses @{Remove='smtp:sales@contoso.test'}" });
  });

  it('manages Microsoft 365 group members; distribution lists need the sidecar', async () => {
    const a = fake.graph.seedUser('a@contoso.test');
    fake.graph.seedUser('b@contoso.test');
    fake.graph.seedGroup('dl@contoso.test', false, [a.id]);
    const m = await probed();
    unwrap(await m.upsertGroup({ address: 'team@contoso.test', name: 'Team', members: ['a@contoso.test', 'b@contoso.test'] }));
    unwrap(await m.upsertGroup({ address: 'team@contoso.test', members: ['b@contoso.test'] }));
    const groups = await collect(m.listGroups('contoso.test'));
    expect(groups).toContainEqual({ address: 'team@contoso.test', name: 'Team', members: ['b@contoso.test'] });
    expect(groups).toContainEqual({ address: 'dl@contoso.test', name: 'dl', members: ['a@contoso.test'] });
    const dl = await m.upsertGroup({ address: 'dl@contoso.test', members: ['b@contoso.test'] });
    expect(!dl.ok && dl.error.detail).toMatchObject({ level: 'needs-sidecar', cmdlet: "Update-DistributionGroupMember -Identity 'dl@contoso.test' -Members 'b@contoso.test' -Confirm:$false" });
    const outsider = await m.upsertGroup({ address: 'team@contoso.test', members: ['ext@partner.test'] });
    expect(!outsider.ok && outsider.error.code).toBe('backend.validation');
    unwrap(await m.deleteGroup('team@contoso.test'));
  });

  it('forwards through an inbox rule, and needs the sidecar to forward without a copy', async () => {
    fake.graph.seedUser('eve@contoso.test');
    const m = await probed();
    expect(unwrap(await m.setForwarding('eve@contoso.test', ['eve@partner.test'], true))).toMatchObject({ state: 'done', value: { state: 'active' } });
    expect(unwrap(await m.getForwarding('eve@contoso.test'))).toEqual({ address: 'eve@contoso.test', targets: ['eve@partner.test'], keepCopy: true, state: 'active' });
    const noCopy = await m.setForwarding('eve@contoso.test', ['eve@partner.test'], false);
    expect(!noCopy.ok && noCopy.error.detail).toMatchObject({ cmdlet: "Set-Mailbox -Identity 'eve@contoso.test' -ForwardingSmtpAddress 'smtp:eve@partner.test' -DeliverToMailboxAndForward $false" });
    unwrap(await m.setForwarding('eve@contoso.test', [], false));
    expect(unwrap(await m.getForwarding('eve@contoso.test')).state).toBe('off');
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const m = await probed();
    fake.server.throttle({ times: 1, retryAfter: '1', match: (r) => r.path === '/v1.0/domains' });
    const started = Date.now();
    expect((await collect(m.listDomains())).map((d) => d.name)).toEqual(['contoso.test']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.server.seen.filter((r) => r.path === '/v1.0/domains').map((r) => r.status)).toEqual([429, 200]);
  });

  it('never retries a refused client secret', async () => {
    const result = await adapter('wrong-secret').probe();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('backend.auth');
      expect(result.error.message).not.toContain('wrong-secret');
    }
    expect(fake.server.seen.filter((r) => r.path.endsWith('/token'))).toHaveLength(1);
    expect(fake.server.count('/v1.0/')).toBe(0);
  });
});
