import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess, type CliJson as Json } from '../../support/cli-in-process.ts';
import { startSmtpRelay, type RelayedMessage, type SmtpRelay } from '../../support/smtp-relay.ts';

const MC_KEY = 'mc-console-key-0123456789';

describe('mailroom routing, storage, relay, invite and import on a mailcow connection (against the fake and a loopback SMTP relay)', () => {
  const vault = new MemoryVault();
  const received: RelayedMessage[] = [];
  let smtp: SmtpRelay;
  let smtpPort: number;
  let mailcow: MailcowFake;
  let dataDir: string;

  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, env: { MC_KEY, NEW_PW: 'Console-pass-1', RELAY_PW: 'relay-secret' }, vault });

  beforeAll(async () => {
    smtp = await startSmtpRelay(received, { user: 'relay-user', password: 'relay-secret' });
    smtpPort = smtp.port;
    mailcow = new MailcowFake(MC_KEY);
    const base = await mailcow.server.start();
    dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-console-'));
    expect((await cli('connections', 'add-mailcow', '--name', 'mc', '--url', base, '--api-key-env', 'MC_KEY')).code).toBe(0);
    expect((await cli('domains', 'create', 'example.com', '--connection', 'mc')).code).toBe(0);
    const created = await cli('mailboxes', 'create', 'new@example.com', '--connection', 'mc', '--password-env', 'NEW_PW', '--quota', '1GiB');
    expect(created.code, created.err).toBe(0);
    for (const [alias, to] of [['loop-a@example.com', 'loop-b@example.com'], ['loop-b@example.com', 'loop-a@example.com'], ['press@example.com', 'agency@outside.test']]) {
      expect((await cli('aliases', 'create', alias!, '--connection', 'mc', '--to', to!)).code).toBe(0);
    }
  });
  afterAll(async () => {
    await mailcow.server.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('routing analyze finds the loop and the chain leaving the organisation, and exits 1 on the loop', async () => {
    const r = await cli('routing', 'analyze', '--json');
    expect(r.code, r.err).toBe(1);
    const ids = (r.json()['findings'] as Json[]).map((f) => f['id']);
    expect(ids).toEqual(expect.arrayContaining(['routing.loop', 'routing.leaves-organisation']));
    const human = await cli('routing', 'analyze', '--domain', 'example.com');
    expect(human.out).toContain('routing.loop');
    expect(human.out).toMatch(/loop-a@example\.com → loop-b@example\.com/);
    expect((await cli('routing', 'nonsense')).code).toBe(2);
  });

  it('storage summary reports the platform, the domain and the totals', async () => {
    const r = await cli('storage', 'summary', '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.json()).toMatchObject({ totals: { mailboxes: 1 }, platforms: [{ connectionName: 'mc', kind: 'mailcow', mailboxes: 1 }], domains: [{ domain: 'example.com', mailboxes: 1 }] });
    const human = await cli('storage', 'summary');
    expect(human.out).toContain('Total: 1 mailboxes');
    expect(human.out).toContain('example.com');
  });

  it('relay show and set keep the password in the keychain only; mailboxes invite mails a one-time password', async () => {
    expect((await cli('relay', 'show')).out).toContain('No SMTP relay configured');
    expect((await cli('mailboxes', 'invite', 'new@example.com', '--connection', 'mc')).code).toBe(2);
    const set = await cli('relay', 'set', '--host', '127.0.0.1', '--port', String(smtpPort), '--tls', 'none', '--from', 'it@example.com', '--user', 'relay-user', '--password-env', 'RELAY_PW');
    expect(set.code, set.err).toBe(0);
    expect(set.out).not.toContain('relay-secret');
    expect((await cli('relay', 'show', '--json')).json()).toMatchObject({ host: '127.0.0.1', port: smtpPort, user: 'relay-user', hasPassword: true, from: 'it@example.com' });

    const invited = await cli('mailboxes', 'invite', 'new@example.com', '--send-to', 'person@home.test', '--connection', 'mc');
    expect(invited.code, invited.err).toBe(0);
    expect(invited.out).toContain('one-time password sent to person@home.test (change forced at first login)');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: ['person@home.test'], user: 'relay-user' });
    const password = /One-time password: (\S+)/.exec((await simpleParser(received[0]!.raw)).text ?? '')?.[1];
    expect(password).toBeTruthy();
    expect(invited.out + invited.err).not.toContain(password);
    expect(mailcow.mailboxes.get('new@example.com')).toMatchObject({ password, force_pw_update: 1 });
  });

  it('lists mailboxes with order and filters, and imports a CSV through mailboxes.import (dry run, then applied)', async () => {
    const csv = join(dataDir, 'people.csv');
    // A blank quota would leave the platform's default: "none" asks for unlimited.
    writeFileSync(csv, 'address,display_name,quota_mb,active\nnew@example.com,New Person,2000,yes\nsecond@example.com,Second,none,no\n');
    const dry = await cli('import', csv, '--dry-run');
    expect(dry.code, dry.out + dry.err).toBe(0);
    expect(dry.out).toContain('~ mailbox new@example.com  name “” → “New Person”, quota 1.07 GB → 2 GB'); // 1 GiB as decimal GB; quota_mb counts decimal MB
    expect(dry.out).toContain('+ mailbox second@example.com  quota unlimited, password generated, suspended');
    expect(mailcow.mailboxes.has('second@example.com')).toBe(false);
    const applied = await cli('import', csv, '--json');
    expect(applied.code, applied.out + applied.err).toBe(0);
    expect(applied.json()['applied']).toHaveLength(2);
    expect(mailcow.mailboxes.get('second@example.com')).toMatchObject({ active: 0 });
    const suspended = await cli('mailboxes', 'list', '--status', 'suspended', '--json');
    expect((suspended.json()['rows'] as Json[]).map((m) => m['address'])).toEqual(['second@example.com']);
    const bySize = await cli('mailboxes', 'list', '--sort', 'quota', '--desc', '--json');
    expect((bySize.json()['rows'] as Json[]).map((m) => m['address'])).toEqual(['second@example.com', 'new@example.com']);
  });
});
