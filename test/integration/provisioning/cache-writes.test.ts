import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../../electron/app/compose.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import { MailcowFake } from '../../fakes/mailcow/mailcow-fake.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const MC_KEY = 'mc-cache-key-0123456789';

/** One console write, as [channel, ...args]. */
type Step = readonly [channel: string, ...args: unknown[]];

/** What a platform can do of the shared steps. */
interface Can { readonly aliasDomains: boolean; readonly forwarding: boolean }

const shared = (id: string, can: Can): Step[] => [
  ['domains.create', id, { name: 'example.test' }],
  ['domains.create', id, { name: 'other.test', description: 'Other' }],
  ...(can.aliasDomains ? [['domains.create', id, { name: 'alias.test', aliasOf: 'example.test' }] as Step] : []),
  ['mailboxes.create', id, { address: 'alice@example.test', password: 'Alice-pass-1', displayName: 'Alice', quotaBytes: 50_000_000 }],
  ['mailboxes.create', id, { address: 'bob@example.test', password: 'Bob-pass-1' }],
  ['mailboxes.create', id, { address: 'carol@other.test', password: 'Carol-pass-1' }],
  ['mailboxes.update', id, 'alice@example.test', { displayName: 'Alice A', quotaBytes: 100_000_000 }],
  ['mailboxes.update', id, 'bob@example.test', { active: false }],
  ...(can.forwarding ? [['mailboxes.setForwarding', id, 'alice@example.test', ['carol@other.test'], true] as Step] : []),
  ['aliases.upsert', id, { address: 'sales@example.test', targets: ['alice@example.test', 'bob@example.test'] }],
  ['aliases.upsert', id, { address: 'info@example.test', targets: ['alice@example.test'] }],
  ['aliases.upsert', id, { address: '@example.test', targets: ['bob@example.test'] }],
  ['groups.upsert', id, { address: 'team@example.test', name: 'Team', members: ['alice@example.test', 'bob@example.test', 'carol@other.test'] }],
  // One member left: on alias-fanout platforms the group becomes a plain alias.
  ['groups.upsert', id, { address: 'team@example.test', members: ['alice@example.test'] }],
  ['aliases.remove', id, 'info@example.test'],
  ['aliases.upsert', id, { address: 'sales@example.test', targets: ['alice@example.test'] }],
  ...(can.forwarding
    ? ([
        ['mailboxes.setForwarding', id, 'alice@example.test', [], false],
        ['mailboxes.setForwarding', id, 'bob@example.test', ['carol@other.test'], false],
      ] as Step[])
    : []),
  ['mailboxes.setPassword', id, 'alice@example.test', 'Alice-pass-2'],
  ['groups.upsert', id, { address: 'crew@other.test', members: ['carol@other.test', 'alice@example.test'] }],
  ['groups.remove', id, 'crew@other.test'],
  ['mailboxes.remove', id, 'carol@other.test'],
  ['domains.create', id, { name: 'tmp.test' }],
  ['domains.remove', id, 'tmp.test'],
];

const pfaOnly = (id: string): Step[] => [
  ['domains.update', id, 'other.test', { description: 'Other domain', quotaBytes: 2_048_000_000 }],
  ['domains.remove', id, 'alias.test'],
];

/** The cache as the console shows it, without the refresh stamps. */
function cacheView(services: Services): unknown {
  const strip = <T extends { refreshedAt: string | null; stale: boolean }>(rows: readonly T[]) => rows.map(({ refreshedAt: _r, stale: _s, ...rest }) => rest);
  const inventory = services.inventory;
  return {
    domains: strip(inventory.listDomains({})),
    mailboxes: strip(inventory.searchMailboxes({ limit: 10_000 }).rows),
    aliases: strip(inventory.listAliases({})),
    groups: strip(inventory.listGroups({})),
  };
}

/** What the steps leave on a platform: mailboxes with their cached forwarding, and alias addresses. */
interface EndState {
  readonly mailboxes: readonly string[];
  readonly aliases: readonly string[];
}

