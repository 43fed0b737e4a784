// Chromium measurement of the mailbox table: 100,000 mailboxes in the cache, first paint and a scripted scroll.
// Run: vite build --config renderer/vite.config.ts && node bench/cache/table-scroll.bench.ts
// Env: BENCH_MAILBOXES (100000), BENCH_DOMAINS (1000), SCREENSHOTS=<dir> to also save light/dark screenshots,
// RENDERER_DIR (dist/renderer) for a renderer built elsewhere, PROFILE=1 for the top self-time functions of the fast scroll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { composeServices } from '../../electron/app/compose.ts';
import { startLoopbackHost } from '../../electron/host/loopback-host.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../../test/fakes/memory-vault.ts';
import { topSelfTimes } from './cpu-profile.ts';
import { inventorySnapshot as snapshot } from './inventory-snapshot.ts';

const MAILBOXES = Number(process.env['BENCH_MAILBOXES'] ?? 100_000);
const DOMAINS = Number(process.env['BENCH_DOMAINS'] ?? 1000);
const SHOTS = process.env['SCREENSHOTS'];
const PROFILE = process.env['PROFILE'] === '1';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const line = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'cache-table', ...o }));

/** Frame deltas while scrolling by script, and the main-thread long tasks (over 50 ms) seen meanwhile. */
async function frames(page: Page, step: number, count: number): Promise<{ deltas: number[]; longTasks: number[] }> {
  return page.evaluate(
    ([px, n]) =>
      new Promise<{ deltas: number[]; longTasks: number[] }>((resolve) => {
        const el = document.querySelector<HTMLElement>('[data-testid="mailbox-scroll"]')!;
        const deltas: number[] = [];
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => Math.round(e.duration))));
        observer.observe({ type: 'longtask' });
        const done = (d: number[]) => {
          observer.disconnect();
          resolve({ deltas: d, longTasks });
        };
        let last = performance.now();
        let i = 0;
        const tick = (now: number) => {
          deltas.push(now - last);
          last = now;
          el.scrollTop += px;
          i += 1;
          if (i < n && el.scrollTop + el.clientHeight < el.scrollHeight) requestAnimationFrame(tick);
          else done(deltas.slice(1));
        };
        requestAnimationFrame(tick);
      }),
    [step, count] as const,
  );
}

const stats = (d: number[]) => {
  const s = [...d].sort((a, b) => a - b);
  const q = (p: number) => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 10) / 10;
  return { frames: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: Math.round((s.at(-1) ?? 0) * 10) / 10, over50: s.filter((x) => x > 50).length };
};

const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-bench-table-'));
const services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
let t = performance.now();
const added = await services.connections.addPostfixAdmin({ name: 'Head office (PostfixAdmin)', dialect: 'sqlite', path: join(dataDir, 'none.db') });
if (!added.ok) throw new Error(added.error.message);
services.inventory.replace(added.value.id, snapshot(DOMAINS, MAILBOXES), new Date().toISOString());
if (SHOTS) {
  const second = await services.connections.addPostfixAdmin({ name: 'Branch (PostfixAdmin)', dialect: 'sqlite', path: join(dataDir, 'none2.db') });
  if (second.ok) services.inventory.replace(second.value.id, { ...snapshot(3, 60), domains: snapshot(3, 60).domains.map((d, i) => ({ ...d, name: `branch${i}.example` })), mailboxes: [], aliases: [], groups: [], forwarding: [] }, new Date().toISOString());
}
line({ step: 'seed', domains: DOMAINS, mailboxes: MAILBOXES, ms: Math.round(performance.now() - t) });

