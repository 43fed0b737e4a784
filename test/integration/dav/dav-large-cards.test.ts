import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePhotoContacts, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';

const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));
const alice = { user: 'alice', password: 'alice-pw' };
const bob = { user: 'bob', password: 'bob-pw' };
const carol = { user: 'carol', password: 'carol-pw' };
const dan = { user: 'dan', password: 'dan-pw' };
// Twelve cards with 100 KB photos: Radicale gzips the listing to about 1 MB and closes the connection after it.
const CARDS = 12;
// 25 MB of cards copied with a 24 MB heap: a copy that holds one multiget batch at a time fits (it ran in 20 MB);
// one that lists the whole address book with its data at once ran out of memory after its first batch.
const MANY_CARDS = 250;
const HEAP_MB = 24;
let server: RadicaleServer;
let home: string;

beforeAll(async () => {
  server = await startRadicale([alice, bob, carol, dan]);
  home = mkdtempSync(join(tmpdir(), 'mr-dav-large-'));
  await seedCollection(server, alice.user, alice.password, { kind: 'addressbook', name: 'photos', displayName: 'Photos', items: generatePhotoContacts(CARDS, 100) });
  // Straight into Radicale's folder: 250 PUTs of 100 KB would take longer than the copy under test.
  await seedCollection(server, carol.user, carol.password, { kind: 'addressbook', name: 'many', displayName: 'Many', items: [] });
  for (const card of generatePhotoContacts(MANY_CARDS, 100, 'many')) writeFileSync(join(server.storage, carol.user, 'many', card.name), card.text);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('mailroom migrate dav with contacts carrying real-size photos', () => {
  it(`copies ${MANY_CARDS} cards of 100 KB within a ${HEAP_MB} MB heap, each read back whole`, () => {
    const url = (u: string): string => server.url.replace('http://', `http://${u}@`);
    const run = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, entry, '--json', 'migrate', 'dav', '--source', url(carol.user), '--target', url(dan.user), '--state', join(home, 'many.db')], {
      env: { ...process.env, MAILROOM_HOME: home, MAILROOM_SOURCE_PASSWORD: carol.password, MAILROOM_TARGET_PASSWORD: dan.password },
      encoding: 'utf8',
    });
    expect(run.stderr).not.toMatch(/heap out of memory/);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { complete: boolean; collections: { sourceCount: number; copied: number }[] };
    expect(report.complete).toBe(true);
    expect(report.collections.map((c) => [c.sourceCount, c.copied])).toEqual([[MANY_CARDS, MANY_CARDS]]);
    // Seeded as files, the source keeps its own folding and order; Radicale re-serialises what it is sent: compared as sets of unfolded lines.
    const digests = (user: string): string[] => storedItems(server, user, 'many').map((i) => createHash('sha256').update(i.text.replace(/\r\n[ \t]/g, '').split('\r\n').sort().join('\n')).digest('hex')).sort();
    expect(digests(dan.user)).toEqual(digests(carol.user));
  }, 90_000);

  it('copies every card whole from a Radicale that gzips its answers, and a re-run copies nothing', () => {
    const url = (u: string): string => server.url.replace('http://', `http://${u}@`);
    const run = (): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, [entry, '--json', 'migrate', 'dav', '--source', url(alice.user), '--target', url(bob.user), '--state', join(home, 'state.db')], {
        env: { ...process.env, MAILROOM_HOME: home, MAILROOM_SOURCE_PASSWORD: alice.password, MAILROOM_TARGET_PASSWORD: bob.password },
        encoding: 'utf8',
      });
    const first = run();
    expect(first.status, String(first.stderr)).toBe(0);
    const report = JSON.parse(String(first.stdout).trim().split('\n').at(-1)!) as { complete: boolean; collections: { copied: number }[] };
    expect(report.complete).toBe(true);
    expect(report.collections.map((c) => c.copied)).toEqual([CARDS]);
    expect(storedItems(server, bob.user, 'photos').map((i) => i.text).sort()).toEqual(storedItems(server, alice.user, 'photos').map((i) => i.text).sort());

    const again = run();
    expect(again.status, String(again.stderr)).toBe(0);
    expect((JSON.parse(String(again.stdout).trim().split('\n').at(-1)!) as { collections: { copied: number }[] }).collections.map((c) => c.copied)).toEqual([0]);
  }, 60_000);
});
