import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { loadCorpus, readMailbox, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { throttlingProxy } from '../../fakes/throttling-proxy.ts';
import { compareMailboxes } from './compare.ts';
import { endpointFor, freshUser, servers } from './support.ts';

const newDb = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-traps-')), 'state.db'));

function migrate(source: ImapEndpoint, target: ImapEndpoint, db: Db, job = 'job'): Promise<MigrationSummary> {
  return runMigration({ source, target, store: new StateStore(db, job), verify: true, concurrency: 2 });
}

function message(folder: string, text: string, internalDate = new Date(Date.UTC(2002, 7, 1, 12))): CorpusMessage {
  return { name: text.slice(0, 20), folder, content: Buffer.from(text, 'latin1'), internalDate, flags: ['\\Seen'] };
}

/** The messages every migrator trips over (issue 5, "corpus traps"). */
const TRAPS: readonly CorpusMessage[] = [
  // A lone CR before CRLF: Dovecot stores "\r\r\n" as "\r\n" on APPEND, so the copy is 1 byte shorter.
  message('INBOX', 'Message-ID: <lone-cr@trap.test>\r\nSubject: lone CR\r\n\r\nbefore\r\r\nafter\r\n'),
  message('INBOX', 'Message-ID: <lone-cr-2@trap.test>\r\nSubject: lone CRs\r\n\r\n\r\r\n\r\r\nHELLO\r\n'),
  // A date in the future.
  message('INBOX', 'Message-ID: <future@trap.test>\r\nSubject: from the future\r\n\r\nhi\r\n', new Date(Date.UTC(2036, 0, 1))),
  // Empty, "<>" and absent Message-IDs; two "<>" messages that differ only in the body.
  message('Junk', 'Message-ID: \r\nSubject: empty id\r\n\r\nbody\r\n'),
  message('Junk', 'Message-ID: <>\r\nSubject: angle brackets\r\n\r\nbody one\r\n'),
  message('Junk', 'Message-ID: <>\r\nSubject: angle brackets\r\n\r\nbody two\r\n'),
  message('Junk', 'Subject: no id at all\r\n\r\nbody\r\n'),
  // A genuine duplicate: the same message twice in one folder must arrive twice.
  message('Junk', 'Message-ID: <twice@trap.test>\r\nSubject: twice\r\n\r\nbody\r\n'),
  message('Junk', 'Message-ID: <twice@trap.test>\r\nSubject: twice\r\n\r\nbody\r\n'),
];

async function count(endpoint: ImapEndpoint): Promise<number> {
  let n = 0;
  for (const list of (await readMailbox(endpoint)).values()) n += list.length;
  return n;
}

describe('migration identity and recovery against Dovecot', () => {
  it('copies the corpus traps once each, verifies clean, and never copies them twice (re-run, lost state, uncertain state)', async () => {
    const src = freshUser('tsrc');
    const dst = freshUser('tdst');
    await seedMailbox(endpointFor(src), [...TRAPS, ...loadCorpus(40)]);
    const total = TRAPS.length + 40;
    const db = newDb();
    const first = await migrate(endpointFor(src), endpointFor(dst), db);
    expect(first.error).toBeNull();
    expect(first.copied).toBe(total);
    expect(first.verification.filter((v) => v.missing > 0 || v.extra > 0)).toEqual([]);
    expect(first.complete).toBe(true);
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    // The only byte differences are the lone CRs Dovecot removes on APPEND.
    expect(cmp.missing.length).toBeLessThanOrEqual(2);
    expect(cmp.targetMessages).toBe(total);

    const again = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([again.copied, again.skipped, again.complete]).toEqual([0, total, true]);

    // Without any state, identity matching finds every copy (altered ones included).
    const fresh = await migrate(endpointFor(src), endpointFor(dst), newDb());
    expect([fresh.copied, fresh.complete]).toEqual([0, true]);
    expect(await count(endpointFor(dst))).toBe(total);

    // A run killed between APPEND and its answer leaves rows 'appending': they are settled from the target, not re-sent.
    db.prepare(`UPDATE migration_messages SET state = 'appending', target_uid = NULL`).run();
    db.prepare(`UPDATE migration_folders SET status = 'partial'`).run();
    const resumed = await migrate(endpointFor(src), endpointFor(dst), db);
    expect(resumed.complete).toBe(true);
    expect(await count(endpointFor(dst))).toBe(total);
  });

  it('survives a UIDVALIDITY change on the source without copying anything twice', async () => {
    const src = freshUser('usrc');
    const dst = freshUser('udst');
    const messages = loadCorpus(30).map((m) => ({ ...m, folder: 'Box' }));
    await seedMailbox(endpointFor(src), messages);
    const db = newDb();
    expect((await migrate(endpointFor(src), endpointFor(dst), db)).copied).toBe(30);
    const validity = async (): Promise<bigint> => {
      const c = new ImapFlow(imapFlowOptions(endpointFor(src)));
      c.on('error', () => undefined);
      await c.connect();
      const s = await c.status('Box', { uidValidity: true });
      await c.logout();
      return (s as { uidValidity: bigint }).uidValidity;
    };
    const before = await validity();
    const c = new ImapFlow(imapFlowOptions(endpointFor(src)));
    c.on('error', () => undefined);
    await c.connect();
    await c.mailboxDelete('Box');
    await c.logout();
    await new Promise((r) => setTimeout(r, 1100)); // Dovecot derives UIDVALIDITY from the clock.
    await seedMailbox(endpointFor(src), [...messages, message('Box', 'Message-ID: <new@uv.test>\r\nSubject: new\r\n\r\nx\r\n')]);
    expect(await validity()).not.toBe(before);
    const after = await migrate(endpointFor(src), endpointFor(dst), db);
    expect(after.warnings.some((w) => w.includes('UIDVALIDITY'))).toBe(true);
    expect([after.copied, after.complete], JSON.stringify({ error: after.error, warnings: after.warnings, v: after.verification, f: after.failures, p: after.pending })).toEqual([1, true]);
    expect(await count(endpointFor(dst))).toBe(31);
  });

  it('backs off when the target answers NO [THROTTLED] and loses or doubles nothing', async () => {
    const src = freshUser('thsrc');
    const dst = freshUser('thdst');
    await seedMailbox(endpointFor(src), loadCorpus(60));
    const proxy = await throttlingProxy(servers().imap.host, servers().imap.port, 3);
    try {
      const target: ImapEndpoint = { ...endpointFor(dst), port: proxy.port, tls: 'none' };
      const summary = await migrate(endpointFor(src), target, newDb());
      expect(summary.error).toBeNull();
      expect([summary.copied, summary.failed, summary.complete]).toEqual([60, 0, true]);
      expect(proxy.throttled()).toBe(3);
      const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
      expect([cmp.missing, cmp.extra]).toEqual([[], []]);
    } finally {
      await proxy.close();
    }
  });
});
