// Chromium measurement of the Domains page: 1,000 domains (and 100,000 mailboxes) in the cache; time to the first
// painted row, every frame from the navigation on (warm, then first visits in fresh tabs, traced: frames and CPU from
// Chromium's trace), first visits of the Mailboxes page alternating with them, a scripted scroll of the virtualized
// table. JSON lines; the last one sums both pages up side by side.
// Run: vite build --config renderer/vite.config.ts && node bench/cache/domains-table.bench.ts
// Env: BENCH_DOMAINS (1000), BENCH_MAILBOXES (100000), RUNS (5), COLD_RUNS (5), SCROLL_RUNS (1), RENDERER_DIR (dist/renderer),
// TRACE_DIR, TRACE_CATEGORIES, COMPARE_DIR (other builds, ':'-separated, e.g. the previous commit's: their first visits alternate with this
// one's, so that all meet the same load).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { composeServices } from '../../electron/app/compose.ts';
import { startLoopbackHost } from '../../electron/host/loopback-host.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../../test/fakes/memory-vault.ts';
import { topSelfTimes } from './cpu-profile.ts';
import { FRAME_TRACE_CATEGORIES, traceFigures, type TraceEvent, type TraceFigures } from './frame-trace.ts';
import { inventorySnapshot } from './inventory-snapshot.ts';

const DOMAINS = Number(process.env['BENCH_DOMAINS'] ?? 1000);
const MAILBOXES = Number(process.env['BENCH_MAILBOXES'] ?? 100_000);
const RUNS = Number(process.env['RUNS'] ?? 5);
const COLD_RUNS = Number(process.env['COLD_RUNS'] ?? 5);
const SCROLL_RUNS = Number(process.env['SCROLL_RUNS'] ?? 1);
// PROFILE=1: a CPU profile of each first visit as well, its top self-time functions printed beside the trace.
const PROFILE = process.env['PROFILE'] === '1';
const COMPARE_DIRS = (process.env['COMPARE_DIR'] ?? '').split(':').filter(Boolean);
// TRACE_DIR: each first visit's raw trace is written there too (Trace Event Format, opens in DevTools' Performance panel),
// and with PROFILE=1 its CPU profile (`.cpuprofile`).
const TRACE_DIR = process.env['TRACE_DIR'];
let traced = 0;
// TRACE_CATEGORIES: more categories for the first visits' traces, e.g. "toplevel,blink,accessibility" to tell who posted a task.
const CATEGORIES = [FRAME_TRACE_CATEGORIES, process.env['TRACE_CATEGORIES']].filter(Boolean).join(',');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const line = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'domains-table', ...o }));
// Other processes share the cores: every line that times something says how busy the machine was.
const load = () => loadavg().map((l) => Math.round(l * 10) / 10);
const GOAL = { paintMs: 300, frameMs: 50 };

const stats = (d: readonly number[]) => {
  const s = [...d].sort((a, b) => a - b);
  const q = (p: number) => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 10) / 10;
  return { frames: s.length, p50: q(0.5), p95: q(0.95), max: Math.round((s.at(-1) ?? 0) * 10) / 10, over50: s.filter((x) => x > GOAL.frameMs).length };
};

interface Navigation {
  /** Navigation (hash change) to the frame that first shows a domain row. */
  readonly paintMs: number;
  /** Frame deltas from the navigation to 1 s after it. */
  readonly deltas: number[];
  readonly longTasks: number[];
  readonly rowsInDom: number;
}

/** A page of the console and the rows that show it is drawn. */
interface Route {
  readonly hash: string;
  readonly rows: string;
}

const DOMAINS_PAGE: Route = { hash: '#/domains', rows: '[data-testid="domains-scroll"] [role="row"]' };
const MAILBOXES_PAGE: Route = { hash: '#/mailboxes', rows: '[data-testid="mailbox-scroll"] [role="row"]' };

