import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMailbox, type SeenMessage } from '../../support/migration-corpus.ts';
import { issueCert } from '../dns/dns-fixtures.ts';
import { startGmailImap, type GmailImapFake } from '../../fakes/gmail-imap/gmail-imap-server.ts';
import { takeInventory } from '../../../electron/migration/inventory.ts';
import { estimateMailbox } from '../../../electron/migration/planner.ts';
import { PRESETS } from '../../../electron/migration/presets.ts';
import type { GmailAccount } from '../../fakes/gmail-imap/gmail-account.ts';
import { endpointFor, finalLine, freshUser, reportLine, runMigrateCli, servers, urlFor } from './support.ts';

const stateFile = (): string => join(mkdtempSync(join(tmpdir(), 'mailroom-gmail-')), 'state.db');
let fake: GmailImapFake;
const gmailUsers = Array.from({ length: 9 }, (_, i) => ({ user: `gm${i}@gmail.test`, password: `pw-${i}-secret` }));
const gmailUrl = (user: string): string => `imaps://${encodeURIComponent(user)}@127.0.0.1:${fake.port}`;

function message(id: string, subject: string, extra = ''): Buffer {
  return Buffer.from(`Message-ID: <${id}@gmail.test>\r\nFrom: a@gmail.test\r\nSubject: ${subject}\r\nDate: Mon, 1 Jun 2026 10:00:00 +0000\r\n\r\nBody of ${subject}\r\n${extra}`);
}

// Six messages covering every label rule: several labels, non-ASCII and spaces, system labels, none, Trash.
function seed(account: GmailAccount): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  const add = (id: string, labels: string[], flags: string[] = []): void => {
    const raw = message(id, `subject ${id}`);
    m.set(id, raw);
    account.add(raw, labels, flags, new Date('2026-06-01T10:00:00Z'));
  };
  add('m1', ['\\Inbox', 'Work', 'Très important', '\\Important'], ['\\Seen']);
  add('m2', [], ['\\Flagged']);
  add('m3', ['\\Sent', 'Work/Projects 2024'], ['\\Seen']);
  add('m4', ['\\Draft'], ['\\Draft']);
  add('m5', ['Work']);
  add('m6', ['\\Trash']);
  return m;
}

// Folder → Message-IDs (sorted), from what the target holds.
function idsByFolder(seen: Map<string, SeenMessage[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [folder, list] of seen) if (list.length > 0) out[folder] = list.map((s) => /Message-ID: <([^@]+)@/.exec(s.content.toString())![1]!).sort();
  return out;
}

beforeAll(async () => {
  const issued = issueCert('gmail-fake', ['DNS:localhost', 'IP:127.0.0.1']);
  fake = await startGmailImap(gmailUsers, { cert: readFileSync(issued.cert, 'utf8'), key: readFileSync(issued.key, 'utf8') });
});
afterAll(async () => fake?.close());

