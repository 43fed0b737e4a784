import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeInventory } from '../../../electron/migration/inventory.ts';
import { estimateMailbox } from '../../../electron/migration/planner.ts';
import { PRESETS } from '../../../electron/migration/presets.ts';
import type { MigrationEstimate } from '../../../shared/domain/migration.ts';
import { seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { startPrivateDovecot, type PrivateAccount, type PrivateDovecot } from './private-dovecot.ts';
import { servers } from './support.ts';

// A Dovecot whose personal namespace has the empty prefix and whose public namespace is "shared/"
// (test/servers/dovecot-shared.sh, its own instance: the shared one has no other namespace). Every
// "shared/…" path also starts with the personal prefix "", so the longer prefix must win.

function note(folder: string, i: number, size: number): CorpusMessage {
  return {
    name: `${folder}-${i}`,
    folder,
    content: Buffer.from(`Message-ID: <${i}.${folder.replace(/\W/g, '')}@shared.test>\r\nSubject: ${i}\r\n\r\n${'s'.repeat(size)}\r\n`),
    internalDate: new Date(Date.UTC(2012, 5, 1 + i)),
    flags: [],
  };
}

interface PlanJson {
  readonly id: string;
  readonly includeShared: boolean;
  readonly rows: readonly { readonly estimate: MigrationEstimate }[];
}

describe('a plan of a source with a public "shared/" namespace beside the empty personal prefix', () => {
  let dovecot: PrivateDovecot;
  let alice: PrivateAccount;
  const home = mkdtempSync(join(tmpdir(), 'mailroom-shared-plan-'));

  beforeAll(async () => {
    dovecot = await startPrivateDovecot('dovecot-shared.sh');
    alice = dovecot.account('alice');
    await seedMailbox(dovecot.endpoint(alice), [
      ...Array.from({ length: 3 }, (_, i) => note('INBOX', i, 100)),
      ...Array.from({ length: 2 }, (_, i) => note('Projects', i, 100)),
      ...Array.from({ length: 4 }, (_, i) => note('shared/Team', i, 1000)),
      ...Array.from({ length: 1 }, (_, i) => note('shared/Team/Board', i, 1000)),
    ]);
  });
  afterAll(async () => {
    await dovecot?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('tags the public folders "shared" and leaves them out of the estimate unless the plan includes them', async () => {
    const inventory = await takeInventory(dovecot.endpoint(alice), null);
    if (!inventory.ok) throw new Error(inventory.error.message);
    const kinds = Object.fromEntries(inventory.value.map((f) => [f.path, f.namespace]));
    expect(kinds).toMatchObject({ INBOX: 'personal', Projects: 'personal', Sent: 'personal', 'shared/Team': 'shared', 'shared/Team/Board': 'shared' });
    const sharedBytes = inventory.value.filter((f) => f.namespace === 'shared').reduce((n, f) => n + f.bytes, 0);
    expect(sharedBytes).toBeGreaterThan(5000);

    const personal = estimateMailbox(inventory.value, PRESETS['dovecot']!);
    expect(personal.messages).toBe(5);
    expect(personal.shared).toEqual({ folders: 2, messages: 5, bytes: sharedBytes, counted: false });
    const everything = estimateMailbox(inventory.value, PRESETS['dovecot']!, null, true);
    expect(everything.messages).toBe(10);
    expect(everything.bytes).toBe(personal.bytes + sharedBytes);
    expect(everything.shared?.counted).toBe(true);
  });

  // `mailroom plan` with --state (the plan code on its own database) and without (the migration service): the same figures.
  it.each([
    ['--state', (args: string[]) => [...args, '--state', join(home, 'plans.db')]],
    ['the service', (args: string[]) => ['--data-dir', join(home, 'data'), ...args]],
  ] as const)('mailroom plan --include-shared counts them, --edit --no-include-shared recounts from the stored inventory, and the CSV says which (%s)', async (_, where) => {
    const env = { env: { MAILROOM_SOURCE_PASSWORD: alice.password, MAILROOM_KEYCHAIN_SERVICE: `Mailroom-shared-plan-${randomUUID()}` } };
    const name = `shared-${randomUUID().slice(0, 8)}`;
    const source = `imaps://${encodeURIComponent(alice.user)}@127.0.0.1:${dovecot.port}`;
    const create = ['plan', '--source', source, '--target', 'imaps://t%40example.test@127.0.0.1:1', '--target-preset', 'dovecot', '--name', name, '--ca', servers().ca];

    const made = await runCli(where([...create, '--include-shared', '--json']), env);
    expect(made.code, made.stderr).toBe(0);
    const included = lastJson<{ plan: PlanJson }>(made).plan;
    expect(included.includeShared).toBe(true);
    expect(included.rows[0]!.estimate).toMatchObject({ messages: 10, shared: { folders: 2, messages: 5, counted: true } });

    const csvFile = join(home, `${name}.csv`);
    const edited = await runCli(where(['plan', '--edit', name, '--no-include-shared', '--csv', csvFile, '--json']), env);
    expect(edited.code, edited.stderr).toBe(0);
    const personal = lastJson<{ plan: PlanJson }>(edited).plan;
    expect(personal.includeShared).toBe(false);
    expect(personal.rows[0]!.estimate).toMatchObject({ messages: 5, shared: { folders: 2, messages: 5, counted: false } });
    expect(personal.rows[0]!.estimate.bytes).toBe(included.rows[0]!.estimate.bytes - personal.rows[0]!.estimate.shared!.bytes);
    const [row] = parse(readFileSync(csvFile, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ messages: '5', include_shared: 'no', shared_folders: '2', shared_messages: '5', shared_bytes: String(personal.rows[0]!.estimate.shared!.bytes) });

    const shown = await runCli(where(['plan', '--show', name]), env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('personal folders only');
    expect(shown.stdout).toMatch(/other users' and shared folders: 2 folders, 5 messages, .* not counted above/);

    for (const [args, why] of [
      [['--include-shared', '--no-include-shared'], /--include-shared and --no-include-shared contradict each other/],
      [[], /--edit needs a change: --include-shared or --no-include-shared/],
    ] as const) {
      const bad = await runCli(where(['plan', '--edit', name, ...args]), env);
      expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringMatching(why)]);
    }
  });
});
