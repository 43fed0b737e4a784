import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { runMigration, type MigrateOptions, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { loadCorpus, messagesPerFolder, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { compareMailboxes } from './compare.ts';
import { startTcpProxy } from '../../fakes/tcp-proxy.ts';
import { endpointFor, freshUser, servers } from './support.ts';

const newDb = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-quiet-')), 'state.db'));

function migrate(source: ImapEndpoint, target: ImapEndpoint, db: Db, extra: Partial<MigrateOptions> = {}): Promise<MigrationSummary> {
  return runMigration({ source, target, store: new StateStore(db, 'job'), verify: true, concurrency: 2, ...extra });
}

function note(folder: string, id: string): CorpusMessage {
  return { name: id, folder, content: Buffer.from(`Message-ID: <${id}@quiet.test>\r\nSubject: ${id}\r\n\r\nbody\r\n`), internalDate: new Date(Date.UTC(2003, 0, 2)), flags: [] };
}

describe('no-change re-run (one round trip per side, no imapflow)', () => {
  it('answers from the state store only while the source tree, every folder and the options are as the last complete run left them', async () => {
    const src = freshUser('qsrc');
    const dst = freshUser('qdst');
    const corpus = loadCorpus(30);
    await seedMailbox(endpointFor(src), corpus);
    const folders = new Set(corpus.map((m) => m.folder)).size;
    const db = newDb();

    const first = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([first.copied, first.complete, first.quiet]).toEqual([30, true, false]);

    const quiet = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([quiet.copied, quiet.skipped, quiet.failed, quiet.complete, quiet.quiet, quiet.error]).toEqual([0, 30, 0, true, true, null]);
    // The report still covers every folder, with the counts read from both servers just now.
    expect(quiet.verification).toHaveLength(folders);
    const targetNow = await messagesPerFolder(endpointFor(dst));
    for (const v of quiet.verification) expect([v.sourcePath, v.targetCount, v.missing, v.extra]).toEqual([v.sourcePath, targetNow[v.targetPath], 0, 0]);
    expect(quiet.verification.reduce((n, v) => n + v.sourceCount, 0)).toBe(30);

    // A new message in an existing folder: the full path runs and copies just that one.
    await seedMailbox(endpointFor(src), [note(corpus[0]!.folder, 'later')]);
    const delta = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([delta.copied, delta.complete, delta.quiet]).toEqual([1, true, false]);
    expect((await migrate(endpointFor(src), endpointFor(dst), db)).quiet).toBe(true);

    // A new folder changes the tree's fingerprint, even with nothing else new anywhere.
    await seedMailbox(endpointFor(src), [note('Nouveau dossier', 'new-folder')]);
    const grown = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([grown.copied, grown.complete, grown.quiet]).toEqual([1, true, false]);
    expect((await messagesPerFolder(endpointFor(dst)))['Nouveau dossier']).toBe(1);

    // Other options pick other folders: no shortcut until a complete run with those options.
    const narrowed = await migrate(endpointFor(src), endpointFor(dst), db, { exclude: /^Nouveau/ });
    expect([narrowed.copied, narrowed.complete, narrowed.quiet]).toEqual([0, true, false]);
    expect(narrowed.verification.some((v) => v.sourcePath === 'Nouveau dossier')).toBe(false);
    expect((await migrate(endpointFor(src), endpointFor(dst), db, { exclude: /^Nouveau/ })).quiet).toBe(true);
    expect((await migrate(endpointFor(src), endpointFor(dst), db)).quiet).toBe(false);

    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra]).toEqual([[], []]);
  });

  it('reports a refused login on either side from the quiet check itself, and forgets the shortcut', async () => {
    const src = freshUser('qasrc');
    const dst = freshUser('qadst');
    await seedMailbox(endpointFor(src), loadCorpus(5));
    const db = newDb();
    expect((await migrate(endpointFor(src), endpointFor(dst), db)).complete).toBe(true);

    const wrongTarget = await migrate(endpointFor(src), { ...endpointFor(dst), auth: { password: 'not-the-password' } }, db);
    expect([wrongTarget.error?.code, wrongTarget.complete, wrongTarget.quiet]).toEqual(['imap.auth', false, false]);
    const wrongSource = await migrate({ ...endpointFor(src), auth: { password: 'not-the-password' } }, endpointFor(dst), db);
    expect([wrongSource.error?.code, wrongSource.complete, wrongSource.quiet]).toEqual(['imap.auth', false, false]);

    // The failed runs vouch for nothing: the next one looks at every folder, then the shortcut is back.
    const after = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([after.copied, after.skipped, after.complete, after.quiet]).toEqual([0, 5, true, false]);
    expect((await migrate(endpointFor(src), endpointFor(dst), db)).quiet).toBe(true);
  });

  it('survives the source dropping the connection during the quiet check, and loses or doubles nothing', async () => {
    const src = freshUser('qdsrc');
    const dst = freshUser('qddst');
    await seedMailbox(endpointFor(src), loadCorpus(12));
    const db = newDb();
    expect((await migrate(endpointFor(src), endpointFor(dst), db)).complete).toBe(true);
    const s = servers();
    // Drops land in the TLS handshake, the login, or the LIST/STATUS answers of the check.
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const proxy = await startTcpProxy({ targetHost: s.imap.host, targetPort: s.imap.imapsPort, dropAfterBytes: { min: 3_000, max: 9_000 }, seed });
      try {
        const r = await migrate({ ...endpointFor(src), port: proxy.port }, endpointFor(dst), db);
        // Either it got through (quiet or not) or it stopped with a connection error; it never throws or crashes.
        if (r.error) expect(r.error.retryable).toBe(true);
        else expect([r.copied, r.complete]).toEqual([0, true]);
      } finally {
        await proxy.close();
      }
    }
    const after = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([after.copied, after.complete]).toEqual([0, true]);
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra]).toEqual([[], []]);
  });
});
