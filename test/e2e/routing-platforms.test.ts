import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { aggregateXml } from '../support/dmarc-reports.ts';
import { postfixAdminMissing, skipReason } from '../integration/postfixadmin/support/real-postfixadmin.ts';
import { CONDITIONAL_FORWARDS, CROSS_PLATFORM, PLATFORM_FORWARDS, putImapScript, startRoutingPlatforms, type RoutingPlatforms } from '../support/routing-platforms.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, settled } from './support/console-session.ts';

const LABELS = ['PostfixAdmin · pfa', 'mailcow · mc', 'Stalwart · st', 'Google Workspace · gw', 'Microsoft 365 · ms', 'IMAP (Sieve) · imap'];

// The Routing tab over six platforms at once: the real PostfixAdmin, an IMAP-only account on the real Dovecot (its
// Sieve redirect read over ManageSieve), and the Google, Microsoft, mailcow and Stalwart fakes.
describe.skipIf(postfixAdminMissing !== null)(`the Routing tab shows every platform's forwards in one graph${skipReason}`, () => {
  const vault = new MemoryVault();
  let dataDir: string;
  let platforms: RoutingPlatforms;
  let services: Services;

  beforeAll(async () => {
    assertRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-routing-'));
    platforms = await startRoutingPlatforms(dataDir, vault);
    // home.example reports 7 failing messages relayed by the host that sends pfa.routing.test's own mail: ana@pfa's forward.
    const report = join(dataDir, 'home-example.xml');
    writeFileSync(report, aggregateXml({ org: 'home.example', id: 'e2e-1', domain: 'pfa.routing.test', records: [{ ip: '203.0.113.10', count: 20 }, { ip: '203.0.113.10', count: 7, dkim: 'fail', spf: 'fail' }] }));
    const ingested = await platforms.cli('reports', 'ingest', '--file', report);
    if (ingested.code !== 0) throw new Error(`reports ingest exited ${ingested.code}: ${ingested.err}`);
    services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
  }, 120_000);
  afterAll(async () => {
    services?.close();
    await platforms?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`lists each platform's forward with its platform, conditional ones dashed with their condition, and what Microsoft 365 cannot show (${scheme})`, async () => {
      const session = await openConsole(services, { context: { viewport: { width: 1280, height: 900 }, colorScheme: scheme } });
      const errors: string[] = [];
      try {
        const { page, host } = session;
        recordPageErrors(page, errors);
        await page.goto(host.url);
        await page.waitForSelector('.sidebar');
        await page.evaluate(() => (location.hash = '#/mailboxes'));
        await page.getByRole('tab', { name: 'Routing' }).click();

        const platformsCard = page.getByRole('region', { name: 'Platforms in the graph' });
        await expect.poll(() => platformsCard.isVisible(), { timeout: 30_000 }).toBe(true);
        const platformsText = await platformsCard.innerText();
        for (const label of LABELS) expect(platformsText).toContain(label);
        const unread = await platformsCard.getByRole('list', { name: 'Forwards Mailroom cannot read' }).innerText();
        expect(unread).toContain('Microsoft 365 · ms');
        expect(unread).toContain('Get-Mailbox');
        for (const label of LABELS.filter((l) => !l.startsWith('Microsoft'))) expect(unread).not.toContain(label);

        const routes = page.getByRole('region', { name: 'Routes' });
        const label: Record<keyof typeof PLATFORM_FORWARDS, string> = { postfixadmin: LABELS[0]!, mailcow: LABELS[1]!, stalwart: LABELS[2]!, google: LABELS[3]!, microsoft: LABELS[4]!, imap: LABELS[5]! };
        for (const [platform, f] of Object.entries(PLATFORM_FORWARDS) as [keyof typeof PLATFORM_FORWARDS, { from: string; to: string }][]) {
          const row = routes.getByRole('listitem').filter({ has: page.locator('strong', { hasText: f.from }) });
          await expect.poll(() => row.first().innerText(), { timeout: 15_000 }).toContain(f.to);
          expect(await row.first().innerText()).toContain(label[platform]);
          // The external target is marked as such for screen readers too.
          expect(await row.first().textContent()).toContain('(external)');
        }
        // A forward under a condition (Sieve `if`, Gmail filter) is drawn dashed and says which mail takes it; a plain one is not.
        for (const c of CONDITIONAL_FORWARDS) {
          const row = routes.getByRole('listitem').filter({ has: page.locator('strong', { hasText: c.from }) }).first();
          const hop = row.locator('.chain__hop--conditional').filter({ has: page.locator('code', { hasText: c.to }) });
          expect(await hop.innerText()).toContain(`only if ${c.condition}`);
          expect(await hop.locator('code').evaluate((el) => getComputedStyle(el).borderBottomStyle)).toBe('dashed');
        }
        const evaRow = routes.getByRole('listitem').filter({ has: page.locator('strong', { hasText: PLATFORM_FORWARDS.imap.from }) }).first();
        expect(await evaRow.locator('.chain__hop--conditional').count()).toBe(1);
        expect((await evaRow.locator('.chain__hop:not(.chain__hop--conditional)').allInnerTexts()).join(' ')).toContain(PLATFORM_FORWARDS.imap.to);

        // A redirect the user adds later in their mail client's filter editor shows after "Read Sieve forwards".
        const later = `eva-${scheme}@later.example`;
        await putImapScript(`redirect :copy "${later}";\n`);
        await platformsCard.getByRole('button', { name: 'Read the Sieve forwards of imap' }).click();
        await expect.poll(() => evaRow.innerText(), { timeout: 20_000 }).toContain(later);
        expect(await routes.getByRole('listitem').filter({ has: page.locator('strong', { hasText: PLATFORM_FORWARDS.imap.from }) }).first().innerText()).toContain(PLATFORM_FORWARDS.imap.to);

        // The forward the stored reports show failing carries the badge; the others do not.
        const pfaRow = routes.getByRole('listitem').filter({ has: page.locator('strong', { hasText: PLATFORM_FORWARDS.postfixadmin.from }) }).first();
        expect(await pfaRow.getByTestId('forward-failing').innerText()).toBe('Fails DMARC at receivers (7)');
        expect(await pfaRow.getByTestId('forward-failing').getAttribute('title')).toContain('failing DMARC at home.example');
        const mcRow = routes.getByRole('listitem').filter({ has: page.locator('strong', { hasText: PLATFORM_FORWARDS.mailcow.from }) }).first();
        expect(await mcRow.getByTestId('forward-failing').count()).toBe(0);
        // The PostfixAdmin mailbox that forwards into Microsoft 365 chains on through the Microsoft rule.
        const cross = await routes.getByRole('listitem').filter({ has: page.locator('strong', { hasText: CROSS_PLATFORM.from }) }).first().innerText();
        expect(cross).toContain(CROSS_PLATFORM.to);
        expect(cross).toContain(PLATFORM_FORWARDS.microsoft.to);

        const findings = await page.getByRole('region', { name: 'Routing findings' }).innerText();
        expect(findings).toContain('unknown — not checked');
        const look = await page.evaluate(() => ({ wide: document.documentElement.scrollWidth, bg: getComputedStyle(document.body).backgroundColor }));
        expect(look.wide).toBeLessThanOrEqual(1280);
        const [r = 0, g = 0, b = 0] = (look.bg.match(/\d+/g) ?? []).map(Number);
        const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        if (scheme === 'dark') expect(luminance).toBeLessThan(0.3);
        else expect(luminance).toBeGreaterThan(0.7);
        await settled(page);
        await page.screenshot({ path: `/tmp/mailroom-routing-platforms-${scheme}.png`, fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await session.close();
      }
    });
  }
});
