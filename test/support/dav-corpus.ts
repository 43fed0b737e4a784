import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { RadicaleServer } from './radicale.ts';

/** A generated calendar or address book with its items, to seed a DAV server through plain HTTP. */
export interface SeedCollection {
  readonly kind: 'calendar' | 'addressbook';
  readonly name: string;
  readonly displayName: string;
  readonly description?: string;
  readonly color?: string;
  readonly components?: readonly string[];
  readonly items: readonly { readonly name: string; readonly text: string }[];
}

const TIMEZONES: Record<string, string> = {
  'Europe/Berlin': tz('Europe/Berlin', '+0100', '+0200', 'CET', 'CEST', '3', '10'),
  'America/New_York': tz('America/New_York', '-0500', '-0400', 'EST', 'EDT', '3;BYDAY=2SU', '11;BYDAY=1SU'),
  'Australia/Sydney': tz('Australia/Sydney', '+1000', '+1100', 'AEST', 'AEDT', '10;BYDAY=1SU', '4;BYDAY=1SU'),
};

function tz(id: string, std: string, dst: string, stdName: string, dstName: string, dstMonth: string, stdMonth: string): string {
  const rule = (month: string): string => (month.includes('BYDAY') ? `FREQ=YEARLY;BYMONTH=${month}` : `FREQ=YEARLY;BYMONTH=${month};BYDAY=-1SU`);
  return [
    'BEGIN:VTIMEZONE', `TZID:${id}`,
    'BEGIN:DAYLIGHT', `TZOFFSETFROM:${std}`, `TZOFFSETTO:${dst}`, `TZNAME:${dstName}`, 'DTSTART:19700329T020000', `RRULE:${rule(dstMonth)}`, 'END:DAYLIGHT',
    'BEGIN:STANDARD', `TZOFFSETFROM:${dst}`, `TZOFFSETTO:${std}`, `TZNAME:${stdName}`, 'DTSTART:19701025T030000', `RRULE:${rule(stdMonth)}`, 'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n');
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Events in three time zones: weekly series across the spring DST change with a moved and a
 * cancelled occurrence, all-day events, meetings with attendees and alarms, and (every tenth) a task.
 */
export function generateEvents(count: number, zone: keyof typeof TIMEZONES | string, prefix = 'ev'): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const uid = `${prefix}-${i}@corpus.test`;
    const day = 1 + (i % 27);
    const start = `2026${pad(1 + (i % 12))}${pad(day)}T${pad(8 + (i % 9))}0000`;
    const body: string[] = [];
    if (i % 10 === 9) {
      body.push('BEGIN:VTODO', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `SUMMARY:Task ${i}`, `DUE;TZID=${zone}:${start}`, 'STATUS:NEEDS-ACTION', 'PRIORITY:5', 'END:VTODO');
    } else if (i % 5 === 0) {
      // A weekly series over the March DST change, one occurrence moved, one cancelled.
      body.push(
        'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART;TZID=${zone}:20260302T090000`, `DTEND;TZID=${zone}:20260302T100000`,
        `SUMMARY:Weekly sync ${i}`, 'RRULE:FREQ=WEEKLY;COUNT=12;BYDAY=MO', `EXDATE;TZID=${zone}:20260323T090000`,
        'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Weekly sync', 'TRIGGER:-PT15M', 'END:VALARM', 'END:VEVENT',
        'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `RECURRENCE-ID;TZID=${zone}:20260330T090000`,
        `DTSTART;TZID=${zone}:20260331T140000`, `DTEND;TZID=${zone}:20260331T150000`, `SUMMARY:Weekly sync ${i} (moved)`, 'END:VEVENT',
      );
    } else if (i % 5 === 1) {
      body.push('BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART;VALUE=DATE:2026${pad(1 + (i % 12))}${pad(day)}`, `DTEND;VALUE=DATE:2026${pad(1 + (i % 12))}${pad(day + 1)}`, `SUMMARY:Holiday ${i}`, 'TRANSP:TRANSPARENT', 'END:VEVENT');
    } else {
      body.push(
        'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART;TZID=${zone}:${start}`, 'DURATION:PT45M', `SUMMARY:Meeting ${i} — Grüße, 会議`,
        `DESCRIPTION:Agenda line one\\nline two\\, with a comma; and a semicolon ${'x'.repeat(i % 90)}`, `LOCATION:Room ${i % 7}`,
        'ORGANIZER;CN=Alice Example:mailto:alice@example.test', `ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob${i}@example.test`,
        'ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.test', 'CATEGORIES:work,corpus',
        'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Reminder', 'TRIGGER;RELATED=START:-PT10M', 'END:VALARM', 'END:VEVENT',
      );
    }
    const needsZone = !(i % 5 === 1 && i % 10 !== 9);
    const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Mailroom corpus//EN', ...(needsZone ? [TIMEZONES[zone] ?? ''] : []), ...body, 'END:VCALENDAR', ''].join('\r\n');
    out.push({ name: `${uid.replace('@', '_')}.ics`, text });
  }
  return out;
}

