import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ImapFlow } from 'imapflow';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { startLoopbackHost, type LoopbackHost } from '../../electron/host/loopback-host.ts';
import { KeychainVault } from '../../electron/platform/keychain-vault.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { addImapUser, testServers, type TestServers } from '../support/servers.ts';

const RENDERER_DIR = resolve('dist/renderer');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// The fixture certificate names "localhost", which resolves to the 127.0.0.1 Dovecot listens on.
const HOST = 'localhost';
const SEED = { INBOX: 24, Projects: 12 } as const;
const TOTAL = SEED.INBOX + SEED.Projects;

// One admin session: plan from a pasted CSV, run the batch, watch it finish clean, then check Dovecot itself.
describe('Migrations in Chromium over the loopback host, against the real Dovecot', () => {
  let servers: TestServers;
  let dataDir: string;
  let vault: KeychainVault;
  let services: Services;
  let host: LoopbackHost;
  let browser: Browser;
  let page: Page;
  const source = account('e2e-src');
  const target = account('e2e-dst');
  const received: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`${RENDERER_DIR}/index.html is missing: build the renderer first (npm run test:e2e does).`);
    servers = testServers();
    addImapUser(servers, source.user, source.password);
    addImapUser(servers, target.user, target.password);
    await seed(servers, source);
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-migrations-'));
    vault = new KeychainVault(`Mailroom-e2e-${randomUUID()}`);
    services = composeServices({ dataDir, vault, logger: createMemoryLogger(), transport: 'loopback' });
    host = await startLoopbackHost({ router: services.router, events: services.events, logger: createMemoryLogger(), rendererDir: RENDERER_DIR });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1360, height: 1100 }, acceptDownloads: true, colorScheme: 'light' });
    page = await context.newPage();
    page.on('response', (response) => void response.text().then((text) => received.push(text), () => undefined));
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => received.push(String(frame.payload))));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    services?.close();
    for (const entry of (await vault?.list().catch(() => [])) ?? []) await vault.delete(entry);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on a clear empty state', async () => {
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Migrations' }).click();
    await expect.poll(() => page.getByText('No migration plans yet — import a CSV of mailbox pairs or pick two connections.').isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/mailroom-migrations-empty.png' });
  });

  it('checks a pasted CSV line by line, then plans from it with an inventory of the real source', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'New migration plan' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const box = dialog.getByLabel('Mailbox pairs (CSV)');
    await box.fill(`source,target\nimaps://${source.user}@${HOST}\n`);
    await expect.poll(() => dialog.getByRole('list', { name: 'Lines with problems' }).innerText()).toContain('Line 2');
    expect(await dialog.getByRole('button', { name: /Create plan/ }).isDisabled()).toBe(true);

    await dialog.getByLabel('Plan name').fill('E2E Dovecot move');
    await box.fill(`source,target,source_password,target_password\n${url(source)},${url(target)},${source.password},${target.password}\n`);
    await expect.poll(() => dialog.getByText('1 pair ready').isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/mailroom-migrations-new-plan.png' });
    await dialog.getByRole('button', { name: 'Create plan and take inventory' }).click();

    await expect.poll(() => page.getByRole('heading', { name: 'E2E Dovecot move', level: 1 }).isVisible(), { timeout: 30_000 }).toBe(true);
    const summary = page.getByRole('group', { name: 'Plan summary' });
    await expect.poll(() => summary.innerText()).toContain(String(TOTAL));
    const row = page.getByRole('row', { name: new RegExp(`${escape(source.user)}|${escape(encodeURIComponent(source.user))}`) }).first();
    expect(await row.innerText()).toContain(String(TOTAL));
    expect(await page.getByRole('list', { name: 'DNS cut-over timeline' }).innerText()).toMatch(/Lower the MX TTL[\s\S]*Switch MX to the target[\s\S]*Delta pass/);
    await page.screenshot({ path: '/tmp/mailroom-migrations-plan.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/mailroom-migrations-plan-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('runs the batch in one click and shows progress reach 100 % with a clean verification', async () => {
    await page.getByRole('button', { name: 'Run batch' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Batch · E2E Dovecot move' }).isVisible(), { timeout: 15_000 }).toBe(true);
    const overall = page.getByRole('region', { name: 'Overall progress' });
    await expect.poll(() => overall.innerText(), { timeout: 60_000 }).toContain('100 %');
    await expect.poll(() => page.getByRole('status', { name: 'Verification' }).innerText(), { timeout: 60_000 }).toContain('Verified clean');
    expect(await overall.innerText()).toContain(`${TOTAL} of ${TOTAL} messages`);

    const pairRow = page.getByRole('row').filter({ hasText: 'Clean' }).first();
    await pairRow.getByRole('button', { name: /^Report for / }).click();
    const report = page.getByRole('region', { name: /^Verification of / });
    await expect.poll(() => report.innerText()).toContain('every message accounted for');
    for (const [folder, n] of Object.entries(SEED)) {
      const folderRow = report.getByRole('row', { name: `Folder ${folder}` });
      expect((await folderRow.innerText()).replace(/\s+/g, ' ')).toMatch(new RegExp(`${folder} ${n} ${n} ${n} 0 0 Clean`));
    }
    await page.screenshot({ path: '/tmp/mailroom-migrations-batch.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/mailroom-migrations-batch-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('Projects');
    expect(csv).not.toContain(source.password);
  });

  it('left every message on the target Dovecot, once', async () => {
    const client = new ImapFlow({ host: HOST, port: servers.imap.imapsPort, secure: true, auth: { user: target.user, pass: target.password }, logger: false });
    await client.connect();
    try {
      for (const [folder, n] of Object.entries(SEED)) {
        const status = await client.status(folder, { messages: true });
        expect(status && status.messages, folder).toBe(n);
      }
      const lock = await client.getMailboxLock('Projects');
      try {
        const subjects: string[] = [];
        for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
        expect(new Set(subjects).size).toBe(SEED.Projects);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('verifies the finished batch again from its Verify action, by content, copying nothing', async () => {
    const batchId = services.migration.listBatches()[0]!.id;
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const passes = (): number[] => {
      const b = services.migration.getBatch(batchId);
      return b.ok && b.value.status === 'done' ? b.value.pairs.map((p) => p.passes) : [];
    };
    await expect.poll(passes, { timeout: 60_000 }).toEqual([2]);
    const b = services.migration.getBatch(batchId);
    expect(b.ok && b.value.failed).toBe(0);
    await expect.poll(() => page.getByRole('status', { name: 'Verification' }).innerText(), { timeout: 60_000 }).toContain('Verified clean');
  });

  it('lists the finished batch, never echoes a password, and raised no page error', async () => {
    await page.getByRole('link', { name: 'All migrations' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: /Batch E2E Dovecot move, Done/ }).isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/mailroom-migrations-list.png' });
    const text = await page.evaluate(() => document.body.innerText + JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    for (const secret of [source.password, target.password]) {
      expect(text).not.toContain(secret);
      expect(received.filter((body) => body.includes(secret))).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
  });
});

function account(prefix: string): { user: string; password: string } {
  return { user: `${prefix}-${randomBytes(4).toString('hex')}@example.test`, password: randomBytes(12).toString('base64url') };
}

function url(a: { user: string }): string {
  return `imaps://${encodeURIComponent(a.user)}@${HOST}:${testServers().imap.imapsPort}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function seed(servers: TestServers, a: { user: string; password: string }): Promise<void> {
  const client = new ImapFlow({ host: HOST, port: servers.imap.imapsPort, secure: true, auth: { user: a.user, pass: a.password }, logger: false });
  await client.connect();
  try {
    await client.mailboxCreate('Projects').catch(() => undefined);
    for (const [folder, n] of Object.entries(SEED)) {
      for (let i = 0; i < n; i += 1) {
        const date = new Date(Date.UTC(2024, 0, 1 + i, 9, 30));
        const body = [
          `From: Sender ${i} <sender${i}@old.example>`,
          `To: ${a.user}`,
          `Subject: ${folder} message ${i}`,
          `Date: ${date.toUTCString()}`,
          `Message-ID: <${folder.toLowerCase()}-${i}-${randomBytes(4).toString('hex')}@old.example>`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          '',
          `Body of ${folder} message ${i}.`,
          'x'.repeat(200 + i * 37),
          '',
        ].join('\r\n');
        await client.append(folder, body, i % 3 === 0 ? ['\\Seen'] : [], date);
      }
    }
  } finally {
    await client.logout();
  }
}
