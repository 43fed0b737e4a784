import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalForm, DavItemParseError, differingProperties, itemKey } from '../../../../electron/dav/dav-canonical.ts';

const event = (extra: string[] = [], summary = 'Planning'): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//A//EN', 'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE',
    'BEGIN:VEVENT', 'UID:abc-1@example.test', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Europe/Berlin:20260302T090000', `SUMMARY:${summary}`, 'ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.test', ...extra, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('canonical form of calendar and contact items', () => {
  it('ignores folding, line endings, property and parameter order, parameter-name case and PRODID', () => {
    const reordered = event()
      .replace('PRODID:-//A//EN', 'PRODID:-//Another server//EN')
      .replace('ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.test', 'ATTENDEE;partstat=ACCEPTED;CN=Bob:mailto:bob@example.test')
      .replace('SUMMARY:Planning\r\n', '')
      .replace('UID:abc-1@example.test', 'SUMMARY:Plan\r\n ning\r\nUID:abc-1@example.test')
      .replace(/\r\n/g, '\n');
    expect(canonicalForm(reordered)).toBe(canonicalForm(event()));
  });

  it('differs when a value, a parameter or a sub-component changes, and names what changed', () => {
    expect(canonicalForm(event([], 'Planning!'))).not.toBe(canonicalForm(event()));
    expect(canonicalForm(event().replace('PARTSTAT=ACCEPTED', 'PARTSTAT=DECLINED'))).not.toBe(canonicalForm(event()));
    const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'DESCRIPTION:x', 'END:VALARM'];
    expect(canonicalForm(event(alarm))).not.toBe(canonicalForm(event()));
    expect(differingProperties(event(), event([], 'Other'))).toEqual(['VCALENDAR/VEVENT/SUMMARY']);
  });

  it('keys a calendar object by the UID of its event, not its time zone, and a card by its UID', () => {
    expect(itemKey(event(), 'file.ics')).toEqual({ key: 'abc-1@example.test', hasUid: true });
    expect(itemKey('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nUID:card-7\r\nEND:VCARD\r\n', 'x.vcf')).toEqual({ key: 'card-7', hasUid: true });
    expect(itemKey('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n', 'x.vcf')).toEqual({ key: 'name:x.vcf', hasUid: false });
  });

  it('refuses text that is not iCalendar or vCard with a DavItemParseError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          canonicalForm(text);
          return true;
        } catch (error) {
          return error instanceof DavItemParseError;
        }
      }),
    );
    expect(() => canonicalForm('BEGIN:VEVENT\r\nSUMMARY:unterminated')).toThrow(DavItemParseError);
  });

  it('is stable: the canonical form of any summary text survives a round of escaping', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => !/[\r\n]/.test(s)), (summary) => {
        const escaped = summary.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,');
        return canonicalForm(event([], escaped)) === canonicalForm(event([], escaped).replace(/\r\n/g, '\n'));
      }),
    );
  });
});
