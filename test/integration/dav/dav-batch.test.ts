import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { MigrationBatch, MigrationMailboxReport, MigrationPlan } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { generateContacts, generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';
import { compareMailboxes } from '../migration/compare.ts';
import { endpointFor, freshUser, runMigrateCli, servers } from '../migration/support.ts';

// Each side's mail on Dovecot; its calendars on Radicale under another user name with the same password.
let src: { user: string; password: string };
let dst: { user: string; password: string };
let radicale: RadicaleServer;
let services: Services;
let dataDir: string;

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const r = (await services.router.dispatch(channel, args)) as Result<T>;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

// UIDs of the items Radicale stores in a collection, read from its own folder.
function storedUids(user: string, collection: string): string[] {
  return storedItems(radicale, user, collection).map((i) => /^UID:(.*)$/m.exec(i.text)?.[1]?.trim() ?? `no uid in ${i.name}`).sort();
}

beforeAll(async () => {
  src = freshUser('davbsrc');
  dst = freshUser('davbdst');
  radicale = await startRadicale([{ user: 'carol', password: src.password }, { user: 'dave', password: dst.password }]);
  await seedMailbox(endpointFor(src), loadCorpus(15));
  await seedCollection(radicale, 'carol', src.password, { kind: 'calendar', name: 'work', displayName: 'Work', components: ['VEVENT', 'VTODO'], items: generateEvents(25, 'Europe/Berlin', 'wk') });
  await seedCollection(radicale, 'carol', src.password, { kind: 'addressbook', name: 'people', displayName: 'People', items: generateContacts(10) });
  dataDir = mkdtempSync(join(tmpdir(), 'mr-dav-batch-'));
  services = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
  services.migration.start();
}, 180_000);

afterAll(async () => {
  await services?.migration.shutdown();
  services?.close();
  await radicale?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a batch moves mail, calendars and contacts', () => {
  it('plans the DAV collections beside the folders, then copies both, each read back from its server', async () => {
    const imap = (u: string) => `imap+plain://${encodeURIComponent(u)}@127.0.0.1:${servers().imap.port}`;
    const dav = (u: string) => radicale.url.replace('http://', `http://${u}@`);
    const csv = ['source,target,source_password,target_password,source_dav,target_dav', `${imap(src.user)},${imap(dst.user)},${src.password},${dst.password},${dav('carol')},${dav('dave')}`].join('\n');
    const plan = await call<MigrationPlan>('migration.createPlanFromCsv', { csv, preset: 'dovecot' });
    const row = plan.rows[0]!;
    expect(row.estimate?.messages).toBe(15);
    expect(row.dav?.error).toBeNull();
    expect(Object.fromEntries(row.dav!.collections.map((c) => [c.displayName, c.items]))).toEqual({ Work: storedItems(radicale, 'carol', 'work').length, People: storedItems(radicale, 'carol', 'people').length });

    const started = await call<MigrationBatch>('migration.startBatch', plan.id, {});
    let batch = started;
    for (const end = Date.now() + 120_000; !['done', 'failed', 'cancelled'].includes(batch.status) && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 200));
      batch = await call<MigrationBatch>('migration.getBatch', started.id);
    }
    expect(batch.status, JSON.stringify(batch.pairs.map((p) => p.error))).toBe('done');

    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], 15]);
    expect(storedUids('dave', 'work')).toEqual(storedUids('carol', 'work'));
    expect(storedUids('dave', 'people')).toEqual(storedUids('carol', 'people'));
    expect(storedUids('dave', 'work')).toHaveLength(25);

    const report = await call<MigrationMailboxReport>('migration.report', started.id, 0);
    expect(report.dav?.complete).toBe(true);
    expect(report.dav?.collections.map((c) => [c.sourceName, c.sourceCount, c.copied])).toEqual([['Work', 25, 25], ['People', 10, 10]]);
  });

  it('mailroom migrate --plan copies mail, then calendars and contacts; --no-calendars leaves calendars alone', async () => {
    const from = freshUser('davcsrc');
    const to = freshUser('davcdst');
    await seedMailbox(endpointFor(from), loadCorpus(6));
    const erin = { user: 'erin', password: from.password };
    const frank = { user: 'frank', password: to.password };
    const cli = await startRadicale([erin, frank]);
    try {
      await seedCollection(cli, erin.user, erin.password, { kind: 'calendar', name: 'home', displayName: 'Home', items: generateEvents(12, 'Australia/Sydney', 'hm') });
      await seedCollection(cli, erin.user, erin.password, { kind: 'addressbook', name: 'friends', displayName: 'Friends', items: generateContacts(5, 'fr') });
      const imap = (u: string) => `imap+plain://${encodeURIComponent(u)}@127.0.0.1:${servers().imap.port}`;
      const dav = (u: string) => cli.url.replace('http://', `http://${u}@`);
      const csv = join(dataDir, 'pairs.csv');
      writeFileSync(csv, `source,target,source_dav,target_dav\n${imap(from.user)},${imap(to.user)},${dav(erin.user)},${dav(frank.user)}\n`);
      const state = join(dataDir, 'cli-state.db');
      const contactsOnly = await runMigrateCli(['--plan', csv, '--state', state, '--no-calendars'], { source: from.password, target: to.password });
      expect(contactsOnly.code, contactsOnly.stderr).toBe(0);
      const uids = (server: RadicaleServer, user: string, c: string) => storedItems(server, user, c).map((i) => /^UID:(.*)$/m.exec(i.text)?.[1]?.trim()).sort();
      expect(uids(cli, frank.user, 'friends')).toEqual(uids(cli, erin.user, 'friends'));
      expect(storedItems(cli, frank.user, 'friends')).toHaveLength(5);
      expect(() => storedItems(cli, frank.user, 'home')).toThrow(/ENOENT/);

      const both = await runMigrateCli(['--plan', csv, '--state', state], { source: from.password, target: to.password });
      expect(both.code, both.stderr).toBe(0);
      const davReport = both.lines.find((l) => (l as { event?: string; collections?: unknown }).event === 'report' && (l as { collections?: unknown }).collections) as { complete: boolean; collections: { sourceName: string; copied: number; unchanged: number }[] };
      expect(davReport.complete).toBe(true);
      expect(davReport.collections.map((c) => [c.sourceName, c.copied, c.unchanged])).toEqual([['Home', 12, 0], ['Friends', 0, 5]]);
      expect(uids(cli, frank.user, 'home')).toEqual(uids(cli, erin.user, 'home'));
      const cmp = await compareMailboxes(endpointFor(from), endpointFor(to));
      expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], 6]);
    } finally {
      await cli.stop();
    }
  });
});
