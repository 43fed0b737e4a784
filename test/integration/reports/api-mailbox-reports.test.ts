import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../../electron/backends/google/google-auth.ts';
import { ERROR_MARK, STORED_MARK } from '../../../electron/backends/report-mail-source.ts';
import { GoogleFake } from '../../fakes/google/google-fake.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { MicrosoftFake } from '../../fakes/microsoft/microsoft-fake.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { aggregateXml, gz, reportMessage, tlsJson, zip } from '../../support/dmarc-reports.ts';
import { issueCert } from '../dns/dns-fixtures.ts';

const SA = 'reports@project.iam.gserviceaccount.com';
const KEYS = { MS_SECRET: 'graph~reports~secret' };

/** One aggregate report message for `domain`, gzip or zip by turn, unique by `id`. */
async function aggregateMessage(id: string, domain: string, i: number): Promise<Buffer> {
  const xml = aggregateXml({ org: 'google.com', id, domain, records: [{ ip: `192.0.2.${(i % 250) + 1}`, count: 3, dkim: 'pass', spf: i % 2 ? 'pass' : 'fail' }] });
  const attachment = i % 2 ? { filename: `${id}.xml.gz`, content: gz(xml), contentType: 'application/gzip' } : { filename: `${id}.zip`, content: await zip({ [`${id}.xml`]: xml }), contentType: 'application/zip' };
  return reportMessage({ subject: `Report Domain: ${domain} Report-ID: ${id}`, attachment, messageId: `<${id}@receiver.example>` });
}

const broken = (id: string): Promise<Buffer> =>
  reportMessage({ subject: `Report-ID: ${id}`, attachment: { filename: `${id}.xml`, content: Buffer.from('<feedback><report_metadata>'), contentType: 'text/xml' }, messageId: `<${id}@receiver.example>` });

