import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Services } from '../../../electron/app/compose.ts';
import { startLoopbackHost, type LoopbackHost } from '../../../electron/host/loopback-host.ts';
import { createMemoryLogger } from '../../../electron/platform/logger.ts';

/** The built renderer the loopback host serves: RENDERER_DIR, else dist/renderer. */
export const RENDERER_DIR = resolve(process.env['RENDERER_DIR'] ?? 'dist/renderer');

/** Chromium flags for headless runs in a container. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Fails with the build command when the renderer has not been built into RENDERER_DIR. */
export function assertRendererBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html is missing: build the renderer first with \`vite build --config renderer/vite.config.ts\` (npm run test:e2e does).`);
  }
}

/** The console served over the loopback host and one page open on it in Debian's Chromium. */
export interface ConsoleSession {
  readonly host: LoopbackHost;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the browser, then the host; the caller still owns the services. */
  close(): Promise<void>;
}

/** Starts the loopback host over `services` and opens a light-scheme page in Chromium (not navigated yet). */
export async function openConsole(services: Services, options: { readonly context?: BrowserContextOptions; readonly permissions?: readonly string[]; readonly command?: string } = {}): Promise<ConsoleSession> {
  const host = await startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: RENDERER_DIR, ...(options.command ? { command: options.command } : {}) });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ colorScheme: 'light', ...options.context });
    if (options.permissions) await context.grantPermissions([...options.permissions], { origin: new URL(host.url).origin });
    const page = await context.newPage();
    const opened = browser;
    return {
      host,
      browser,
      context,
      page,
      close: async () => {
        await opened.close();
        await host.close();
      },
    };
  } catch (error) {
    // A half-open session would outlive the suite: the caller never gets a handle to close it.
    await browser?.close();
    await host.close();
    throw error;
  }
}

/** Appends uncaught page errors to `errors`, and console errors too unless `console` is false. */
export function recordPageErrors(page: Page, errors: string[], options: { readonly console?: boolean } = {}): void {
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.console === false) return;
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
}

/** Appends every HTTP response body to `received`, and every WebSocket frame too when `websockets` is set. */
export function recordTraffic(page: Page, received: string[], options: { readonly websockets?: boolean } = {}): void {
  page.on('response', (response) => void response.text().then((text) => received.push(text), () => undefined));
  if (options.websockets) page.on('websocket', (ws) => ws.on('framereceived', (frame) => received.push(String(frame.payload))));
}

/** Waits until every CSS transition on the page has ended, so a screenshot shows the settled theme. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
}
