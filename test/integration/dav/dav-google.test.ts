import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelegatedAuth, SCOPES } from '../../../electron/backends/google/google-auth.ts';
import { createRetryingFetch } from '../../../electron/backends/http/http-client.ts';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import { canonicalForm, ignoring } from '../../../electron/dav/dav-canonical.ts';
import { DavConnectError, openDavAccount } from '../../../electron/dav/dav-client.ts';
import { copyAccounts } from '../../../electron/dav/dav-job.ts';
import { GoogleDavAccount } from '../../../electron/dav/google-dav-account.ts';
import { GoogleFake } from '../../fakes/google/google-fake.ts';
import { generateContacts, generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';

const SA = 'dav@project.iam.gserviceaccount.com';
// Groups as vCard 4 (KIND/MEMBER) and as Apple's vCard 3 form, listed first so the copy must order them after their members.
const groupCards = [
  { name: 'a-board.vcf', text: ['BEGIN:VCARD', 'VERSION:4.0', 'UID:board@corpus.test', 'FN:Board', 'KIND:group', 'MEMBER:urn:uuid:ct-1@corpus.test', 'MEMBER:urn:uuid:ct-2@corpus.test', 'END:VCARD', ''].join('\r\n') },
  { name: 'a-team.vcf', text: ['BEGIN:VCARD', 'VERSION:3.0', 'UID:team@corpus.test', 'FN:Team', 'X-ADDRESSBOOKSERVER-KIND:group', 'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:ct-3@corpus.test', 'END:VCARD', ''].join('\r\n') },
];
const alice = { user: 'alice', password: 'alice-pw' };
const USER = 'alice@example.org';
let server: RadicaleServer;
let google: GoogleFake;
let db: Db;
let google429s = 0;
const accounts = async () => {
  const source = await openDavAccount({ url: server.url, ...alice });
  const auth = new DelegatedAuth({ clientEmail: SA, privateKey: key.privateKey, tokenUri: `${google.server.baseUrl}/token` }, createRetryingFetch({ rewriteUrl: (u) => (u === 'https://oauth2.googleapis.com/token' ? `${google.server.baseUrl}/token` : u), onRetry: () => google429s++ }));
  const target = new GoogleDavAccount({ auth, user: USER, calendarRootUrl: `${google.server.baseUrl}/`, peopleRootUrl: `${google.server.baseUrl}/` });
  return { source, target };
};
const key = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

beforeAll(async () => {
  server = await startRadicale([alice]);
  db = openDatabase(':memory:');
  google = new GoogleFake(['example.org']);
  google.registerServiceAccount(SA, key.publicKey);
  [...SCOPES.calendar, ...SCOPES.contacts].forEach((s) => google.dwdScopes.add(s));
  google.directory.seedUser(USER);
  google.calendar.pageCap = 7;
  google.people.pageCap = 9;
  await google.server.start();
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'work', displayName: 'Work', description: 'Team calendar', color: '#3366ffff', components: ['VEVENT', 'VTODO'], items: generateEvents(30, 'Europe/Berlin', 'work') });
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'travel', displayName: 'Travel', components: ['VEVENT'], items: generateEvents(9, 'Australia/Sydney', 'travel') });
  await seedCollection(server, alice.user, alice.password, { kind: 'addressbook', name: 'contacts', displayName: 'Contacts', items: [...generateContacts(25), ...groupCards] });
}, 120_000);

afterAll(async () => {
  db?.close();
  await google?.server.close();
  await server?.stop();
});

