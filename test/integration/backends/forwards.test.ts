import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GoogleWorkspaceAdapter } from '../../../electron/backends/google/google-adapter.ts';
import { SCOPES } from '../../../electron/backends/google/google-auth.ts';
import { MailcowAdapter } from '../../../electron/backends/mailcow/mailcow-adapter.ts';
import { MicrosoftGraphAdapter } from '../../../electron/backends/microsoft/microsoft-adapter.ts';
import { StalwartAdapter } from '../../../electron/backends/stalwart/stalwart-adapter.ts';
import { GoogleFake } from '../../fakes/google/google-fake.ts';
import { selfSignedCertificate } from '../../fakes/http/self-signed.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { MicrosoftFake } from '../../fakes/microsoft/microsoft-fake.ts';
import { StalwartFake } from '../../fakes/stalwart/stalwart-fake.ts';
import { collect, unwrap } from './collect.ts';

// Every platform's forwards as the routing view reads them on refresh (listForwarding), from the vendors' shapes.
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
const byAddress = <T extends { address: string }>(rows: readonly T[]): Record<string, T> => Object.fromEntries(rows.map((r) => [r.address, r]));

describe('forwards read from every platform for the routing view', () => {
  it('Google: reads auto-forwarding and filters with a forward action, as each user through delegation', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const fake = new GoogleFake(['example.com']);
    for (const u of ['admin', 'bob', 'carol', 'dave', 'eve']) fake.directory.seedUser(`${u}@example.com`);
    fake.registerServiceAccount('sa@p.iam.gserviceaccount.com', keys.publicKey);
    [...SCOPES.directory, ...SCOPES.gmail].forEach((s) => fake.dwdScopes.add(s));
    const base = await fake.server.start();
    closers.push(() => fake.server.close());
    const secret = JSON.stringify({ type: 'service_account', client_email: 'sa@p.iam.gserviceaccount.com', private_key: keys.privateKey, token_uri: `${base}/token` });
    const g = new GoogleWorkspaceAdapter({ adminEmail: 'admin@example.com', rootUrl: `${base}/`, gmailRootUrl: `${base}/` }, secret, { retry: { baseDelayMs: 20 } });

    expect(unwrap(await g.probe()).forward.read.level).toBe('native');
    // bob: auto-forwarding (after the target confirmed), original trashed; carol: two filters, one forwarding.
    unwrap(await g.setForwarding('bob@example.com', ['bob@gmail.test'], false));
    fake.confirmForwarding('bob@example.com', 'bob@gmail.test');
    unwrap(await g.setForwarding('bob@example.com', ['bob@gmail.test'], false));
    fake.forwarding.set('carol@example.com', { addresses: [{ email: 'boss@partner.test', status: 'accepted' }], auto: { enabled: false } });
    fake.filters.seed('carol@example.com', { criteria: { from: 'ceo@example.com' }, action: { forward: 'boss@partner.test' } });
    fake.filters.seed('carol@example.com', { criteria: { subject: 'newsletter' }, action: { removeLabelIds: ['INBOX'] } });
    // dave is suspended: Gmail delivers nothing to him, so his filter forwards nothing.
    fake.filters.seed('dave@example.com', { criteria: { from: 'x@example.com' }, action: { forward: 'dave@home.test' } });
    fake.directory.findUser('dave@example.com')!.suspended = true;

    const forwards = byAddress(await collect(g.listForwarding('example.com')));
    expect(Object.keys(forwards).sort()).toEqual(['bob@example.com', 'carol@example.com']);
    expect(forwards['bob@example.com']).toEqual({ address: 'bob@example.com', targets: ['bob@gmail.test'], keepCopy: false, state: 'active' });
    // carol's forward runs through a filter: only the mail its criteria match, said in words.
    expect(forwards['carol@example.com']).toEqual({ address: 'carol@example.com', targets: ['boss@partner.test'], keepCopy: true, state: 'active', conditions: { 'boss@partner.test': 'from ceo@example.com' } });

    // Without the Gmail settings scopes nothing can be read, and the capability says where to grant them.
    SCOPES.gmail.forEach((s) => fake.dwdScopes.delete(s));
    const limited = new GoogleWorkspaceAdapter({ adminEmail: 'admin@example.com', rootUrl: `${base}/`, gmailRootUrl: `${base}/` }, secret, { retry: { baseDelayMs: 20 } });
    expect(await collect(limited.listForwarding(null))).toEqual([]);
    expect(unwrap(await limited.probe()).forward.read).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('gmail.settings') });
  });

  it('Microsoft 365: reads forwardTo, redirectTo and forwardAsAttachmentTo of enabled inbox rules; mailbox forwarding needs the sidecar', async () => {
    const tls = selfSignedCertificate();
    const fake = new MicrosoftFake({ tenant: 't-1', clientId: 'c-1', secret: 's-1', tls });
    fake.graph.domains.set('contoso.test', { id: 'contoso.test', isVerified: true, isDefault: true });
    const ana = fake.graph.seedUser('ana@contoso.test');
    const ben = fake.graph.seedUser('ben@contoso.test');
    fake.graph.seedUser('cy@contoso.test');
    fake.graph.seedUser('nobox@contoso.test', { licensed: false });
    const to = (...a: string[]): { emailAddress: { address: string } }[] => a.map((address) => ({ emailAddress: { address } }));
    const rule = (id: string, isEnabled: boolean, actions: Record<string, unknown>) => ({ id, displayName: id, sequence: 1, isEnabled, hasError: false, conditions: { fromAddresses: to('ceo@contoso.test') }, actions });
    ana.rules.push(rule('r1', true, { forwardTo: to('Ana@Home.test'), stopProcessingRules: false }));
    ana.rules.push(rule('r2', true, { forwardAsAttachmentTo: to('audit@contoso.test') }));
    ana.rules.push(rule('r3', false, { redirectTo: to('old@gone.test') }));
    ben.rules.push(rule('r4', true, { redirectTo: to('ben@elsewhere.test'), delete: true }));
    const base = await fake.server.start();
    closers.push(() => fake.server.close());
    const m = new MicrosoftGraphAdapter({ tenantId: 't-1', clientId: 'c-1', authorityHost: base, graphBaseUrl: base }, 's-1', { caCertificate: tls.cert, retry: { baseDelayMs: 20 } });

    const forwards = byAddress(await collect(m.listForwarding(null)));
    expect(Object.keys(forwards).sort()).toEqual(['ana@contoso.test', 'ben@contoso.test']);
    // Every rule here has a condition (mail from the CEO): the forwards carry it in words.
    const fromCeo = 'from ceo@contoso.test';
    expect(forwards['ana@contoso.test']).toEqual({ address: 'ana@contoso.test', targets: ['ana@home.test', 'audit@contoso.test'], keepCopy: true, state: 'active', conditions: { 'ana@home.test': fromCeo, 'audit@contoso.test': fromCeo } });
    expect(forwards['ben@contoso.test']).toEqual({ address: 'ben@contoso.test', targets: ['ben@elsewhere.test'], keepCopy: false, state: 'active', conditions: { 'ben@elsewhere.test': fromCeo } });
    expect(unwrap(await m.probe()).forward.read).toMatchObject({ level: 'needs-sidecar', manual: expect.stringContaining('ForwardingSmtpAddress') });
  });

  it('Stalwart: reads the redirects of the active Sieve script of each account through JMAP for Sieve', async () => {
    const fake = new StalwartFake('admin', 'admin-secret');
    const base = await fake.server.start();
    closers.push(() => fake.server.close());
    const domainId = fake.seed('Domain', { name: 'example.net', isEnabled: true });
    const ida = fake.seed('Account', { '@type': 'User', name: 'ida', domainId });
    const jon = fake.seed('Account', { '@type': 'User', name: 'jon', domainId });
    fake.seed('Account', { '@type': 'User', name: 'kim', domainId });
    fake.sieve.seedScript(ida, 'rules', 'require ["copy", "fileinto"];\n# boss mail goes home too\nif address :is "from" "boss@example.net" {\n  redirect :copy "ida@home.test";\n}\nredirect "ida-archive@example.net";\nkeep;\n', true);
    fake.sieve.seedScript(jon, 'old', 'redirect "jon@old.test";', false);
    fake.sieve.seedScript(jon, 'now', 'redirect text:\njon@new.test\n.\n;', true);
    const st = new StalwartAdapter({ baseUrl: base, username: 'admin', pageSize: 10 }, 'admin-secret', { retry: { baseDelayMs: 5 } });

    const forwards = byAddress(await collect(st.listForwarding('example.net')));
    expect(Object.keys(forwards).sort()).toEqual(['ida@example.net', 'jon@example.net']);
    expect(forwards['ida@example.net']).toEqual({ address: 'ida@example.net', targets: ['ida@home.test', 'ida-archive@example.net'], keepCopy: true, state: 'active', conditions: { 'ida@home.test': 'from is boss@example.net' } });
    expect(forwards['jon@example.net']).toEqual({ address: 'jon@example.net', targets: ['jon@new.test'], keepCopy: false, state: 'active' });
    expect(unwrap(await st.probe()).forward.read.level).toBe('native');

    // A script the grammar refuses is one clear error naming it, not a silently empty graph.
    fake.sieve.seedScript(jon, 'broken', 'redirect "jon@new.test"', true);
    const broken = await collect(st.listForwarding('example.net')).catch((e: Error) => e.message);
    expect(broken).toMatch(/backend\.validation .*"broken" of jon@example\.net/);

    // Without impersonate users' accounts are out of reach: nothing is read and the capability says so.
    fake.permissions = fake.permissions.filter((p) => p !== 'impersonate');
    expect(await collect(st.listForwarding(null))).toEqual([]);
    expect(unwrap(await st.probe()).forward.read).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('impersonate') });
  });

  it('mailcow: reads Sieve redirects from active filters and the user script; aliases to other domains stay aliases', async () => {
    const fake = new MailcowFake('mc-key-0123456789');
    const base = await fake.server.start();
    closers.push(() => fake.server.close());
    const mc = new MailcowAdapter({ baseUrl: base }, 'mc-key-0123456789', { retry: { baseDelayMs: 5 } });
    unwrap(await mc.createDomain('example.com'));
    for (const u of ['lea', 'max', 'noa']) fake.seedMailbox(`${u}@example.com`);
    fake.sieveFilters.push({ id: 1, username: 'lea@example.com', filter_type: 'prefilter', script_data: 'require "copy";\nredirect :copy "lea@partner.test";', script_desc: 'copy to partner', active: true });
    fake.sieveFilters.push({ id: 2, username: 'noa@example.com', filter_type: 'postfilter', script_data: 'redirect "noa@old.test";', script_desc: 'old', active: false });
    // SOGo's forwarding (Preferences › Mail › Forward) as Dovecot holds it.
    fake.userSieve.set('max@example.com', 'require ["vacation","copy"];\nredirect "max@private.test";\n');
    unwrap(await mc.upsertAlias({ address: 'info@example.com', targets: ['outside@agency.test'] }));

    const forwards = byAddress(await collect(mc.listForwarding('example.com')));
    expect(Object.keys(forwards).sort()).toEqual(['lea@example.com', 'max@example.com']);
    expect(forwards['lea@example.com']).toEqual({ address: 'lea@example.com', targets: ['lea@partner.test'], keepCopy: true, state: 'active' });
    expect(forwards['max@example.com']).toEqual({ address: 'max@example.com', targets: ['max@private.test'], keepCopy: false, state: 'active' });
    expect(await collect(mc.listAliases('example.com'))).toEqual([expect.objectContaining({ address: 'info@example.com', targets: ['outside@agency.test'] })]);
    expect(unwrap(await mc.probe()).forward.read).toMatchObject({ level: 'native', how: expect.stringContaining('active-user-sieve') });
  });
});
