import { describe, expect, it } from 'vitest';
import { parseFetchBody, parseImapDate } from '../../../electron/migration/fetch-connection.ts';

describe('raw FETCH parsing', () => {
  it('parses IMAP date-times with their zone', () => {
    expect(parseImapDate('01-Aug-2002 12:00:00 +0200')?.toISOString()).toBe('2002-08-01T10:00:00.000Z');
    expect(parseImapDate(' 1-Jan-2030 00:00:00 -0130')?.toISOString()).toBe('2030-01-01T01:30:00.000Z');
    expect(parseImapDate('yesterday')).toBeNull();
  });

  it('takes UID, FLAGS, INTERNALDATE and the literal body in any order', () => {
    const body = Buffer.from('Subject: x\r\n\r\nBODY[] (FLAGS) UID 9\r\n');
    const m = parseFetchBody({ text: '* 3 FETCH (UID 17 FLAGS (\\Seen $Label1) INTERNALDATE "01-Aug-2002 12:00:00 +0000" BODY[] \u00000\u0000)', literals: [body] });
    expect(m).toEqual({ uid: 17, content: body, flags: ['\\Seen', '$Label1'], internalDate: new Date(Date.UTC(2002, 7, 1, 12)) });
    const reordered = parseFetchBody({ text: '* 3 FETCH (BODY[] \u00000\u0000 INTERNALDATE "01-Aug-2002 12:00:00 +0000" FLAGS () UID 18)', literals: [body] });
    expect([reordered?.uid, reordered?.flags]).toEqual([18, []]);
  });

  it('accepts a quoted body and ignores FETCH responses without one', () => {
    expect(parseFetchBody({ text: '* 1 FETCH (UID 2 BODY[] "a\\"b")', literals: [] })?.content.toString()).toBe('a"b');
    expect(parseFetchBody({ text: '* 1 FETCH (FLAGS (\\Seen))', literals: [] })).toBeNull();
    expect(parseFetchBody({ text: '* 4 EXISTS', literals: [] })).toBeNull();
  });
});
