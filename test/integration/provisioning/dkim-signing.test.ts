import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { DkimExport } from '../../../shared/domain/dns.ts';
import type { DkimSigner } from '../../../shared/domain/provisioning.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { StalwartFake } from '../../fakes/stalwart/stalwart-fake.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const MC_KEY = 'mc-dkim-key-0123456789';
type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

// Through the router, as the console and the CLI call it: keys from the keychain onto each platform,
// or made by the platform, which key signs where, and an export that says the key left the keychain.
describe('DKIM keys that sign: install, generate, list and export through the router', () => {
  const vault = new MemoryVault();
  let dataDir: string;
  let services: Services;
  let db: TestDatabase;
  let mailcow: MailcowFake;
  let stalwart: StalwartFake;
  const ids: Record<'pfa' | 'mc' | 'st', string> = { pfa: '', mc: '', st: '' };
  const call = <T>(channel: string, ...args: unknown[]) => services.router.dispatch(channel, args) as Promise<Answer<T>>;
  const value = <T>(answer: Answer<T>): T => {
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
    return answer.value;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-dkim-'));
    services = composeServices({ dataDir, vault, logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    db = await createTestDatabase('sqlite');
    mailcow = new MailcowFake(MC_KEY);
    stalwart = new StalwartFake('admin', 'st-secret');
    ids.pfa = value(await call<{ id: string }>('connections.addPostfixAdmin', { name: 'box', dialect: 'sqlite', path: db.target.path })).id;
    ids.mc = value(await call<{ id: string }>('connections.addMailcow', { name: 'mc', baseUrl: await mailcow.server.start(), apiKey: MC_KEY })).id;
    ids.st = value(await call<{ id: string }>('connections.addStalwart', { name: 'st', baseUrl: await stalwart.server.start(), username: 'admin', secret: 'st-secret' })).id;
    for (const id of Object.values(ids)) value(await call('domains.create', id, { name: 'example.test' }));
  });
  afterAll(async () => {
    services.close();
    await mailcow.server.close();
    await stalwart.server.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('installs the keychain key on PostfixAdmin and Stalwart, which then sign with it', async () => {
    const missing = await call('domains.installDkim', ids.pfa, { domain: 'example.test', selector: 's2026' });
    expect(!missing.ok && missing.error.code).toBe('notFound');
    const key = value(await call<{ record: string }>('dns.generateDkimKey', { domain: 'example.test', selector: 's2026', algorithm: 'rsa-2048' }));
    const p = key.record.split('p=')[1];
    for (const id of [ids.pfa, ids.st]) {
      const installed = value(await call<DkimSigner>('domains.installDkim', id, { domain: 'example.test', selector: 's2026' }));
      expect(installed).toEqual({ domain: 'example.test', selector: 's2026', algorithm: 'rsa', publicKey: p, active: true, fromKeychain: true });
      expect(value(await call<DkimSigner[]>('domains.dkimKeys', id, 'example.test'))).toEqual([installed]);
    }
    // mailcow takes no key from outside (its API log would keep it): it says so.
    const mc = await call('domains.installDkim', ids.mc, { domain: 'example.test', selector: 's2026' });
    expect(!mc.ok && mc.error.code).toBe('backend.unsupported');
  });

  it('has mailcow generate its own key; the list says it is not the keychain one', async () => {
    const made = value(await call<DkimSigner>('domains.generateDkim', ids.mc, { domain: 'example.test', selector: 'dkim' }));
    expect(made).toMatchObject({ selector: 'dkim', algorithm: 'rsa', active: true, publicKey: mailcow.dkim.get('example.test')?.pubkey });
    expect(value(await call<DkimSigner[]>('domains.dkimKeys', ids.mc, 'example.test'))).toEqual([{ ...made, fromKeychain: false }]);
    const pfa = await call('domains.generateDkim', ids.pfa, { domain: 'example.test', selector: 'x' });
    expect(!pfa.ok && pfa.error.code).toBe('backend.unsupported');
    const bad = await call('domains.generateDkim', ids.mc, { domain: 'example.test', selector: 'no good' });
    expect(!bad.ok && bad.error.code).toBe('input.invalid');
  });

  it('exports the key to a new 0600 file with OpenDKIM and rspamd snippets and a warning; never into a result or the journal', async () => {
    const path = join(dataDir, 'example.test.s2026.pem');
    const out = value(await call<DkimExport>('dns.exportDkimKey', { domain: 'example.test', selector: 's2026', path }));
    const pem = vault.secrets.get('dkim:example.test:s2026')!;
    expect(readFileSync(path, 'utf8')).toBe(pem);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(out).toMatchObject({ algorithm: 'rsa', path, opendkim: { keyTable: `s2026._domainkey.example.test example.test:s2026:${path}`, signingTable: expect.stringContaining('*@example.test s2026._domainkey.example.test') } });
    expect(out.rspamd).toContain(`selectors [ { path = "${path}"; selector = "s2026"; } ]`);
    expect(out.warning).toMatch(/outside the system keychain/);
    expect(JSON.stringify(out)).not.toContain('PRIVATE KEY');
    const again = await call('dns.exportDkimKey', { domain: 'example.test', selector: 's2026', path });
    expect(!again.ok && again.error.code).toBe('conflict');
    const relative = await call('dns.exportDkimKey', { domain: 'example.test', selector: 's2026', path: 'key.pem' });
    expect(!relative.ok && relative.error.code).toBe('input.invalid');

    const journal = value(await call<{ entries: { action: string; object: string; after: unknown }[] }>('audit.list', {}));
    const actions = journal.entries.map((e) => `${e.action} ${e.object}`);
    expect(actions).toEqual(expect.arrayContaining(['domains.installDkim s2026._domainkey.example.test', 'domains.generateDkim dkim._domainkey.example.test', 'dns.exportDkimKey s2026._domainkey.example.test']));
    // Newest first: the two refused exports, then the one that wrote the file.
    expect(journal.entries.filter((e) => e.action === 'dns.exportDkimKey').map((e) => e.after)).toEqual([null, null, expect.objectContaining({ path, algorithm: 'rsa' })]);
    services.db.pragma('wal_checkpoint(TRUNCATE)');
    const secretBody = pem.split('\n')[1]!;
    for (const file of readdirSync(dataDir).filter((f) => !f.endsWith('.pem'))) expect(readFileSync(join(dataDir, file)).includes(secretBody), file).toBe(false);
  });

  it('mailroom dkim says which key signs where, and warns on stderr when a key leaves the keychain', async () => {
    const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, vault });
    const keys = await cli('dkim', 'keys', 'example.test', '--connection', 'box');
    expect(keys.code, keys.err).toBe(0);
    expect(keys.out).toMatch(/s2026\s+rsa\s+yes\s+from the OS keychain/);
    const mc = await cli('dkim', 'keys', 'example.test', '--connection', 'mc');
    expect(mc.out).toMatch(/dkim\s+rsa\s+yes\s+the platform’s own/);
    const out = join(dataDir, 'cli-export.pem');
    const exported = await cli('dkim', 'export', 'example.test', '--selector', 's2026', '--out', out);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.err).toMatch(/^Warning: .* outside the system keychain/);
    expect(exported.out).toContain(`s2026._domainkey.example.test example.test:s2026:${out}`);
    expect(exported.out).not.toContain('PRIVATE KEY');
    const noOut = await cli('dkim', 'export', 'example.test', '--selector', 's2026');
    expect(noOut.code).toBe(2);
  });
});
