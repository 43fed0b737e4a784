import { mkdtempSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import { ImapPipeline } from '../../../electron/imap/pipeline.ts';
import { startSessions } from '../../../electron/migration/early-sessions.ts';
import { runMigration } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, reportLine, runMigrateCli, servers, urlFor } from './support.ts';

// A plain TCP relay to the test Dovecot's IMAPS port that counts the connections made through it and those still open.
async function relay(): Promise<{ port: number; accepted: () => number; open: () => number; close: () => Promise<void> }> {
  const live = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(servers().imap.imapsPort, servers().imap.host);
    live.add(client);
    client.on('close', () => live.delete(client));
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    open: () => live.size,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('raw sessions started before the state database opens (early-sessions.ts)', () => {
  it('a --state path that cannot be opened: both logins were already under way, the run still ends with one error line and exit 2, nothing left open', async () => {
    const src = freshUser('early-src');
    const dst = freshUser('early-dst');
    const [toSource, toTarget] = [await relay(), await relay()];
    try {
      const folder = mkdtempSync(join(tmpdir(), 'mailroom-early-'));
      const run = await runMigrateCli(['--source', urlFor(src, toSource.port), '--target', urlFor(dst, toTarget.port), '--state', folder], { source: src.password, target: dst.password });
      expect(run.code).toBe(2);
      expect(run.lines).toHaveLength(1);
      expect(run.lines[0]).toMatchObject({ error: { code: 'io.failed', message: expect.stringContaining('it is a folder') as unknown } });
      // The sessions started before the file was tried (main opened it first and connected nowhere).
      expect([toSource.accepted(), toTarget.accepted()]).toEqual([1, 1]);
      expect([toSource.open(), toTarget.open()]).toEqual([0, 0]);
    } finally {
      await Promise.all([toSource.close(), toTarget.close()]);
    }
  });

  it('a wrong source password: one error naming the source, exit 1, the source tried once', async () => {
    const src = freshUser('early-pw-src');
    const dst = freshUser('early-pw-dst');
    const toSource = await relay();
    try {
      const state = join(mkdtempSync(join(tmpdir(), 'mailroom-early-')), 'state.db');
      const run = await runMigrateCli(['--source', urlFor(src, toSource.port), '--target', urlFor(dst), '--state', state], { source: 'not-the-password', target: dst.password });
      expect(run.code).toBe(1);
      const errors = run.lines.filter((l) => JSON.stringify(l).includes('imap.auth'));
      expect(errors).toHaveLength(1);
      expect(reportLine(run).error).toMatchObject({ code: 'imap.auth', message: expect.stringMatching(/^source /) as unknown });
      expect(toSource.accepted()).toBe(1);
    } finally {
      await toSource.close();
    }
  });

  it('a run that never takes its early sessions (a dry run) logs out of them when it ends', async () => {
    const src = freshUser('early-dry-src');
    const dst = freshUser('early-dry-dst');
    await seedMailbox(endpointFor(src), loadCorpus(3));
    const early = startSessions(endpointFor(src), endpointFor(dst));
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-early-')), 'state.db'));
    const summary = await runMigration({ source: endpointFor(src), target: endpointFor(dst), store: new StateStore(db, 'job'), dryRun: true, early });
    expect([summary.dryRun, summary.error]).toEqual([true, null]);
    const [source, target] = await Promise.all([early.source, early.target]);
    expect([source.ok && source.value.alive, target.ok && target.value.alive]).toEqual([false, false]);
    db.close();
  });

  it('with sessions already logged in, the quiet check\'s commands leave before the state store is counted, and it is counted before their answers are read', async () => {
    const src = freshUser('early-order-src');
    const dst = freshUser('early-order-dst');
    await seedMailbox(endpointFor(src), loadCorpus(3));
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-early-')), 'state.db'));
    const run = (early?: ReturnType<typeof startSessions>) => runMigration({ source: endpointFor(src), target: endpointFor(dst), store: new StateStore(db, 'job'), ...(early ? { early } : {}) });
    expect((await run()).complete).toBe(true);
    const early = startSessions(endpointFor(src), endpointFor(dst));
    await Promise.all([early.source, early.target]);
    const sent = vi.spyOn(ImapPipeline.prototype, 'send');
    const counted = vi.spyOn(StateStore.prototype, 'folderCounts');
    const landed = vi.spyOn(StateStore.prototype, 'landedCount');
    const looked = vi.spyOn(StateStore.prototype, 'folder');
    try {
      const quiet = await run(early);
      expect(quiet.quiet).toBe(true);
      const firstCount = counted.mock.invocationCallOrder[0]!;
      const commands = sent.mock.calls.map((c, i) => ({ verb: String(c[0][0]).split(' ')[0], at: sent.mock.invocationCallOrder[i]! }));
      // The source's LIST and STATUS and the target's STATUS, all before the first count.
      expect(commands.filter((c) => c.at < firstCount).map((c) => c.verb)).toEqual(expect.arrayContaining(['LIST', 'STATUS']));
      expect(commands.filter((c) => c.verb === 'STATUS' && c.at > firstCount)).toEqual([]);
      // The landed counts too (O(rows) at 100,000 rows) are read before the answers are compared with the state store.
      const firstAnswerRead = looked.mock.invocationCallOrder.find((at) => at > firstCount)!;
      expect(landed.mock.invocationCallOrder.length).toBeGreaterThan(0);
      expect(landed.mock.invocationCallOrder.filter((at) => at > firstAnswerRead)).toEqual([]);
    } finally {
      sent.mockRestore();
      counted.mockRestore();
      landed.mockRestore();
      looked.mockRestore();
      db.close();
    }
  });
});
