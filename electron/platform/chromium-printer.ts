import { existsSync } from 'node:fs';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { ReportPrinter } from '../monthly-report/report-printer.ts';

/** Debian's Chromium, which the loopback host's PDFs are printed with unless MAILROOM_CHROMIUM names another. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

// The report page sets this attribute once its figures are on screen; printing earlier would print a spinner.
const READY = '[data-report-ready]';
const TIMEOUT_MS = 60_000;

/**
 * Prints console pages served by a loopback host to PDF in headless Chromium (DevTools protocol through playwright-core):
 * `sessionUrl` is the host's address with its session token, so the page reads through the same router as the console.
 */
export function chromiumPrinter(sessionUrl: string, executablePath = process.env['MAILROOM_CHROMIUM'] ?? DEFAULT_CHROMIUM): ReportPrinter {
  return {
    async pdf(hash): Promise<Result<Uint8Array>> {
      if (!existsSync(executablePath)) return err('backend.unsupported', `No Chromium at ${executablePath} to print the PDF with: install it (Debian: apt install chromium) or set MAILROOM_CHROMIUM.`);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
      try {
        const page = await (await browser.newContext({ colorScheme: 'light' })).newPage();
        // The token is taken from the first address into the tab's session storage; the report is then a hash change away.
        await page.goto(sessionUrl);
        await page.waitForSelector('.sidebar', { timeout: TIMEOUT_MS });
        // A string, not a function: this file is compiled without the DOM's types.
        await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
        await page.waitForSelector(READY, { timeout: TIMEOUT_MS });
        await page.emulateMedia({ media: 'print' });
        return ok(new Uint8Array(await page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } })));
      } catch (error) {
        return err('internal', `Chromium could not print the report: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      } finally {
        await browser.close();
      }
    },
  };
}
