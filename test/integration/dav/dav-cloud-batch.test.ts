import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { openSavedCloudSide, parseCloudSide, type CloudSide } from '../../../electron/dav/cloud-side.ts';
import { canonicalForm, ignoring } from '../../../electron/dav/dav-canonical.ts';
import { openDavAccount, type DavAccount } from '../../../electron/dav/dav-client.ts';
import { copyAccounts } from '../../../electron/dav/dav-job.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { MigrationBatch, MigrationMailboxReport, MigrationPlan } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import type { GoogleFake } from '../../fakes/google/google-fake.ts';
import { startDelegatedGoogle } from '../../support/google-delegated.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { MicrosoftFake } from '../../fakes/microsoft/microsoft-fake.ts';
import { generateContacts, generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';
import { issueCert } from '../dns/dns-fixtures.ts';
import { compareMailboxes } from '../migration/compare.ts';
import { endpointFor, freshUser, servers } from '../migration/support.ts';

// A Google Workspace mailbox moving to Microsoft 365: mail over IMAP (Dovecot on both sides here),
// calendars and contacts through each saved connection's delegation (the vendor fakes).
const SA = 'batch@project.iam.gserviceaccount.com';
const GUSER = 'gina@example.org';
const MUSER = 'gina@contoso.test';
let src: { user: string; password: string };
let dst: { user: string; password: string };
let radicale: RadicaleServer;
let google: GoogleFake;
let microsoft: MicrosoftFake;
let services: Services;
let dataDir: string;

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const r = (await services.router.dispatch(channel, args)) as Result<T>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function cloud(text: string): Promise<DavAccount> {
  const opened = await openSavedCloudSide(services.connections, parseCloudSide(text) as CloudSide);
  if (typeof opened === 'string') throw new Error(opened);
  return opened;
}

async function waitForBatch(id: string, until: (b: MigrationBatch) => boolean): Promise<MigrationBatch> {
  let batch = await call<MigrationBatch>('migration.getBatch', id);
  for (const end = Date.now() + 150_000; !until(batch) && Date.now() < end; ) {
    await new Promise((r) => setTimeout(r, 200));
    batch = await call<MigrationBatch>('migration.getBatch', id);
  }
  return batch;
}

beforeAll(async () => {
  src = freshUser('davcloudsrc');
  dst = freshUser('davclouddst');
  await seedMailbox(endpointFor(src), loadCorpus(8));
  dataDir = mkdtempSync(join(tmpdir(), 'mr-dav-cloud-batch-'));
  services = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });

  const delegated = await startDelegatedGoogle(SA, [GUSER]);
  google = delegated.google;
  const { base: gBase, serviceAccountJson } = delegated;
  const gw = await services.connections.addGoogle({ name: 'gw', adminEmail: 'admin@example.org', rootUrl: `${gBase}/`, serviceAccountJson });
  expect(gw.ok).toBe(true);

  // msal talks HTTPS only: a certificate from the test CA (NODE_EXTRA_CA_CERTS under mr-itest).
  const issued = issueCert('mr-dav-cloud-batch', ['IP:127.0.0.1']);
  microsoft = new MicrosoftFake({ tenant: 'batch-tenant', clientId: 'batch-client', secret: 'batch-secret', tls: { key: readFileSync(issued.key, 'utf8'), cert: readFileSync(issued.cert, 'utf8') } });
  microsoft.graph.domains.set('contoso.test', { id: 'contoso.test', isVerified: true, isDefault: true });
  microsoft.graph.seedUser(MUSER);
  const msBase = await microsoft.server.start();
  const ms = await services.connections.addMicrosoft({ name: 'ms', tenantId: 'batch-tenant', clientId: 'batch-client', clientSecret: 'batch-secret', authorityHost: msBase, graphBaseUrl: msBase });
  expect(ms.ok).toBe(true);

  // The Google user's calendars and contacts, put there the way an admin's earlier move would (Radicale → Google).
  radicale = await startRadicale([{ user: 'seed', password: 'seed-pw' }]);
  await seedCollection(radicale, 'seed', 'seed-pw', { kind: 'calendar', name: 'work', displayName: 'Work', components: ['VEVENT'], items: generateEvents(30, 'America/New_York', 'gw').filter((_, i) => i % 10 !== 9) });
  await seedCollection(radicale, 'seed', 'seed-pw', { kind: 'addressbook', name: 'people', displayName: 'People', items: generateContacts(9, 'gp') });
  const seeded = await copyAccounts(services.db, { source: await openDavAccount({ url: radicale.url, user: 'seed', password: 'seed-pw' }), target: await cloud(`google:gw/${GUSER}`) }, { calendars: true, contacts: true });
  expect(seeded.failures).toEqual([]);
  services.migration.start();
}, 180_000);

