import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '../../../electron/app/compose.ts';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { runMigration, type MigrateOptions, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { createFileLogger } from '../../../electron/platform/logger.ts';
import type { MigrationPlan, PlanFromUrls } from '../../../shared/domain/migration.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { addCyrusUser, cyrusEndpoint, cyrusUrl, defaultCyrus, rawImap, startCyrus, type CyrusInstance } from '../../support/cyrus.ts';
import { readMailbox, seedMailbox, type SeenMessage } from '../../support/migration-corpus.ts';
import { runCli } from '../../support/run-cli.ts';
import { endpointFor, freshUser, reportLine, runMigrateCli, servers } from './support.ts';

// Shared folders on Cyrus's standard namespace (altnamespace off: personal "INBOX<sep>", other users
// "user<sep>"): alice asks for them and bob's Sent, which he shared with her, is copied and read back.

const newDb = (): Db => openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-cyrus-shared-')), 'state.db'));
const migrate = (source: ImapEndpoint, target: ImapEndpoint, db: Db, more: Partial<MigrateOptions> = {}): Promise<MigrationSummary> =>
  runMigration({ source, target, store: new StateStore(db, 'job'), verify: true, concurrency: 2, ...more });

// What a copy must keep of a message: its bytes and internal date (alice's \Seen on bob's folder is her own).
const kept = (list: readonly SeenMessage[] | undefined): string[] => (list ?? []).map((m) => `${m.internalDate} ${m.content.toString('base64')}`).sort();

let slash: (CyrusInstance & { stop(): Promise<void> }) | null = null;
beforeAll(async () => {
  slash = await startCyrus({ separator: '/', munge8bit: false });
}, 150_000);
afterAll(async () => {
  await slash?.stop();
});

const instance = (separator: '.' | '/'): CyrusInstance => (separator === '.' ? defaultCyrus() : slash!);

describe.each(['.', '/'] as const)('shared folders on Cyrus IMAP 3.6, separator "%s"', (separator) => {
  it("copies bob's Sent shared with alice only when she asks for shared folders, under its full name, without its special use", async () => {
    const cyrus = instance(separator);
    const account = (user: string): { user: string; password: string } => cyrus.users.find((u) => u.user === user)!;
    const shared = cyrus.sharedFolder.seenAs;
    expect(shared).toBe(`user${separator}bob${separator}Sent`);
    const dst = freshUser('cysh-dst');
    // Dovecot reads a user added to its passwd-file within a second: seeding nothing waits for that.
    await seedMailbox(endpointFor(dst), []);
    const db = newDb();

    const personal = await migrate(cyrusEndpoint(cyrus, account('alice')), endpointFor(dst), db);
    expect(personal.error).toBeNull();
    expect(personal.complete).toBe(true);
    expect(personal.folders.filter((f) => f.sourcePath.startsWith(`user${separator}`) && f.targetPath !== null)).toEqual([]);
    expect([...(await readMailbox(endpointFor(dst))).keys()].filter((f) => /^user/.test(f))).toEqual([]);
    // The folders the run left out are still the server's listing: a re-run with nothing changed is the quiet check alone.
    expect(await migrate(cyrusEndpoint(cyrus, account('alice')), endpointFor(dst), db)).toMatchObject({ quiet: true, complete: true, copied: 0 });

    const withShared = await migrate(cyrusEndpoint(cyrus, account('alice')), endpointFor(dst), db, { includeShared: true });
    expect(withShared.error).toBeNull();
    expect(withShared.complete).toBe(true);
    expect(withShared.copied).toBe(1);
    // The rule Dovecot's other users' folders follow: the whole source path, in the target's separator under its personal prefix.
    expect(withShared.folders.find((f) => f.sourcePath === shared)).toMatchObject({ targetPath: 'user/bob/Sent', specialUse: null, skipReason: null });
    // alice's own Sent keeps the special use; bob's is never merged into it.
    expect(withShared.folders.find((f) => f.specialUse === '\\Sent')).toMatchObject({ sourcePath: `INBOX${separator}Sent`, targetPath: 'Sent' });
    expect(withShared.verification.find((v) => v.sourcePath === shared)).toMatchObject({ sourceCount: 1, targetCount: 1, missing: 0 });

    const bobs = (await readMailbox(cyrusEndpoint(cyrus, account('bob')))).get(`INBOX${separator}Sent`);
    expect(bobs).toHaveLength(1);
    const held = await readMailbox(endpointFor(dst));
    expect(kept(held.get('user/bob/Sent'))).toEqual(kept(bobs));
    expect(held.get('Sent')?.some((m) => m.content.toString('latin1').includes('shared by bob')) ?? false).toBe(false);
    expect(await migrate(cyrusEndpoint(cyrus, account('alice')), endpointFor(dst), db, { includeShared: true })).toMatchObject({ quiet: true, complete: true, copied: 0 });
  }, 180_000);

  it("plans alice with bob's Sent inventoried as another user's folder, left out of the estimate unless the plan includes shared folders", async () => {
    const cyrus = instance(separator);
    const alice = cyrus.users.find((u) => u.user === 'alice')!;
    const bob = cyrus.users.find((u) => u.user === 'bob')!;
    // A folder of bob's alice may see (ACL "l") but not read: that folder is refused, not her inventory.
    // (Cyrus's LIST-STATUS still counts its message for her; STATUS and EXAMINE say NO.)
    const hidden = `INBOX${separator}Private`;
    const created = await rawImap(cyrus, bob, [`CREATE "${hidden}"`, `SETACL "${hidden}" alice l`, `APPEND "${hidden}" {18+}\r\nSubject: x\r\n\r\nhi\r\n`]);
    expect(created).toMatch(/c2 OK[\s\S]*c3 OK[\s\S]*c4 OK/);
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-cyrus-plan-'));
    const s = composeServices({ dataDir, vault: new MemoryVault(), logger: createFileLogger(join(dataDir, 'test.log')), transport: 'loopback', operator: 'tester' });
    const value = <T>(r: Result<unknown>): T => {
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };
    const input = { name: `shared-${separator}`, pairs: [{ source: cyrusUrl(cyrus, alice), target: 'imaps://someone%40example.test@127.0.0.1:1', sourcePassword: alice.password }], preset: 'dovecot', ca: readFileSync(servers().ca, 'utf8') };
    try {
      const made = value<PlanFromUrls>(await s.router.dispatch('migration.createPlanFromUrls', [input]));
      expect(made.failures).toEqual([]);
      const row = made.plan.rows[0]!;
      const bobs = row.inventory!.find((f) => f.path === cyrus.sharedFolder.seenAs);
      expect(bobs).toMatchObject({ namespace: 'other', messages: 1 });
      expect(bobs!.bytes).toBeGreaterThan(0);
      const refusedPath = `user${separator}bob${separator}Private`;
      expect(row.inventory!.find((f) => f.path === refusedPath)).toMatchObject({ namespace: 'other', messages: 0, refused: expect.any(String) });
      const own = row.inventory!.filter((f) => f.namespace === 'personal');
      expect(own.map((f) => f.path)).toContain(`INBOX${separator}Sent`);
      expect(own.length + 2).toBe(row.inventory!.length);
      const personal = { messages: own.reduce((n, f) => n + f.messages, 0), bytes: own.reduce((n, f) => n + f.bytes, 0) };
      expect(row.estimate).toMatchObject({ ...personal, shared: { folders: 2, messages: 1, bytes: bobs!.bytes, counted: false } });
      expect(row.warnings.filter((w) => w.startsWith(refusedPath))).toEqual([]);

      const patched = value<MigrationPlan>(await s.router.dispatch('migration.updatePlan', [made.plan.id, { includeShared: true }]));
      expect(patched.includeShared).toBe(true);
      expect(patched.rows[0]!.estimate).toMatchObject({ messages: personal.messages + 1, bytes: personal.bytes + bobs!.bytes, shared: { counted: true } });
      expect(patched.messages).toBe(personal.messages + 1);
      expect(patched.rows[0]!.warnings.filter((w) => w.startsWith(refusedPath))).toEqual([expect.stringMatching(/would not open it .*; its messages are not in the estimate$/)]);
      // The CLI shows the shared folders on a line of their own, with the plan's choice.
      const shown = await runCli(['--data-dir', dataDir, 'plan', '--show', input.name]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`${cyrusUrl(cyrus, alice)}: other users' and shared folders: 2 folders, 1 message, ${(bobs!.bytes / 1e6).toFixed(1)} MB, counted above`);
    } finally {
      s.close();
      await rawImap(cyrus, bob, [`DELETE "${hidden}"`]);
    }
  }, 120_000);

  it('plans the shared folder in a dry run that asks for shared folders, and copies nothing', async () => {
    const cyrus = instance(separator);
    const dst = freshUser('cysh-dry');
    const dry = await migrate(cyrusEndpoint(cyrus, cyrus.users.find((u) => u.user === 'alice')!), endpointFor(dst), newDb(), { includeShared: true, dryRun: true });
    expect(dry.folders.find((f) => f.sourcePath === cyrus.sharedFolder.seenAs)).toMatchObject({ targetPath: 'user/bob/Sent' });
    expect(dry.warnings.filter((w) => w.startsWith('shared folders were asked for'))).toEqual([]);
    expect([dry.dryRun, dry.copied]).toEqual([true, 0]);
    const held = await readMailbox(endpointFor(dst));
    expect([held.has('user/bob/Sent'), [...held.values()].flat().length]).toEqual([false, 0]);
  }, 60_000);

  it("maps it under a Cyrus target's own prefix and separator, asked for with the CLI's --include-shared", async () => {
    const cyrus = instance(separator);
    const alice = cyrus.users.find((u) => u.user === 'alice')!;
    const dst = await addCyrusUser(cyrus, 'cysh-cy');
    const state = join(mkdtempSync(join(tmpdir(), 'mailroom-cyrus-shared-')), 'state.db');
    const run = await runMigrateCli(['--source', cyrusUrl(cyrus, alice), '--target', cyrusUrl(cyrus, dst), '--state', state, '--include-shared'], { source: alice.password, target: dst.password });
    expect(run.code, run.stderr).toBe(0);
    const target = `INBOX${separator}user${separator}bob${separator}Sent`;
    expect(reportLine(run).folders.find((f) => f.sourcePath === cyrus.sharedFolder.seenAs)).toMatchObject({ targetPath: target, sourceCount: 1, targetCount: 1, missing: 0 });
    const bobs = (await readMailbox(cyrusEndpoint(cyrus, cyrus.users.find((u) => u.user === 'bob')!))).get(`INBOX${separator}Sent`);
    expect(kept((await readMailbox(cyrusEndpoint(cyrus, dst))).get(target))).toEqual(kept(bobs));
  }, 180_000);
});
