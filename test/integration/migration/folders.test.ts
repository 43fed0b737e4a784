import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { runMigration, type MigrateOptions, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { messagesPerFolder, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, servers } from './support.ts';

function message(folder: string, n: number): CorpusMessage {
  const content = Buffer.from(`Message-ID: <f${n}@folders.test>\r\nSubject: message ${n}\r\n\r\nbody ${n}\r\n`, 'latin1');
  return { name: `f${n}`, folder, content, internalDate: new Date(Date.UTC(2012, 4, 1 + n, 9)), flags: ['\\Seen'] };
}

const newDb = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-folders-')), 'state.db'));
const migrate = (source: ImapEndpoint, target: ImapEndpoint, db: Db, more: Partial<MigrateOptions> = {}): Promise<MigrationSummary> =>
  runMigration({ source, target, store: new StateStore(db, 'job'), verify: true, concurrency: 2, ...more });

// A plain-IMAP view of a Dovecot account through a proxy that rewrites the server's lines (and, same length, the client's bytes).
async function viaProxy(account: ReturnType<typeof freshUser>, rewrite: (line: string) => string, fromClient?: (text: string) => string) {
  const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, rewrite, fromClient ? () => (chunk) => Buffer.from(fromClient(chunk.toString('latin1')), 'latin1') : undefined);
  return { proxy, endpoint: { ...endpointFor(account), port: proxy.port, tls: 'none' } as ImapEndpoint };
}

describe('which folders a migration copies (Dovecot)', () => {
  it("copies only the personal namespace unless shared folders are asked for, and never merges another user's Sent into this one's", async () => {
    const src = freshUser('nssrc');
    const dst = freshUser('nsdst');
    const bob = 'Other Users/bob/Sent';
    await seedMailbox(endpointFor(src), [message('INBOX', 1), message('INBOX', 2), message('Sent', 3), message(bob, 4), message(bob, 5), message(bob, 6)]);
    // Dovecot stores bob's folder in alice's tree; the proxy declares "Other Users/" as the other users' namespace (RFC 2342), as Dovecot's shared namespace would.
    const { proxy, endpoint } = await viaProxy(src, (line) => line.replace(/^\* NAMESPACE \(\("" "\/"\)\) NIL/, '* NAMESPACE (("" "/")) (("Other Users/" "/"))'));
    try {
      const db = newDb();
      const personal = await migrate(endpoint, endpointFor(dst), db);
      expect(personal.error).toBeNull();
      expect(personal.complete).toBe(true);
      expect(personal.copied).toBe(3);
      expect(personal.folders.find((f) => f.sourcePath === bob)?.skipReason).toMatch(/^another user's folder, outside the personal namespace/);
      const onlyPersonal = await messagesPerFolder(endpointFor(dst));
      expect(onlyPersonal).toMatchObject({ INBOX: 2, Sent: 1 });
      expect(Object.keys(onlyPersonal).filter((f) => f.startsWith('Other Users'))).toEqual([]);

      const shared = await migrate(endpoint, endpointFor(dst), db, { includeShared: true });
      expect(shared.complete).toBe(true);
      expect(shared.copied).toBe(3);
      const withShared = await messagesPerFolder(endpointFor(dst));
      expect(withShared).toMatchObject({ INBOX: 2, Sent: 1, [bob]: 3 });
    } finally {
      await proxy.close();
    }
  });

  it('maps special-use folders by attribute whatever their names (RFC 6154)', async () => {
    const src = freshUser('susrc');
    const dst = freshUser('sudst');
    await seedMailbox(endpointFor(src), [message('INBOX', 1), message('Sent', 2), message('Sent', 3)]);
    // Through the proxy the source's \Sent folder is called "Gesendet", as a German server names it.
    const { proxy, endpoint } = await viaProxy(
      src,
      (line) => line.replace(/^(\* LIST \([^)]*\\Sent[^)]*\) "\/") "?Sent"?$/, '$1 "Gesendet"').replace(/^\* STATUS "?Sent"? \(/, '* STATUS "Gesendet" ('),
      (text) => text.replace(/Gesendet/g, 'Sent'),
    );
    try {
      const run = await migrate(endpoint, endpointFor(dst), newDb());
      expect([run.copied, run.complete]).toEqual([3, true]);
      expect(run.folders.find((f) => f.sourcePath === 'Gesendet')).toMatchObject({ targetPath: 'Sent', specialUse: '\\Sent' });
    } finally {
      await proxy.close();
    }
    const held = await messagesPerFolder(endpointFor(dst));
    expect(held).toMatchObject({ INBOX: 1, Sent: 2 });
    expect(held['Gesendet']).toBeUndefined();
  });

  it('reports a source folder that vanished between runs and completes the job', async () => {
    const src = freshUser('vasrc');
    const dst = freshUser('vadst');
    await seedMailbox(endpointFor(src), [message('INBOX', 1), message('INBOX', 2), ...[3, 4, 5, 6, 7, 8].map((n) => message('Temp', n))]);
    const db = newDb();
    // A dry run records every message as waiting, as an interrupted run leaves them.
    const planned = await migrate(endpointFor(src), endpointFor(dst), db, { dryRun: true });
    expect(planned.pending).toBe(8);
    const client = new ImapFlow(imapFlowOptions(endpointFor(src)));
    client.on('error', () => undefined);
    await client.connect();
    await client.mailboxDelete('Temp');
    await client.logout();

    const run = await migrate(endpointFor(src), endpointFor(dst), db);
    expect(run.error).toBeNull();
    expect([run.copied, run.pending, run.failed, run.complete]).toEqual([2, 0, 0, true]);
    expect(run.folders.find((f) => f.sourcePath === 'Temp')?.skipReason).toBe('vanished from the source since the last run; 6 message(s) it still had to copy are no longer there');
    expect(run.warnings).toContain('Temp: vanished from the source since the last run; 6 message(s) it still had to copy are no longer there');
    const again = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([again.complete, again.pending]).toEqual([true, 0]);
    expect(await messagesPerFolder(endpointFor(dst))).toMatchObject({ INBOX: 2 });
  });

  it('renames a folder whose name the target refuses by the stated rule, reports it and copies every message', async () => {
    const src = freshUser('rnsrc');
    const dst = freshUser('rndst');
    // The source folder is "Dr- Jones" on disk; through the proxy the source calls it "Dr. Jones", a name Dovecot's Maildir++ layout refuses.
    await seedMailbox(endpointFor(src), [message('INBOX', 1), ...[2, 3, 4, 5].map((n) => message('Dr- Jones', n))]);
    const { proxy, endpoint } = await viaProxy(
      src,
      (line) => line.replaceAll('Dr- Jones', 'Dr. Jones'),
      (text) => text.replaceAll('Dr. Jones', 'Dr- Jones'),
    );
    try {
      const run = await migrate(endpoint, endpointFor(dst), newDb());
      expect(run.error).toBeNull();
      expect([run.copied, run.failed, run.complete]).toEqual([5, 0, true]);
      expect(run.verification.find((f) => f.sourcePath === 'Dr. Jones')).toMatchObject({ targetPath: 'Dr_ Jones', sourceCount: 4, targetCount: 4, copied: 4, missing: 0 });
      expect(run.warnings.find((w) => w.startsWith('Dr. Jones: "Dr. Jones" → "Dr_ Jones": the target refused the name'))).toMatch(/every character the target refuses in a folder name becomes "_"$/);
    } finally {
      await proxy.close();
    }
    expect(await messagesPerFolder(endpointFor(dst))).toMatchObject({ INBOX: 1, 'Dr_ Jones': 4 });
  });
});