describe('reports ingest --connection over the Gmail API and Microsoft Graph (vendor fakes)', () => {
  const vault = new MemoryVault();
  let dataDir: string;
  let google: GoogleFake;
  let microsoft: MicrosoftFake;
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, env: KEYS, vault });
  const summary = async () => (await cli('reports', 'summary', '--json')).json() as { aggregate: { reports: number; messages: number }; tls: { reports: number } };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mr-api-reports-'));
    google = new GoogleFake(['example.org']);
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    google.registerServiceAccount(SA, keys.publicKey);
    [...SCOPES.directory, ...SCOPES.gmailMessages].forEach((s) => google.dwdScopes.add(s));
    google.directory.seedUser('admin@example.org');
    google.directory.seedUser('dmarc@example.org');
    const gBase = await google.server.start();
    writeFileSync(join(dataDir, 'sa.json'), JSON.stringify({ type: 'service_account', client_email: SA, private_key: keys.privateKey, token_uri: `${gBase}/token` }), { mode: 0o600 });
    const gw = await cli('connections', 'add-google', '--name', 'gw', '--admin', 'admin@example.org', '--key-file', join(dataDir, 'sa.json'), '--root-url', `${gBase}/`, '--gmail-root-url', `${gBase}/`, '--skip-test');
    expect(gw.code, gw.err).toBe(0);

    // msal talks HTTPS only: a certificate from the test CA (NODE_EXTRA_CA_CERTS under mr-itest).
    const issued = issueCert('mr-reports-graph', ['IP:127.0.0.1']);
    microsoft = new MicrosoftFake({ tenant: 'reports-tenant', clientId: 'reports-client', secret: KEYS.MS_SECRET, tls: { key: readFileSync(issued.key, 'utf8'), cert: readFileSync(issued.cert, 'utf8') } });
    microsoft.graph.domains.set('contoso.test', { id: 'contoso.test', isVerified: true, isDefault: true });
    microsoft.graph.seedUser('dmarc@contoso.test');
    const msBase = await microsoft.server.start();
    const ms = await cli('connections', 'add-microsoft', '--name', 'ms', '--tenant', 'reports-tenant', '--client-id', 'reports-client', '--client-secret-env', 'MS_SECRET', '--authority-host', msBase, '--graph-url', msBase, '--skip-test');
    expect(ms.code, ms.err).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await google?.server.close();
    await microsoft?.server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('Gmail: reads a 510-message label over two list pages through a 429, labels stored ones processed, marks the broken one and skips it next time', async () => {
    const box = 'dmarc@example.org';
    for (let i = 0; i < 509; i += 1) google.mail.deliver(box, await aggregateMessage(`gm-${i}`, 'example.org', i), ['INBOX', 'DMARC']);
    const bad = google.mail.deliver(box, await broken('gm-bad'), ['INBOX', 'DMARC']);
    google.server.throttle({ times: 2, retryAfter: '1', match: (req) => /\/messages\/[0-9a-f]+$/.test(req.path) });
    const lists = google.server.seen.filter((r) => r.path.endsWith('/messages')).length;

    const run = await cli('reports', 'ingest', '--connection', 'gw', '--mailbox', box, '--folder', 'DMARC', '--json');
    expect(run.code, run.err).toBe(1);
    const r = run.json();
    expect(r).toMatchObject({ messages: 510, handled: 509, stored: { aggregate: 509 }, duplicates: 0, mailbox: box, folder: 'DMARC', processedFolder: 'Processed reports' });
    expect(r['unreadable']).toEqual([{ id: bad, subject: 'Report-ID: gm-bad', reason: expect.stringMatching(/XML|gm-bad/) }]);
    // Read back from the fake: moved means the processed label on and DMARC off; the broken one stays, marked.
    expect(google.mail.withLabel(box, 'Processed reports')).toHaveLength(509);
    expect(google.mail.withLabel(box, 'DMARC')).toEqual([bad]);
    expect(google.mail.withLabel(box, ERROR_MARK)).toEqual([bad]);
    expect(google.server.seen.filter((s) => s.status === 429)).toHaveLength(2);
    // 510 ids at 500 a page: two pages of the DMARC label, plus the error label's one.
    expect(google.server.seen.filter((s) => s.path.endsWith('/messages')).length - lists).toBe(3);
    expect((await summary()).aggregate.reports).toBe(509);

    // New only: a second run finds nothing; a re-sent report is read and stored once.
    const again = await cli('reports', 'ingest', '--connection', 'gw', '--mailbox', box, '--folder', 'DMARC', '--json');
    expect(again.code, again.err).toBe(0);
    expect(again.json()).toMatchObject({ messages: 0, handled: 0 });
    google.mail.deliver(box, await aggregateMessage('gm-7', 'example.org', 7), ['DMARC']);
    const resent = await cli('reports', 'ingest', '--connection', 'gw', '--mailbox', box, '--folder', 'DMARC', '--json');
    expect(resent.json()).toMatchObject({ messages: 1, handled: 1, duplicates: 1, stored: { aggregate: 0 } });
    expect((await summary()).aggregate.reports).toBe(509);
  }, 240_000);

  it('Gmail: --after flag leaves messages under their label with the stored label; the admin is the default mailbox', async () => {
    google.mail.deliver('admin@example.org', Buffer.from(await reportMessage({ subject: 'TLS report', attachment: { filename: 'tls.json.gz', content: gz(tlsJson({ id: 'gm-tls-1', domain: 'example.org', ok: 10, failed: [] })), contentType: 'application/tlsrpt+gzip' } })));
    const run = await cli('reports', 'ingest', '--connection', 'gw', '--after', 'flag', '--json');
    expect(run.code, run.err).toBe(0);
    expect(run.json()).toMatchObject({ mailbox: 'admin@example.org', folder: 'INBOX', messages: 1, handled: 1, stored: { tls: 1 }, processedFolder: null });
    expect(google.mail.withLabel('admin@example.org', STORED_MARK)).toEqual(google.mail.withLabel('admin@example.org', 'INBOX'));
    expect((await cli('reports', 'ingest', '--connection', 'gw', '--after', 'flag', '--json')).json()).toMatchObject({ messages: 0 });

    // Throttled past the retry budget (Retry-After beyond a minute): not marked unreadable, read by the next run.
    const slow = google.mail.deliver('admin@example.org', await aggregateMessage('gm-slow', 'example.org', 3));
    google.server.throttle({ times: 1, retryAfter: '120', match: (req) => req.path.endsWith(`/messages/${slow}`) });
    const throttled = await cli('reports', 'ingest', '--connection', 'gw', '--after', 'flag', '--json');
    expect(throttled.code, throttled.err).toBe(1);
    expect(throttled.json()).toMatchObject({ messages: 1, handled: 0, unreadable: [], errors: [{ reason: expect.stringContaining('left for the next run') }] });
    expect(google.mail.withLabel('admin@example.org', ERROR_MARK)).not.toContain(slow);
    const later = await cli('reports', 'ingest', '--connection', 'gw', '--after', 'flag', '--json');
    expect(later.code, later.err).toBe(0);
    expect(later.json()).toMatchObject({ messages: 1, handled: 1, stored: { aggregate: 1 } });
    const missing = await cli('reports', 'ingest', '--connection', 'gw', '--folder', 'No such label');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no label "No such label"/);
  }, 60_000);

  it('Graph: reads a folder over @odata.nextLink pages through a 429, moves stored messages (new ids), categorises the broken one', async () => {
    const box = 'dmarc@contoso.test';
    for (let i = 0; i < 129; i += 1) microsoft.mail.deliver(box, await aggregateMessage(`ms-${i}`, 'contoso.test', i), 'DMARC');
    microsoft.mail.deliver(box, await broken('ms-bad'), 'DMARC');
    microsoft.server.throttle({ times: 2, retryAfter: '1', match: (req) => req.path.endsWith('/$value') });
    const before = microsoft.server.seen.length;

    const run = await cli('reports', 'ingest', '--connection', 'ms', '--mailbox', box, '--folder', 'DMARC', '--json');
    expect(run.code, run.err).toBe(1);
    expect(run.json()).toMatchObject({ messages: 130, handled: 129, stored: { aggregate: 129 }, unreadable: [{ subject: 'Report-ID: ms-bad' }] });
    const left = microsoft.mail.inFolder(box, 'DMARC');
    expect(left).toEqual([expect.objectContaining({ subject: 'Report-ID: ms-bad', categories: [ERROR_MARK] })]);
    expect(microsoft.mail.inFolder(box, 'Processed reports')).toHaveLength(129);
    const seen = microsoft.server.seen.slice(before);
    expect(seen.filter((s) => s.status === 429)).toHaveLength(2);
    expect(seen.filter((s) => s.method === 'GET' && s.path.endsWith('/messages'))).toHaveLength(2);
    expect((await summary()).aggregate.reports).toBe(509 + 1 + 129); // gm-slow came in through Gmail too

    const again = await cli('reports', 'ingest', '--connection', 'ms', '--mailbox', box, '--folder', 'DMARC', '--json');
    expect(again.code, again.err).toBe(0);
    expect(again.json()).toMatchObject({ messages: 0 });
  }, 240_000);

  it('Graph: --after flag sets the stored category on inbox messages; Microsoft 365 needs --mailbox; bad folders are usage errors', async () => {
    const box = 'dmarc@contoso.test';
    microsoft.mail.deliver(box, await aggregateMessage('ms-flag-1', 'contoso.test', 1));
    const run = await cli('reports', 'ingest', '--connection', 'ms', '--mailbox', box, '--after', 'flag', '--json');
    expect(run.code, run.err).toBe(0);
    expect(run.json()).toMatchObject({ folder: 'inbox', messages: 1, handled: 1, stored: { aggregate: 1 } });
    expect(microsoft.mail.inFolder(box, 'inbox')).toEqual([expect.objectContaining({ categories: [STORED_MARK] })]);
    expect((await cli('reports', 'ingest', '--connection', 'ms', '--mailbox', box, '--after', 'flag', '--json')).json()).toMatchObject({ messages: 0 });

    const noMailbox = await cli('reports', 'ingest', '--connection', 'ms');
    expect(noMailbox.code).toBe(2);
    expect(noMailbox.err).toMatch(/--mailbox/);
    const noFolder = await cli('reports', 'ingest', '--connection', 'ms', '--mailbox', box, '--folder', 'Inbox/Nope');
    expect(noFolder.code).toBe(2);
    expect(noFolder.err).toMatch(/no folder "Inbox\/Nope"/);
    const same = await cli('reports', 'ingest', '--connection', 'ms', '--mailbox', box, '--folder', 'DMARC', '--processed-folder', 'dmarc');
    expect(same.code).toBe(2);
  }, 60_000);

  // Ctrl+C (SIGINT) once `after` messages were downloaded: the CLI asks the run to stop, as the console's cancel button does.
  async function interrupted(argv: string[], downloads: () => number, after: number) {
    const start = downloads();
    const poll = setInterval(() => {
      if (downloads() - start < after) return;
      clearInterval(poll);
      process.emit('SIGINT');
    }, 2);
    try {
      return await cli(...argv);
    } finally {
      clearInterval(poll);
    }
  }

  it.each(['gmail', 'graph'] as const)('%s: Ctrl+C stops mid-run with one line; what was stored is moved, and the next run reads exactly the rest', async (kind) => {
    const total = 160;
    const gmail = kind === 'gmail';
    const box = gmail ? 'cancel@example.org' : 'cancel@contoso.test';
    if (gmail) google.directory.seedUser(box);
    else microsoft.graph.seedUser(box);
    for (let i = 0; i < total; i += 1) {
      const raw = await aggregateMessage(`${kind}-cancel-${i}`, gmail ? 'example.org' : 'contoso.test', i);
      if (gmail) google.mail.deliver(box, raw, ['DMARC']);
      else microsoft.mail.deliver(box, raw, 'DMARC');
    }
    const downloads = gmail
      ? () => google.server.seen.filter((r) => /\/messages\/[0-9a-f]+$/.test(r.path)).length
      : () => microsoft.server.seen.filter((r) => r.path.endsWith('/$value')).length;
    const moved = () => (gmail ? google.mail.withLabel(box, 'Processed reports').length : microsoft.mail.inFolder(box, 'Processed reports').length);
    const left = () => (gmail ? google.mail.withLabel(box, 'DMARC').length : microsoft.mail.inFolder(box, 'DMARC').length);
    const argv = ['reports', 'ingest', '--connection', gmail ? 'gw' : 'ms', '--mailbox', box, '--folder', 'DMARC'];
    const reportsBefore = (await summary()).aggregate.reports;

    const run = await interrupted(argv, downloads, 60);
    expect(run.code, run.err).toBe(1);
    const lines = run.err.split('\n').filter((l) => l.trim() !== '');
    expect(lines.at(-1)).toMatch(new RegExp(`^error \\[cancelled\\]: Stopped after (\\d+) of ${total} messages \\(\\1 reports stored, 0 already there\\)`));
    expect(run.err).not.toMatch(/\n\s+at /);
    // Read back from the platform and the cache: stopped part-way, every stored report's message moved, none moved unstored.
    const storedNow = (await summary()).aggregate.reports - reportsBefore;
    expect(storedNow).toBeGreaterThanOrEqual(50);
    expect(storedNow).toBeLessThan(total);
    expect([moved(), left()]).toEqual([storedNow, total - storedNow]);
    expect(Number(/Stopped after (\d+)/.exec(lines.at(-1)!)![1])).toBe(storedNow);

    const rest = await cli(...argv, '--json');
    expect(rest.code, rest.err).toBe(0);
    expect(rest.json()).toMatchObject({ messages: total - storedNow, handled: total - storedNow, duplicates: 0, stored: { aggregate: total - storedNow } });
    expect((await summary()).aggregate.reports - reportsBefore).toBe(total);
    expect([moved(), left()]).toEqual([total, 0]);
  }, 240_000);
});
