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
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { listenProxy } from '../../fakes/proxy-server.ts';
import { readMailbox, seedMailbox, type CorpusMessage, type SeenMessage } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, servers } from './support.ts';

// Delta passes (RFC 7162) against the real Dovecot, which offers CONDSTORE and QRESYNC: every
// change is made on the source with an independent client and judged by reading the target back.

function message(folder: string, n: number, flags: string[] = []): CorpusMessage {
  const content = Buffer.from(`Message-ID: <d${n}@delta.test>\r\nSubject: delta ${n}\r\n\r\nbody ${n}\r\n`, 'latin1');
  return { name: `d${n}`, folder, content, internalDate: new Date(Date.UTC(2012, 4, n, 8)), flags };
}

const SEED: readonly CorpusMessage[] = [
  message('INBOX', 1, ['\\Seen']),
  message('INBOX', 2),
  message('INBOX', 3, ['\\Seen', '$Work']),
  message('INBOX', 4),
  message('INBOX', 5, ['\\Flagged']),
  message('Archive', 6, ['\\Seen']),
  message('Archive', 7),
];

const newDb = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-delta-')), 'state.db'));

function migrate(source: ImapEndpoint, target: ImapEndpoint, db: Db, syncDeletions = false, examineFrom?: number): Promise<MigrationSummary> {
  return runMigration({ source, target, store: new StateStore(db, 'job'), verify: true, concurrency: 2, syncDeletions, ...(examineFrom === undefined ? {} : { examineFrom }) });
}

// Runs `work` on the source folder with a plain imapflow client.
async function onSource(endpoint: ImapEndpoint, folder: string, work: (c: ImapFlow) => Promise<unknown>): Promise<void> {
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      await work(client);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

// The source UID of seed message n (matched by its Subject line).
async function uidOf(endpoint: ImapEndpoint, folder: string, n: number): Promise<number> {
  const found = ((await readMailbox(endpoint)).get(folder) ?? []).find((m) => m.content.includes(`Subject: delta ${n}\r\n`));
  if (!found) throw new Error(`delta ${n} is not in ${folder}`);
  return found.uid;
}

// Each folder's messages as subject → sorted flags, the way a reader of the mailbox sees them.
async function view(endpoint: ImapEndpoint): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [folder, list] of await readMailbox(endpoint)) out[folder] = Object.fromEntries(list.map((m: SeenMessage) => [/Subject: (.*)\r\n/.exec(m.content.toString('latin1'))![1]!, m.flags.join(' ')]));
  return out;
}

const pathOf = (s: MigrationSummary, folder: string): string | undefined => s.passes.find((p) => p.sourcePath === folder)?.path;

async function seeded(prefix: string): Promise<{ src: ImapEndpoint; dst: ImapEndpoint }> {
  const src = endpointFor(freshUser(`${prefix}src`));
  const dst = endpointFor(freshUser(`${prefix}dst`));
  await seedMailbox(src, SEED);
  await seedMailbox(dst, []);
  return { src, dst };
}

