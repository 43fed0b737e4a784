import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../electron/app/compose.ts';
import { createMemoryLogger } from '../../electron/platform/logger.ts';
import type { AuditPage } from '../../shared/domain/audit.ts';
import type { ConnectionSummary } from '../../shared/domain/connection.ts';
import type { CachedDomain } from '../../shared/domain/inventory.ts';
import type { CustomerSummary, StandardEvaluation } from '../../shared/domain/standards.ts';
import type { StorageSummary } from '../../shared/domain/storage.ts';
import { formatBytes } from '../../renderer/lib/bytes.ts';
import { MemoryVault } from '../fakes/memory-vault.ts';
import { createTestDatabase, type TestDatabase } from '../integration/provisioning/support/databases.ts';
import { testServers } from '../support/servers.ts';
import { assertRendererBuilt, openConsole, recordPageErrors, settled, type ConsoleSession } from './support/console-session.ts';
import { routerCall } from './support/router-call.ts';
import { SCHEMES, showScheme } from './support/schemes.ts';

const WAIT = { timeout: 30_000 };

// Issue 13 (an Overview with counts per customer and platform, health, drift and running migrations) and issue 14 item 1
// (connections and their domains grouped by MSP customer): two real PostfixAdmin databases (SQLite) put under two
// customers from the Connections page, then every per-customer figure on the Overview read back from the services.
describe('Customers on the Connections page and the Overview', () => {
  const servers = testServers();
  const dbs: TestDatabase[] = [];
  let dataDir: string;
  let services: Services;
  let session: ConsoleSession;
  let page: Page;
  const ids: Record<'acme' | 'birch', string> = { acme: '', birch: '' };
  const pageErrors: string[] = [];
  const value = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const r = (await services.router.dispatch(channel, args)) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value;
  };

  /** A PostfixAdmin database with these domains and mailboxes, Dovecot's quota2 usage written as its dict would. */
  const site = async (call: ReturnType<typeof routerCall>, name: string, domains: readonly string[], users: readonly string[], bytes: number): Promise<string> => {
    const db = await createTestDatabase('sqlite');
    dbs.push(db);
    const id = (await call('connections.addPostfixAdmin', [{ name, dialect: 'sqlite', path: db.target.path! }])).id;
    for (const d of domains) await call('domains.create', [id, { name: d }]);
    for (const u of users) await call('mailboxes.create', [id, { address: u, password: 'Initial-pw-123', displayName: u.split('@')[0]! }]);
    const sql = new Database(db.target.path!);
    const put = sql.prepare('INSERT INTO quota2 (username, bytes, messages) VALUES (?, ?, 1)');
    users.forEach((u, i) => put.run(u, bytes * (i + 1)));
    sql.close();
    const refreshed = await services.provisioning.refresh(id);
    if (!refreshed.ok) throw new Error(refreshed.error.message);
    return id;
  };

  beforeAll(async () => {
    assertRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-e2e-customers-'));
    const dnsServers = servers.dns ? [`${servers.dns.host}:${servers.dns.port}`] : [];
    services = composeServices({ dataDir, vault: new MemoryVault(), logger: createMemoryLogger(), transport: 'loopback', dnsServers });
    const call = routerCall(services);
    ids.acme = await site(call, 'Acme mail', ['acme.test', 'acme-shop.test'], ['ana@acme.test', 'bo@acme.test', 'cy@acme-shop.test'], 3_000_000);
    ids.birch = await site(call, 'Birch mail', ['birch.test'], ['di@birch.test'], 7_000_000);
    await site(call, 'Loose box', ['loose.test'], ['ed@loose.test'], 1_000_000);
    session = await openConsole(services, { context: { viewport: { width: 1440, height: 1000 } } });
    page = session.page;
    recordPageErrors(page, pageErrors);
    await page.goto(session.host.url);
    await page.waitForSelector('.sidebar');
  });

  afterAll(async () => {
    await session?.close();
    services?.close();
    for (const db of dbs) await db.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Assigns a customer from the connection's row, by keyboard only; the service holds it and journals it. */
  const assign = async (connection: string, customer: string): Promise<void> => {
    await page.getByRole('button', { name: `Set the customer of ${connection}` }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Customer of “${connection}”` });
    await expect.poll(() => dialog.isVisible(), WAIT).toBe(true);
    await page.keyboard.type(customer);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count(), WAIT).toBe(0);
  };

  it('puts two connections under two customers from the Connections page, journaled, with the customer column', async () => {
    await page.evaluate(() => (location.hash = '#/connections'));
    await expect.poll(() => page.getByRole('button', { name: 'Set the customer of Acme mail' }).isVisible(), WAIT).toBe(true);
    await assign('Acme mail', 'Acme');
    await assign('Birch mail', 'Birch');
    const customers = await value<readonly CustomerSummary[]>('standards.customers');
    expect(customers.find((c) => c.name === 'Acme')?.connections).toEqual(['Acme mail']);
    expect(customers.find((c) => c.name === 'Birch')?.connections).toEqual(['Birch mail']);
    const held = await value<readonly ConnectionSummary[]>('connections.list');
    expect(held.map((c) => [c.name, c.customer ?? null])).toEqual([['Acme mail', 'Acme'], ['Birch mail', 'Birch'], ['Loose box', null]]);
    const table = page.getByRole('table', { name: 'Connections' });
    await expect.poll(() => table.getByRole('row', { name: /Acme mail/ }).innerText(), WAIT).toContain('Acme');
    expect(await table.getByRole('row', { name: /Loose box/ }).innerText()).toContain('None');
    const journal = await value<AuditPage>('audit.list', { limit: 20 });
    const assigned = journal.entries.filter((e) => e.action === 'standards.assignCustomer' && e.result === 'ok');
    const journaled = new Map(assigned.map((e) => [(e.after as { customer?: string }).customer, e.connectionId]));
    expect([...journaled].sort()).toEqual([['Acme', ids.acme], ['Birch', ids.birch]]);
    // "unassigned" is the name shown for none: the dialog refuses it before the service would.
    await page.getByRole('button', { name: 'Set the customer of Loose box' }).click();
    const dialog = page.getByRole('dialog', { name: 'Customer of “Loose box”' });
    await dialog.getByLabel('Customer').fill('Unassigned');
    expect(await dialog.getByRole('button', { name: 'Assign customer' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), WAIT).toBe(0);
  });

  it('evaluates the default standard so the Overview has drift to show', async () => {
    const evaluation = await value<StandardEvaluation>('standards.evaluate', 'email baseline', {});
    expect(evaluation.evaluated).toBe(4);
  });

  for (const scheme of SCHEMES) {
    it(`shows each customer's domains, mailboxes, storage, health, drift and migrations as the services count them (${scheme})`, async () => {
      await showScheme(page, scheme);
      await page.evaluate(() => (location.hash = '#/overview'));
      const card = page.getByRole('region', { name: 'Per customer' });
      await expect.poll(() => card.isVisible(), WAIT).toBe(true);
      const domains = await value<readonly CachedDomain[]>('domains.list', {});
      const storage = await value<StorageSummary>('storage.summary');
      const latest = await value<StandardEvaluation | null>('standards.latest', 'email baseline', {});
      const customers = await value<readonly CustomerSummary[]>('standards.customers');
      const expectations = [
        { name: 'Acme', label: 'Acme', connections: [ids.acme] },
        { name: 'Birch', label: 'Birch', connections: [ids.birch] },
        { name: 'unassigned', label: 'Unassigned', connections: (await value<readonly ConnectionSummary[]>('connections.list')).filter((c) => !c.customer).map((c) => c.id) },
      ];
      expect(expectations[2]!.connections).toHaveLength(1);
      const groups = card.locator('tr[data-customer]');
      await expect.poll(() => groups.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer'))), WAIT).toEqual(expectations.map((e) => e.name));
      for (const e of expectations) {
        const row = card.locator(`tr[data-customer="${e.name}"]`);
        const mine = domains.filter((d) => e.connections.includes(d.connectionId));
        const used = storage.platforms.filter((p) => e.connections.includes(p.connectionId)).reduce((n, p) => n + p.usedBytes, 0);
        expect(used).toBeGreaterThan(0);
        expect(mine.length).toBe(customers.find((c) => c.name === e.name)?.domains);
        const drift = latest!.deviations.filter((d) => d.customer === e.name).length;
        await expect.poll(() => figure(row, 'domains'), WAIT).toBe(String(mine.length));
        expect(await figure(row, 'mailboxes')).toBe(String(mine.reduce((n, d) => n + (d.mailboxCount ?? 0), 0)));
        expect(await figure(row, 'storage')).toBe(formatBytes(used));
        expect(await figure(row, 'drift')).toBe(drift.toLocaleString('en-US'));
        expect(await figure(row, 'migrations')).toBe('0');
        const text = await row.innerText();
        expect(text).toContain(e.label);
        expect(text).toContain(`Alignment ${latest!.score[e.name]} / 100`);
        // The refresh probed the platform, which counts as its last test.
        expect(text).toContain('1 test passing');
      }
      expect(latest!.deviations.length).toBeGreaterThan(0);
      expect(await card.getByRole('row', { name: /PostfixAdmin \(1\)/ }).count()).toBe(3);
      expect(await card.innerText()).toContain(`Drift: ${latest!.deviations.length} deviation${latest!.deviations.length === 1 ? '' : 's'} in the latest evaluation of “email baseline”`);
      const download = page.waitForEvent('download');
      await card.getByRole('button', { name: 'Drift data (CSV)' }).click();
      const csv = await (await download).createReadStream();
      const text = await new Promise<string>((resolve) => {
        let s = '';
        csv.on('data', (b: Buffer) => (s += b.toString()));
        csv.on('end', () => resolve(s));
      });
      expect(text.trim().split(/\r?\n/)).toHaveLength(latest!.deviations.length + 1);
      await settled(page);
      await page.screenshot({ path: `/tmp/mailroom-overview-customers-${scheme}.png`, fullPage: true });
    });
  }

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});

/** The text of one figure cell of a customer's line. */
function figure(row: Locator, name: string): Promise<string> {
  return row.locator(`[data-figure="${name}"]`).innerText();
}