/** vCard 3.0 contacts: several addresses and numbers, a group category, and (every third) a photo. */
export function generateContacts(count: number, prefix = 'ct'): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const uid = `${prefix}-${i}@corpus.test`;
    const lines = [
      'BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Mailroom corpus//EN', `UID:${uid}`, `FN:Person ${i} Müller`, `N:Müller;Person ${i};;;`,
      `EMAIL;TYPE=INTERNET,WORK:p${i}@example.test`, `EMAIL;TYPE=INTERNET,HOME:p${i}@home.example`, `TEL;TYPE=CELL:+49 151 ${String(1000000 + i)}`,
      `ORG:Customer ${i % 13}`, `CATEGORIES:${i % 2 === 0 ? 'Clients' : 'Suppliers'}`, 'ADR;TYPE=WORK:;;Hauptstraße 1;Berlin;;10115;Germany',
      ...(i % 3 === 0 ? [`PHOTO;ENCODING=b;TYPE=PNG:${tinyPng(i).toString('base64')}`] : []),
      'END:VCARD', '',
    ];
    out.push({ name: `${uid.replace('@', '_')}.vcf`, text: lines.join('\r\n') });
  }
  return out;
}

/** vCard 3.0 contacts each carrying a PHOTO of about `photoKb` KB of base64 (random bytes, as a JPEG is to gzip), folded as servers send it. */
export function generatePhotoContacts(count: number, photoKb: number, prefix = 'big'): { name: string; text: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${randomBytes(Math.floor((photoKb * 1024 * 3) / 4)).toString('base64')}`;
    const lines = ['BEGIN:VCARD', 'VERSION:3.0', `UID:${prefix}-${i}@corpus.test`, `FN:Person ${i}`, `N:Person;${i};;;`, `EMAIL:p${i}@example.test`, photo.match(/.{1,74}/g)!.join('\r\n '), 'END:VCARD', ''];
    return { name: `${prefix}-${i}.vcf`, text: lines.join('\r\n') };
  });
}

// A valid 16x16 PNG whose pixels depend on the seed: photos differ, as real ones do.
function tinyPng(seed: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.from([0, 0, 0, 16, 0, 0, 0, 16, 8, 2, 0, 0, 0]);
  const rows = Buffer.alloc(16 * (1 + 16 * 3));
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) rows.fill((seed * 7 + x * y) & 0xff, y * 49 + 1 + x * 3, y * 49 + 4 + x * 3);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** Creates the collection on the server with plain MKCALENDAR / extended MKCOL and PUTs every item. */
export async function seedCollection(server: RadicaleServer, user: string, password: string, c: SeedCollection): Promise<string> {
  const auth = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  const url = new URL(`${user}/${c.name}/`, server.url).href;
  const extra = [
    c.description ? (c.kind === 'calendar' ? `<C:calendar-description>${c.description}</C:calendar-description>` : `<CR:addressbook-description>${c.description}</CR:addressbook-description>`) : '',
    c.color ? `<I:calendar-color>${c.color}</I:calendar-color>` : '',
    c.components ? `<C:supported-calendar-component-set>${c.components.map((x) => `<C:comp name="${x}"/>`).join('')}</C:supported-calendar-component-set>` : '',
  ].join('');
  const ns = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CR="urn:ietf:params:xml:ns:carddav" xmlns:I="http://apple.com/ns/ical/"';
  const body =
    c.kind === 'calendar'
      ? `<?xml version="1.0"?><C:mkcalendar ${ns}><D:set><D:prop><D:displayname>${c.displayName}</D:displayname>${extra}</D:prop></D:set></C:mkcalendar>`
      : `<?xml version="1.0"?><D:mkcol ${ns}><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>${c.displayName}</D:displayname>${extra}</D:prop></D:set></D:mkcol>`;
  const made = await fetch(url, { method: c.kind === 'calendar' ? 'MKCALENDAR' : 'MKCOL', headers: { ...auth, 'content-type': 'application/xml' }, body });
  if (made.status !== 201) throw new Error(`seeding ${url}: HTTP ${made.status} ${await made.text()}`);
  // Eight at a time: Radicale answers each PUT on its own thread.
  for (let i = 0; i < c.items.length; i += 8) await Promise.all(c.items.slice(i, i + 8).map((item) => putItem(url + item.name, auth, c.kind, item.text)));
  return url;
}

/** PUTs one item (create or replace), failing loudly when the server refuses. */
export async function putItem(url: string, auth: Record<string, string>, kind: SeedCollection['kind'], text: string): Promise<void> {
  const put = await fetch(url, { method: 'PUT', headers: { ...auth, 'content-type': kind === 'calendar' ? 'text/calendar' : 'text/vcard' }, body: text });
  if (put.status !== 201 && put.status !== 204) throw new Error(`seeding ${url}: HTTP ${put.status} ${await put.text()}`);
}
