import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import { DavConnectError } from '../../../electron/dav/dav-client.ts';
import { copyDavAccount } from '../../../electron/dav/dav-job.ts';
import { generateContacts, generateEvents, putItem, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, storedCollections, storedItems, type RadicaleServer } from '../../support/radicale.ts';

const alice = { user: 'alice', password: 'alice-pw' };
const bob = { user: 'bob', password: 'bob-pw' };
let server: RadicaleServer;
let db: Db;
const endpoint = (u: { user: string; password: string }) => ({ url: server.url, ...u });
const sorted = (items: { name: string; text: string }[]) => items.map((i) => i.text).sort();

beforeAll(async () => {
  server = await startRadicale([alice, bob, { user: 'carol', password: 'carol-pw' }, { user: 'dave', password: 'dave-pw' }]);
  db = openDatabase(':memory:');
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'work', displayName: 'Work', description: 'Team calendar', color: '#3366ffff', components: ['VEVENT', 'VTODO'], items: generateEvents(60, 'Europe/Berlin', 'work') });
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'home', displayName: 'Home', color: '#ff0000ff', components: ['VEVENT'], items: generateEvents(25, 'America/New_York', 'home').filter((_, i) => i % 10 !== 9) });
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'travel', displayName: 'Travel', components: ['VEVENT'], items: generateEvents(15, 'Australia/Sydney', 'travel').filter((_, i) => i % 10 !== 9) });
  await seedCollection(server, alice.user, alice.password, { kind: 'addressbook', name: 'contacts', displayName: 'Contacts', description: 'Everyone', items: generateContacts(120) });
}, 120_000);

afterAll(async () => {
  db?.close();
  await server?.stop();
});

describe('calendars and contacts Radicale → Radicale', () => {
  it('moves every calendar and address book with its properties; each item lands as Radicale stored the source', async () => {
    const report = await copyDavAccount(db, { source: endpoint(alice), target: endpoint(bob) }, { calendars: true, contacts: true });
    expect(report.failures).toEqual([]);
    expect(report.complete).toBe(true);
    const source = storedCollections(server, alice.user);
    const target = storedCollections(server, bob.user);
    expect([...target.keys()].sort()).toEqual([...source.keys()].sort());
    for (const [name, props] of source) {
      expect(target.get(name)).toEqual(props);
      // Radicale serialises what it stores; a faithful copy serialises to the same text.
      expect(sorted(storedItems(server, bob.user, name))).toEqual(sorted(storedItems(server, alice.user, name)));
    }
    const copied = report.collections.reduce((n, c) => n + c.copied, 0);
    expect(copied).toBe([...source.keys()].reduce((n, name) => n + storedItems(server, alice.user, name).length, 0));
  }, 120_000);

  it('a re-run lists nothing; a changed and a new event copy exactly those two', async () => {
    const again = await copyDavAccount(db, { source: endpoint(alice), target: endpoint(bob) }, { calendars: true, contacts: true });
    expect(again.collections.every((c) => c.skippedByChangeTag && c.copied === 0)).toBe(true);

    const auth = { authorization: `Basic ${Buffer.from(`${alice.user}:${alice.password}`).toString('base64')}` };
    const [changed] = generateEvents(3, 'Europe/Berlin', 'work').slice(2);
    await putItem(new URL('alice/work/' + changed!.name, server.url).href, auth, 'calendar', changed!.text.replace('SUMMARY:Meeting 2', 'SUMMARY:Meeting 2 (renamed)'));
    const [added] = generateEvents(1, 'Europe/Berlin', 'late');
    await putItem(new URL('alice/work/' + added!.name, server.url).href, auth, 'calendar', added!.text);

    const delta = await copyDavAccount(db, { source: endpoint(alice), target: endpoint(bob) }, { calendars: true, contacts: true });
    const work = delta.collections.find((c) => c.sourceName === 'Work')!;
    expect({ copied: work.copied, failed: work.failed, skipped: work.skippedByChangeTag }).toEqual({ copied: 2, failed: 0, skipped: false });
    expect(delta.collections.filter((c) => c.sourceName !== 'Work').every((c) => c.skippedByChangeTag)).toBe(true);
    expect(sorted(storedItems(server, bob.user, 'work'))).toEqual(sorted(storedItems(server, alice.user, 'work')));
  }, 120_000);

  it('after the state is lost, a re-run matches items by UID and adds no second copy', async () => {
    const fresh = openDatabase(':memory:');
    try {
      const report = await copyDavAccount(fresh, { source: endpoint(alice), target: endpoint(bob) }, { calendars: true, contacts: true });
      expect(report.collections.reduce((n, c) => n + c.copied, 0)).toBe(0);
      for (const name of storedCollections(server, alice.user).keys()) expect(storedItems(server, bob.user, name).length).toBe(storedItems(server, alice.user, name).length);
    } finally {
      fresh.close();
    }
  }, 120_000);

  it('a wrong password is refused in one line naming the account', async () => {
    const refused = copyDavAccount(db, { source: { ...endpoint(alice), password: 'wrong' }, target: endpoint(bob) }, { calendars: true, contacts: true });
    await expect(refused).rejects.toBeInstanceOf(DavConnectError);
    await expect(refused).rejects.toThrow(/^alice at http:\/\/127\.0\.0\.1:\d+\/: the server refused the login/);
  });
});
