import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregateXml, arfMessage, gz, reportMessage, tlsJson, zip } from '../../support/dmarc-reports.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { endpointFor, freshUser, servers } from '../migration/support.ts';

interface Summary {
  aggregate: { reports: number; messages: number };
  tls: { reports: number; sessions: number };
  failure: { reports: number };
  domains: { domain: string; messages: number; dmarcPass: number }[];
}
interface MailboxRun {
  stored: { aggregate: number; tls: number; failure: number };
  duplicates: number;
  messages: number;
  handled: number;
  unreadable: { uid: number; subject: string | null; reason: string }[];
}

const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-report-mailbox-'));
const env = { MAILROOM_KEYCHAIN_SERVICE: `Mailroom-reports-${randomUUID()}`, NODE_EXTRA_CA_CERTS: servers().ca };
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { env, timeoutMs: 180_000 });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function client(account: { user: string; password: string }): ImapFlow {
  const e = endpointFor(account);
  const c = new ImapFlow({ host: e.host, port: e.port, secure: true, auth: { user: account.user, pass: account.password }, tls: { ca: e.ca!, servername: e.servername! }, logger: false });
  c.on('error', () => undefined);
  return c;
}

async function append(account: { user: string; password: string }, folder: string, messages: readonly Buffer[]): Promise<void> {
  const c = client(account);
  await c.connect().catch((error: { responseText?: string; message: string }) => {
    throw new Error(`login as ${account.user} failed: ${error.responseText ?? error.message}`);
  });
  if (folder !== 'INBOX') await c.mailboxCreate(folder).catch(() => undefined);
  for (const m of messages) {
    await c.append(folder, m).catch((error: { responseText?: string; message: string }) => {
      throw new Error(`APPEND to ${folder} failed: ${error.responseText ?? error.message}`);
    });
  }
  await c.logout();
}

/** Every message of a folder with its subject and keywords, read back from Dovecot. */
async function readBack(account: { user: string; password: string }, folder: string): Promise<{ subject: string; flags: string[] }[]> {
  const c = client(account);
  await c.connect();
  const out: { subject: string; flags: string[] }[] = [];
  const exists = (await c.list()).some((f) => f.path === folder);
  if (exists) {
    const lock = await c.getMailboxLock(folder, { readOnly: true });
    try {
      if ((c.mailbox as { exists: number }).exists > 0) {
        for await (const m of c.fetch('1:*', { envelope: true, flags: true })) out.push({ subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])].sort() });
      }
    } finally {
      lock.release();
    }
  }
  await c.logout();
  return out.sort((a, b) => a.subject.localeCompare(b.subject));
}

async function addConnection(name: string, account: { user: string; password: string }): Promise<void> {
  const s = servers();
  const add = await runCli(['--data-dir', dataDir, 'connections', 'add', '--name', name, '--host', s.imap.host, '--port', String(s.imap.imapsPort), '--tls', 'implicit', '--user', account.user, '--password-env', 'PW', '--json'], { env: { ...env, PW: account.password } });
  expect(add.code, add.stderr).toBe(0);
}

const attach = (subject: string, filename: string, content: Buffer, contentType = 'application/gzip') => reportMessage({ subject, attachment: { filename, content, contentType } });