afterAll(async () => {
  await services?.migration.shutdown();
  services?.close();
  await google?.server.close();
  await microsoft?.server.close();
  await radicale?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a Google Workspace mailbox moves to Microsoft 365 with its calendars and contacts', () => {
  const imap = (u: string) => `imap+plain://${encodeURIComponent(u)}@127.0.0.1:${servers().imap.port}`;
  const csvOf = (sourceDav: string, targetDav: string) => ['source,target,source_password,target_password,source_dav,target_dav', `${imap(src.user)},${imap(dst.user)},${src.password},${dst.password},${sourceDav},${targetDav}`].join('\n');

  it('the plan counts and sizes the Google calendars and contacts beside the folders (view and CSV); one batch moves all, read back from Graph', async () => {
    const plan = await call<MigrationPlan>('migration.createPlanFromCsv', { csv: csvOf(`google:gw/${GUSER}`, `m365:ms/${MUSER}`), preset: 'dovecot' });
    const row = plan.rows[0]!;
    expect(row.estimate?.messages).toBe(8);
    expect(row.dav?.error).toBeNull();
    // The judge is the Google fake's own store: every calendar (the user's primary one too) with its events, and the people.
    const google = await cloud(`google:gw/${GUSER}`);
    const expected = await Promise.all((await google.collections()).map(async (c) => ({ name: c.displayName, items: await google.items(c) })));
    expect(Object.fromEntries(row.dav!.collections.map((c) => [c.displayName, [c.items, c.bytes]]))).toEqual(Object.fromEntries(expected.map((c) => [c.name, [c.items.length, c.items.reduce((n, i) => n + Buffer.byteLength(i.data), 0)]])));
    expect(row.dav!.collections.find((c) => c.displayName === 'Work')?.items).toBe(27);
    expect(row.dav!.collections.find((c) => c.kind === 'addressbook')?.items).toBe(9);

    const csv = parse(await call<string>('migration.exportPlanCsv', plan.id), { columns: true }) as Record<string, string>[];
    const work = row.dav!.collections.filter((c) => c.kind === 'calendar');
    expect(csv[0]).toMatchObject({ messages: '8', calendars: String(work.length), calendar_items: String(work.reduce((n, c) => n + c.items, 0)), address_books: '1', contacts: '9' });
    expect(Number(csv[0]!['contact_bytes'])).toBeGreaterThan(9 * 100);

    const started = await call<MigrationBatch>('migration.startBatch', plan.id, {});
    const batch = await waitForBatch(started.id, (b) => ['done', 'failed', 'cancelled'].includes(b.status));
    const report = await call<MigrationMailboxReport>('migration.report', started.id, 0);
    expect(batch.status, JSON.stringify([batch.pairs.map((p) => [p.status, p.error]), report.dav?.failures.slice(0, 3), report.failures.slice(0, 3)])).toBe('done');
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], 8]);

    expect(report.dav?.complete).toBe(true);
    expect(report.dav?.source).toContain(GUSER);
    const byName = new Map(report.dav!.collections.map((c) => [c.sourceName, c]));
    expect(byName.get('Work')).toMatchObject({ sourceCount: 27, copied: 27, failed: 0 });
    expect(byName.get('People')?.copied ?? report.dav!.collections.find((c) => c.kind === 'addressbook')?.copied).toBe(9);
    // Graph's store holds each Google event once, in the calendar the copy made for it, compared in canonical form as Graph holds it.
    const graph = await cloud(`m365:ms/${MUSER}`);
    const ignore = ignoring(graph.stamps ?? []);
    for (const source of (await google.collections()).filter((c) => c.displayName === 'Work')) {
      const line = byName.get('Work')!;
      const back = new Set((await graph.items({ ...source, url: line.targetUrl })).map((i) => canonicalForm(i.data, ignore)));
      const items = await google.items(source);
      expect(back.size).toBe(items.length);
      for (const item of items) expect(back.has(canonicalForm(graph.adapt!(source.kind, item.data, line.targetUrl), ignore)), item.url).toBe(true);
    }
    expect(microsoft.calendar.calendars(MUSER).find((c) => c.name === 'Work')?.items.size).toBeGreaterThanOrEqual(27);

    // A second batch of the same plan copies no calendar item again: the change tags are those of the clean pass.
    const again = await call<MigrationBatch>('migration.startBatch', plan.id, {});
    expect((await waitForBatch(again.id, (b) => ['done', 'failed', 'cancelled'].includes(b.status))).status).toBe('done');
    const second = await call<MigrationMailboxReport>('migration.report', again.id, 0);
    expect(second.dav?.collections.reduce((n, c) => n + c.copied, 0)).toBe(0);
  }, 240_000);

  it('a plan naming an unknown or mismatched connection is refused in one line, before anything is planned', async () => {
    await expect(call('migration.createPlanFromCsv', { csv: csvOf(`google:nope/${GUSER}`, `m365:ms/${MUSER}`), preset: 'dovecot' })).rejects.toThrow(/^input\.invalid: Row 1, source_dav: no saved connection "nope"/);
    await expect(call('migration.createPlanFromCsv', { csv: csvOf(`google:gw/${GUSER}`, `m365:gw/${MUSER}`), preset: 'dovecot' })).rejects.toThrow(/target_dav: "gw" is a google connection, not Microsoft 365/);
    await expect(call('migration.createPlanFromCsv', { csv: csvOf('google:gw', `m365:ms/${MUSER}`), preset: 'dovecot' })).rejects.toThrow(/names no user/);
  });
});