/** Navigates to a page (the Domains page) and records, in the page, when its first row is painted and every frame for 1 s (10 s at most). */
function navigate(page: Page, route: Route = DOMAINS_PAGE): Promise<Navigation> {
  return page.evaluate(
    ({ hash, rows }) =>
      new Promise<Navigation>((done) => {
        const deltas: number[] = [];
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => Math.round(e.duration))));
        observer.observe({ type: 'longtask' });
        let rowSeenAt: number | null = null;
        let paintedAt: number | null = null;
        const t0 = performance.now();
        let last = t0;
        const tick = (now: number) => {
          deltas.push(now - last);
          last = now;
          // The first frame after a row entered the DOM is the one that paints it.
          if (rowSeenAt === null && document.querySelector(rows)) {
            rowSeenAt = now;
            performance.mark('rows-in-dom');
          }
          else if (rowSeenAt !== null && paintedAt === null) paintedAt = now;
          if (now - t0 < 1000 || (paintedAt === null && now - t0 < 10_000)) requestAnimationFrame(tick);
          else {
            observer.disconnect();
            done({ paintMs: Math.round((paintedAt ?? now) - t0), deltas, longTasks, rowsInDom: document.querySelectorAll(rows).length });
          }
        };
        requestAnimationFrame(tick);
        location.hash = hash;
      }),
    route,
  );
}

/**
 * A first visit in a fresh tab (empty stores: the list is read, parsed and drawn for the first time), traced: beside
 * the frame deltas seen in the page, Chromium's own figures (frame drawn, animation frames, main-thread CPU), which
 * the machine's load inflates far less in CPU than in wall time (other processes share these two cores).
 */
async function coldVisit(context: BrowserContext, url: string, route: Route): Promise<ColdVisit> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForSelector('.page-header');
    await page.waitForTimeout(400);
    const cdp = await context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
    if (PROFILE) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.setSamplingInterval', { interval: 100 })).then(() => cdp.send('Profiler.start'));
    await page.evaluate(() => performance.mark('nav'));
    // The services answer in this process: its CPU over the visit is the server's share (the driver's is small).
    const before = process.cpuUsage();
    const nav = await navigate(page, route);
    const used = process.cpuUsage(before);
    const profile = PROFILE ? (await cdp.send('Profiler.stop')).profile : null;
    await cdp.send('Tracing.end');
    await complete;
    if (TRACE_DIR) {
      const name = `${(traced += 1)}-${route.hash.slice(2)}`;
      writeFileSync(join(TRACE_DIR, `${name}.json`), JSON.stringify({ traceEvents: events }));
      // The profile's samples carry the trace's clock: per-frame attribution of script time reads both.
      if (profile) writeFileSync(join(TRACE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    }
    if (profile) console.log(JSON.stringify({ bench: 'domains-table', step: `profile-${route.hash.slice(2)}`, selfMs: topSelfTimes(profile) }));
    return { ...nav, trace: traceFigures(events, 'nav', 'rows-in-dom'), serverCpuMs: Math.round((used.user + used.system) / 100) / 10 };
  } finally {
    await page.close();
  }
}

/** A traced first visit: the page's figures, Chromium's, and the CPU the services (this process) spent meanwhile. */
type ColdVisit = Navigation & { readonly trace: TraceFigures; readonly serverCpuMs: number };

/** One cold visit as a JSON line's fields. */
const visitFields = (visit: ColdVisit) => ({
  paintMs: visit.paintMs,
  rowsInDom: visit.rowsInDom,
  ...stats(visit.deltas),
  longTasks: visit.longTasks,
  trace: visit.trace,
  serverCpuMs: visit.serverCpuMs,
  load: load(),
});

/** Median and maximum of the figures of one page's cold visits: wall time, and the CPU it contains. */
function pageSummary(visits: readonly ColdVisit[]) {
  const spread = (xs: readonly (number | null)[]) => {
    const s = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)] ?? null, max: s.at(-1) ?? null };
  };
  const rowsDrawnMs = spread(visits.map((v) => v.trace.rowsDrawnMs));
  const cpuToRowsMs = spread(visits.map((v) => v.trace.cpuToRowsMs));
  const serverCpuMs = spread(visits.map((v) => v.serverCpuMs));
  const longestFrameWallMs = spread(visits.map((v) => Math.max(v.trace.frames.longestWallMs, stats(v.deltas).max)));
  const longestFrameCpuMs = spread(visits.map((v) => v.trace.frames.longestCpuMs));
  return {
    visits: visits.length,
    rowsDrawnMs,
    cpuToRowsMs,
    serverCpuMs,
    longestFrameWallMs,
    longestFrameCpuMs,
    metWall: (rowsDrawnMs.max ?? Infinity) < GOAL.paintMs && (longestFrameWallMs.max ?? Infinity) <= GOAL.frameMs,
    metCpu: (cpuToRowsMs.max ?? Infinity) < GOAL.paintMs && (longestFrameCpuMs.max ?? Infinity) <= GOAL.frameMs,
  };
}

