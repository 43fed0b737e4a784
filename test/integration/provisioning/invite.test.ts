import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { startSmtpRelay, type RelayedMessage, type SmtpRelay } from '../../support/smtp-relay.ts';

const MC_KEY = 'mc-invite-key-0123456789';

describe('mailboxes.invite: one-time password through an SMTP relay on loopback', () => {
  const received: RelayedMessage[] = [];
  let smtp: SmtpRelay;
  let smtpPort: number;
  let mailcow: MailcowFake;
  let dataDir: string;
  let services: Services;
  let connectionId: string;
  const vault = new MemoryVault();
  const call = <T>(channel: string, ...args: unknown[]) => services.router.dispatch(channel, args) as Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;

  beforeAll(async () => {
    smtp = await startSmtpRelay(received, { user: 'relay-user', password: 'relay-secret' });
    smtpPort = smtp.port;
    mailcow = new MailcowFake(MC_KEY);
    const base = await mailcow.server.start();
    dataDir = mkdtempSync(join(tmpdir(), 'mr-invite-'));
    services = composeServices({ dataDir, vault, logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    const added = await call<{ id: string }>('connections.addMailcow', { name: 'mc', baseUrl: base, apiKey: MC_KEY });
    if (!added.ok) throw new Error(added.error.message);
    connectionId = added.value.id;
    expect((await call('domains.create', connectionId, { name: 'example.com' })).ok).toBe(true);
    expect((await call('mailboxes.create', connectionId, { address: 'new@example.com', password: 'Initial-pass-1', displayName: 'New Person' })).ok).toBe(true);
  });
  afterAll(async () => {
    services.close();
    await mailcow.server.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses without a relay, then sets a forced-change password and mails it; the password is nowhere else', async () => {
    const none = await call('mailboxes.invite', { connectionId, address: 'new@example.com', sendTo: 'person@home.test' });
    expect(!none.ok && none.error.code).toBe('notFound');

    const relay = await call<{ hasPassword: boolean }>('relay.set', { host: '127.0.0.1', port: smtpPort, tls: 'none', user: 'relay-user', password: 'relay-secret', from: 'it@example.com' });
    expect(relay).toMatchObject({ ok: true, value: { host: '127.0.0.1', user: 'relay-user', hasPassword: true } });

    const invited = await call<{ forceChange: boolean; sentTo: string }>('mailboxes.invite', { connectionId, address: 'new@example.com', sendTo: 'person@home.test' });
    expect(invited).toMatchObject({ ok: true, value: { address: 'new@example.com', sentTo: 'person@home.test', forceChange: true } });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'it@example.com', to: ['person@home.test'], user: 'relay-user' });
    const mail = await simpleParser(received[0]!.raw);
    const password = /One-time password: (\S+)/.exec(mail.text ?? '')?.[1];
    expect(password).toMatch(/^\S{16}$/);
    expect(mailcow.mailboxes.get('new@example.com')).toMatchObject({ password, force_pw_update: 1 });
    expect(JSON.stringify(invited)).not.toContain(password);

    const journal = await call<{ entries: { action: string; after: unknown }[] }>('audit.list', {});
    const entries = journal.ok ? journal.value.entries : [];
    expect(entries.find((e) => e.action === 'mailboxes.invite')).toMatchObject({ after: { invitedTo: 'person@home.test', forceChange: true } });
    expect(JSON.stringify(entries)).not.toContain(password);
    services.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, file));
      expect(bytes.includes(password!), file).toBe(false);
      expect(bytes.includes('relay-secret'), file).toBe(false);
    }
  });

  it('changes nothing when the relay refuses the login, and the error and the journal say so', async () => {
    const before = mailcow.mailboxes.get('new@example.com')!.password;
    expect((await call('relay.set', { host: '127.0.0.1', port: smtpPort, tls: 'none', user: 'relay-user', password: 'wrong', from: 'it@example.com' })).ok).toBe(true);
    const failed = await call('mailboxes.invite', { connectionId, address: 'new@example.com', sendTo: 'person@home.test' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'smtp.failed', message: expect.stringContaining('was not changed') } });
    expect(mailcow.mailboxes.get('new@example.com')!.password).toBe(before);
    expect(await lastInvite()).toMatchObject({ result: 'error', after: { passwordChanged: false, sent: false } });
  });

  it('says the password changed when the relay refuses the message and the platform cannot put the old one back', async () => {
    const refusing = await startSmtpRelay([], { user: 'relay-user', password: 'relay-secret' }, { refuseData: true });
    try {
      const before = mailcow.mailboxes.get('new@example.com')!.password;
      expect((await call('relay.set', { host: '127.0.0.1', port: refusing.port, tls: 'none', user: 'relay-user', password: 'relay-secret', from: 'it@example.com' })).ok).toBe(true);
      const failed = await call('mailboxes.invite', { connectionId, address: 'new@example.com', sendTo: 'person@home.test' });
      expect(failed).toMatchObject({ ok: false, error: { code: 'smtp.failed', message: expect.stringMatching(/was reset.*554.*put the old one back/) } });
      expect(mailcow.mailboxes.get('new@example.com')!.password).not.toBe(before);
      expect(await lastInvite()).toMatchObject({ result: 'error', after: { passwordChanged: true, restored: false, sent: false } });
    } finally {
      await refusing.close();
    }
  });

  async function lastInvite(): Promise<{ result: string; after: unknown } | undefined> {
    const journal = await call<{ entries: { action: string; result: string; after: unknown }[] }>('audit.list', {});
    return journal.ok ? journal.value.entries.find((e) => e.action === 'mailboxes.invite') : undefined;
  }
});