describe('mailroom reports ingest --connection (a reports mailbox on the real Dovecot)', () => {
  const inbox = freshUser('rua');
  const flagged = freshUser('ruaflag');

  it('stores every readable form, moves those messages to the processed folder, marks the unreadable ones and leaves them', async () => {
    const a1 = aggregateXml({ id: 'mb-1', domain: 'example.test', records: [{ ip: '209.85.220.41', count: 300 }, { ip: '203.0.113.9', count: 20, dkim: 'fail', spf: 'fail' }] });
    await append(inbox, 'INBOX', [
      await attach('01 gzip aggregate', 'a1.xml.gz', gz(a1)),
      await attach('02 zip aggregate', 'a2.zip', await zip({ 'a2.xml': aggregateXml({ id: 'mb-2', domain: 'example.test', records: [{ ip: '209.85.220.41', count: 100 }] }) }), 'application/zip'),
      await reportMessage({ subject: '03 aggregate as body', text: aggregateXml({ id: 'mb-3', domain: 'other.test', records: [{ ip: '192.0.2.7', count: 5 }] }) }),
      await attach('04 dmarcbis plain xml', 'a4.xml', Buffer.from(aggregateXml({ id: 'mb-4', domain: 'other.test', schema: 'dmarcbis', records: [{ ip: '192.0.2.7', count: 7, dkim: 'fail' }] })), 'text/xml'),
      await attach('05 tls report', 'tls.json.gz', gz(tlsJson({ id: 'mb-tls', domain: 'example.test', ok: 95, failed: [{ type: 'certificate-expired', mx: 'mx.example.test', count: 5 }] })), 'application/tlsrpt+gzip'),
      await arfMessage({ domain: 'example.test', ip: '203.0.113.9', messageId: '<mb-fail@receiver.example>' }),
      await attach('07 broken xml', 'b.xml', Buffer.from('<feedback><report_metadata><org_name>x'), 'text/xml'),
      await attach('08 zip bomb', 'bomb.xml.gz', gz(Buffer.alloc(300_000_000, 0x20))),
      await reportMessage({ subject: '09 no report at all', text: 'Hello, just saying hi.' }),
      await attach('10 same report again', 'a1-again.xml.gz', gz(a1)),
    ]);
    await addConnection('reports-box', inbox);

    const run = await cli('reports', 'ingest', '--connection', 'reports-box', '--json');
    expect(run.code, run.stderr).toBe(1);
    const result = lastJson<MailboxRun>(run);
    expect(result.stored).toEqual({ aggregate: 4, tls: 1, failure: 1 });
    expect([result.messages, result.handled, result.duplicates]).toEqual([10, 7, 1]);
    expect(result.unreadable.map((u) => u.subject).sort()).toEqual(['07 broken xml', '08 zip bomb', '09 no report at all']);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);

    const summary = lastJson<Summary>(await cli('reports', 'summary', '--json'));
    expect(summary.aggregate).toEqual({ reports: 4, messages: 432 });
    expect(summary.tls).toEqual({ reports: 1, sessions: 100 });
    expect(summary.failure).toEqual({ reports: 1 });
    expect(summary.domains).toEqual([
      { domain: 'example.test', messages: 420, dmarcPass: 400 },
      { domain: 'other.test', messages: 12, dmarcPass: 12 },
    ]);

    const left = await readBack(inbox, 'INBOX');
    expect(left.map((m) => [m.subject, m.flags.includes('$MailroomReportError')])).toEqual([
      ['07 broken xml', true],
      ['08 zip bomb', true],
      ['09 no report at all', true],
    ]);
    const processed = await readBack(inbox, 'Processed reports');
    expect(processed.map((m) => m.subject)).toEqual(['01 gzip aggregate', '02 zip aggregate', '03 aggregate as body', '04 dmarcbis plain xml', '05 tls report', '10 same report again', 'FW: Authentication failure for example.test']);
  });

  it('reads only new messages on the next run and stores nothing twice', async () => {
    await append(inbox, 'INBOX', [await attach('11 a new one', 'a11.xml.gz', gz(aggregateXml({ id: 'mb-11', domain: 'example.test', records: [{ ip: '209.85.220.41', count: 50 }] })))]);
    const again = await cli('reports', 'ingest', '--connection', 'reports-box', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(lastJson<MailboxRun>(again)).toMatchObject({ messages: 1, handled: 1, duplicates: 0, stored: { aggregate: 1, tls: 0, failure: 0 }, unreadable: [] });
    const third = await cli('reports', 'ingest', '--connection', 'reports-box', '--json');
    expect(lastJson<MailboxRun>(third)).toMatchObject({ messages: 0, handled: 0, stored: { aggregate: 0, tls: 0, failure: 0 } });
    expect(lastJson<Summary>(await cli('reports', 'summary', '--json')).aggregate).toEqual({ reports: 5, messages: 482 });
    expect((await readBack(inbox, 'Processed reports')).length).toBe(8);
  });

  it('marks messages with a keyword instead of moving them when asked, in the folder given', async () => {
    await append(flagged, 'DMARC', [await attach('f1', 'f1.xml.gz', gz(aggregateXml({ org: 'flag.example', id: 'fl-1', domain: 'flag.test', records: [{ ip: '192.0.2.1', count: 3 }] }))), await attach('f2 broken', 'f2.xml', Buffer.from('<feedback>'), 'text/xml')]);
    await addConnection('flag-box', flagged);
    const run = await cli('reports', 'ingest', '--connection', 'flag-box', '--folder', 'DMARC', '--after', 'flag', '--json');
    expect(run.code, run.stderr).toBe(1);
    expect(lastJson<MailboxRun>(run)).toMatchObject({ messages: 2, handled: 1, stored: { aggregate: 1 } });
    expect((await readBack(flagged, 'DMARC')).map((m) => [m.subject, m.flags.filter((f) => f.startsWith('$Mailroom'))])).toEqual([
      ['f1', ['$MailroomReportStored']],
      ['f2 broken', ['$MailroomReportError']],
    ]);
    expect(await readBack(flagged, 'Processed reports')).toEqual([]);
    const again = await cli('reports', 'ingest', '--connection', 'flag-box', '--folder', 'DMARC', '--after', 'flag', '--json');
    expect([again.code, lastJson<MailboxRun>(again).messages]).toEqual([0, 0]);
  });

  it('gives usage errors one line and exit 2', async () => {
    const unknown = await cli('reports', 'ingest', '--connection', 'nowhere');
    expect([unknown.code, unknown.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(unknown.stderr).toMatch(/No saved connection "nowhere"/);
    expect((await cli('reports', 'ingest', '--connection', 'reports-box', '--after', 'sometimes')).code).toBe(2);
    const missingFolder = await cli('reports', 'ingest', '--connection', 'reports-box', '--folder', 'No such folder');
    expect([missingFolder.code, missingFolder.stderr]).toEqual([2, expect.stringMatching(/does not exist/)]);
  });

  it('loses and doubles nothing when killed mid-ingest and run again', async () => {
    const backlog = freshUser('ruabulk');
    const messages: Buffer[] = [];
    let volume = 0;
    for (let i = 0; i < 300; i += 1) {
      const records = Array.from({ length: 1 + (i % 4) }, (_, j) => ({ ip: `10.1.${i % 250}.${j + 1}`, count: 1 + j }));
      volume += records.reduce((n, r) => n + r.count, 0);
      messages.push(await attach(`bulk ${i}`, `b${i}.xml.gz`, gz(aggregateXml({ org: 'bulk.example', id: `mbulk-${i}`, domain: 'mbulk.test', records }))));
    }
    await append(backlog, 'INBOX', messages);
    await addConnection('bulk-box', backlog);
    const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));
    const child = spawn(process.execPath, [entry, '--data-dir', dataDir, 'reports', 'ingest', '--connection', 'bulk-box'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    // Killed once some batches are in: the progress line says how many messages were read.
    await new Promise<void>((resolve) => child.stderr.on('data', (c: Buffer) => /\b(50|100|150) of 300 messages read/.test(String(c)) && resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const partial = lastJson<Summary>(await cli('reports', 'summary', '--domain', 'mbulk.test', '--json'));
    expect(partial.aggregate.reports).toBeGreaterThan(0);
    expect(partial.aggregate.reports).toBeLessThan(300);
    const rerun = await cli('reports', 'ingest', '--connection', 'bulk-box', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    const result = lastJson<MailboxRun>(rerun);
    // Stored before the kill but not yet moved: read again and found already there.
    expect(result.stored.aggregate).toBe(300 - partial.aggregate.reports);
    expect(result.duplicates).toBe(result.messages - result.stored.aggregate);
    expect(lastJson<Summary>(await cli('reports', 'summary', '--domain', 'mbulk.test', '--json')).aggregate).toEqual({ reports: 300, messages: volume });
    expect([(await readBack(backlog, 'INBOX')).length, (await readBack(backlog, 'Processed reports')).length]).toEqual([0, 300]);
    const empty = await cli('reports', 'ingest', '--connection', 'bulk-box', '--json');
    expect([empty.code, lastJson<MailboxRun>(empty).messages]).toEqual([0, 0]);
  });
});
