import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationDavInventory } from '../../../shared/domain/migration.ts';
import { generateContacts, generatePhotoContacts, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';

const planDav = fileURLToPath(new URL('../../../electron/migration/plan-dav.ts', import.meta.url));
const davClient = fileURLToPath(new URL('../../../electron/dav/dav-client.ts', import.meta.url));
const carol = { user: 'carol', password: 'carol-pw' };
const dan = { user: 'dan', password: 'dan-pw' };
// 25 MB of cards: loading them all with their data to count them grew the planner's peak RSS by 92 MB (3.6 times the
// address book); sizes read by PROPFIND leave it where a small address book's discovery had it.
// The planner's own peak growth is about 9 MB plus 15 KB a card (13.1 MB at 250 cards, 15.3 MB at 400, with another test
// file running beside it); at 250 that came within 0.3 MB of half the book, so the book is made large enough that the bound
// has room while holding the cards even once still breaks it.
const MANY_CARDS = 400;
const PHOTO_KB = 100;
let server: RadicaleServer;

beforeAll(async () => {
  server = await startRadicale([carol, dan]);
  await seedCollection(server, dan.user, dan.password, { kind: 'addressbook', name: 'people', displayName: 'People', items: generateContacts(7) });
  // Straight into Radicale's folder: 400 PUTs of 100 KB would take longer than the discovery under test.
  await seedCollection(server, carol.user, carol.password, { kind: 'addressbook', name: 'many', displayName: 'Many', items: [] });
  for (const card of generatePhotoContacts(MANY_CARDS, PHOTO_KB, 'many')) writeFileSync(join(server.storage, carol.user, 'many', card.name), card.text);
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

interface Discovered {
  readonly small: MigrationDavInventory;
  readonly large: MigrationDavInventory;
  /** How far the peak RSS rose over the large account's discovery, in bytes. */
  readonly peakGrowth: number;
}

// The planner's discovery in a child process, as `mailroom plan` runs it for a pair's source_dav: a small account first, so the
// HTTP client and XML parser are loaded before the peak RSS is read, then the account with the large address book.
function discoverInChild(): Discovered {
  const script = [
    `import { discoverDav } from ${JSON.stringify(planDav)};`,
    `import { openDavAccount } from ${JSON.stringify(davClient)};`,
    'const env = process.env;',
    `const discover = (user, password) => discoverDav(() => openDavAccount({ url: env.DAV_URL, user, password }), user);`,
    'const small = await discover(env.SMALL_USER, env.SMALL_PASSWORD);',
    'const before = process.resourceUsage().maxRSS;',
    'const large = await discover(env.LARGE_USER, env.LARGE_PASSWORD);',
    'process.stdout.write(JSON.stringify({ small, large, peakGrowth: (process.resourceUsage().maxRSS - before) * 1024 }));',
  ].join('\n');
  // The installed CLI's young generation (its launcher's --max-semi-space-size=1), so the peak is measured as shipped.
  const run = spawnSync(process.execPath, ['--max-semi-space-size=1', '--input-type=module', '-e', script], {
    env: { ...process.env, DAV_URL: server.url, SMALL_USER: dan.user, SMALL_PASSWORD: dan.password, LARGE_USER: carol.user, LARGE_PASSWORD: carol.password },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Discovered;
}

// What a client downloading each item receives: the byte size the plan should show.
async function servedBytes(user: { user: string; password: string }, collection: string): Promise<number> {
  const authorization = `Basic ${Buffer.from(`${user.user}:${user.password}`).toString('base64')}`;
  let total = 0;
  for (const item of storedItems(server, user.user, collection)) {
    const response = await fetch(new URL(`/${user.user}/${collection}/${item.name}`, server.url), { headers: { authorization } });
    expect(response.status).toBe(200);
    total += (await response.arrayBuffer()).byteLength;
  }
  return total;
}

const shown = (inventory: MigrationDavInventory): Record<string, unknown> =>
  Object.fromEntries(inventory.collections.map((c) => [new URL(c.url).pathname, { kind: c.kind, items: c.items, bytes: c.bytes }]));

describe('planning calendars and contacts over an address book of real-size photos', () => {
  it(`counts and sizes ${MANY_CARDS} cards of ${PHOTO_KB} KB without holding them, in the bytes a download of each card gives`, async () => {
    const { small, large, peakGrowth } = discoverInChild();
    const bookBytes = await servedBytes(carol, 'many');
    expect(bookBytes).toBeGreaterThan(MANY_CARDS * PHOTO_KB * 1024);
    // Holding the address book's data even once would raise the peak by its size.
    expect(peakGrowth, `peak RSS grew by ${peakGrowth} bytes for a ${bookBytes}-byte book`).toBeLessThan(bookBytes / 2);
    expect([small.error, large.error]).toEqual([null, null]);
    expect(shown(small)).toEqual({ [`/${dan.user}/people/`]: { kind: 'addressbook', items: 7, bytes: await servedBytes(dan, 'people') } });
    expect(shown(large)).toEqual({ [`/${carol.user}/many/`]: { kind: 'addressbook', items: MANY_CARDS, bytes: bookBytes } });
  }, 60_000);
});
