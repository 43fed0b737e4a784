import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { readMailbox, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { runCli } from '../../support/run-cli.ts';
import { compareMailboxes } from './compare.ts';
import { endpointFor, finalLine, freshUser, reportLine, runMigrateCli, servers, urlFor } from './support.ts';

// Dovecot 2.3's quota plugin refuses an APPEND (or a whole MULTIAPPEND) carrying a message over
// quota_max_mail_size with "NO [LIMIT] Mail size is larger than …", and advertises no APPENDLIMIT,
// so the refusal really comes at APPEND time.
const LIMITED = 'userdb_quota_max_mail_size=16k';

function message(folder: string, n: number, body: string): CorpusMessage {
  const content = Buffer.from(`Message-ID: <m${n}@limit.test>\r\nSubject: message ${n}\r\n\r\n${body}\r\n`, 'latin1');
  return { name: `m${n}`, folder, content, internalDate: new Date(Date.UTC(2011, 2, n, 9)), flags: ['\\Seen'] };
}

// The big one sits between small ones of the same folder, so they travel in one MULTIAPPEND.
const BIG = message('INBOX', 3, `${'x'.repeat(76)}\r\n`.repeat(500));
const MESSAGES: readonly CorpusMessage[] = [
  message('INBOX', 1, 'one'),
  message('INBOX', 2, 'two'),
  BIG,
  message('INBOX', 4, 'four'),
  message('INBOX', 5, 'five'),
  message('Archive', 6, 'six'),
  message('Archive', 7, 'seven'),
];
const BIG_KEY = `INBOX ${createHash('sha256').update(BIG.content).digest('hex').slice(0, 16)}`;

const newDb = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-limit-')), 'state.db'));
const migrate = (source: ImapEndpoint, target: ImapEndpoint, db: Db): Promise<MigrationSummary> =>
  runMigration({ source, target, store: new StateStore(db, 'job'), verify: true, concurrency: 2 });

type Account = ReturnType<typeof freshUser>;

/** Seeds a fresh source and returns it, an empty size-limited target, and the big message's source UID. */
async function pair(prefix: string): Promise<{ src: Account; dst: Account; bigUid: number }> {
  const src = freshUser(`${prefix}src`);
  const dst = freshUser(`${prefix}dst`, LIMITED);
  await seedMailbox(endpointFor(src), MESSAGES);
  const inbox = (await readMailbox(endpointFor(src))).get('INBOX') ?? [];
  const big = inbox.find((m) => m.content.equals(BIG.content));
  expect(big).toBeDefined();
  return { src, dst, bigUid: big!.uid };
}

async function sourceCount(endpoint: ImapEndpoint): Promise<number> {
  let n = 0;
  for (const list of (await readMailbox(endpoint)).values()) n += list.length;
  return n;
}

describe('a target that refuses one message with NO [LIMIT]', () => {
  it('fails only that message as imap.tooLarge, copies its MULTIAPPEND neighbours, and leaves it on the source', async () => {
    const { src, dst, bigUid } = await pair('l');
    const db = newDb();
    const summary = await migrate(endpointFor(src), endpointFor(dst), db);
    expect(summary.error).toBeNull();
    expect([summary.copied, summary.failed, summary.complete]).toEqual([6, 1, false]);
    expect(summary.failures).toEqual([{ sourcePath: 'INBOX', uid: bigUid, size: BIG.content.length, errorCode: 'imap.tooLarge', errorMessage: expect.stringMatching(/over its size or another limit/) as string }]);
    expect(summary.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ failed: 1, missing: 1, extra: 0 });
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[BIG_KEY], [], 6]);
    expect(await sourceCount(endpointFor(src))).toBe(MESSAGES.length);

    // A re-run neither doubles the others nor pretends the big one arrived.
    const again = await migrate(endpointFor(src), endpointFor(dst), db);
    expect([again.copied, again.failed, again.complete]).toEqual([0, 1, false]);
    expect((await compareMailboxes(endpointFor(src), endpointFor(dst))).targetMessages).toBe(6);
  });

  it('makes mailroom migrate exit 1 and list the refused message, in JSON and in text', async () => {
    const { src, dst, bigUid } = await pair('lc');
    const state = join(mkdtempSync(join(tmpdir(), 'mailroom-limit-')), 'state.db');
    const args = ['--source', urlFor(src), '--target', urlFor(dst), '--state', state];
    const json = await runMigrateCli(args, { source: src.password, target: dst.password });
    expect(json.code, json.stderr).toBe(1);
    expect(finalLine(json)).toMatchObject({ copied: 6, failed: 1 });
    const report = reportLine(json);
    expect(report).toMatchObject({ complete: false, error: null });
    expect(report.failures).toEqual([expect.objectContaining({ sourcePath: 'INBOX', uid: bigUid, size: BIG.content.length, errorCode: 'imap.tooLarge' })]);

    // The text report of a re-run over the same state still lists the failure.
    const env = { MAILROOM_SOURCE_PASSWORD: src.password, MAILROOM_TARGET_PASSWORD: dst.password, MAILROOM_HOME: mkdtempSync(join(tmpdir(), 'mailroom-home-')) };
    const text = await runCli(['migrate', '--ca', servers().ca, ...args], { env });
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain(`failed INBOX UID ${bigUid} (${BIG.content.length} bytes) [imap.tooLarge]`);
    expect(text.stdout).toContain('NOT complete');
    expect(await sourceCount(endpointFor(src))).toBe(MESSAGES.length);
  });

  it('treats NO [TOOBIG] (as iCloud answers) the same way, by its response code alone', async () => {
    const { src, dst, bigUid } = await pair('lt');
    // Dovecot still refuses; the proxy words the refusal as TOOBIG with text that names no size.
    const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => line.replace(/^(\S+) NO \[LIMIT\] .*$/, '$1 NO [TOOBIG] Message rejected'));
    try {
      const target: ImapEndpoint = { ...endpointFor(dst), port: proxy.port, tls: 'none' };
      const summary = await migrate(endpointFor(src), target, newDb());
      expect(summary.error).toBeNull();
      expect([summary.copied, summary.failed, summary.complete]).toEqual([6, 1, false]);
      expect(summary.failures).toEqual([expect.objectContaining({ uid: bigUid, errorCode: 'imap.tooLarge', errorMessage: expect.stringContaining('Message rejected') as string })]);
      // Once for the MULTIAPPEND of all five INBOX messages (refused whole), once for the big one's own retry.
      expect(proxy.rewritten()).toBe(2);
    } finally {
      await proxy.close();
    }
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra]).toEqual([[BIG_KEY], []]);
  });
});
