import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import type { DmarcVerdict, ReportDay, TlsFailureRow } from '../../shared/domain/reports-insights.ts';
import type { ReportsSummary, ReportSource } from '../../shared/domain/reports.ts';
import type { CustomerSummary } from '../../shared/domain/standards.ts';
import { parseCsvRecords } from '../../renderer/lib/csv.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { aggregateXml, gz, reportMessage, tlsJson } from '../support/dmarc-reports.ts';
import { lastJson, runCli } from '../support/run-cli.ts';
import { testServers } from '../support/servers.ts';
import { freshUser } from '../integration/migration/support.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

// Polls wait on a condition; the machine is shared, so a render may take seconds.
const WAIT = { timeout: 30_000 };
const DOMAIN = 'reports.test';
const OTHER = 'other-reports.test';

/** A day inside the verdict's 30-day window, so the verdict judges these reports. */
const daysAgo = (n: number): number => Math.floor(Date.now() / 1000 / 86_400 - n) * 86_400;

// Issue 15, item 4 and "Done when": reports become per-domain charts, a source table and a verdict in the console.
describe.each(SCHEMES)('Reports page, %s', (scheme) => {
  const servers = testServers();
  const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-reports-'));
  const files = mkdtempSync(join(tmpdir(), 'mailroom-e2e-report-files-'));
  const env = { MAILROOM_KEYCHAIN_SERVICE: `Mailroom-e2e-reports-${randomUUID()}` };
  const cli = async <T>(...args: string[]): Promise<T> => {
    const run = await runCli(['--data-dir', dataDir, ...args, '--json'], { env, timeoutMs: 120_000 });
    if (run.code !== 0) throw new Error(`mailroom ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return lastJson<T>(run);
  };
  const service = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const r = (await services.router.dispatch(channel, args)) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value;
  };
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const main = () => page.locator('main');

  beforeAll(async () => {
    assertRendererBuilt();
    if (!servers.dns) throw new Error('Knot is not running: servers.json has no dns entry');
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', dnsServers: [`${servers.dns.host}:${servers.dns.port}`] });
    // A Google Workspace connection whose cached domains include DOMAIN, put under the MSP customer "Acme" through the
    // service (its Google Directory id C01acme is not the customer); OTHER is in no connection's cache, so "unassigned".
    const google = await services.connections.addGoogle({ name: 'Acme Workspace', adminEmail: 'admin@reports.test', customer: 'C01acme', serviceAccountJson: JSON.stringify({ client_email: 'sa@acme.iam.gserviceaccount.com' }) });
    if (!google.ok) throw new Error(google.error.message);
    await service('standards.assignCustomer', google.value.id, 'Acme');
    services.inventory.replace(google.value.id, { domains: [{ name: DOMAIN, description: null, active: true, mailboxCount: 0, quotaBytes: null, usedBytes: null }], mailboxes: [], aliases: [], groups: [], forwarding: [] }, new Date().toISOString());
    session = await openConsole(services, { context: { viewport: { width: 1440, height: 1100 }, colorScheme: scheme, acceptDownloads: true }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = session.page;
    recordPageErrors(page, pageErrors, { console: false });
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('opens with g then r and says what to do while no report is stored', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('r');
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/reports');
    await expect.poll(() => main().getByRole('heading', { name: 'Reports', level: 1 }).isVisible(), WAIT).toBe(true);
    await showScheme(page, scheme);
    await expect.poll(() => main().getByRole('region', { name: 'No reports yet' }).isVisible(), WAIT).toBe(true);
    expect(await main().getByRole('region', { name: 'No reports yet' }).innerText()).toMatch(/mailroom reports ingest --file/);
  });

  it('imports chosen and dropped files: each broken one listed, a repeated one counted as a duplicate, the stored ones as the CLI counts them', async () => {
    const first = aggregateXml({
      org: 'google.com',
      id: `e2e-${scheme}-1`,
      domain: DOMAIN,
      begin: daysAgo(3),
      records: [
        { ip: '203.0.113.40', count: 300 },
        { ip: '203.0.113.99', count: 25, dkim: 'fail', spf: 'fail', dkimDomain: 'spoof.example', spfDomain: 'spoof.example' },
        { ip: '192.0.2.50', count: 40, dkim: 'fail', spf: 'fail', dkimDomain: 'sendgrid.net', spfDomain: 'sendgrid.net' },
      ],
    });
    const second = aggregateXml({ org: 'outlook.com', id: `e2e-${scheme}-2`, domain: DOMAIN, begin: daysAgo(2), records: [{ ip: '203.0.113.40', count: 120 }, { ip: '203.0.113.99', count: 6, dkim: 'fail', spf: 'fail', dkimDomain: 'spoof.example', spfDomain: 'spoof.example' }] });
    const other = aggregateXml({ id: `e2e-${scheme}-3`, domain: OTHER, begin: daysAgo(2), records: [{ ip: '198.51.100.7', count: 80 }] });
    const paths = {
      first: join(files, 'google.xml.gz'),
      second: join(files, 'outlook.xml'),
      tls: join(files, 'tls.json.gz'),
      broken: join(files, 'broken.xml'),
      again: join(files, 'google-again.xml.gz'),
    };
    writeFileSync(paths.first, gz(first));
    writeFileSync(paths.second, second);
    writeFileSync(paths.tls, gz(tlsJson({ id: `e2e-tls-${scheme}`, domain: DOMAIN, ok: 900, failed: [{ type: 'certificate-expired', mx: `mx.${DOMAIN}`, count: 7 }, { type: 'starttls-not-supported', mx: `mx2.${DOMAIN}`, count: 3 }] })));
    writeFileSync(paths.broken, '<feedback><report_metadata><org_name>x');
    writeFileSync(paths.again, gz(first));

    await main().getByLabel('Report files').setInputFiles([paths.first, paths.second, paths.tls, paths.broken, paths.again]);
    const banner = main().getByRole('status', { name: 'Files imported' });
    await expect.poll(() => banner.isVisible(), WAIT).toBe(true);
    const summary = await cli<ReportsSummary>('reports', 'summary');
    const stored = summary.aggregate.reports + summary.tls.reports + summary.failure.reports;
    expect(stored).toBe(3);
    const text = await banner.innerText();
    expect(text).toContain(`Stored ${stored} reports (${summary.aggregate.reports} aggregate, ${summary.tls.reports} TLS, ${summary.failure.reports} failure); 1 duplicate already stored; 1 error.`);
    expect(text).toContain('broken.xml');

    // Dropped on the page: the same path as the file input, through a real drop event carrying a file.
    await main()
      .locator('.reports-page')
      .evaluate((el, xml) => {
        const data = new DataTransfer();
        data.items.add(new File([xml], 'other.xml', { type: 'text/xml' }));
        el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, other);
    await expect.poll(async () => (await cli<ReportsSummary>('reports', 'summary')).aggregate.reports, WAIT).toBe(3);
    await expect.poll(() => banner.innerText(), WAIT).toContain('Stored 1 report (1 aggregate, 0 TLS, 0 failure); 0 duplicates already stored; 0 errors.');
  });

  it('shows every domain’s volume and pass rate as the CLI’s summary computes them, and narrows to a customer', async () => {
    const summary = await cli<ReportsSummary>('reports', 'summary');
    // The first import had one domain, which the page then opened; back to all of them.
    await main().getByLabel('Domain', { exact: true }).selectOption('');
    const table = main().getByRole('table', { name: 'Domains with aggregate reports' });
    await expect.poll(() => table.getAttribute('aria-rowcount'), WAIT).toBe(String(summary.domains.length + 1));
    for (const d of summary.domains) {
      const row = table.getByRole('row', { name: new RegExp(`^${d.domain.replace(/\./g, '\\.')}\\b`) });
      await expect.poll(() => row.innerText(), WAIT).toMatch(new RegExp(`${d.messages}\\s+${d.dmarcPass}\\s+${((d.dmarcPass / d.messages) * 100).toFixed(1)}%`));
    }
    const totals = main().getByRole('group', { name: 'Totals' });
    const messages = summary.domains.reduce((n, d) => n + d.messages, 0);
    expect(await totals.innerText()).toContain(`${messages}\nMessages reported`);
    await expect.poll(() => main().getByRole('img', { name: /^Messages per day over/ }).count(), WAIT).toBe(1);

    // The customers as the service groups them: Acme holds DOMAIN through its connection; OTHER has no customer.
    const customers = await service<readonly CustomerSummary[]>('standards.customers');
    expect(customers.map((c) => c.name)).toContain('Acme');
    const choices = await main().getByLabel('Customer').locator('option').allInnerTexts();
    expect(choices).toEqual([`All customers (2)`, 'Acme', 'Unassigned (no customer)']);
    expect(choices.join(' ')).not.toContain('C01acme');
    await main().getByLabel('Customer').selectOption('Acme');
    const acme = summary.domains.find((d) => d.domain === DOMAIN)!;
    await expect.poll(() => table.getAttribute('aria-rowcount'), WAIT).toBe('2');
    await expect.poll(() => totals.innerText(), WAIT).toContain(`${acme.messages}\nMessages reported`);
    await main().getByLabel('Customer').selectOption('unassigned');
    const stray = summary.domains.filter((d) => d.domain !== DOMAIN);
    await expect.poll(() => table.getAttribute('aria-rowcount'), WAIT).toBe(String(stray.length + 1));
    await expect.poll(() => totals.innerText(), WAIT).toContain(`${stray.reduce((n, d) => n + d.messages, 0)}\nMessages reported`);
    await main().getByLabel('Customer').selectOption('');
  });

  it('shows a domain’s days, sources with reverse DNS from Knot, failure reasons, TLS failures and the verdict as the services compute them', async () => {
    await main().getByLabel('Domain', { exact: true }).selectOption(DOMAIN);
    const sources = await cli<ReportSource[]>('reports', 'sources', '--domain', DOMAIN);
    const table = main().getByRole('table', { name: `Sending sources of ${DOMAIN}` });
    await expect.poll(() => table.getAttribute('aria-rowcount'), WAIT).toBe(String(sources.length + 1));
    const knot = new Resolver();
    knot.setServers([`${servers.dns!.host}:${servers.dns!.port}`]);
    // What the cell should say, from Knot's own answer: its names, "no PTR" for NXDOMAIN/NODATA, "lookup failed" otherwise (REFUSED outside its zones).
    const ptr = async (ip: string): Promise<string> =>
      // The PTR query itself, as the page asks it (Node's reverse() would report a refusal as ENOTFOUND).
      knot.resolvePtr(`${ip.split('.').reverse().join('.')}.in-addr.arpa`).then(
        (names) => names.map((n) => n.replace(/\.$/, '')).join(', '),
        (error: { code?: string }) => (error.code === 'ENOTFOUND' || error.code === 'ENODATA' ? 'no PTR' : 'lookup failed'),
      );
    const classText = { aligned: 'Aligned', 'authorised-unaligned': 'Authorised, not aligned', forwarded: 'Forwarded', unknown: 'Unknown / threat' } as const;
    for (const s of sources) {
      const row = table.getByRole('row', { name: new RegExp(`^${s.sourceIp.replace(/\./g, '\\.')}\\b`) });
      const expected = await ptr(s.sourceIp);
      await expect.poll(() => row.innerText(), WAIT).toContain(expected);
      const text = await row.innerText();
      expect(text).toContain(classText[s.classification]);
      expect(text).toContain(`${s.messages}`);
      expect(text).toContain(`${s.dmarcPass} (${((s.dmarcPass / s.messages) * 100).toFixed(1)}%)`);
      if (s.knownSender) expect(text).toContain(s.knownSender);
    }
    expect([await ptr('203.0.113.40'), await ptr('203.0.113.99')]).toEqual(['mx.reports.dlv.test', 'no PTR']);

    const days = await service<ReportDay[]>('reports.days', { domain: DOMAIN });
    await main().getByText(`Figures per day (${days.length})`).click();
    const dayTable = main().getByRole('table', { name: 'Messages per day' });
    for (const d of days) expect(await dayTable.getByRole('row', { name: new RegExp(d.day) }).innerText()).toMatch(new RegExp(`${d.messages}\\s+${d.dmarcPass}`));

    const failing = sources.filter((s) => s.messages > s.dmarcPass);
    const reasons = main().getByRole('table', { name: 'Top failure reasons' });
    expect(await reasons.locator('tbody tr').count()).toBe(new Set(failing.map((s) => `${s.classification} ${s.knownSender}`)).size);
    const sendgrid = failing.find((s) => s.knownSender === 'SendGrid')!;
    expect(await reasons.getByRole('row', { name: /SendGrid passes/ }).innerText()).toContain(String(sendgrid.messages - sendgrid.dmarcPass));

    const tls = await service<TlsFailureRow[]>('reports.tlsFailures', { domain: DOMAIN });
    const tlsTable = main().getByRole('table', { name: 'TLS failures per receiving MX' });
    expect(await tlsTable.locator('tbody tr').count()).toBe(tls.length);
    for (const t of tls) expect(await tlsTable.getByRole('row', { name: new RegExp(t.receivingMx.replace(/\./g, '\\.')) }).innerText()).toMatch(new RegExp(`${t.resultType}[\\s\\S]*${t.sessions}`));

    const verdict = await cli<DmarcVerdict>('reports', 'verdict', '--domain', DOMAIN);
    const card = main().getByRole('region', { name: 'Ready for p=reject?' });
    expect(await card.innerText()).toContain(verdict.ready ? 'Ready for p=reject' : 'Not ready yet');
    for (const reason of verdict.reasons) expect(await card.innerText()).toContain(reason);
    expect(await card.getByLabel('Suggested DMARC record').innerText()).toBe(verdict.record.value);
    await card.getByRole('button', { name: 'Copy record' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), WAIT).toBe(verdict.record.value);
  });

  it('filters sources from the top bar and exports the CSV the table shows', async () => {
    const sources = await cli<ReportSource[]>('reports', 'sources', '--domain', DOMAIN);
    const table = main().getByRole('table', { name: `Sending sources of ${DOMAIN}` });
    await page.getByRole('searchbox').fill('mx.reports.dlv');
    await expect.poll(() => table.getAttribute('aria-rowcount'), WAIT).toBe('2');
    await page.getByRole('searchbox').fill('');
    await expect.poll(() => table.getAttribute('aria-rowcount'), WAIT).toBe(String(sources.length + 1));
    const download = page.waitForEvent('download');
    await main().getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    const { records } = parseCsvRecords(csv);
    expect(records.map((r) => [r['source_ip'], Number(r['messages']), Number(r['dmarc_pass']), r['classification']]).sort()).toEqual(sources.map((s) => [s.sourceIp, s.messages, s.dmarcPass, s.classification]).sort());
  });

  it('reads a reports mailbox on the real Dovecot: stored ones moved, the broken one marked and listed', async () => {
    const account = freshUser(`rua-e2e-${scheme}`);
    const imap = new ImapFlow({ host: servers.imap.host, port: servers.imap.imapsPort, secure: true, auth: { user: account.user, pass: account.password }, tls: { servername: 'localhost' }, logger: false });
    imap.on('error', () => undefined);
    await imap.connect();
    const attach = (subject: string, filename: string, content: Buffer) => reportMessage({ subject, attachment: { filename, content, contentType: 'application/gzip' } });
    await imap.append('INBOX', await attach('m1', 'm1.xml.gz', gz(aggregateXml({ org: 'yahoo.com', id: `e2e-mb-${scheme}-1`, domain: DOMAIN, begin: daysAgo(1), records: [{ ip: '203.0.113.40', count: 55 }] }))));
    await imap.append('INBOX', await attach('m2', 'm2.xml.gz', gz(aggregateXml({ org: 'yahoo.com', id: `e2e-mb-${scheme}-2`, domain: OTHER, begin: daysAgo(1), records: [{ ip: '198.51.100.7', count: 9 }] }))));
    await imap.append('INBOX', await attach('m3 broken', 'm3.xml.gz', gz('<feedback><oops')));
    const added = await services.connections.addImap({ name: 'Reports mailbox', host: servers.imap.host, port: servers.imap.imapsPort, tls: 'implicit', user: account.user, password: account.password });
    if (!added.ok) throw new Error(added.error.message);
    const before = await cli<ReportsSummary>('reports', 'summary');

    await page.reload();
    const form = main().getByRole('form', { name: 'Read a reports mailbox' });
    await expect.poll(() => form.isVisible(), WAIT).toBe(true);
    await form.getByLabel('Connection').selectOption('Reports mailbox');
    await form.getByRole('button', { name: 'Read mailbox' }).click();
    const banner = main().getByRole('status', { name: 'Mailbox read' });
    await expect.poll(() => banner.isVisible(), WAIT).toBe(true);
    const after = await cli<ReportsSummary>('reports', 'summary');
    const storedNow = after.aggregate.reports - before.aggregate.reports;
    expect(storedNow).toBe(2);
    const text = await banner.innerText();
    expect(text).toContain(`3 new messages in INBOX; ${storedNow} moved to Processed reports.`);
    expect(text).toContain(`Stored ${storedNow} reports (${storedNow} aggregate, 0 TLS, 0 failure); 0 duplicates already stored; 1 error.`);
    expect(text).toContain('UID');

    // Read back from Dovecot: the stored messages moved, the broken one left in INBOX with its keyword.
    const lock = await imap.getMailboxLock('INBOX', { readOnly: true });
    const left: string[][] = [];
    for await (const m of imap.fetch('1:*', { envelope: true, flags: true })) left.push([m.envelope?.subject ?? '', [...(m.flags ?? [])].join(' ')]);
    lock.release();
    expect(left).toEqual([['m3 broken', expect.stringContaining('$MailroomReportError')]]);
    const status = await imap.status('Processed reports', { messages: true });
    expect(status && status.messages).toBe(storedNow);
    await imap.logout();
    const totals = main().getByRole('group', { name: 'Totals' });
    await expect.poll(() => totals.innerText(), WAIT).toContain(`${after.aggregate.reports}\nAggregate reports`);
    expect(pageErrors).toEqual([]);
  });
});
