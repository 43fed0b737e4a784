import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { closedPort } from '../../support/closed-port.ts';
import { startSmtpRelay, type RelayedMessage } from '../../support/smtp-relay.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

// PostfixAdmin on SQLite: the adapter can read a mailbox's hash, so a failed invite can put it back.
describe('mailboxes.invite cannot strand a user (PostfixAdmin on SQLite, relays on loopback)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let services: Services;
  let connectionId: string;
  const call = <T>(channel: string, ...args: unknown[]) => services.router.dispatch(channel, args) as Promise<Reply<T>>;
  const hash = (): string => {
    const sqlite = new Database(db.target.path!, { readonly: true });
    try {
      return String((sqlite.prepare('SELECT password FROM mailbox WHERE username = ?').get('ana@example.test') as { password: string }).password);
    } finally {
      sqlite.close();
    }
  };
  const lastInvite = async () => {
    const journal = await call<{ entries: { action: string; result: string; after: unknown }[] }>('audit.list', {});
    return journal.ok ? journal.value.entries.find((e) => e.action === 'mailboxes.invite') : undefined;
  };
  const relayAt = async (port: number) => {
    const set = await call('relay.set', { host: '127.0.0.1', port, tls: 'none', user: 'relay-user', password: 'relay-secret', from: 'it@example.test' });
    expect(set.ok).toBe(true);
  };

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'mr-invite-pfa-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
    const added = await call<{ id: string }>('connections.addPostfixAdmin', { name: 'box', dialect: 'sqlite', path: db.target.path });
    if (!added.ok) throw new Error(added.error.message);
    connectionId = added.value.id;
    expect((await call('domains.create', connectionId, { name: 'example.test' })).ok).toBe(true);
    expect((await call('mailboxes.create', connectionId, { address: 'ana@example.test', password: 'Known-by-ana-1' })).ok).toBe(true);
  });
  afterAll(async () => {
    services.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with nothing listening on the relay port: refuses before the password is touched, and journals that it did not change', async () => {
    const before = hash();
    await relayAt(await closedPort());
    const failed = await call('mailboxes.invite', { connectionId, address: 'ana@example.test', sendTo: 'ana@home.test' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'smtp.failed', message: expect.stringMatching(/cannot be used \(.*ECONNREFUSED.*\); the password of ana@example\.test was not changed/) } });
    expect(hash()).toBe(before);
    expect(await lastInvite()).toMatchObject({ result: 'error', after: { invitedTo: 'ana@home.test', passwordChanged: false, restored: false, sent: false } });
  });

  it('with a relay that takes the login but refuses the message: puts the old hash back and journals that', async () => {
    const received: RelayedMessage[] = [];
    const refusing = await startSmtpRelay(received, { user: 'relay-user', password: 'relay-secret' }, { refuseData: true });
    try {
      const before = hash();
      await relayAt(refusing.port);
      const failed = await call('mailboxes.invite', { connectionId, address: 'ana@example.test', sendTo: 'ana@home.test' });
      expect(failed).toMatchObject({ ok: false, error: { code: 'smtp.failed', message: expect.stringMatching(/554 Message refused by policy.*old password of ana@example\.test was put back/) } });
      expect(hash()).toBe(before);
      expect(received).toEqual([]);
      expect(await lastInvite()).toMatchObject({ result: 'error', after: { passwordChanged: false, restored: true, sent: false } });
    } finally {
      await refusing.close();
    }
  });

  it('with a working relay: the password changes and the mail carries it', async () => {
    const received: RelayedMessage[] = [];
    const relay = await startSmtpRelay(received, { user: 'relay-user', password: 'relay-secret' });
    try {
      const before = hash();
      await relayAt(relay.port);
      const invited = await call('mailboxes.invite', { connectionId, address: 'ana@example.test', sendTo: 'ana@home.test' });
      expect(invited).toMatchObject({ ok: true, value: { address: 'ana@example.test', sentTo: 'ana@home.test', forceChange: false } });
      expect(hash()).not.toBe(before);
      expect(received).toHaveLength(1);
      expect(await lastInvite()).toMatchObject({ result: 'ok', after: { passwordChanged: true, sent: true } });
    } finally {
      await relay.close();
    }
  });
});
