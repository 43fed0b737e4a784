import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelegatedAuth, SCOPES } from '../../../electron/backends/google/google-auth.ts';
import { createRetryingFetch } from '../../../electron/backends/http/http-client.ts';
import { createMicrosoftContext } from '../../../electron/backends/microsoft/microsoft-context.ts';
import { openDatabase, type Db } from '../../../electron/db/database.ts';
import { canonicalForm, ignoring } from '../../../electron/dav/dav-canonical.ts';
import { openDavAccount, type DavAccount } from '../../../electron/dav/dav-client.ts';
import { copyAccounts } from '../../../electron/dav/dav-job.ts';
import { GoogleDavAccount } from '../../../electron/dav/google-dav-account.ts';
import { GraphDavAccount } from '../../../electron/dav/graph-dav-account.ts';
import { GoogleFake } from '../../fakes/google/google-fake.ts';
import { selfSignedCertificate } from '../../fakes/http/self-signed.ts';
import { MicrosoftFake } from '../../fakes/microsoft/microsoft-fake.ts';
import { generateContacts, generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';

const SA = 'chain@project.iam.gserviceaccount.com';
const alice = { user: 'alice', password: 'alice-pw' };
const bob = { user: 'bob', password: 'bob-pw' };
const GUSER = 'carol@example.org';
const MUSER = 'dave@contoso.test';
const key = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const tls = selfSignedCertificate();
let server: RadicaleServer;
let google: GoogleFake;
let microsoft: MicrosoftFake;
let db: Db;
const retries: number[] = [];

const googleSide = (): GoogleDavAccount => {
  const base = google.server.baseUrl;
  const auth = new DelegatedAuth({ clientEmail: SA, privateKey: key.privateKey, tokenUri: `${base}/token` }, createRetryingFetch({ rewriteUrl: (u) => (u === 'https://oauth2.googleapis.com/token' ? `${base}/token` : u) }));
  return new GoogleDavAccount({ auth, user: GUSER, calendarRootUrl: `${base}/`, peopleRootUrl: `${base}/` });
};
const graphSide = (): GraphDavAccount => {
  const base = microsoft.server.baseUrl;
  const ctx = createMicrosoftContext({ tenantId: 'chain-tenant', clientId: 'chain-client', authorityHost: base, graphBaseUrl: base }, 'chain-secret', { caCertificate: tls.cert, onRetry: (e) => retries.push(e.status ?? 0) });
  return new GraphDavAccount(ctx, MUSER);
};

// Every item of every source collection is on the target as the target can hold it, compared in canonical form.
async function expectSameItems(source: DavAccount, target: DavAccount, report: Awaited<ReturnType<typeof copyAccounts>>): Promise<number> {
  const ignore = ignoring(target.stamps ?? []);
  let compared = 0;
  for (const c of await source.collections()) {
    const line = report.collections.find((r) => r.sourceName === c.displayName && r.kind === c.kind);
    if (!line) continue;
    const back = new Set((await target.items({ ...c, url: line.targetUrl })).map((i) => canonicalForm(i.data, ignore)));
    for (const item of await source.items(c)) {
      let expected: string;
      try {
        expected = target.adapt ? target.adapt(c.kind, item.data, line.targetUrl) : item.data;
      } catch {
        continue;
      }
      expect(back.has(canonicalForm(expected, ignore)), `${c.displayName}: ${item.url}`).toBe(true);
      compared++;
    }
  }
  return compared;
}

beforeAll(async () => {
  server = await startRadicale([alice, bob]);
  db = openDatabase(':memory:');
  google = new GoogleFake(['example.org']);
  google.registerServiceAccount(SA, key.publicKey);
  [...SCOPES.calendar, ...SCOPES.contacts].forEach((s) => google.dwdScopes.add(s));
  google.directory.seedUser(GUSER);
  await google.server.start();
  microsoft = new MicrosoftFake({ tenant: 'chain-tenant', clientId: 'chain-client', secret: 'chain-secret', tls });
  microsoft.graph.domains.set('contoso.test', { id: 'contoso.test', isVerified: true, isDefault: true });
  microsoft.graph.seedUser(MUSER);
  await microsoft.server.start();
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'work', displayName: 'Work', components: ['VEVENT'], items: generateEvents(20, 'Europe/Berlin', 'work').filter((_, i) => i % 10 !== 9) });
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'ny', displayName: 'New York', components: ['VEVENT'], items: generateEvents(10, 'America/New_York', 'ny').filter((_, i) => i % 10 !== 9) });
  await seedCollection(server, alice.user, alice.password, { kind: 'addressbook', name: 'contacts', displayName: 'Contacts', items: [...generateContacts(12), { name: 'group.vcf', text: ['BEGIN:VCARD', 'VERSION:4.0', 'UID:crew@corpus.test', 'FN:Crew', 'KIND:group', 'MEMBER:urn:uuid:ct-0@corpus.test', 'END:VCARD', ''].join('\r\n') }] });
}, 120_000);

afterAll(async () => {
  db?.close();
  await google?.server.close();
  await microsoft?.server.close();
  await server?.stop();
});