describe('delta passes with CONDSTORE/QRESYNC (Dovecot)', () => {
  it('copies new mail and applies flag and keyword changes; keeps the target copy of an expunged message unless asked', async () => {
    const { src, dst } = await seeded('dq');
    const db = newDb();
    const first = await migrate(src, dst, db);
    expect(first.complete).toBe(true);
    expect(first.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'uid-scan', reason: expect.stringMatching(/no earlier complete pass/) as string });

    const [u2, u3, u4, u5] = [await uidOf(src, 'INBOX', 2), await uidOf(src, 'INBOX', 3), await uidOf(src, 'INBOX', 4), await uidOf(src, 'INBOX', 5)];
    await onSource(src, 'INBOX', async (c) => {
      await c.messageFlagsAdd(String(u2), ['\\Seen', '\\Answered'], { uid: true });
      await c.messageFlagsRemove(String(u3), ['$Work'], { uid: true });
      await c.messageFlagsAdd(String(u3), ['$Done'], { uid: true });
      await c.messageFlagsRemove(String(u5), ['\\Flagged'], { uid: true });
      await c.messageDelete(String(u4), { uid: true });
      await c.append('INBOX', message('INBOX', 8).content, ['$New'], new Date(Date.UTC(2012, 5, 1)));
    });

    const second = await migrate(src, dst, db);
    expect(second.error).toBeNull();
    expect(second.complete).toBe(true);
    expect(second.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'delta', flagsUpdated: 3, vanished: 1, expunged: 0 });
    expect(pathOf(second, 'Archive')).toBe('unchanged');
    expect(second.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ deep: true, missing: 0, extra: 0 });
    const target = await view(dst);
    expect(target['INBOX']).toEqual({
      'delta 1': '\\Seen',
      'delta 2': '\\Answered \\Seen',
      'delta 3': '$Done \\Seen',
      'delta 4': '',
      'delta 5': '',
      'delta 8': '$New',
    });
    expect(target['Archive']).toEqual((await view(src))['Archive']);

    // Nothing changed since: the next run has nothing to do and says so in one round trip per side.
    const third = await migrate(src, dst, db);
    expect([third.quiet, third.copied, third.complete]).toEqual([true, 0, true]);
  });

  it('expunges on the target what the source expunged, only with syncDeletions', async () => {
    const { src, dst } = await seeded('dx');
    const db = newDb();
    expect((await migrate(src, dst, db)).complete).toBe(true);
    const [u1, u2] = [await uidOf(src, 'INBOX', 1), await uidOf(src, 'INBOX', 2)];
    await onSource(src, 'INBOX', (c) => c.messageDelete(`${u1},${u2}`, { uid: true }));
    await onSource(src, 'Archive', (c) => c.messageFlagsAdd('1:*', ['\\Flagged'], { uid: true }));

    const synced = await migrate(src, dst, db, true);
    expect(synced.complete).toBe(true);
    expect(synced.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'delta', vanished: 2, expunged: 2 });
    expect(synced.passes.find((p) => p.sourcePath === 'Archive')).toMatchObject({ path: 'delta', flagsUpdated: 2 });
    expect(await view(dst)).toEqual(await view(src));
    expect(Object.keys((await view(dst))['INBOX']!)).toEqual(['delta 3', 'delta 4', 'delta 5']);
    const again = await migrate(src, dst, db, true);
    expect([again.quiet, again.complete]).toEqual([true, true]);
  });

  it('takes the full UID scan when UIDVALIDITY changed, and still copies what is new', async () => {
    const { src, dst } = await seeded('du');
    const db = newDb();
    expect((await migrate(src, dst, db)).complete).toBe(true);
    // A folder deleted and created again under the same name gets a new UIDVALIDITY.
    const client = new ImapFlow(imapFlowOptions(src));
    client.on('error', () => undefined);
    await client.connect();
    await client.mailboxDelete('Archive');
    await client.mailboxCreate('Archive');
    await client.append('Archive', message('Archive', 6).content, ['\\Seen'], message('Archive', 6).internalDate);
    await client.append('Archive', message('Archive', 9).content, ['$Late'], message('Archive', 9).internalDate);
    await client.logout();

    const after = await migrate(src, dst, db);
    expect(after.complete).toBe(true);
    expect(after.passes.find((p) => p.sourcePath === 'Archive')).toMatchObject({ path: 'uid-scan', reason: 'UIDVALIDITY changed since the last pass' });
    expect(pathOf(after, 'INBOX')).toBe('unchanged');
    // The old copies stay (message 7 is not expunged: deletions were not asked for); 6 is not doubled; 9 arrived.
    expect((await view(dst))['Archive']).toEqual({ 'delta 6': '\\Seen', 'delta 7': '', 'delta 9': '$Late' });
  });

  it('falls back to the UID scan when the source offers no CONDSTORE/QRESYNC', async () => {
    const { src, dst } = await seeded('dn');
    // The real Dovecot behind a proxy that leaves CONDSTORE and QRESYNC out of every capability list.
    const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => (/CAPABILITY/i.test(line) ? line.replace(/ (CONDSTORE|QRESYNC)\b/gi, '') : line));
    try {
      const plain: ImapEndpoint = { ...src, port: proxy.port, tls: 'none' };
      const db = newDb();
      expect((await migrate(plain, dst, db)).complete).toBe(true);
      const u2 = await uidOf(src, 'INBOX', 2);
      await onSource(src, 'INBOX', async (c) => {
        await c.messageFlagsAdd(String(u2), ['\\Seen'], { uid: true });
        await c.append('INBOX', message('INBOX', 8).content, [], new Date(Date.UTC(2012, 5, 1)));
      });
      const after = await migrate(plain, dst, db);
      expect(after.complete).toBe(true);
      expect(proxy.rewritten()).toBeGreaterThan(0);
      expect(after.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'uid-scan', reason: 'the source offers neither CONDSTORE nor QRESYNC' });
      const inbox = (await view(dst))['INBOX']!;
      // New mail arrives; the UID scan does not follow flag changes of messages already copied.
      expect(inbox['delta 8']).toBe('');
      expect(inbox['delta 2']).toBe('');
      expect(Object.keys(inbox)).toHaveLength(6);
    } finally {
      await proxy.close();
    }
  });

  it('follows flag changes on a source with CONDSTORE but no QRESYNC (as Gmail offers), without failing a run', async () => {
    const { src, dst } = await seeded('dc');
    // The real Dovecot behind a proxy that leaves QRESYNC (only) out of every capability list.
    const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => (/CAPABILITY/i.test(line) ? line.replace(/ QRESYNC\b/gi, '') : line));
    try {
      const plain: ImapEndpoint = { ...src, port: proxy.port, tls: 'none' };
      const db = newDb();
      expect((await migrate(plain, dst, db)).complete).toBe(true);
      const [u2, u5] = [await uidOf(src, 'INBOX', 2), await uidOf(src, 'INBOX', 5)];
      await onSource(src, 'INBOX', async (c) => {
        await c.messageFlagsAdd(String(u2), ['\\Seen', '$Todo'], { uid: true });
        await c.messageFlagsRemove(String(u5), ['\\Flagged'], { uid: true });
      });
      const flagsOnly = await migrate(plain, dst, db);
      expect(flagsOnly.error).toBeNull();
      expect(flagsOnly.complete).toBe(true);
      expect(proxy.rewritten()).toBeGreaterThan(0);
      expect(pathOf(flagsOnly, 'INBOX')).toBe('delta');
      expect(flagsOnly.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ flagsUpdated: 2 });
      let inbox = (await view(dst))['INBOX']!;
      expect(inbox['delta 2']).toBe('$Todo \\Seen');
      expect(inbox['delta 5']).toBe('');
      // New mail and a flag change together, then an expunge: each later run completes, nothing doubled.
      const u3 = await uidOf(src, 'INBOX', 3);
      await onSource(src, 'INBOX', async (c) => {
        await c.messageFlagsAdd(String(u3), ['\\Answered'], { uid: true });
        await c.append('INBOX', message('INBOX', 8).content, ['\\Seen'], new Date(Date.UTC(2012, 5, 1)));
      });
      const withNew = await migrate(plain, dst, db);
      expect(withNew.error).toBeNull();
      expect(withNew.complete).toBe(true);
      inbox = (await view(dst))['INBOX']!;
      expect(inbox['delta 3']).toBe('$Work \\Answered \\Seen');
      expect(inbox['delta 8']).toBe('\\Seen');
      expect(Object.keys(inbox)).toHaveLength(6);
      const u1 = await uidOf(src, 'INBOX', 1);
      await onSource(src, 'INBOX', (c) => c.messageDelete(String(u1), { uid: true }));
      const afterExpunge = await migrate(plain, dst, db);
      expect(afterExpunge.error).toBeNull();
      expect(afterExpunge.complete).toBe(true);
      expect(Object.keys((await view(dst))['INBOX']!)).toHaveLength(6);
      // With deletions asked for, what the source no longer has (found by UID SEARCH: CONDSTORE reports no expunges) goes.
      const u4 = await uidOf(src, 'INBOX', 4);
      await onSource(src, 'INBOX', (c) => c.messageDelete(String(u4), { uid: true }));
      const synced = await migrate(plain, dst, db, true);
      expect(synced.complete).toBe(true);
      expect(synced.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'delta', vanished: 2, expunged: 2 });
      expect(Object.keys((await view(dst))['INBOX']!).sort()).toEqual(['delta 2', 'delta 3', 'delta 5', 'delta 8']);
      expect((await migrate(plain, dst, db)).quiet).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("deep-checks a delta pass's new copies by APPENDUID: one the target does not show is missing", async () => {
    const { src, dst } = await seeded('dv');
    // The real target behind a proxy that hides every `* n FETCH (UID u)` line: the answer to the
    // look-up of this pass's copies by their APPENDUIDs (the first pass's deep check lists UIDs by SEARCH).
    const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => (/^\* \d+ FETCH \(UID \d+\)$/i.test(line) ? '* OK hidden' : line));
    try {
      const hiding: ImapEndpoint = { ...dst, port: proxy.port, tls: 'none' };
      const db = newDb();
      expect((await migrate(src, hiding, db)).complete).toBe(true);
      await onSource(src, 'INBOX', (c) => c.append('INBOX', message('INBOX', 8).content, [], new Date(Date.UTC(2012, 5, 1))));
      const after = await migrate(src, hiding, db);
      expect(pathOf(after, 'INBOX')).toBe('delta');
      expect(proxy.rewritten()).toBeGreaterThan(0);
      expect(after.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ deep: true, missing: 1 });
      expect(after.complete).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('copies new mail in a delta without listing either side: raw connections only, one upload connection', async () => {
    const { src, dst } = await seeded('dl');
    const { seen, hold, s, d, close } = await countingProxies(src, dst);
    try {
      const db = newDb();
      expect((await migrate(s, d, db)).complete).toBe(true);
      const u2 = await uidOf(src, 'INBOX', 2);
      await onSource(src, 'INBOX', async (c) => {
        await c.messageFlagsAdd(String(u2), ['\\Flagged'], { uid: true });
        await c.append('INBOX', message('INBOX', 8).content, ['$New'], new Date(Date.UTC(2012, 5, 1)));
        await c.append('INBOX', message('INBOX', 9).content, [], new Date(Date.UTC(2012, 5, 2)));
      });
      seen.reset();
      const after = await migrate(s, d, db);
      expect(after.error).toBeNull();
      expect(after.complete).toBe(true);
      expect(after.copied).toBe(2);
      expect(after.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'delta', flagsUpdated: 1 });
      expect(after.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ deep: true, missing: 0, extra: 0, sourceCount: 7, targetCount: 7 });
      expect(after.content).toMatchObject({ checked: 2, differed: 0 });
      // Source: one connection (LIST and STATUS, the new mail's bodies, then QRESYNC enabled for the changes).
      // Target: the raw connection (counts, SELECT, STOREs, checks) and one upload connection; no listing with counts anywhere.
      expect([seen.src.connections, seen.dst.connections]).toEqual([1, 2]);
      expect(seen.src.commands.filter((c) => /^ENABLE QRESYNC/i.test(c))).toHaveLength(1);
      expect(seen.src.commands.filter((c) => /^LIST /i.test(c))).toHaveLength(1);
      expect([...seen.src.commands, ...seen.dst.commands].filter((c) => /^(NAMESPACE|LSUB)\b/i.test(c) || /^LIST .*RETURN/i.test(c))).toEqual([]);
      expect(await view(dst)).toEqual(await view(src));
      const again = await migrate(s, d, db);
      expect([again.quiet, again.complete]).toEqual([true, true]);

      // The same with the quiet check's QRESYNC EXAMINE (by default for folders of 5,000 messages or more; here INBOX only):
      // the new mail's bodies then stream on that session, with QRESYNC enabled, and the changes are not read again.
      await onSource(src, 'INBOX', async (c) => {
        await c.messageFlagsAdd(String(u2), ['$Again'], { uid: true });
        await c.append('INBOX', message('INBOX', 10).content, ['\\Seen'], new Date(Date.UTC(2012, 5, 3)));
      });
      seen.reset();
      hold.ms = 400;
      const examined = await migrate(s, d, db, false, 3);
      hold.ms = 0;
      expect([examined.error, examined.complete, examined.copied]).toEqual([null, true, 1]);
      expect(examined.content).toMatchObject({ checked: 1, differed: 0 });
      expect(examined.verification.find((v) => v.sourcePath === 'INBOX')).toMatchObject({ deep: true, missing: 0, extra: 0, sourceCount: 8, targetCount: 8 });
      expect([seen.src.connections, seen.dst.connections]).toEqual([1, 2]);
      // INBOX opened once on the source: the copy reuses the quiet check's EXAMINE (a NOOP), and no reader opens it again.
      expect(seen.src.commands.filter((c) => /^(EXAMINE|SELECT) "?INBOX"?/i.test(c))).toEqual([expect.stringMatching(/^EXAMINE "?INBOX"? \(QRESYNC/i)]);
      // The source's new mail is read while the upload connection logs in (held 400 ms), not after its login.
      const metaSent = seen.timeline.findIndex((t) => /^src> \S+ UID FETCH \S+ \(UID RFC822\.SIZE/i.test(t));
      const uploadLoggedIn = seen.timeline.flatMap((t, i) => (/^dst< L1 OK/i.test(t) ? [i] : []))[1];
      expect(metaSent).toBeGreaterThan(-1);
      expect(metaSent).toBeLessThan(uploadLoggedIn ?? -1);
      expect(await view(dst)).toEqual(await view(src));
    } finally {
      await close();
    }
  });

  it('reads a flags-and-expunges delta in the quiet check\'s own round trip, on its one source connection', async () => {
    const { src, dst } = await seeded('df');
    const { seen, s, d, close } = await countingProxies(src, dst);
    try {
      const db = newDb();
      expect((await migrate(s, d, db)).complete).toBe(true);
      const [u1, u3] = [await uidOf(src, 'INBOX', 1), await uidOf(src, 'INBOX', 3)];
      await onSource(src, 'INBOX', async (c) => {
        await c.messageFlagsAdd(String(u3), ['\\Answered'], { uid: true });
        await c.messageDelete(String(u1), { uid: true });
      });
      seen.reset();
      // Every marked folder read by EXAMINE in the quiet check (by default only those of 5,000 messages or more).
      const after = await migrate(s, d, db, true, 0);
      expect(after.complete).toBe(true);
      expect(after.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'delta', flagsUpdated: 1, vanished: 1, expunged: 1 });
      // One source connection, and INBOX opened once on it: its QRESYNC EXAMINE stands in for its STATUS.
      expect([seen.src.connections, seen.dst.connections]).toEqual([1, 1]);
      expect(seen.src.commands.filter((c) => /^(ENABLE QRESYNC|EXAMINE "?INBOX"? \(QRESYNC)/i.test(c))).toHaveLength(2);
      expect(seen.src.commands.filter((c) => /^(EXAMINE|SELECT|STATUS) "?INBOX"? /i.test(c))).toHaveLength(1);
      expect(await view(dst)).toEqual(await view(src));
      // Nothing changed since: the EXAMINEs of the quiet check tell so as its STATUS did.
      const again = await migrate(s, d, db, true, 0);
      expect([again.quiet, again.complete]).toEqual([true, true]);
    } finally {
      await close();
    }
  });
});