describe('Gmail labels (fake Gmail speaking X-GM-EXT-1) ↔ Dovecot', () => {
  it('copies each message once from All Mail, labels as folders; a re-run copies nothing', async () => {
    const src = gmailUsers[0]!;
    const sent = seed(fake.account(src.user));
    const dst = freshUser('gmdst');
    const state = stateFile();
    const pw = { source: src.password, target: dst.password };
    const run = await runMigrateCli(['--source', gmailUrl(src.user), '--target', urlFor(dst), '--state', state], pw);
    expect(run.code, run.stderr + JSON.stringify(reportLine(run))).toBe(0);
    // m1 lands in INBOX, Work and Très important; m3 in Sent and Work/Projects 2024; m6 comes from Trash.
    expect(finalLine(run)).toMatchObject({ copied: 9, failed: 0 });
    // Each All Mail body was read once (five), plus Trash's one; never once per label folder.
    expect(fake.bodiesServed(src.user)).toBe(6);
    const seen = await readMailbox(endpointFor(dst));
    expect(idsByFolder(seen)).toEqual({
      INBOX: ['m1'],
      Work: ['m1', 'm5'],
      'Très important': ['m1'],
      Archive: ['m2'],
      Sent: ['m3'],
      'Work/Projects 2024': ['m3'],
      Drafts: ['m4'],
      Trash: ['m6'],
    });
    for (const list of seen.values()) for (const s of list) expect(sent.get(/<([^@]+)@/.exec(s.content.toString())![1]!)!.equals(s.content)).toBe(true);
    expect(seen.get('Archive')![0]!.flags).toContain('\\Flagged');
    expect(seen.get('INBOX')![0]!.flags).toEqual(expect.arrayContaining(['$Important', '\\Seen']));

    const again = await runMigrateCli(['--source', gmailUrl(src.user), '--target', urlFor(dst), '--state', state], pw);
    expect(again.code, again.stderr).toBe(0);
    expect(finalLine(again)).toMatchObject({ copied: 0, failed: 0 });
    expect(fake.bodiesServed(src.user)).toBe(6);
    expect(idsByFolder(await readMailbox(endpointFor(dst)))).toEqual(idsByFolder(seen));
  });

  // Gmail lets a user hide All Mail from IMAP ("Show in IMAP" off). The label folders were then skipped as views of an
  // All Mail that was not there: only Trash was copied, and the run said it was complete.
  it('with All Mail hidden from IMAP: each label folder is copied as it is, with a warning saying why', async () => {
    const src = gmailUsers[6]!;
    const account = fake.account(src.user);
    const sent = seed(account);
    account.hiddenFromImap.add('[Gmail]/All Mail');
    const dst = freshUser('gmhidden');
    const run = await runMigrateCli(['--source', gmailUrl(src.user), '--target', urlFor(dst), '--state', stateFile()], { source: src.password, target: dst.password });
    expect(run.code, run.stderr + JSON.stringify(reportLine(run))).toBe(0);
    const seen = await readMailbox(endpointFor(dst));
    // As with All Mail shown, less m2 (no label: only All Mail shows it) and with Important as a folder of its own.
    expect(idsByFolder(seen)).toEqual({
      INBOX: ['m1'],
      Important: ['m1'],
      Work: ['m1', 'm5'],
      'Très important': ['m1'],
      Sent: ['m3'],
      'Work/Projects 2024': ['m3'],
      Drafts: ['m4'],
      Trash: ['m6'],
    });
    for (const list of seen.values()) for (const s of list) expect(sent.get(/<([^@]+)@/.exec(s.content.toString())![1]!)!.equals(s.content)).toBe(true);
    expect(reportLine(run).warnings).toContainEqual(expect.stringContaining('"Show in IMAP" is off'));
  });

  // Left out by a filter, All Mail is still listed: the run keeps the All Mail pass's way (no switch that would upload
  // every labelled message again beside an earlier run's copies) and says what the filter costs.
  it('with All Mail excluded by a filter: no "hidden" fallback, a warning naming the filter', async () => {
    const src = gmailUsers[7]!;
    seed(fake.account(src.user));
    const dst = freshUser('gmexcl');
    const run = await runMigrateCli(['--source', gmailUrl(src.user), '--target', urlFor(dst), '--state', stateFile(), '--exclude', '^\\[Gmail\\]/All Mail$'], { source: src.password, target: dst.password });
    expect(run.code, run.stderr + JSON.stringify(reportLine(run))).toBe(0);
    const warnings = reportLine(run).warnings as string[];
    expect(warnings.filter((w) => w.includes('"Show in IMAP" is off'))).toEqual([]);
    expect(warnings).toContainEqual(expect.stringContaining('All Mail is left out of this run'));
    expect(idsByFolder(await readMailbox(endpointFor(dst)))).toEqual({ Trash: ['m6'] });
  });

  it('--gmail-labels keywords: one copy per message, user labels as keywords', async () => {
    const src = gmailUsers[1]!;
    seed(fake.account(src.user));
    const dst = freshUser('gmkw');
    const run = await runMigrateCli(['--source', gmailUrl(src.user), '--target', urlFor(dst), '--state', stateFile(), '--gmail-labels', 'keywords'], { source: src.password, target: dst.password });
    expect(run.code, run.stderr).toBe(0);
    const seen = await readMailbox(endpointFor(dst));
    expect(idsByFolder(seen)).toEqual({ INBOX: ['m1'], Archive: ['m2', 'm5'], Sent: ['m3'], Drafts: ['m4'], Trash: ['m6'] });
    expect(seen.get('INBOX')![0]!.flags).toEqual(expect.arrayContaining(['Work', 'Tr&AOg-s_important', '$Important']));
    expect(seen.get('Sent')![0]!.flags).toContain('Work/Projects_2024');
  });

  it('resumes after SIGKILL with nothing lost and nothing doubled', async () => {
    const src = gmailUsers[2]!;
    const account = fake.account(src.user);
    const labelsOf = (i: number): string[] => [i % 3 === 0 ? '\\Inbox' : null, i % 2 === 0 ? 'Even' : null, i % 5 === 0 ? 'Fünf & more' : null].filter((l): l is string => l !== null);
    for (let i = 0; i < 1500; i++) account.add(message(`k${i}`, `kill ${i}`, 'x'.repeat(8000)), labelsOf(i), [], new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    const dst = freshUser('gmkill');
    const state = stateFile();
    const pw = { source: src.password, target: dst.password };
    let killedAt = -1;
    const killed = await runMigrateCli(['--source', gmailUrl(src.user), '--target', urlFor(dst), '--state', state, '--concurrency', '1'], pw, (line, kill) => {
      if (killedAt < 0 && line['event'] === 'progress' && Number(line['copied']) > 0) {
        killedAt = Number(line['copied']);
        kill();
      }
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(1500);
    const resumed = await runMigrateCli(['--source', gmailUrl(src.user), '--target', urlFor(dst), '--state', state], pw);
    expect(resumed.code, resumed.stderr).toBe(0);
    const got = idsByFolder(await readMailbox(endpointFor(dst)));
    const want: Record<string, string[]> = {};
    for (let i = 0; i < 1500; i++) {
      const places = labelsOf(i).map((l) => (l === '\\Inbox' ? 'INBOX' : l));
      for (const p of places.length > 0 ? places : ['Archive']) (want[p] ??= []).push(`k${i}`);
    }
    for (const list of Object.values(want)) list.sort();
    expect(got).toEqual(want);
  });

  it('Dovecot → Gmail: folders become labels, content read back from the fake', async () => {
    const src = freshUser('dvsrc');
    const dst = gmailUsers[3]!;
    const { ImapFlow } = await import('imapflow');
    const { imapFlowOptions } = await import('../../../electron/migration/endpoint.ts');
    const client = new ImapFlow(imapFlowOptions(endpointFor(src)));
    await client.connect();
    await client.mailboxCreate('Projekte/Größe');
    const raws = [message('d1', 'inbox one'), message('d2', 'project two'), message('d3', 'sent three')];
    await client.append('INBOX', raws[0]!, ['\\Seen']);
    await client.append('Projekte/Größe', raws[1]!, ['\\Flagged']);
    await client.append('Sent', raws[2]!, ['\\Seen']);
    await client.logout();
    const run = await runMigrateCli(['--source', urlFor(src), '--target', gmailUrl(dst.user), '--state', stateFile(), '--target-preset', 'gmail'], { source: src.password, target: dst.password });
    expect(run.code, run.stderr + JSON.stringify(reportLine(run))).toBe(0);
    const got = fake.account(dst.user).messages().map((m) => ({ raw: m.raw.toString(), labels: [...m.labels].sort(), flags: [...m.flags].sort() }));
    expect(got).toHaveLength(3);
    expect(got.find((m) => m.raw === raws[0]!.toString())?.labels).toEqual(['\\Inbox']);
    expect(got.find((m) => m.raw === raws[1]!.toString())).toMatchObject({ labels: ['Projekte/Größe', '\\Starred'], flags: ['\\Flagged'] });
    expect(got.find((m) => m.raw === raws[2]!.toString())?.labels).toEqual(['\\Sent']);
  });

  it('Gmail → Gmail: one APPEND per message plus STORE +X-GM-LABELS, labels read back', async () => {
    const src = gmailUsers[4]!;
    const dst = gmailUsers[5]!;
    seed(fake.account(src.user));
    const state = stateFile();
    const pw = { source: src.password, target: dst.password };
    const run = await runMigrateCli(['--source', gmailUrl(src.user), '--target', gmailUrl(dst.user), '--state', state], pw);
    expect(run.code, run.stderr + JSON.stringify(reportLine(run))).toBe(0);
    // Five All Mail messages and the one in Trash: six APPENDs, no message stored twice.
    expect(fake.appends(dst.user)).toBe(6);
    const labelsById = (account: GmailAccount): Record<string, string[]> =>
      Object.fromEntries(account.messages().map((m) => [/<([^@]+)@/.exec(m.raw.toString())![1]!, [...m.labels].sort()]));
    expect(labelsById(fake.account(dst.user))).toEqual(labelsById(fake.account(src.user)));
    const again = await runMigrateCli(['--source', gmailUrl(src.user), '--target', gmailUrl(dst.user), '--state', state], pw);
    expect(again.code, again.stderr).toBe(0);
    expect(fake.appends(dst.user)).toBe(6);
  });

  it("plans each message once: label folders' copies (All Mail last) are overhead, Starred and Important are left out", async () => {
    const src = gmailUsers[8]!;
    const sent = seed(fake.account(src.user));
    const endpoint = { host: '127.0.0.1', port: fake.port, tls: 'implicit' as const, user: src.user, auth: { password: src.password }, ca: readFileSync(servers().ca, 'utf8') };
    const inventory = await takeInventory(endpoint, null);
    if (!inventory.ok) throw new Error(inventory.error.message);
    const folders = inventory.value;
    expect(folders.at(-1)!.path).toBe('[Gmail]/All Mail');
    expect(folders.map((f) => f.path).filter((p) => /Starred|Important/.test(p) && p !== 'Très important')).toEqual([]);
    expect(folders.every((f) => f.namespace === 'personal')).toBe(true);
    const e = estimateMailbox(folders, PRESETS['dovecot']!);
    // Every message is uploaded once, whatever its labels; the rest of what the folders hold is overhead.
    expect(e.uploadMessages).toBe(sent.size);
    expect(e.messages - e.uploadMessages).toBeGreaterThan(0);
    expect(e.labelOverheadBytes).toBe(e.bytes - e.uploadBytes);
    expect(e.uploadBytes).toBe([...sent.values()].reduce((n, b) => n + b.length, 0));
    expect(e.shared).toBeUndefined();
  });
});
