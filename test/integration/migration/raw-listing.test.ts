import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { runMigration } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { startRewriteProxy } from '../../fakes/imap-rewrite-proxy.ts';
import { messagesPerFolder, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, servers } from './support.ts';

function message(folder: string, n: number): CorpusMessage {
  const content = Buffer.from(`Message-ID: <l${n}@listing.test>\r\nSubject: message ${n}\r\n\r\nbody ${n}\r\n`, 'latin1');
  return { name: `l${n}`, folder, content, internalDate: new Date(Date.UTC(2013, 2, 1 + n, 9)), flags: ['\\Seen'] };
}

// A plain-IMAP path to the test Dovecot that keeps, per connection, the commands the client sent.
async function recorded(account: { user: string; password: string }): Promise<{ endpoint: ImapEndpoint; sessions: string[][]; close: () => Promise<void> }> {
  const sessions: string[][] = [];
  const proxy = await startRewriteProxy(servers().imap.host, servers().imap.port, (line) => line, () => {
    const lines: string[] = [];
    sessions.push(lines);
    return (chunk) => {
      lines.push(...chunk.toString('latin1').split('\r\n').filter(Boolean));
      return chunk;
    };
  });
  return { endpoint: { ...endpointFor(account), port: proxy.port, tls: 'none' }, sessions, close: () => proxy.close() };
}

// imapflow greets every server that offers ID with its name; the raw sessions never send ID.
const imapflowSessions = (sessions: readonly string[][]): number => sessions.filter((s) => s.some((l) => /^\S+ ID \(/i.test(l))).length;

describe('the first pass lists both sides on its raw sessions (raw-listing.ts)', () => {
  it('copies and verifies nested, non-ASCII and special-use folders without ever logging in through imapflow', async () => {
    const src = freshUser('rlsrc');
    const dst = freshUser('rldst');
    await seedMailbox(endpointFor(src), [message('INBOX', 1), message('Sent', 2), message('Drafts', 3), message('Projets/Données & Économie', 4), message('Работа/Отчёты', 5), message('Archive/2002', 6)]);
    const [source, target] = [await recorded(src), await recorded(dst)];
    try {
      const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-listing-')), 'state.db'));
      const run = await runMigration({ source: source.endpoint, target: target.endpoint, store: new StateStore(db, 'job'), verify: true, concurrency: 2 });
      expect(run.error).toBeNull();
      expect([run.copied, run.complete]).toEqual([6, true]);
      expect(run.content).toMatchObject({ checked: 6, differed: 0 });
      expect(run.verification.every((v) => v.deep && v.missing === 0 && v.extra === 0)).toBe(true);
      expect(run.folders.find((f) => f.sourcePath === 'Sent')).toMatchObject({ targetPath: 'Sent', specialUse: '\\Sent' });
      // The listing and the recount ran on raw sessions, with LIST-STATUS (Dovecot offers it): one LIST each at the start, one at the end.
      const lists = (sessions: string[][]): string[] => sessions.flat().filter((l) => /^\S+ LIST "" "\*" RETURN \(.*STATUS \(/.test(l));
      expect(lists(source.sessions)).toHaveLength(2);
      expect(lists(target.sessions)).toHaveLength(2);
      expect([imapflowSessions(source.sessions), imapflowSessions(target.sessions)]).toEqual([0, 0]);
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
    expect(await messagesPerFolder(endpointFor(dst))).toMatchObject({ INBOX: 1, Sent: 1, Drafts: 1, 'Projets/Données & Économie': 1, 'Работа/Отчёты': 1, 'Archive/2002': 1 });
  });
});