/** Frame deltas while the Domains table scrolls by `step` px a frame, to its end. */
function scroll(page: Page, step: number): Promise<{ deltas: number[]; longTasks: number[] }> {
  return page.evaluate(
    (px) =>
      new Promise<{ deltas: number[]; longTasks: number[] }>((done) => {
        const el = document.querySelector<HTMLElement>('[data-testid="domains-scroll"]')!;
        el.scrollTop = 0;
        const deltas: number[] = [];
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => Math.round(e.duration))));
        observer.observe({ type: 'longtask' });
        let last = performance.now();
        const tick = (now: number) => {
          deltas.push(now - last);
          last = now;
          el.scrollTop += px;
          if (el.scrollTop + el.clientHeight < el.scrollHeight - 1 && deltas.length < 2000) requestAnimationFrame(tick);
          else {
            observer.disconnect();
            done({ deltas: deltas.slice(1), longTasks });
          }
        };
        requestAnimationFrame(tick);
      }),
    step,
  );
}

/** The scroll, traced: beside the frame deltas, each frame's main-thread CPU, which this machine's load inflates far less than wall time. */
async function tracedScroll(page: Page, step: number) {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { categories: FRAME_TRACE_CATEGORIES, transferMode: 'ReportEvents' });
  await page.evaluate(() => performance.mark('scroll'));
  const { deltas, longTasks } = await scroll(page, step);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const { count, longestCpuMs, p95CpuMs, totalCpuMs, over50Cpu } = traceFigures(events, 'scroll', 'no-rows-mark').frames;
  return { ...stats(deltas), longTasks, cpu: { frames: count, p95Ms: p95CpuMs, maxMs: longestCpuMs, over50: over50Cpu, totalMs: totalCpuMs } };
}

const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-bench-domains-'));
const services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
let t = performance.now();
const added = await services.connections.addPostfixAdmin({ name: 'Head office (PostfixAdmin)', dialect: 'sqlite', path: join(dataDir, 'none.db') });
if (!added.ok) throw new Error(added.error.message);
services.inventory.replace(added.value.id, inventorySnapshot(DOMAINS, MAILBOXES), new Date().toISOString());
line({ step: 'seed', domains: DOMAINS, mailboxes: MAILBOXES, ms: Math.round(performance.now() - t), load: load() });

