import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '../../../electron/app/compose.ts';
import { SCOPES } from '../../../electron/backends/google/google-auth.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { GoogleFake } from '../../fakes/google/google-fake.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';

const MC_KEY = 'mc-cli-key-0123456789';
const SA = 'mailroom@project.iam.gserviceaccount.com';
const NEW_PW = 'Cli-created-pass-1';

describe('mailroom CLI with mailcow and Google Workspace connections (against the API fakes)', () => {
  const vault = new MemoryVault();
  let dataDir: string;
  let mailcow: MailcowFake;
  let google: GoogleFake;
  let mcBase: string;
  let gBase: string;

  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, env: { MC_KEY, NEW_PW }, vault });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-api-'));
    mailcow = new MailcowFake(MC_KEY);
    mcBase = await mailcow.server.start();
    google = new GoogleFake(['example.org']);
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    google.registerServiceAccount(SA, keys.publicKey);
    [...SCOPES.directory, ...SCOPES.reports, ...SCOPES.gmail].forEach((s) => google.dwdScopes.add(s));
    google.directory.seedUser('admin@example.org', 'Ada Admin');
    google.directory.seedUser('bob@example.org', 'Bob Builder');
    gBase = await google.server.start();
    writeFileSync(join(dataDir, 'sa.json'), JSON.stringify({ type: 'service_account', client_email: SA, private_key: keys.privateKey, token_uri: `${gBase}/token` }, null, 2));
  });
  afterAll(async () => {
    await mailcow.server.close();
    await google.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds both connections with secrets from env and file, into the vault only; tests and caches capabilities', async () => {
    const mc = await cli('connections', 'add-mailcow', '--name', 'mc', '--url', mcBase, '--api-key-env', 'MC_KEY', '--json');
    expect(mc.code, mc.out + mc.err).toBe(0);
    expect(mc.json().connection).toMatchObject({ kind: 'mailcow', hasSecret: true, settings: { baseUrl: mcBase } });
    const gw = await cli('connections', 'add-google', '--name', 'gw', '--admin', 'admin@example.org', '--key-file', join(dataDir, 'sa.json'), '--root-url', `${gBase}/`, '--gmail-root-url', `${gBase}/`, '--json');
    expect(gw.code, gw.out + gw.err).toBe(0);
    expect(gw.json().connection.settings).toMatchObject({ adminEmail: 'admin@example.org', clientEmail: SA });
    expect(JSON.stringify(gw.json())).not.toContain('PRIVATE KEY');
    expect([...vault.secrets.values()]).toEqual(expect.arrayContaining([MC_KEY, expect.stringContaining('PRIVATE KEY')]));

    const test = await cli('connections', 'test', 'mc', '--json');
    expect(test.code, test.out).toBe(0);
    expect(test.json().report.platform).toMatchObject({ kind: 'mailcow', version: '2025-03' });
    const caps = await cli('connections', 'capabilities', 'gw', '--json');
    expect(caps.code, caps.out).toBe(0);
    expect(caps.json().capabilities).toMatchObject({ kind: 'google-workspace', quota: { set: { level: 'unsupported' } } });
    const listed = (await cli('connections', 'list', '--json')).json().connections;
    expect(listed.find((c: { name: string }) => c.name === 'mc').lastTest).toMatchObject({ ok: true });

    const bad = await cli('connections', 'add-mailcow', '--name', 'x', '--url', 'ftp://nope', '--api-key-env', 'MC_KEY', '--json');
    expect(bad.code).toBe(2);
    expect(bad.json().error.code).toBe('input.invalid');
  });

  it('tests an API connection before keeping it: a refused key saves nothing unless --skip-test', async () => {
    const secretsBefore = vault.secrets.size;
    const refused = await runCliInProcess(['connections', 'add-mailcow', '--name', 'wrong', '--url', mcBase, '--api-key-env', 'MC_KEY'], { dataDir, env: { MC_KEY: 'not-the-key-0123456789' }, vault });
    expect(refused.code, refused.err).toBe(1);
    expect(refused.err).toMatch(/--skip-test/);
    expect((await cli('connections', 'list', '--json')).json().connections.map((c: { name: string }) => c.name)).not.toContain('wrong');
    expect(vault.secrets.size).toBe(secretsBefore);
    const kept = await runCliInProcess(['connections', 'add-mailcow', '--name', 'wrong', '--url', mcBase, '--api-key-env', 'MC_KEY', '--skip-test'], { dataDir, env: { MC_KEY: 'not-the-key-0123456789' }, vault });
    expect(kept.code, kept.err).toBe(0);
    expect(kept.out).toMatch(/saved untested \(--skip-test\)/);
    expect((await cli('connections', 'remove', 'wrong', '--force')).code).toBe(0);
  });

  it('refreshes, lists from the cache, creates mailboxes on both platforms and journals them', async () => {
    expect((await cli('domains', 'create', 'example.com', '--connection', 'mc')).code).toBe(0);
    mailcow.seedMailbox('carol@example.com', 512, 4096);
    const refreshed = await cli('mailboxes', 'list', '--connection', 'mc', '--refresh', '--json');
    expect(refreshed.json().rows.map((r: { address: string }) => r.address)).toEqual(['carol@example.com']);

    const created = await cli('mailboxes', 'create', 'dave@example.com', '--connection', 'mc', '--password-env', 'NEW_PW', '--name', 'Dave', '--quota', '1GiB');
    expect(created.code, created.err).toBe(0);
    expect(mailcow.mailboxes.get('dave@example.com')).toMatchObject({ name: 'Dave', quota: 1024 ** 3 });
    const gCreated = await cli('mailboxes', 'create', 'erin@example.org', '--connection', 'gw', '--password-env', 'NEW_PW', '--name', 'Erin Example');
    expect(gCreated.code, gCreated.err).toBe(0);
    expect(google.directory.users.get('erin@example.org')).toBeDefined();

    // From the cache, without a refresh: both platforms in one table.
    const all = (await cli('mailboxes', 'list', '--json')).json();
    expect(all.rows.map((r: { address: string; connectionKind: string }) => `${r.address} ${r.connectionKind}`)).toEqual([
      'admin@example.org google', 'bob@example.org google', 'carol@example.com mailcow', 'dave@example.com mailcow', 'erin@example.org google',
    ]);
    const search = (await cli('mailboxes', 'list', '--search', 'dav', '--json')).json();
    expect(search).toMatchObject({ total: 1, capped: false, rows: [{ address: 'dave@example.com', displayName: 'Dave', quotaBytes: 1024 ** 3 }] });

    const audit = (await cli('audit', 'list', '--json')).json();
    const entries = (audit.entries ?? audit) as { action: string; object: string; result: string }[];
    expect(entries.filter((e) => e.action === 'mailboxes.create').map((e) => `${e.object} ${e.result}`).sort()).toEqual(['dave@example.com ok', 'erin@example.org ok']);
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['connections.addMailcow', 'connections.addGoogle']));
    const journal = JSON.stringify(entries);
    for (const secret of [NEW_PW, MC_KEY, 'PRIVATE KEY']) expect(journal).not.toContain(secret);
  });

  it('connections capabilities prints the very matrix the console reads over IPC', async () => {
    const services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
    try {
      for (const name of ['mc', 'gw']) {
        const printed = await cli('connections', 'capabilities', name, '--json');
        expect(printed.code, printed.err).toBe(0);
        const id = services.connections.find(name)!.id;
        const console = await services.router.dispatch('connections.capabilities', [id]);
        expect(console.ok).toBe(true);
        expect(printed.json().capabilities).toEqual(console.ok ? console.value : null);
      }
    } finally {
      services.close();
    }
    const human = await cli('connections', 'capabilities', 'mc');
    expect(human.out).toMatch(/forward\.set\s+unsupported — mailcow's API cannot forward a mailbox/);
    expect(human.out).toMatch(/dkim\.generate\s+native/);
  });
});