const host = await startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: resolve(process.env['RENDERER_DIR'] ?? 'dist/renderer') });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (e) => line({ step: 'pageerror', message: e.message }));
  await page.goto(host.url);
  await page.waitForSelector('.sidebar');
  t = performance.now();
  await page.evaluate(() => (location.hash = '#/mailboxes'));
  await page.waitForSelector('.vtable__row[aria-label]');
  const firstPaint = performance.now() - t;
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const rowsInDom = await page.locator('.vtable__row').count();
  const scrollHeight = await page.locator('[data-testid="mailbox-scroll"]').evaluate((el) => el.scrollHeight);
  line({ step: 'first-paint', mailboxes: MAILBOXES, ms: Math.round(firstPaint), rowsInDom, scrollHeight });

  // The same scripted scroll over a static block of the same size: what this machine's load costs any page.
  const baseline = await page.evaluate(
    () =>
      new Promise<{ deltas: number[]; longTasks: number[] }>((resolve) => {
        const el = document.createElement('div');
        el.style.cssText = 'position:fixed;inset:0;overflow-y:auto;z-index:9999;background:Canvas';
        el.innerHTML = `<div style="height:4800000px;background:repeating-linear-gradient(#0000 0 47px,#8884 47px 48px)"></div>`;
        document.body.append(el);
        const deltas: number[] = [];
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => Math.round(e.duration))));
        observer.observe({ type: 'longtask' });
        let last = performance.now();
        const tick = (now: number) => {
          deltas.push(now - last);
          last = now;
          el.scrollTop += 96;
          if (deltas.length < 600) requestAnimationFrame(tick);
          else {
            observer.disconnect();
            el.remove();
            resolve({ deltas: deltas.slice(1), longTasks });
          }
        };
        requestAnimationFrame(tick);
      }),
  );
  line({ step: 'scroll-baseline', note: 'a static 4.8M px block, no table: the machine', pxPerFrame: 96, ...stats(baseline.deltas), longTasks: baseline.longTasks.length });
  const cdp = PROFILE ? await context.newCDPSession(page) : null;
  for (const [name, step, count] of [['scroll-smooth', 96, 600], ['scroll-fast', 2400, 1200]] as const) {
    if (cdp && name === (process.env['PROFILE_STEP'] ?? 'scroll-fast')) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const { deltas, longTasks } = await frames(page, step, count);
    if (cdp && name === (process.env['PROFILE_STEP'] ?? 'scroll-fast')) line({ step: `profile-${name}`, selfMs: topSelfTimes((await cdp.send('Profiler.stop')).profile) });
    line({ step: name, pxPerFrame: step, ...stats(deltas), longTasks });
  }
  t = performance.now();
  await page.locator('[data-testid="mailbox-scroll"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForFunction((n) => [...document.querySelectorAll('.vtable__row[aria-rowindex]')].some((r) => Number(r.getAttribute('aria-rowindex')) >= n - 5 && r.hasAttribute('aria-label')), MAILBOXES);
  line({ step: 'jump-to-end', ms: Math.round(performance.now() - t) });
  const searches: number[] = [];
  for (const q of ['an', 'carla', 'novak12', 'client42']) {
    t = performance.now();
    await page.locator('#global-filter').fill(q);
    await page.waitForFunction((text) => document.querySelector('.vtable__row[aria-label]')?.getAttribute('aria-label')?.includes(text.slice(0, 3)) ?? false, q);
    searches.push(performance.now() - t);
  }
  line({ step: 'search-in-ui', note: 'includes the 100 ms debounce', ms: searches.map(Math.round) });
  await page.locator('#global-filter').fill('');
  if (SHOTS) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(() => (location.hash = '#/mailboxes'));
      await page.waitForTimeout(400);
      await page.locator('.vtable__row[aria-label]').nth(2).click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SHOTS, `mailboxes-${scheme}.png`) });
      for (const tab of ['Routing', 'Aliases & catch-alls', 'Groups']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.waitForTimeout(500);
        await page.screenshot({ path: join(SHOTS, `${tab.split(' ')[0]!.toLowerCase()}-${scheme}.png`), fullPage: true });
      }
      await page.evaluate(() => (location.hash = '#/domains'));
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(SHOTS, `domains-${scheme}.png`) });
      await page.getByRole('tab', { name: 'Storage' }).click();
      await page.waitForTimeout(800);
      await page.screenshot({ path: join(SHOTS, `storage-${scheme}.png`), fullPage: true });
    }
  }
} finally {
  await browser.close();
  await host.close();
  services.close();
  rmSync(dataDir, { recursive: true, force: true });
}
