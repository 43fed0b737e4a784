import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { testServers } from '../../support/servers.ts';
import { fetchByMessageId } from '../../support/imap-message.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';

type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

// The relay's "Send test message" against the Postfix of test/servers/postfix.sh, read back from the Dovecot it delivers to.
describe('relay.sendTest through the real Postfix', () => {
  const servers = testServers();
  const smtp = servers.smtp;
  const user = servers.users.find((u) => u.user === 'user1@example.test')!;
  const vault = new MemoryVault();
  let dataDir: string;
  let services: Services;
  const call = <T>(channel: string, ...args: unknown[]) => services.router.dispatch(channel, args) as Promise<Reply<T>>;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-relay-test-'));
    services = composeServices({ dataDir, vault, logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
  });
  afterAll(() => {
    services.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says no relay is configured before one is saved', async () => {
    expect(await call('relay.sendTest', { to: user.user })).toMatchObject({ ok: false, error: { code: 'notFound', message: expect.stringContaining('Settings › Invitations') } });
  });

  it('refuses a line break in any field with the field named, and stores nothing', async () => {
    const base = { host: '127.0.0.1', port: 25, tls: 'none', from: 'it@example.test' };
    for (const bad of [{ host: '127.0.0.1\r\nRCPT TO:<x@evil.test>' }, { from: 'it@example.test\r\nBcc: x@evil.test' }, { user: 'relay\nuser' }, { password: 'pw\r\nQUIT' }]) {
      const refused = await call('relay.set', { ...base, ...bad });
      expect(refused, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
      const field = Object.keys(bad)[0]!;
      expect(JSON.stringify(refused)).toContain(field);
    }
    expect(await call('relay.get')).toEqual({ ok: true, value: null });
    expect(await call('relay.sendTest', { to: 'user1@example.test\r\nDATA' })).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
  });

  it.skipIf(smtp === null)('sends a test message that Postfix delivers to the mailbox, and reports the server’s answer', async () => {
    const saved = await call('relay.set', { host: smtp!.host, port: smtp!.port, tls: 'none', from: 'it@example.test' });
    expect(saved).toMatchObject({ ok: true, value: { host: smtp!.host, port: smtp!.port, hasPassword: false } });
    const sent = await call<{ accepted: string[]; response: string; messageId: string }>('relay.sendTest', { to: user.user });
    expect(sent).toMatchObject({ ok: true, value: { accepted: [user.user], rejected: [] } });
    if (!sent.ok) return;
    // Postfix's own words: "250 2.0.0 Ok: queued as <queue id>".
    expect(sent.value.response).toMatch(/^250 .*queued as \w+/);
    const raw = await fetchByMessageId(servers, user, sent.value.messageId);
    expect(raw, 'the test message never reached user1’s INBOX').not.toBeNull();
    const mail = await simpleParser(raw!);
    expect(mail.subject).toBe('Mailroom relay test');
    expect(mail.from?.value[0]?.address).toBe('it@example.test');
    expect(mail.text).toContain(`${smtp!.host}:${smtp!.port}`);
    // Postfix stamped it on the way through.
    expect(raw).toMatch(/Received: from .*by mail\.example\.test \(Postfix\)/s);
  });

  it.skipIf(smtp === null)('shows Postfix’s refusal of an unknown recipient as the error', async () => {
    const refused = await call('relay.sendTest', { to: 'nobody-at-all@example.test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'smtp.failed', message: expect.stringMatching(/did not take the test message: .*5\d\d .*nobody-at-all@example\.test/) } });
  });

  it.skipIf(smtp === null)('journals the relay change and each test send, with no secret in the journal or the data folder', async () => {
    const withUser = await call('relay.set', { host: smtp!.host, port: smtp!.port, tls: 'none', from: 'it@example.test', user: 'relay-user', password: 'Relay-Secret-42' });
    expect(withUser).toMatchObject({ ok: true, value: { user: 'relay-user', hasPassword: true } });
    expect(await vault.get('relay:smtp')).toBe('Relay-Secret-42');
    const entries = services.journal.list({ limit: 50 }).entries;
    const actions = entries.map((e) => `${e.action} ${e.object} ${e.result}`);
    expect(actions).toEqual(expect.arrayContaining(['relay.set relay.smtp ok', 'relay.sendTest relay.smtp ok', 'relay.sendTest relay.smtp error']));
    expect(entries.find((e) => e.action === 'relay.sendTest' && e.result === 'ok')?.after).toMatchObject({ testSentTo: user.user, response: expect.stringMatching(/^250 /) });
    expect(JSON.stringify(entries)).not.toContain('Relay-Secret-42');
    services.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(dataDir)) expect(readFileSync(join(dataDir, file)).includes('Relay-Secret-42'), file).toBe(false);
  });

  it.skipIf(smtp === null)('mailroom relay test prints Postfix’s answer, and its refusal with exit 1', async () => {
    const cliDir = mkdtempSync(join(tmpdir(), 'mr-relay-cli-'));
    try {
      const cli = (argv: string[]) => runCliInProcess(argv, { dataDir: cliDir, vault: new MemoryVault() });
      expect((await cli(['relay', 'set', '--host', smtp!.host, '--port', String(smtp!.port), '--tls', 'none', '--from', 'it@example.test'])).code).toBe(0);
      const sent = await cli(['relay', 'test', '--to', user.user]);
      expect(sent.code, sent.err).toBe(0);
      expect(sent.out).toMatch(new RegExp(`^${smtp!.host}:${smtp!.port} accepted the test message for user1@example\\.test: 250 .*queued as \\w+\\n$`));
      const refused = await cli(['relay', 'test', '--to', 'nobody-at-all@example.test']);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^error \[smtp\.failed\]: The relay .* did not take the test message: 5\d\d [^\n]*\n$/);
    } finally {
      rmSync(cliDir, { recursive: true, force: true });
    }
  });
});