describe('calendars and contacts Radicale → Google Workspace (Calendar v3 and People API fakes)', () => {
  it('copies every event and contact, lists each conversion by rule, and reads each one back equal to what Google can hold', async () => {
    // Throttled twice on import (403 rateLimitExceeded) and once on a list (429 Retry-After): the shared fetch waits and retries.
    google.server.throttle({ times: 2, match: (r) => r.path.endsWith('/import'), reply: { status: 403, body: { error: { code: 403, message: 'Rate Limit Exceeded', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] } } } });
    google.server.throttle({ times: 1, retryAfter: '1', match: (r) => r.path.endsWith('/connections') });
    const { source, target } = await accounts();
    const report = await copyAccounts(db, { source, target }, { calendars: true, contacts: true });
    expect(report.failures).toEqual([]);
    expect(report.complete).toBe(true);
    expect(google429s).toBe(3);
    const work = report.collections.find((c) => c.sourceName === 'Work')!;
    // Every tenth corpus item is a task: Google Calendar holds events only, so they are listed, not dropped silently.
    expect(work).toMatchObject({ sourceCount: 30, copied: 27, notCarried: 3, failed: 0 });
    const fields = new Map(work.conversions!.map((c) => [c.field, c]));
    expect(fields.get('VCALENDAR/VTODO')).toMatchObject({ items: 3, rule: expect.stringMatching(/events only/) });
    expect(fields.get('VCALENDAR/VEVENT/ATTENDEE')?.rule).toMatch(/RSVP/);
    expect(fields.get('VCALENDAR/VEVENT/DURATION')?.rule).toMatch(/DTEND/);
    expect(fields.get('VCALENDAR/VTIMEZONE')?.rule).toMatch(/IANA/);
    const contacts = report.collections.find((c) => c.kind === 'addressbook')!;
    expect(contacts).toMatchObject({ sourceCount: 27, copied: 27, failed: 0 });
    // TYPE=INTERNET,WORK keeps only WORK; the vCard 4 group is read back in vCard 3 form; the rest (photos, categories) as it was.
    const contactRules = new Map(contacts.conversions!.map((c) => [c.field, c]));
    expect(contactRules.get('VCARD/EMAIL')).toEqual({ field: 'VCARD/EMAIL', items: 25, rule: expect.stringMatching(/INTERNET/) });
    expect(contactRules.get('VCARD/KIND')).toMatchObject({ items: 1, rule: expect.stringMatching(/contactGroups/) });
    expect(contactRules.get('VCARD/MEMBER')).toMatchObject({ items: 1 });
    expect([...contactRules.keys()].filter((f) => !/EMAIL|KIND|MEMBER|VERSION/.test(f))).toEqual([]);

    // The fake is the judge: every source event is there by iCalUID, series with their moved occurrence.
    const calendars = [...google.calendar.calendars(USER).values()];
    const workCal = calendars.find((c) => c.summary === 'Work')!;
    expect(workCal).toMatchObject({ description: 'Team calendar', backgroundColor: '#3366ff' });
    const stored = google.calendar.events(USER, workCal.id);
    expect(new Set(stored.map((e) => e.iCalUID)).size).toBe(27);
    expect(stored.filter((e) => e['recurringEventId'])).toHaveLength(6);
    expect(stored.find((e) => e.iCalUID === 'work-0@corpus.test' && !e['recurringEventId'])).toMatchObject({ start: { dateTime: '2026-03-02T09:00:00', timeZone: 'Europe/Berlin' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=12;BYDAY=MO', 'EXDATE;TZID=Europe/Berlin:20260323T090000'] });
    const people = google.people.persons(USER);
    expect(people).toHaveLength(25);
    expect(people.filter((p) => p.photo)).toHaveLength(9);
    expect(google.people.groups(USER).map((g) => g.name).sort()).toEqual(['Board', 'Clients', 'Suppliers', 'Team', 'myContacts']);
    const inGroup = (name: string) => {
      const group = google.people.groups(USER).find((g) => g.name === name)!;
      return people.filter((p) => (p['memberships'] as { contactGroupMembership: { contactGroupResourceName: string } }[]).some((m) => m.contactGroupMembership.contactGroupResourceName === group.resourceName)).map((p) => (p['clientData'] as { value: string }[])[0]!.value).sort();
    };
    expect(inGroup('Board')).toEqual(['ct-1@corpus.test', 'ct-2@corpus.test']);
    expect(inGroup('Team')).toEqual(['ct-3@corpus.test']);

    // Read back everything from Google and compare with what Google can hold of each source item.
    const ignore = ignoring(target.stamps);
    for (const c of await source.collections()) {
      const back = new Map((await target.items({ ...c, url: report.collections.find((r) => r.sourceName === c.displayName)!.targetUrl })).map((i) => [canonicalForm(i.data, ignore), i]));
      for (const item of await source.items(c)) {
        let expected: string;
        try {
          expected = target.adapt(c.kind, item.data);
        } catch {
          continue;
        }
        expect(back.has(canonicalForm(expected, ignore)), `${c.displayName} ${item.url}`).toBe(true);
      }
    }
  }, 120_000);

  it('a re-run copies nothing: the sync tokens show no change on either side of the calendars, and every contact is unchanged', async () => {
    const imports = google.server.seen.filter((r) => r.path.endsWith('/import')).length;
    const writes = (): number => google.server.seen.filter((r) => r.method !== 'GET' && r.path !== '/token').length;
    const before = writes();
    const { source, target } = await accounts();
    const report = await copyAccounts(db, { source, target }, { calendars: true, contacts: true });
    expect(report.complete).toBe(true);
    expect(report.collections.reduce((n, c) => n + c.copied, 0)).toBe(0);
    expect(google.server.seen.filter((r) => r.path.endsWith('/import')).length).toBe(imports);
    expect(writes()).toBe(before);
  }, 60_000);

  it('without the calendar scope authorised under delegation: an auth failure that names the scopes, nothing written', async () => {
    google.dwdScopes.delete(SCOPES.calendar[0]);
    try {
      const { source, target } = await accounts();
      const writes = google.server.seen.filter((r) => r.method !== 'GET' && r.path !== '/token').length;
      const failure = await copyAccounts(db, { source, target }, { calendars: true, contacts: false }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DavConnectError);
      expect(failure).toMatchObject({ reason: 'auth', message: expect.stringMatching(/auth\/calendar and .*Domain-wide delegation/) });
      expect(google.server.seen.filter((r) => r.method !== 'GET' && r.path !== '/token').length).toBe(writes);
    } finally {
      google.dwdScopes.add(SCOPES.calendar[0]);
    }
  }, 60_000);

  it('an expired sync token (410 GONE) costs a full listing, never a copy', async () => {
    google.calendar.expireSyncTokens();
    const before = google.server.seen.length;
    const { source, target } = await accounts();
    const report = await copyAccounts(db, { source, target }, { calendars: true, contacts: false });
    expect(report.complete).toBe(true);
    expect(report.collections.reduce((n, c) => n + c.copied, 0)).toBe(0);
    expect(google.server.seen.slice(before).filter((r) => r.status === 410).length).toBeGreaterThan(0);
    expect(google.server.seen.slice(before).filter((r) => r.method !== 'GET' && r.path !== '/token')).toEqual([]);
  }, 60_000);
});