// Both sides through proxies that count connections and keep the commands the client sends (without tags),
// and one timeline of both sides' commands and tagged answers, with tags ("src> F3 EXAMINE …", "src< F3 OK …").
async function countingProxies(src: ImapEndpoint, dst: ImapEndpoint) {
  const seen = {
    src: { connections: 0, commands: [] as string[] },
    dst: { connections: 0, commands: [] as string[] },
    timeline: [] as string[],
    reset(): void {
      seen.src = { connections: 0, commands: [] };
      seen.dst = { connections: 0, commands: [] };
      seen.timeline = [];
    },
  };
  const counting = (side: 'src' | 'dst') => (): ((chunk: Buffer) => Buffer) => {
    seen[side].connections++;
    return (chunk) => {
      for (const line of chunk.toString('latin1').split('\r\n')) {
        if (!/^[A-Za-z0-9.]+ [A-Z]/.test(line)) continue;
        seen[side].commands.push(line.slice(line.indexOf(' ') + 1));
        seen.timeline.push(`${side}> ${line}`);
      }
      return chunk;
    };
  };
  const answers = (side: 'src' | 'dst') => (line: string): string => {
    if (/^[A-Za-z0-9.]+ (OK|NO|BAD)\b/i.test(line)) seen.timeline.push(`${side}< ${line}`);
    return line;
  };
  // Behind the target's counting proxy: while `hold.ms` > 0, every target connection but a run's first
  // (the raw one) reaches the server that much later, so its login is answered late.
  const hold = { ms: 0 };
  const slow = await listenProxy(servers().imap.host, servers().imap.port, (client, upstream) => {
    const held = hold.ms > 0 && seen.dst.connections > 1 ? new Promise((r) => setTimeout(r, hold.ms)) : Promise.resolve();
    client.on('data', (d: Buffer) => void held.then(() => upstream.write(d)));
    upstream.on('data', (d: Buffer) => client.write(d));
  });
  const srcProxy = await startRewriteProxy(servers().imap.host, servers().imap.port, answers('src'), counting('src'));
  const dstProxy = await startRewriteProxy('127.0.0.1', slow.port, answers('dst'), counting('dst'));
  return {
    seen,
    hold,
    s: { ...src, port: srcProxy.port, tls: 'none' } as ImapEndpoint,
    d: { ...dst, port: dstProxy.port, tls: 'none' } as ImapEndpoint,
    close: () => Promise.all([srcProxy.close(), dstProxy.close(), slow.close()]),
  };
}

