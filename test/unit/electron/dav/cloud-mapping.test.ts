import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { parseCloudSide } from '../../../../electron/dav/cloud-side.ts';
import { fromGoogleEvents, toGoogleEvents } from '../../../../electron/dav/google-event-map.ts';
import { fromGraphRecurrence, toGraphRecurrence } from '../../../../electron/dav/graph-recurrence.ts';
import { utcToWall, vtimezoneFor, wallToUtc } from '../../../../electron/dav/tz-rules.ts';
import { toVcard3 } from '../../../../electron/dav/vcard3.ts';

const event = (lines: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VEVENT', 'UID:u1', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('cloud sides on the command line', () => {
  it('parses google:/m365: sides and says what is missing', () => {
    expect(parseCloudSide('google:Acme GW/ann@acme.test')).toEqual({ platform: 'google', connection: 'Acme GW', user: 'ann@acme.test' });
    expect(parseCloudSide('m365:tenant/with/slash/bo@contoso.test')).toEqual({ platform: 'microsoft', connection: 'tenant/with/slash', user: 'bo@contoso.test' });
    expect(parseCloudSide('https://dav.example.test/')).toBeNull();
    expect(parseCloudSide('m365:tenant')).toMatch(/names no user/);
    expect(parseCloudSide('google:/ann@acme.test')).toMatch(/names no user/);
  });
});

describe('Graph recurrence patterns', () => {
  const start = ICAL.Time.fromDateTimeString('2026-03-03T09:00:00');
  const cases: [string, string][] = [
    ['FREQ=WEEKLY;COUNT=12;BYDAY=MO,WE', 'FREQ=WEEKLY;COUNT=12;BYDAY=MO,WE'],
    ['FREQ=DAILY;UNTIL=20260401;INTERVAL=2', 'FREQ=DAILY;UNTIL=20260401;INTERVAL=2'],
    ['FREQ=MONTHLY;BYDAY=2TU', 'FREQ=MONTHLY;BYDAY=2TU'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', 'FREQ=MONTHLY;BYMONTHDAY=15'],
    ['FREQ=YEARLY;COUNT=3', 'FREQ=YEARLY;COUNT=3;BYMONTHDAY=3;BYMONTH=3'],
    ['FREQ=WEEKLY', 'FREQ=WEEKLY;BYDAY=TU'],
  ];
  it.each(cases)('%s becomes a pattern and comes back as %s', (rule, back) => {
    const pattern = toGraphRecurrence(ICAL.Recur.fromString(rule), start, 'Europe/Berlin');
    expect(pattern?.range.recurrenceTimeZone).toBe('Europe/Berlin');
    expect(fromGraphRecurrence(pattern!)).toBe(back);
  });
  it('has no pattern for rules Graph cannot express', () => {
    expect(toGraphRecurrence(ICAL.Recur.fromString('FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1'), start, undefined)).toBeNull();
    expect(toGraphRecurrence(ICAL.Recur.fromString('FREQ=HOURLY'), start, undefined)).toBeNull();
  });
});

describe('time zones from the IANA rules', () => {
  it('finds the 2026 transitions of Europe/Berlin and Australia/Sydney', () => {
    const berlin = vtimezoneFor('Europe/Berlin', 2026, 2026).toString();
    expect(berlin).toMatch(/BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/);
    expect(berlin).toMatch(/BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:\+0200\r\nTZOFFSETTO:\+0100/);
    expect(vtimezoneFor('Australia/Sydney', 2026, 2026).toString()).toMatch(/BEGIN:STANDARD\r\nDTSTART:20260405T030000\r\nTZOFFSETFROM:\+1100\r\nTZOFFSETTO:\+1000/);
  });
  it('converts wall-clock times across a DST change both ways', () => {
    expect(new Date(wallToUtc('2026-03-30T09:00:00', 'Europe/Berlin')).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(new Date(wallToUtc('2026-03-23T09:00:00', 'Europe/Berlin')).toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(utcToWall(Date.parse('2026-11-02T14:00:00Z'), 'America/New_York')).toBe('2026-11-02T09:00:00');
  });
});

describe('Google Calendar events', () => {
  it('maps attendee statuses Google lacks to needsAction and keeps the rest', () => {
    const [e] = toGoogleEvents(event(['DTSTART;TZID=Europe/Berlin:20260302T090000', 'DTEND;TZID=Europe/Berlin:20260302T100000', 'ATTENDEE;PARTSTAT=DELEGATED:mailto:a@x.test', 'ATTENDEE;PARTSTAT=TENTATIVE;ROLE=OPT-PARTICIPANT:mailto:b@x.test']));
    expect(e!.attendees).toEqual([{ email: 'a@x.test', responseStatus: 'needsAction' }, { email: 'b@x.test', responseStatus: 'tentative', optional: true }]);
    expect(e!.start).toEqual({ dateTime: '2026-03-02T09:00:00', timeZone: 'Europe/Berlin' });
    expect(fromGoogleEvents([e!])).toMatch(/ATTENDEE;PARTSTAT=TENTATIVE;ROLE=OPT-PARTICIPANT:mailto:b@x.test/);
  });
  it('keeps at most five reminders and turns DURATION into an end', () => {
    const alarms = [5, 10, 15, 20, 25, 30].flatMap((m) => ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', `TRIGGER:-PT${m}M`, 'END:VALARM']);
    const [e] = toGoogleEvents(event(['DTSTART:20260302T090000Z', 'DURATION:PT45M', ...alarms]));
    expect(e!.reminders?.overrides).toHaveLength(5);
    expect(e!.end).toEqual({ dateTime: '2026-03-02T09:45:00Z' });
  });
});

describe('vCard 4 → vCard 3', () => {
  const v4 = (lines: string[]): string => ['BEGIN:VCARD', 'VERSION:4.0', 'UID:urn:uuid:1', 'FN:P', ...lines, 'END:VCARD', ''].join('\r\n');
  it('inlines a data: URI photo as base64 with its type', () => {
    expect(toVcard3(v4(['PHOTO:data:image/jpeg;base64,/9j/4AAQ']))).toMatch(/^PHOTO;ENCODING=b;TYPE=JPEG:\/9j\/4AAQ\r$/m);
  });
  it('turns the ADR label parameter into a LABEL property and PREF into TYPE=pref', () => {
    const out = toVcard3(v4(['ADR;TYPE=work;PREF=1;LABEL="Main St 1\\nBerlin":;;Main St 1;Berlin;;;']));
    expect(out).toMatch(/^ADR;TYPE=work,pref:;;Main St 1;Berlin;;;\r$/m);
    expect(out).toMatch(/^LABEL;TYPE=work,pref:Main St 1\\nBerlin\r$/m);
  });
  it('leaves a vCard 3.0 card as it is', () => {
    const v3 = ['BEGIN:VCARD', 'VERSION:3.0', 'UID:x', 'FN:P', 'TEL;TYPE=CELL:+1', 'END:VCARD', ''].join('\r\n');
    expect(toVcard3(v3)).toBe(v3);
  });
});
