import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { createTestDatabase, type TestDatabase } from '../integration/provisioning/support/databases.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, type ConsoleSession } from './support/console-session.ts';
import { routerCall } from './support/router-call.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const GIB = 1024 ** 3;

// Finding 6 through the console's import dialog, on a real PostfixAdmin database (SQLite) read back after the apply:
// a blank cell keeps the value, "-" or "none" clears it, and the dry run says which.
describe.each(SCHEMES)('import: blank keeps, - or none clears, %s', (scheme) => {
  let db: TestDatabase;
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const pageErrors: string[] = [];
  const mailbox = (address: string) => {
    const sqlite = new Database(db.target.path!, { readonly: true });
    try {
      return sqlite.prepare('SELECT name, quota FROM mailbox WHERE username = ?').get(address) as { name: string; quota: number };
    } finally {
      sqlite.close();
    }
  };

  beforeAll(async () => {
    assertRendererBuilt();
    db = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-import-'));
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback' });
    const call = routerCall(services);
    const id = (await call('connections.addPostfixAdmin', [{ name: 'Self-hosted', dialect: 'sqlite', path: db.target.path! }])).id;
    await call('domains.create', [id, { name: 'example.test' }]);
    await call('mailboxes.create', [id, { address: 'keep@example.test', password: 'Initial-pw-123', displayName: 'Keep Me', quotaBytes: GIB }]);
    await call('mailboxes.create', [id, { address: 'clear@example.test', password: 'Initial-pw-123', displayName: 'Clear Me', quotaBytes: GIB }]);
    await call('domains.refresh', [id]);
    session = await openConsole(services, { context: { viewport: { width: 1400, height: 950 }, colorScheme: scheme } });
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await showScheme(page, scheme);
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows in the dry run that blank cells keep and - or none clear, then writes exactly that', async () => {
    const before = mailbox('keep@example.test');
    expect(before.quota).toBeGreaterThan(0);
    await page.evaluate(() => (location.hash = '#/mailboxes'));
    // Waits for the table itself, however long a loaded machine takes to draw it.
    await page.locator('.vtable__row[aria-label="keep@example.test"]').waitFor();
    await page.getByRole('button', { name: 'Import / export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import and export mailboxes' });
    expect(await dialog.innerText()).toContain('A blank cell leaves the value as it is; - or none clears it');
    const csv = 'address,display_name,quota_mb\nkeep@example.test,,\nclear@example.test,-,none\n';
    await dialog.locator('#csv-file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const diff = dialog.getByRole('region', { name: 'Dry run' });
    await diff.waitFor();
    const text = await diff.innerText();
    expect(text).toContain('1 to change');
    expect(text).toContain('1 unchanged');
    expect(text).toContain('0 errors');
    expect(text).not.toContain('keep@example.test');
    expect(text).toMatch(/clear@example\.test[\s\S]*quota 1\.07 GB → unlimited/); // 1 GiB in decimal GB, as the console shows sizes
    await page.screenshot({ path: `/tmp/mailroom-import-blanks-${scheme}.png` });
    await dialog.getByRole('button', { name: 'Apply 1 changes' }).click();
    await expect.poll(() => mailbox('clear@example.test').quota, { timeout: 20_000 }).toBe(0);
    expect(mailbox('clear@example.test').name).toBe('');
    expect(mailbox('keep@example.test')).toEqual(before);
    expect(before.name).toBe('Keep Me');
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