describe('calendars and contacts Radicale → Google → Microsoft 365 → Radicale (vendor fakes)', () => {
  it('Radicale → Google: every event and contact read back as Google holds it', async () => {
    const source = await openDavAccount({ url: server.url, ...alice });
    const report = await copyAccounts(db, { source, target: googleSide() }, { calendars: true, contacts: true });
    expect(report.failures).toEqual([]);
    expect(await expectSameItems(source, googleSide(), report)).toBe(18 + 9 + 13);
  }, 120_000);

  it('Google → Microsoft 365: series become patterned recurrences with their cancelled and moved occurrences; paging and 429 Retry-After honoured', async () => {
    microsoft.server.throttle({ times: 2, retryAfter: '1', match: (r) => r.method === 'POST' && r.path.endsWith('/events') });
    const report = await copyAccounts(db, { source: googleSide(), target: graphSide() }, { calendars: true, contacts: true });
    expect(report.failures).toEqual([]);
    expect(report.complete).toBe(true);
    expect(retries.filter((s) => s === 429)).toHaveLength(2);
    const work = report.collections.find((c) => c.sourceName === 'Work')!;
    expect(work).toMatchObject({ copied: 18, failed: 0 });
    expect(work.conversions!.map((c) => c.field)).toEqual(expect.arrayContaining(['VCALENDAR/VEVENT/ORGANIZER']));
    // The fake is the judge: the weekly series is a Graph pattern, one occurrence deleted, one patched.
    const cal = microsoft.calendar.calendars(MUSER).find((c) => c.name === 'Work')!;
    const masters = [...cal.items.values()].filter((e) => e['type'] === 'seriesMaster');
    expect(masters).toHaveLength(4);
    expect(masters[0]!['recurrence']).toEqual({ pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 12, recurrenceTimeZone: 'Europe/Berlin' } });
    const series = microsoft.calendar.series(MUSER, masters[0]!.id)!;
    expect([...series.cancelled]).toEqual(['2026-03-23T08:00:00.000Z']);
    expect([...series.changed.keys()]).toEqual(['2026-03-30T07:00:00.000Z']);
    // Graph has no contact groups: the group card is listed as not carried, its member is copied.
    expect(report.collections.find((c) => c.kind === 'addressbook')).toMatchObject({ copied: 12, notCarried: 1, conversions: expect.arrayContaining([expect.objectContaining({ field: 'VCARD/KIND', items: 1 })]) });
    expect(await expectSameItems(googleSide(), graphSide(), report)).toBe(18 + 9 + 12);
  }, 120_000);

  it('Microsoft 365 → Radicale: every item lands as Graph gave it; a second pass copies nothing', async () => {
    // From here Graph answers in UTC, as it does by default: the series' own zones come back from originalStartTimeZone.
    microsoft.calendar.answerInUtc = true;
    const target = await openDavAccount({ url: server.url, ...bob });
    const report = await copyAccounts(db, { source: graphSide(), target }, { calendars: true, contacts: true });
    expect(report.failures).toEqual([]);
    expect(report.complete).toBe(true);
    expect(await expectSameItems(graphSide(), target, report)).toBe(18 + 9 + 12);
    const work = report.collections.find((c) => c.sourceName === 'Work')!;
    const stored = storedItems(server, bob.user, work.targetUrl.split('/').filter(Boolean).pop()!);
    expect(stored).toHaveLength(18);
    expect(stored.find((s) => s.text.includes('UID:work-0@corpus.test'))?.text).toMatch(/EXDATE;TZID=Europe\/Berlin:20260323T090000[\s\S]*RECURRENCE-ID;TZID=Europe\/Berlin:20260330T090000/);
    const again = await copyAccounts(db, { source: graphSide(), target: await openDavAccount({ url: server.url, ...bob }) }, { calendars: true, contacts: true });
    expect(again.collections.reduce((n, c) => n + c.copied, 0)).toBe(0);
    expect(again.complete).toBe(true);
    // The calendars' calendarView/delta rounds list nothing new: no event is even listed.
    const calendars = again.collections.filter((c) => c.kind === 'calendar');
    expect(calendars.map((c) => c.sourceName).sort()).toEqual(['Calendar', 'New York', 'Work', GUSER]);
    expect(calendars.every((c) => c.skippedByChangeTag)).toBe(true);

    // A change on the Graph side shows in the delta round and is copied on the next pass.
    const work365 = microsoft.calendar.calendars(MUSER).find((c) => c.name === 'Work')!;
    const single = [...work365.items.values()].find((e) => e['type'] === 'singleInstance')!;
    // An edit in Outlook: new subject, new change key, the folder's change mark moved past every delta token.
    Object.assign(single, { subject: 'Renamed in Outlook', changeKey: 'edited-in-outlook' });
    work365.changedAt = Number.MAX_SAFE_INTEGER;
    const third = await copyAccounts(db, { source: graphSide(), target: await openDavAccount({ url: server.url, ...bob }) }, { calendars: true, contacts: true });
    expect(third.collections.find((c) => c.sourceName === 'Work')).toMatchObject({ skippedByChangeTag: false, copied: 1 });
    expect(storedItems(server, bob.user, work.targetUrl.split('/').filter(Boolean).pop()!).filter((s) => s.text.includes('SUMMARY:Renamed in Outlook'))).toHaveLength(1);
  }, 120_000);
});
