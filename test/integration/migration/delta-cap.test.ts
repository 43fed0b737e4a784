import { mkdtempSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { openSession } from '../../../electron/imap/session.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { readMailbox, seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { listenProxy, type ProxyServer } from '../../fakes/proxy-server.ts';
import { startStockDovecot, type StockAccount, type StockDovecot } from './stock-dovecot.ts';
import { servers } from './support.ts';

// A delta pass against a Dovecot whose per-user connection limit (mail_max_userip_connections) is
// exactly the run's cap, the source through a proxy that counts the run's connections and behaves
// like a server stricter than Dovecot about ENABLE (RFC 5161: only before a mailbox is selected):
// ENABLE QRESYNC on a connection that has opened a folder does not enable it. Every change is
// judged by reading the target back; the server's log says whether it refused a login.

const LIMIT = 3;
const FOLDERS = ['INBOX', 'Archive', 'Lists/a', 'Lists/b', 'Work'];

function message(folder: string, n: number, flags: string[] = []): CorpusMessage {
  const content = Buffer.from(`Message-ID: <c${n}@cap.test>\r\nSubject: cap ${n}\r\n\r\nbody ${n}\r\n`, 'latin1');
  return { name: `c${n}`, folder, content, internalDate: new Date(Date.UTC(2013, 2, 1 + (n % 27), 8)), flags };
}

const SEED = FOLDERS.flatMap((folder, f) => Array.from({ length: 12 }, (_, i) => message(folder, f * 100 + i, i % 3 === 0 ? ['\\Seen'] : [])));

/** The proxy's count of the run's source connections. */
interface Counted {
  live: number;
  peak: number;
}

// Plain-IMAP proxy in front of the source's TLS port: counts connections, and turns ENABLE QRESYNC
// into an extension Dovecot ignores once the connection has opened a folder.
function strictProxy(counted: Counted): Promise<ProxyServer> {
  const dial = (): Socket => tlsConnect({ host: '127.0.0.1', port: dovecot.port, ca: readFileSync(servers().ca, 'utf8'), servername: 'localhost' });
  return listenProxy('127.0.0.1', dovecot.port, (client, upstream) => {
    counted.peak = Math.max(counted.peak, ++counted.live);
    client.once('close', () => counted.live--);
    let opened = false;
    client.on('data', (d: Buffer) => {
      let text = d.toString('latin1');
      if (opened) text = text.replace(/ ENABLE QRESYNC\r\n/gi, ' ENABLE XSTRICT\r\n');
      if (/ (SELECT|EXAMINE) /i.test(text)) opened = true;
      upstream.write(Buffer.from(text, 'latin1'));
    });
    upstream.on('data', (d: Buffer) => client.write(d));
  }, dial);
}

async function migrate(source: ImapEndpoint, target: ImapEndpoint, state: string, sourceConnections: number): Promise<MigrationSummary> {
  return runMigration({ source, target, store: new StateStore(openDatabase(state), 'job'), verify: true, concurrency: 4, sourceConnections, syncDeletions: true, connectionsPerSide: LIMIT });
}

// Each folder's messages as subject -> sorted flags.
async function view(endpoint: ImapEndpoint): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [folder, list] of await readMailbox(endpoint)) out[folder] = Object.fromEntries(list.map((m) => [/Subject: (.*)\r\n/.exec(m.content.toString('latin1'))![1]!, m.flags.join(' ')]));
  return out;
}

// Flags changed in every folder, two messages expunged in each, and (with `newMail`) new mail in each.
async function change(endpoint: ImapEndpoint, round: number, newMail: boolean): Promise<void> {
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (const [f, folder] of FOLDERS.entries()) {
      const lock = await client.getMailboxLock(folder);
      try {
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        await client.messageFlagsAdd(uids.slice(0, 4).join(','), ['$Round' + String(round), '\\Flagged'], { uid: true });
        await client.messageFlagsRemove(uids.slice(4, 8).join(','), ['\\Seen'], { uid: true });
        await client.messageDelete(uids.slice(-2).join(','), { uid: true });
        if (newMail) for (let i = 0; i < 3; i++) await client.append(folder, message(folder, 1000 * round + f * 10 + i).content, ['\\Answered']);
      } finally {
        lock.release();
      }
    }
  } finally {
    await client.logout();
  }
}

let dovecot: StockDovecot;
let counted: Counted;
let proxy: ProxyServer;
let srcAccount: StockAccount;
let src: ImapEndpoint;
let plain: ImapEndpoint;

beforeAll(async () => {
  dovecot = await startStockDovecot(LIMIT);
  srcAccount = dovecot.account('dcapsrc');
  src = dovecot.endpoint(srcAccount);
  counted = { live: 0, peak: 0 };
  proxy = await strictProxy(counted);
  plain = { ...src, port: proxy.port, tls: 'none' };
  await seedMailbox(src, SEED);
});

afterAll(async () => {
  await proxy?.close();
  await dovecot?.stop();
});

describe(`a delta pass against a source and target limited to ${LIMIT} connections per user, the run's cap`, () => {
  it('the server enforces the limit', async () => {
    const sessions = [];
    for (let i = 0; i <= LIMIT; i++) sessions.push(await openSession(src));
    try {
      expect(sessions.slice(0, LIMIT).every((s) => s.ok)).toBe(true);
      expect(sessions[LIMIT]!.ok).toBe(false);
    } finally {
      for (const s of sessions) if (s.ok) s.value.socket.destroy();
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  // Six copy workers take every source connection the cap allows; two leave room for another.
  const cases = [
    { newMail: false, workers: 6 },
    { newMail: true, workers: 6 },
    { newMail: true, workers: 2 },
  ];
  for (const [round, { newMail, workers }] of cases.entries()) {
    it(`reads every change within the limit (${newMail ? 'with new mail' : 'flags and expunges only'}, ${workers} source workers): no login refused, no limit warning`, async () => {
      const dstAccount = dovecot.account('dcapdst');
      const dst = dovecot.endpoint(dstAccount);
      await seedMailbox(dst, []);
      const state = join(mkdtempSync(join(tmpdir(), 'mailroom-dcap-')), 'state.db');
      expect((await migrate(plain, dst, state, workers)).complete).toBe(true);
      await change(src, round + 1, newMail);
      await new Promise((r) => setTimeout(r, 300));
      Object.assign(counted, { peak: counted.live });
      const from = dovecot.logLines();
      const delta = await migrate(plain, dst, state, workers);
      await new Promise((r) => setTimeout(r, 300));
      const server = { source: dovecot.count(srcAccount.user, from), target: dovecot.count(dstAccount.user, from) };
      expect(delta.error).toBeNull();
      expect(delta.complete).toBe(true);
      expect(delta.passes.filter((p) => p.path === 'delta').length).toBe(FOLDERS.length);
      expect(delta.warnings.filter((w) => /connections/i.test(w))).toEqual([]);
      // The server's judgement (no login refused) and the proxy's count of the run's source connections.
      expect([server.source.refused, server.target.refused]).toEqual([0, 0]);
      expect(counted.peak).toBeLessThanOrEqual(LIMIT);
      expect(await view(dst)).toEqual(await view(src));
    }, 120_000);
  }
});
