import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTcpProxy } from '../../fakes/tcp-proxy.ts';
import { seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { compareMailboxes } from './compare.ts';
import { seedMaildir } from './large-seed.ts';
import { endpointFor, finalLine, freshUser, freshUsers, reportLine, runMigrateCli, servers, urlFor } from './support.ts';

// A dropped APPEND whose answer never came is settled by reading the target folder. That read must
// see the folder as it is now: a view left open by an earlier read of the same folder (imapflow
// reuses a selected mailbox; Dovecot shows new messages to a session only at its next sync) hid the
// batch that had landed, so it was appended a second time.

function messages(n: number): CorpusMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `m${i}`,
    folder: 'INBOX',
    internalDate: new Date(Date.UTC(2024, 0, 1 + i, 9, 30)),
    flags: i % 3 === 0 ? ['\\Seen'] : [],
    content: Buffer.from(`From: a@example.test\r\nTo: b@example.test\r\nSubject: uncertain ${i}\r\nMessage-ID: <uncertain-${i}@example.test>\r\n\r\nBody ${i}\r\n`),
  }));
}

describe('mailroom migrate when the answer to an APPEND is lost', () => {
  it('settles a landed batch once, even when the folder was read before', async () => {
    const src = freshUser('usrc');
    const dst = freshUser('udst');
    const seeded = messages(30);
    await seedMailbox(endpointFor(src), seeded);
    const s = servers();
    // Plain IMAP on loopback so the proxy can cut at exact protocol steps:
    // 1. the first APPEND is swallowed with its connection: nothing lands, the batch is uncertain,
    //    and the copier reads the target folder to settle it (EXAMINE on its reading connection);
    // 2. after that read, the tagged OK of the next APPEND is swallowed: the batch landed, uncertain again.
    const steps = { appendCut: false, folderRead: false, answerCut: false };
    const proxy = await startTcpProxy({
      targetHost: s.imap.host,
      targetPort: s.imap.port,
      dropWhen: (chunk, direction) => {
        const text = chunk.toString('latin1');
        if (direction === 'up' && !steps.appendCut && /\bAPPEND "?INBOX/.test(text)) return (steps.appendCut = true);
        if (direction === 'up' && steps.appendCut && /\bEXAMINE "?INBOX/.test(text)) steps.folderRead = true;
        if (direction === 'down' && steps.folderRead && !steps.answerCut && /OK \[APPENDUID /.test(text)) return (steps.answerCut = true);
        return false;
      },
    });
    const state = join(mkdtempSync(join(tmpdir(), 'mailroom-uncertain-')), 'state.db');
    const target = urlFor(dst, proxy.port).replace(/^imaps:/, 'imap+plain:');
    try {
      const run = await runMigrateCli(['--source', urlFor(src), '--target', target, '--state', state], { source: src.password, target: dst.password });
      expect(run.code, run.stderr + JSON.stringify(run.lines.slice(-2))).toBe(0);
      expect(steps).toEqual({ appendCut: true, folderRead: true, answerCut: true });
      expect(finalLine(run).failed).toBe(0);
    } finally {
      await proxy.close();
    }
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect(cmp.extra).toEqual([]);
    expect(cmp.missing).toEqual([]);
    expect(cmp.targetMessages).toBe(seeded.length);
  });

  it('compares by content a copy the settling matched only loosely, because the target changed its size', async () => {
    const [src, dst] = freshUsers(['lsrc', 'ldst']);
    // Written straight into the Maildir (an IMAP upload would be normalised): message 5 holds a lone CR
    // before CRLF, which Dovecot drops on APPEND, so its copy is one byte shorter and its key differs.
    const seeded = messages(30).map((m, i) => ({ content: i === 5 ? Buffer.from(m.content.toString('latin1').replace('Body 5\r\n', 'Body 5\r\r\n'), 'latin1') : m.content, internalDate: m.internalDate, seen: false }));
    seedMaildir(src!.user, seeded);
    const s = servers();
    // The tagged OK of the batch's APPEND is swallowed with nothing else: the batch landed, and only
    // reading the target folder settles it.
    let answerCut = false;
    const proxy = await startTcpProxy({
      targetHost: s.imap.host,
      targetPort: s.imap.port,
      dropWhen: (chunk, direction) => direction === 'down' && !answerCut && /OK \[APPENDUID /.test(chunk.toString('latin1')) && (answerCut = true),
    });
    const state = join(mkdtempSync(join(tmpdir(), 'mailroom-loose-')), 'state.db');
    const target = urlFor(dst!, proxy.port).replace(/^imaps:/, 'imap+plain:');
    try {
      const run = await runMigrateCli(['--source', urlFor(src!), '--target', target, '--state', state], { source: src!.password, target: dst!.password });
      expect(answerCut).toBe(true);
      // Every copy, the loosely matched one included, compared by content: the altered one is a failure, not "not comparable".
      expect((reportLine(run) as { content?: unknown }).content).toMatchObject({ checked: 29, differed: 1, unchecked: 0 });
      expect(finalLine(run).failed).toBe(1);
      expect(run.code).toBe(1);
    } finally {
      await proxy.close();
    }
    const cmp = await compareMailboxes(endpointFor(src!), endpointFor(dst!));
    expect(cmp.targetMessages).toBe(30);
    expect(cmp.extra.length).toBe(cmp.missing.length);
    expect(cmp.missing.length).toBe(1);
  });
});