const serve = (dir: string) => startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: resolve(dir) });
const host = await serve(process.env['RENDERER_DIR'] ?? 'dist/renderer');
// Each other build is served by its own host over the same services and cache.
const compareHosts = await Promise.all(COMPARE_DIRS.map(serve));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
try {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' })).newPage();
  page.on('pageerror', (e) => line({ step: 'pageerror', message: e.message }));
  await page.goto(host.url);
  await page.waitForSelector('.sidebar');
  const paints: number[] = [];
  const maxFrames: number[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    // From the Overview each time: run 1 loads the domain list cold, later runs find it in the store and reload it.
    await page.evaluate(() => (location.hash = '#/overview'));
    await page.waitForSelector('.page-header');
    await page.waitForTimeout(400);
    const nav = await navigate(page);
    paints.push(nav.paintMs);
    maxFrames.push(stats(nav.deltas).max);
    line({ step: 'open-domains', run, domains: DOMAINS, paintMs: nav.paintMs, rowsInDom: nav.rowsInDom, ...stats(nav.deltas), longTasks: nav.longTasks, load: load() });
  }
  // First visits of both pages, alternating, so that both meet the same load.
  const cold: Record<'domains' | 'mailboxes', ColdVisit[]> = { domains: [], mailboxes: [] };
  const compared = COMPARE_DIRS.map((): Record<'domains' | 'mailboxes', ColdVisit[]> => ({ domains: [], mailboxes: [] }));
  const builds = [{ build: 'this', url: host.url, into: cold }, ...compareHosts.map((h, i) => ({ build: COMPARE_DIRS[i]!, url: h.url, into: compared[i]! }))];
  for (let run = 1; run <= COLD_RUNS; run += 1) {
    for (const { build, url, into } of builds) {
      const domains = await coldVisit(page.context(), url, DOMAINS_PAGE);
      into.domains.push(domains);
      line({ step: 'open-domains-cold', build, run, domains: DOMAINS, ...visitFields(domains) });
      const mailboxes = await coldVisit(page.context(), url, MAILBOXES_PAGE);
      into.mailboxes.push(mailboxes);
      line({ step: 'open-mailboxes-cold', build, run, mailboxes: MAILBOXES, ...visitFields(mailboxes) });
    }
  }
  // The same scripted scroll over a static block as tall as the table: what this machine's load costs any page.
  const baseline = await page.evaluate(
    (height) =>
      new Promise<number[]>((done) => {
        const el = document.createElement('div');
        el.style.cssText = 'position:fixed;inset:0;overflow-y:auto;z-index:9999;background:Canvas';
        // Styled through the CSSOM: the console's CSP refuses style attributes in markup.
        const block = document.createElement('div');
        block.style.cssText = `height:${height}px;background:repeating-linear-gradient(#0000 0 51px,#8884 51px 52px)`;
        el.append(block);
        document.body.append(el);
        const deltas: number[] = [];
        let last = performance.now();
        const tick = (now: number) => {
          deltas.push(now - last);
          last = now;
          el.scrollTop += 104;
          if (el.scrollTop + el.clientHeight < el.scrollHeight - 1) requestAnimationFrame(tick);
          else {
            el.remove();
            done(deltas.slice(1));
          }
        };
        requestAnimationFrame(tick);
      }),
    DOMAINS * 52,
  );
  line({ step: 'scroll-baseline', note: 'a static block as tall as the table, no table: the machine', pxPerFrame: 104, ...stats(baseline) });
  // Every build's table scrolled the same way, each in a tab of its own, so that a change to the rows is seen in
  // scrolling beside the build before it; SCROLL_RUNS rounds, each begun by another build, so that none always goes first.
  for (let round = 1; round <= SCROLL_RUNS; round += 1) for (const { build, url } of [...builds.slice(round % builds.length), ...builds.slice(0, round % builds.length)]) {
    const tab = await page.context().newPage();
    await tab.goto(url);
    await tab.waitForSelector('.sidebar');
    await navigate(tab);
    for (const [name, step] of [['scroll-smooth', 104], ['scroll-fast', 2600]] as const) line({ step: name, build, round, pxPerFrame: step, ...(await tracedScroll(tab, step)), load: load() });
    await tab.close();
  }
  t = performance.now();
  await page.locator('#global-filter').fill('client99');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="domains-scroll"] [role="row"]')].every((r) => r.textContent?.includes('client99')));
  line({ step: 'filter-in-ui', query: 'client99', ms: Math.round(performance.now() - t) });
  const sorted = [...paints].sort((a, b) => a - b);
  line({ step: 'warm-summary', paintMsMedian: sorted[Math.floor(sorted.length / 2)], paintMsMax: sorted.at(-1), maxFrameMs: Math.max(...maxFrames) });
  line({ step: 'summary', goal: GOAL, domains: pageSummary(cold.domains), mailboxes: pageSummary(cold.mailboxes), load: load() });
  compared.forEach((c, i) => line({ step: 'summary-compare', build: COMPARE_DIRS[i], domains: pageSummary(c.domains), mailboxes: pageSummary(c.mailboxes), load: load() }));
} finally {
  await browser.close();
  await host.close();
  await Promise.all(compareHosts.map((h) => h.close()));
  services.close();
  rmSync(dataDir, { recursive: true, force: true });
}