function defineCacheSuite(name: string, end: EndState, open: (services: Services) => Promise<{ id: string; steps: Step[]; close: () => Promise<void> }>): void {
  describe(`a write refreshes only what it changed, and the cache still equals a full refresh (${name})`, () => {
    let dataDir: string;
    let services: Services;
    let id: string;
    let steps: Step[];
    let close: () => Promise<void>;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'mr-cache-writes-'));
      services = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'mailroom.log')), transport: 'loopback', operator: 'tester' });
      ({ id, steps, close } = await open(services));
    });
    afterAll(async () => {
      services.close();
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('after every write, the cache matches what a full refresh of the connection reads', async () => {
      for (const [channel, ...args] of steps) {
        const step = `${channel} ${JSON.stringify(args.slice(1))}`;
        const done = await services.router.dispatch(channel, args);
        expect(done.ok ? 'ok' : done.error.message, step).toBe('ok');
        const afterWrite = cacheView(services);
        const refreshed = await services.router.dispatch('domains.refresh', [id]);
        expect(refreshed.ok, step).toBe(true);
        expect(afterWrite, step).toEqual(cacheView(services));
      }
      // The run really exercised the cache: the end state has the objects the steps left.
      const view = cacheView(services) as { mailboxes: { address: string; forwardTargets: string[] }[]; aliases: { address: string }[] };
      expect(view.mailboxes.map((m) => `${m.address} ${m.forwardTargets.join(',')}`.trim())).toEqual(end.mailboxes);
      expect(view.aliases.map((a) => a.address)).toEqual(end.aliases);
    });

    it('a write on one domain leaves the rows of other domains untouched', async () => {
      const other = services.db.prepare("SELECT refreshed_at FROM domains WHERE name = 'other.test'").get() as { refreshed_at: string };
      const done = await services.router.dispatch('mailboxes.update', [id, 'alice@example.test', { displayName: 'Alice B' }]);
      expect(done.ok).toBe(true);
      expect(services.db.prepare("SELECT refreshed_at FROM domains WHERE name = 'other.test'").get()).toEqual(other);
      const row = services.db.prepare("SELECT display_name, refreshed_at FROM mailboxes WHERE address = 'alice@example.test'").get() as { display_name: string; refreshed_at: string };
      expect(row.display_name).toBe('Alice B');
      expect(row.refreshed_at > other.refreshed_at).toBe(true);
    });
  });
}

defineCacheSuite('PostfixAdmin on SQLite', {
  mailboxes: ['alice@example.test', 'bob@example.test carol@other.test'],
  aliases: ['@example.test', 'sales@example.test', 'team@example.test'],
}, async (services) => {
  const db: TestDatabase = await createTestDatabase('sqlite');
  const added = await services.router.dispatch('connections.addPostfixAdmin', [{ name: 'box', dialect: 'sqlite', path: db.target.path }]);
  if (!added.ok) throw new Error(added.error.message);
  const id = (added.value as { id: string }).id;
  return { id, steps: [...shared(id, { aliasDomains: true, forwarding: true }), ...pfaOnly(id)], close: () => db.drop() };
});

// mailcow's alias API cannot forward a mailbox (its self-alias is hidden), so its run has no forwarding steps;
// the alias domain shows under its target.
defineCacheSuite('mailcow (API fake)', {
  mailboxes: ['alice@example.test', 'bob@example.test'],
  aliases: ['@example.test', 'sales@example.test', 'team@example.test'],
}, async (services) => {
  const mailcow = new MailcowFake(MC_KEY);
  const base = await mailcow.server.start();
  const added = await services.router.dispatch('connections.addMailcow', [{ name: 'mc', baseUrl: base, apiKey: MC_KEY }]);
  if (!added.ok) throw new Error(added.error.message);
  const id = (added.value as { id: string }).id;
  return { id, steps: shared(id, { aliasDomains: true, forwarding: false }), close: () => mailcow.server.close() };
});
