import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { munge8bitHeaders } from '../../fakes/munge8bit.ts';
import { readMailbox, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, servers } from './support.ts';

// A delta pass's content check against the real Dovecot, behind a proxy that alters 8-bit header
// bytes of what is APPENDed (as Cyrus's munge8bit does) and keeps each target connection's commands.

function message(n: number, subject = `delta ${n}`, flags: string[] = []): CorpusMessage {
  const content = Buffer.from(`Message-ID: <c${n}@delta.test>\r\nSubject: ${subject}\r\n\r\nbody ${n}\r\n`, 'latin1');
  return { name: `c${n}`, folder: 'INBOX', content, internalDate: new Date(Date.UTC(2013, 2, n, 8)), flags };
}

// Per target connection, the folder each SELECT/EXAMINE opened while that folder was already open on it.
function reopened(connections: readonly string[][]): string[] {
  const out: string[] = [];
  for (const commands of connections) {
    let open: string | null = null;
    for (const c of commands) {
      const m = /^(?:SELECT|EXAMINE) ("[^"]*"|\S+)/i.exec(c);
      if (/^(CLOSE|UNSELECT)\b/i.test(c)) open = null;
      if (!m) continue;
      if (m[1] === open) out.push(c);
      open = m[1]!;
    }
  }
  return out;
}

describe("a delta's content check", () => {
  it('compares new copies on the folder the delta already SELECTed, without opening it again, and still finds an altered one', async () => {
    const src = endpointFor(freshUser('dcsrc'));
    const dst = endpointFor(freshUser('dcdst'));
    await seedMailbox(src, [message(1, 'one', ['\\Seen']), message(2, 'two'), message(3, 'three')]);
    await seedMailbox(dst, []);
    const connections: string[][] = [];
    const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => line, () => {
      const commands: string[] = [];
      connections.push(commands);
      const munge = munge8bitHeaders();
      return (chunk) => {
        for (const line of chunk.toString('latin1').split('\r\n')) if (/^[A-Za-z0-9.]+ [A-Z]/.test(line)) commands.push(line.slice(line.indexOf(' ') + 1));
        return munge(chunk);
      };
    });
    try {
      const d = { ...dst, port: proxy.port, tls: 'none' } as ImapEndpoint;
      const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-delta-content-')), 'state.db'));
      const migrate = (): Promise<MigrationSummary> => runMigration({ source: src, target: d, store: new StateStore(db, 'job'), verify: true, concurrency: 2 });
      expect((await migrate()).complete).toBe(true);
      // On the source: a flag change (the delta SELECTs the target folder for its STORE), a plain new message and one the target alters.
      const client = new ImapFlow(imapFlowOptions(src));
      client.on('error', () => undefined);
      await client.connect();
      try {
        const two = [...((await readMailbox(src)).get('INBOX') ?? [])].find((m) => m.content.includes('Subject: two\r\n'))!;
        await client.mailboxOpen('INBOX');
        await client.messageFlagsAdd(String(two.uid), ['\\Flagged'], { uid: true });
        await client.append('INBOX', message(4, 'plain').content, [], new Date(Date.UTC(2013, 3, 1)));
        await client.append('INBOX', message(5, 'caf\u00e9 8-bit').content, [], new Date(Date.UTC(2013, 3, 2)));
      } finally {
        await client.logout();
      }
      connections.length = 0;
      const delta = await migrate();
      expect(delta.error).toBeNull();
      expect(delta.passes.find((p) => p.sourcePath === 'INBOX')).toMatchObject({ path: 'delta', flagsUpdated: 1 });
      expect(delta.copied).toBe(2);
      // Both new copies compared by content: the altered one found, the run not complete.
      expect(delta.content).toMatchObject({ checked: 1, differed: 1 });
      expect(delta.complete).toBe(false);
      expect(connections.flat().filter((c) => /^UID FETCH \S+ \((UID )?(BODY\.PEEK\[\]|DIGEST\.SHA1)/i.test(c)).length).toBeGreaterThan(0);
      // No target connection opened INBOX while it already had INBOX open (the content check's EXAMINE after the delta's SELECT).
      expect(reopened(connections), JSON.stringify(connections)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
