import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { runMigration, type MigrateOptions, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { addCyrusUser, cyrusEndpoint, defaultCyrus, rawImap } from '../../support/cyrus.ts';
import { loadCorpus, readMailbox, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { forCyrus } from './cyrus-compare.ts';
import { endpointFor, freshUser } from './support.ts';

const corpus = loadCorpus();
const headerOf = (m: Buffer): Buffer => m.subarray(0, Math.max(0, m.indexOf('\r\n\r\n')));
const eightBit = (m: CorpusMessage): boolean => headerOf(m.content).some((b) => b >= 0x80);

const migrate = (source: ImapEndpoint, target: ImapEndpoint, more: Partial<MigrateOptions> = {}, db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-cyrus-verify-')), 'state.db'))): Promise<MigrationSummary> =>
  runMigration({ source, target, store: new StateStore(db, 'job'), verify: true, concurrency: 2, ...more });

async function withClient<T>(endpoint: ImapEndpoint, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.logout();
  }
}

describe('verification by content and the right folders, against Cyrus IMAP 3.6', () => {
  it('reports every message munge8bit altered (all 47 of the corpus) as failed with the reason, never "complete"', async () => {
    const cyrus = defaultCyrus();
    expect(cyrus.munge8bit).toBe(true);
    const altered = corpus.filter(eightBit);
    expect(altered).toHaveLength(47);
    const messages = [...corpus.filter((m) => !eightBit(m)).slice(0, 250), ...altered];
    const src = freshUser('cvc-src');
    const dst = await addCyrusUser(cyrus, 'cvc-dst');
    await seedMailbox(endpointFor(src), messages);
    const run = await migrate(endpointFor(src), cyrusEndpoint(cyrus, dst));
    expect(run.error).toBeNull();
    expect(run.complete).toBe(false);
    expect(run.copied).toBe(messages.length);
    expect(run.failed).toBe(47);
    // Cyrus offers FETCH DIGEST.SHA1: the target's hashes come from the server, no copy is read back.
    expect(run.content).toMatchObject({ checked: messages.length - 47, differed: 47, unchecked: 0, method: 'digest' });
    const alteredUids = [...(await readMailbox(endpointFor(src)))].flatMap(([folder, list]) => list.filter((m) => headerOf(m.content).some((b) => b >= 0x80)).map((m) => `${folder} ${m.uid}`));
    expect(run.failures.map((f) => `${f.sourcePath} ${f.uid}`).sort()).toEqual(alteredUids.sort());
    for (const f of run.failures) expect(f.errorMessage).toMatch(/^the target altered 8-bit header bytes \(\d+ bytes? in the header, same size\)/);
  }, 300_000);

  it("copies alice's own folders but not bob's Sent shared with her", async () => {
    const cyrus = defaultCyrus();
    const alice = cyrus.users.find((u) => u.user === cyrus.sharedFolder.seenBy)!;
    const dst = freshUser('cvs-dst');
    // Dovecot reads a user added to its passwd-file within a second: seeding nothing waits for that.
    await seedMailbox(endpointFor(dst), []);
    const personal = await migrate(cyrusEndpoint(cyrus, alice), endpointFor(dst));
    expect(personal.error).toBeNull();
    expect(personal.complete).toBe(true);
    // Cyrus's standard namespace puts bob's folders under "user." (other users): never copied into alice's mailbox.
    expect(personal.folders.filter((f) => f.sourcePath.startsWith('user.') && f.targetPath !== null)).toEqual([]);
    // Special-use by attribute: Cyrus's INBOX.Sent is the target's Sent.
    expect(personal.folders.find((f) => f.specialUse === '\\Sent')).toMatchObject({ sourcePath: 'INBOX.Sent', targetPath: 'Sent' });
    const held = await readMailbox(endpointFor(dst));
    expect([...held.keys()].filter((f) => /bob|^user/i.test(f))).toEqual([]);
    expect([...held.values()].flat().some((m) => m.content.toString('latin1').includes('shared by bob'))).toBe(false);
  }, 120_000);

  it('completes after a source folder vanished between runs, and reports it', async () => {
    const cyrus = defaultCyrus();
    const src = await addCyrusUser(cyrus, 'cvv-src');
    const dst = freshUser('cvv-dst');
    await seedMailbox(endpointFor(dst), []);
    await seedMailbox(cyrusEndpoint(cyrus, src), forCyrus([...corpus.slice(0, 4).map((m) => ({ ...m, folder: 'INBOX' })), ...corpus.slice(4, 10).map((m) => ({ ...m, folder: 'Temp' }))], '.'));
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-cyrus-vanish-')), 'state.db'));
    expect((await migrate(cyrusEndpoint(cyrus, src), endpointFor(dst), { dryRun: true }, db)).pending).toBe(10);
    await withClient(cyrusEndpoint(cyrus, src), (c) => c.mailboxDelete('INBOX.Temp'));
    const run = await migrate(cyrusEndpoint(cyrus, src), endpointFor(dst), {}, db);
    expect(run.error).toBeNull();
    expect([run.copied, run.pending, run.complete]).toEqual([4, 0, true]);
    expect(run.folders.find((f) => f.sourcePath === 'INBOX.Temp')?.skipReason).toBe('vanished from the source since the last run; 6 message(s) it still had to copy are no longer there');
  }, 120_000);

  it('creates a missing special-use folder with its attribute where the target offers CREATE-SPECIAL-USE', async () => {
    const cyrus = defaultCyrus();
    const src = freshUser('cvu-src');
    const dst = await addCyrusUser(cyrus, 'cvu-dst');
    await seedMailbox(endpointFor(src), [{ ...corpus[0]!, folder: 'INBOX' }, { ...corpus[1]!, folder: 'Archive' }]);
    const caps = await withClient(cyrusEndpoint(cyrus, dst), async (c) => {
      await c.mailboxDelete('INBOX.Archive');
      return [...c.capabilities.keys()];
    });
    expect(caps).toContain('CREATE-SPECIAL-USE');
    const run = await migrate(endpointFor(src), cyrusEndpoint(cyrus, dst));
    expect([run.copied, run.complete]).toEqual([2, true]);
    const transcript = await rawImap(cyrus, dst, ['LIST "" "INBOX.Archive" RETURN (SPECIAL-USE)']);
    expect(transcript).toMatch(/^\* LIST \([^)]*\\Archive[^)]*\) "\." INBOX\.Archive\r$/m);
  }, 120_000);
});
