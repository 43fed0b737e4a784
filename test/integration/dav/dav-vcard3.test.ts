import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import { copyDavAccount } from '../../../electron/dav/dav-job.ts';
import { seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';

const alice = { user: 'alice', password: 'alice-pw' };
const bob = { user: 'bob', password: 'bob-pw' };
const carol = { user: 'carol', password: 'carol-pw' };
let server: RadicaleServer;
let db: Db;

// vCard 4.0 cards with what vCard 3 writes differently: tel: URIs, PREF, year-less birthdays, GENDER, a group. (No data: URI
// photo: Radicale's vobject cuts a vCard 4 PHOTO value at its comma when storing the source, so the unit tests cover that rule.)
function cards(): { name: string; text: string }[] {
  const people = Array.from({ length: 8 }, (_, i) => ({
    name: `p${i}.vcf`,
    text: [
      'BEGIN:VCARD', 'VERSION:4.0', `UID:urn:uuid:00000000-0000-4000-8000-00000000000${i}`, `FN:Person ${i}`, `N:Doe;Person ${i};;;`, 'KIND:individual',
      `TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+49-151-000${i}`, `EMAIL;TYPE=work:p${i}@example.test`,
      `BDAY:--03${String(10 + i)}`, 'GENDER:F', 'END:VCARD', '',
    ].join('\r\n'),
  }));
  const group = {
    name: 'team.vcf',
    text: ['BEGIN:VCARD', 'VERSION:4.0', 'UID:urn:uuid:00000000-0000-4000-8000-0000000000ff', 'FN:Team', 'KIND:group', 'MEMBER:urn:uuid:00000000-0000-4000-8000-000000000000', 'MEMBER:urn:uuid:00000000-0000-4000-8000-000000000001', 'END:VCARD', ''].join('\r\n'),
  };
  return [...people, group];
}

beforeAll(async () => {
  server = await startRadicale([alice, bob, carol]);
  db = openDatabase(':memory:');
  await seedCollection(server, alice.user, alice.password, { kind: 'addressbook', name: 'book', displayName: 'Book', items: cards() });
}, 60_000);

afterAll(async () => {
  db?.close();
  await server?.stop();
});

describe('vCard 4 → vCard 3 for an address book that takes vCard 3 only', () => {
  it('writes every card as vCard 3.0 by the stated rules, lists each converted field, and reads each one back as written', async () => {
    const report = await copyDavAccount(db, { source: { url: server.url, ...alice }, target: { url: server.url, ...bob, vcard3Only: true } }, { calendars: false, contacts: true });
    expect(report.failures).toEqual([]);
    const [book] = report.collections;
    expect(book).toMatchObject({ sourceCount: 9, copied: 9, failed: 0 });
    const fields = new Map(book!.conversions!.map((c) => [c.field, c]));
    expect(fields.get('VCARD/VERSION')).toMatchObject({ items: 9 });
    expect(fields.get('VCARD/TEL')).toMatchObject({ items: 8, rule: expect.stringMatching(/tel: URI/) });
    expect(fields.get('VCARD/BDAY')).toMatchObject({ items: 8, rule: expect.stringMatching(/X-APPLE-OMIT-YEAR/) });
    expect(fields.get('VCARD/GENDER')).toMatchObject({ items: 8 });
    expect(fields.get('VCARD/KIND')?.rule).toMatch(/X-ADDRESSBOOKSERVER-KIND/);
    expect(fields.get('VCARD/MEMBER')).toMatchObject({ items: 1 });

    // Radicale's own files are the judge.
    const stored = storedItems(server, bob.user, 'book');
    expect(stored).toHaveLength(9);
    for (const item of stored) expect(item.text).toMatch(/^VERSION:3\.0\r?$/m);
    const person = stored.find((s) => s.text.includes('FN:Person 0'))!.text.replace(/\r?\n /g, '');
    expect(person).toMatch(/^TEL;TYPE=cell,pref:\+49-151-0000\r?$/m);
    expect(person).toMatch(/^BDAY;(VALUE=DATE;)?X-APPLE-OMIT-YEAR=1604:1604-?03-?10\r?$/m);
    expect(person).toMatch(/^X-GENDER:F\r?$/m);
    expect(person).not.toMatch(/^KIND/m);
    const team = stored.find((s) => s.text.includes('FN:Team'))!.text;
    expect(team).toMatch(/^X-ADDRESSBOOKSERVER-KIND:group\r?$/m);
    expect(team.match(/^X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:/gm)).toHaveLength(2);

    const again = await copyDavAccount(db, { source: { url: server.url, ...alice }, target: { url: server.url, ...bob, vcard3Only: true } }, { calendars: false, contacts: true });
    expect(again.collections[0]).toMatchObject({ copied: 0, failed: 0 });
  }, 60_000);

  it('an address book that takes vCard 4 (Radicale advertises no limit) gets each card unchanged, with nothing listed', async () => {
    const report = await copyDavAccount(db, { source: { url: server.url, ...alice }, target: { url: server.url, ...carol } }, { calendars: false, contacts: true });
    expect(report.collections[0]).toMatchObject({ copied: 9, conversions: [] });
    const versions = storedItems(server, carol.user, 'book').map((s) => /^VERSION:(.*?)\r?$/m.exec(s.text)?.[1]);
    expect(versions).toEqual(Array(9).fill('4.0'));
  }, 60_000);
});
