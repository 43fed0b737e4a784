import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePhotoContacts, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';

const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));
const alice = { user: 'alice', password: 'alice-pw' };
const bob = { user: 'bob', password: 'bob-pw' };
// Twelve cards with 100 KB photos: Radicale gzips the listing to about 1 MB and closes the connection after it.
const CARDS = 12;
let server: RadicaleServer;
let home: string;

beforeAll(async () => {
  server = await startRadicale([alice, bob]);
  home = mkdtempSync(join(tmpdir(), 'mr-dav-large-'));
  await seedCollection(server, alice.user, alice.password, { kind: 'addressbook', name: 'photos', displayName: 'Photos', items: generatePhotoContacts(CARDS, 100) });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('mailroom migrate dav with contacts carrying real-size photos', () => {
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
