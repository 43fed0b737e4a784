import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { munge8bitHeaders } from '../../fakes/munge8bit.ts';
import { startTcpProxy } from '../../fakes/tcp-proxy.ts';
import { loadCorpus, readMailbox, seedMailbox } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, servers } from './support.ts';

const corpus = loadCorpus();
const headerOf = (m: Buffer): Buffer => m.subarray(0, Math.max(0, m.indexOf('\r\n\r\n')));
const eightBit = (m: { readonly content: Buffer }): boolean => headerOf(m.content).some((b) => b >= 0x80);
// A large folder that takes many upload round trips, and two small ones (one with every 8-bit-header message, which the target alters).
const ALTERED = corpus.filter(eightBit);
const plain = corpus.filter((m) => !eightBit(m));
const MESSAGES = [
  ...plain.slice(0, 1500).map((m) => ({ ...m, folder: 'Big' })),
  ...plain.slice(1500, 1510).map((m) => ({ ...m, folder: 'Small' })),
  ...ALTERED.map((m) => ({ ...m, folder: 'Eight' })),
];

describe('verification alongside the copy', () => {
  it("checks a small folder by content while a large folder's copy still goes on, and still reports every altered copy", async () => {
    const src = freshUser('ovsrc');
    const dst = freshUser('ovdst');
    await seedMailbox(endpointFor(src), MESSAGES);
    // Target: Dovecot behind a munging proxy (Cyrus's munge8bit) behind a 5 ms proxy that notes when each command went up.
    const munging = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => line, munge8bitHeaders);
    const seen: { at: number; connection: number; text: string }[] = [];
    const latency = await startTcpProxy({
      targetHost: '127.0.0.1',
      targetPort: munging.port,
      delayMs: 5,
      noDelay: true,
      dropWhen: (chunk, direction, connection) => {
        if (direction === 'up') seen.push({ at: performance.now(), connection, text: chunk.toString('latin1', 0, 200) });
        return false;
      },
    });
    let summary: MigrationSummary;
    try {
      const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-overlap-')), 'state.db'));
      summary = await runMigration({ source: endpointFor(src), target: { ...endpointFor(dst), port: latency.port, tls: 'none' }, store: new StateStore(db, 'job'), verify: true, concurrency: 2 });
    } finally {
      await latency.close();
      await munging.close();
    }
    // On the target only the content check reads bodies back (Dovecot offers no FETCH DIGEST), and only the bytes and UID:
    // flags and internal dates are neither compared nor worth a parse.
    const firstReread = seen.find((s) => /UID FETCH [\d:,]+ \(UID BODY\.PEEK\[\]\)/.test(s.text));
    expect(seen.filter((s) => /UID FETCH [\d:,]+ \(UID FLAGS INTERNALDATE BODY\.PEEK\[\]\)/.test(s.text))).toEqual([]);
    const lastAppend = seen.findLast((s) => / APPEND /.test(s.text));
    expect(firstReread).toBeDefined();
    expect(lastAppend).toBeDefined();
    // Before: the check began once every upload had been answered, after the last APPEND was sent.
    expect(firstReread!.at).toBeLessThan(lastAppend!.at);
    expect(firstReread!.connection).not.toBe(lastAppend!.connection);
    // The same outcome as a check after the copy: every altered copy failed with its reason, the rest checked.
    expect(summary.error).toBeNull();
    expect(summary.complete).toBe(false);
    expect(summary.copied).toBe(MESSAGES.length);
    expect(summary.failed).toBe(ALTERED.length);
    expect(summary.content).toMatchObject({ checked: MESSAGES.length - ALTERED.length, differed: ALTERED.length, unchecked: 0, method: 'reread' });
    const alteredUids = [...(await readMailbox(endpointFor(src)))].flatMap(([folder, list]) => list.filter((m) => eightBit(m)).map((m) => `${folder} ${m.uid}`));
    expect(summary.failures.map((f) => `${f.sourcePath} ${f.uid}`).sort()).toEqual(alteredUids.sort());
    for (const f of summary.failures) expect(f.errorMessage).toMatch(/^the target altered 8-bit header bytes \(\d+ bytes? in the header, same size\)/);
    // The per-folder report as before: nothing missing but the altered copies, which count as failed (missing) and as messages no landed copy claims (extra).
    const byFolder = summary.verification.filter((v) => ['Big', 'Small', 'Eight'].includes(v.sourcePath)).map((v) => [v.sourcePath, v.sourceCount, v.targetCount, v.copied, v.failed, v.missing, v.extra, v.deep]);
    expect(byFolder.sort()).toEqual([
      ['Big', 1500, 1500, 1500, 0, 0, 0, true],
      ['Eight', ALTERED.length, ALTERED.length, 0, ALTERED.length, ALTERED.length, ALTERED.length, true],
      ['Small', 10, 10, 10, 0, 0, 0, true],
    ]);
  }, 300_000);
});
