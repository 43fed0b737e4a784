import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import type { AuditPage } from '../../shared/domain/audit.ts';
import type { Deviation, Standard, StandardEvaluation } from '../../shared/domain/standards.ts';
import { parseCsvRecords } from '../../renderer/lib/csv.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { dnsServer, publishZone } from '../integration/dns/dns-fixtures.ts';
import { createRealSite, postfixAdminMissing, skipReason, type RealSite } from '../integration/postfixadmin/support/real-postfixadmin.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';
import { routerCall } from './support/router-call.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

// Polls wait on a condition; the machine is shared, so an evaluation and a render may take seconds.
const WAIT = { timeout: 60_000 };
const PW = 'Drift-pw-42';
const zone = (dmarc: string, spf: string): string => [`@ MX 10 mx`, `mx A 203.0.113.25`, `@ TXT "${spf}"`, `_dmarc TXT "${dmarc}"`].join('\n');

// Issue 14, item 3 and "Done when": drift appears, is accepted, end to end in Chromium, in light and dark.
describe.skipIf(postfixAdminMissing !== null).each(SCHEMES)(`the Drift page on real Knot zones and a real PostfixAdmin site, %s${skipReason}`, (scheme) => {
  const ACME = `acme-${scheme}.drift.dlv.test`;
  const LOOSE = `loose-${scheme}.drift.dlv.test`;
  const standard: Standard = {
    name: `e2e strict ${scheme}`,
    version: 1,
    targets: { kind: 'all' },
    rules: [
      { rule: 'dmarc.policy-none', mode: 'alert', params: { rua: `dmarc@${ACME}` } },
      { rule: 'spf.all-neutral', mode: 'report' },
      { rule: 'provisioning.catch-all', mode: 'remediate' },
      { rule: 'provisioning.external-forward', mode: 'alert' },
    ],
  };
  let site: RealSite;
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const main = () => page.locator('main');
  const service = async <T>(channel: string, ...args: unknown[]): Promise<T> => (await routerCall(services)(channel, args)) as unknown as T;
  const latest = () => service<StandardEvaluation>('standards.latest', standard.name, {});
  /** The (rule, target, mode, expected, current) of every row a table shows, in its order. */
  const shownRows = (testId: string) =>
    page.getByTestId(testId).locator('[role=row]').evaluateAll((rows) =>
      rows.map((row) => {
        const cell = (key: string) => row.querySelector(`.vtable__cell--${key}`);
        return [cell('rule')?.textContent ?? '', cell('target')?.textContent ?? '', cell('mode')?.querySelector('.badge')?.textContent ?? '', cell('expected')?.querySelector('code')?.textContent ?? '', cell('current')?.querySelector('code')?.textContent ?? ''];
      }),
    );
  const rowsOf = (deviations: readonly Deviation[]) => deviations.map((d) => [d.rule, d.target, d.mode, d.expected, d.current]).sort((a, b) => a.join().localeCompare(b.join()));
  const sorted = (rows: string[][]) => [...rows].sort((a, b) => a.join().localeCompare(b.join()));

  beforeAll(async () => {
    assertRendererBuilt();
    await publishZone(ACME, zone(`v=DMARC1; p=reject; rua=mailto:dmarc@${ACME}`, 'v=spf1 mx -all'));
    await publishZone(LOOSE, zone('v=DMARC1; p=none; rua=mailto:someone@elsewhere.test', 'v=spf1 mx ~all'));
    site = await createRealSite('sqlite', "$CONF['quota'] = 'YES';");
    await site.must('domain', 'add', ACME, '--quota', '150', '--maxquota', '100');
    await site.must('domain', 'add', LOOSE, '--quota', '150', '--maxquota', '100');
    await site.must('mailbox', 'add', `ann@${ACME}`, '--password', PW, '--password2', PW, '--quota', '50');
    await site.must('alias', 'update', `ann@${ACME}`, '--goto', 'ann.private@gmail.test');
    await site.must('alias', 'add', `*@${LOOSE}`, '--goto', `ann@${ACME}`);
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-drift-'));
    services = composeServices({
      dataDir,
      vault: new MemoryVault(),
      logger: createMemoryLogger(),
      transport: 'loopback',
      dnsServers: [dnsServer()],
      // The zones live in RFC 5737 documentation ranges and no SMTP listener runs on port 25.
      dnsSettings: { options: { testNets: true, smtp: { enabled: false, port: 25, timeoutMs: 1000 }, httpsTimeoutMs: 2000 } },
    });
    // As `mailroom serve` and the desktop app run them: evaluations in a worker thread on the database file.
    services.standards.evaluateOffThread(true);
    const added = await services.connections.addPostfixAdmin({ name: 'box', dialect: 'sqlite', path: site.target.path!, site: { quota: 'YES' } });
    if (!added.ok) throw new Error(added.error.message);
    await service('standards.assignCustomer', 'box', 'Acme Corp');
    await service('domains.refresh', added.value.id);
    session = await openConsole(services, { context: { viewport: { width: 1600, height: 1400 }, colorScheme: scheme, acceptDownloads: true }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = session.page;
    recordPageErrors(page, pageErrors, { console: false });
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    services?.close();
    await site?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens with g then t, refuses a bad standard file in one line, and imports a good one as the service stores it', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('t');
    await expect.poll(() => page.evaluate(() => location.hash), WAIT).toBe('#/drift');
    await expect.poll(() => main().getByRole('heading', { name: 'Drift', level: 1 }).isVisible(), WAIT).toBe(true);
    await showScheme(page, scheme);
    const before = await service<unknown[]>('standards.list', {});
    const file = page.getByLabel('Standard file');
    await file.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...standard, rules: [{ rule: 'no.such-rule', mode: 'sometimes' }] })) });
    const refused = main().getByRole('alert');
    await expect.poll(() => refused.textContent(), WAIT).toMatch(/^broken\.json: /);
    expect((await refused.textContent())!.split('\n')).toHaveLength(1);
    expect(await service<unknown[]>('standards.list', {})).toEqual(before);

    await file.setInputFiles({ name: 'strict.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(standard)) });
    await expect.poll(() => main().getByRole('status').filter({ hasText: 'Imported' }).textContent(), WAIT).toBe(`Imported “${standard.name}” version 1.`);
    expect(await service<Standard>('standards.show', standard.name)).toEqual(standard);
    const row = main().getByRole('table', { name: 'Stored standards' }).getByRole('row').filter({ hasText: standard.name });
    await expect.poll(async () => (await row.getByRole('cell').allTextContents()).slice(0, 4), WAIT).toEqual(['1', 'All customers', '4', '2 alert, 1 remediate, 1 report']);
    await expect.poll(() => main().getByRole('region', { name: 'Never evaluated' }).isVisible(), WAIT).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: `Export ${standard.name} as JSON` }).click()]);
    expect(JSON.parse(readFileSync((await download.path())!, 'utf8'))).toEqual(await service<Standard>('standards.show', standard.name));
  });

  it('evaluates from the page and shows the deviations and scores the service stored; a zone edit drifts back into line', async () => {
    await main().getByRole('button', { name: 'Evaluate now' }).click();
    await expect.poll(() => page.getByTestId('drift-deviations').isVisible(), WAIT).toBe(true);
    const first = await latest();
    expect(first.deviations.length).toBeGreaterThan(0);
    await expect.poll(async () => sorted(await shownRows('drift-deviations')), WAIT).toEqual(rowsOf(first.deviations));
    // The drift Knot and PostfixAdmin hold is what the service found, not a page artefact.
    expect(first.deviations.map((d) => `${d.rule} ${d.target}`)).toEqual(expect.arrayContaining([`dmarc.policy-none ${LOOSE}`, `spf.all-neutral ${LOOSE}`, `provisioning.catch-all @${LOOSE}`, `provisioning.external-forward ann@${ACME}`]));
    const scores = main().getByRole('table', { name: 'Alignment scores' });
    expect(await scores.locator('[data-customer="Acme Corp"] [data-score=all]').textContent()).toBe(String(first.score['Acme Corp']));
    expect(await scores.locator('[data-customer="Acme Corp"] [data-score=supported]').textContent()).toBe(String(first.supportedScore['Acme Corp']));
    expect(await main().locator('.drift-scores canvas').count()).toBeGreaterThanOrEqual(2);

    const [download] = await Promise.all([page.waitForEvent('download'), main().getByRole('button', { name: 'Export CSV' }).click()]);
    const { records } = parseCsvRecords(readFileSync((await download.path())!, 'utf8'));
    // The CSV is spreadsheet-safe: a cell starting with @ = + - carries a leading apostrophe, which reading it back drops.
    const cell = (v: string | undefined) => (v ?? '').replace(/^'(?=[=+\-@\t\r])/, '');
    expect(sorted(records.map((r) => [cell(r['rule']), cell(r['target']), cell(r['mode']), cell(r['expected']), cell(r['current'])]))).toEqual(rowsOf(first.deviations));

    const catchAll = first.deviations.find((d) => d.rule === 'provisioning.catch-all')!;
    await page.getByTestId('drift-deviations').locator(`[role=row][aria-label="provisioning.catch-all on ${catchAll.target}"]`).getByRole('button', { name: 'Copy current' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), WAIT).toBe(catchAll.current);

    await main().getByLabel('Rule', { exact: true }).selectOption('spf.all-neutral');
    await expect.poll(async () => sorted(await shownRows('drift-deviations')), WAIT).toEqual(rowsOf(first.deviations.filter((d) => d.rule === 'spf.all-neutral')));
    await main().getByLabel('Rule', { exact: true }).selectOption('');

    // Fix LOOSE's SPF in Knot: the next evaluation no longer lists it, and the page follows the service.
    await publishZone(LOOSE, zone('v=DMARC1; p=none; rua=mailto:someone@elsewhere.test', 'v=spf1 mx -all'));
    await main().getByRole('button', { name: 'Evaluate now' }).click();
    await expect.poll(async () => (await latest()).at, WAIT).not.toBe(first.at);
    const second = await latest();
    expect(second.deviations.some((d) => d.rule === 'spf.all-neutral' && d.target === LOOSE)).toBe(false);
    await expect.poll(async () => sorted(await shownRows('drift-deviations')), WAIT).toEqual(rowsOf(second.deviations));
    // An unbroken deviation keeps the `since` of its first sighting.
    const held = second.deviations.find((d) => d.rule === 'dmarc.policy-none')!;
    expect(held.since).toBe(first.deviations.find((d) => d.rule === 'dmarc.policy-none')!.since);
    expect(await page.getByTestId('drift-deviations').locator(`[role=row][aria-label="dmarc.policy-none on ${LOOSE}"] time`).getAttribute('title')).toBe(held.since);
  });

  it('shows the exact DNS record that fixes a deviation, copies it, and after it is published re-checks that target alone', async () => {
    const before = await latest();
    const target = before.deviations.find((d) => d.rule === 'dmarc.policy-none' && d.target === LOOSE)!;
    expect(target).toBeDefined();
    await main().getByRole('button', { name: `Fix dmarc.policy-none for ${LOOSE}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Fix dmarc.policy-none' });
    const remedy = await service<{ kind: string; record: { name: string; value: string } }>('standards.remedy', standard.name, { rule: 'dmarc.policy-none', target: LOOSE });
    expect(remedy.kind).toBe('dns');
    expect(remedy.record.value).toMatch(/p=(quarantine|reject)/);
    await expect.poll(() => dialog.locator('[data-remedy=dns] .drift-remedy__value').first().textContent(), WAIT).toBe(remedy.record.value);
    await dialog.getByRole('button', { name: 'Copy value' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), WAIT).toBe(remedy.record.value);

    // Publish exactly what the dialog gave, then re-check from it: only LOOSE is evaluated again.
    await publishZone(LOOSE, zone(remedy.record.value, 'v=spf1 mx -all'));
    await dialog.getByRole('button', { name: 'Re-check' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), WAIT).toBe(`dmarc.policy-none now holds for ${LOOSE}.`);
    const after = await latest();
    expect(after.at).not.toBe(before.at);
    expect(after.deviations.some((d) => d.rule === 'dmarc.policy-none' && d.target === LOOSE)).toBe(false);
    // The other domain's deviations are carried over untouched, `since` and all.
    const others = (e: StandardEvaluation) => e.deviations.filter((d) => !d.target.endsWith(LOOSE));
    expect(others(after)).toEqual(others(before));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count(), WAIT).toBe(0);
    await expect.poll(async () => sorted(await shownRows('drift-deviations')), WAIT).toEqual(rowsOf(after.deviations));
  });

  it('accepts a deviation only with a reason; it moves to the accepted list and into the audit journal', async () => {
    const target = `ann@${ACME}`;
    await main().getByRole('button', { name: `Accept provisioning.external-forward for ${target}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept provisioning.external-forward' });
    expect(await dialog.getByRole('button', { name: 'Accept deviation' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Reason').fill('CEO keeps a private copy');
    await dialog.getByRole('button', { name: 'Accept deviation' }).click();
    await expect.poll(() => dialog.count(), WAIT).toBe(0);

    const after = await latest();
    const accepted = after.accepted.find((d) => d.rule === 'provisioning.external-forward' && d.target === target);
    expect(accepted?.accepted?.reason).toBe('CEO keeps a private copy');
    expect(after.deviations.some((d) => d.rule === 'provisioning.external-forward' && d.target === target)).toBe(false);
    await expect.poll(async () => sorted(await shownRows('drift-accepted')), WAIT).toEqual(rowsOf(after.accepted));
    await expect.poll(async () => sorted(await shownRows('drift-deviations')), WAIT).toEqual(rowsOf(after.deviations));
    expect(await page.getByTestId('drift-accepted').textContent()).toContain('CEO keeps a private copy');

    const journal = await service<AuditPage>('audit.list', {});
    const entry = journal.entries.find((e) => e.object === `standard:${standard.name} provisioning.external-forward ${target}`);
    expect(entry).toMatchObject({ result: 'ok', after: { rule: 'provisioning.external-forward', target, reason: 'CEO keeps a private copy' } });
    expect(pageErrors).toEqual([]);
  });
});
