import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFetchBody, parseFetchHeader, parseFetchMeta, parseImapDate } from '../../../../electron/imap/fetch-parse.ts';
import type { RawResponse } from '../../../../electron/imap/response-reader.ts';

// What the FETCH parsers did before they found items with `search` (session 16): one `exec` per item.
const old = {
  uid: (t: string) => /[( ]UID (\d+)/i.exec(t),
  section(r: RawResponse, name: string): Buffer | null | undefined {
    const m = new RegExp(`[( ]${name} (?:\\0(\\d+)\\0|"((?:[^"\\\\]|\\\\.)*)"|(NIL))`, 'i').exec(r.text);
    if (!m) return undefined;
    if (m[1] !== undefined) return r.literals[Number(m[1])]!;
    if (m[3] !== undefined) return null;
    return Buffer.from((m[2] ?? '').replace(/\\(.)/g, '$1'), 'latin1');
  },
  flags: (t: string) => /[( ]FLAGS \(([^)]*)\)/i.exec(t)?.[1]?.split(' ').filter(Boolean) ?? [],
  date(t: string): Date | null {
    const date = /[( ]INTERNALDATE "([^"]*)"/i.exec(t)?.[1];
    return date ? parseImapDate(date) : null;
  },
  isFetch: (r: RawResponse) => /^\* \d+ FETCH \(/i.test(r.text),
  body(r: RawResponse) {
    if (!old.isFetch(r)) return null;
    const uid = old.uid(r.text);
    const content = old.section(r, 'BODY\\[\\]');
    if (!uid || content === undefined) return null;
    return { uid: Number(uid[1]), content: content ?? Buffer.alloc(0), flags: old.flags(r.text), internalDate: old.date(r.text) };
  },
  meta(r: RawResponse) {
    if (!old.isFetch(r)) return null;
    const uid = old.uid(r.text);
    const size = /[( ]RFC822\.SIZE (\d+)/i.exec(r.text);
    if (!uid || !size) return null;
    const header = old.section(r, 'BODY\\[HEADER(?:\\.FIELDS \\([^)]*\\))?\\]') ?? null;
    return { uid: Number(uid[1]), size: Number(size[1]), internalDate: old.date(r.text), flags: old.flags(r.text), header };
  },
  header(r: RawResponse) {
    if (!old.isFetch(r)) return null;
    const uid = old.uid(r.text);
    const header = old.section(r, 'BODY\\[HEADER\\]');
    return uid && header !== undefined ? { uid: Number(uid[1]), header: header ?? Buffer.alloc(0) } : null;
  },
};

// Items, near misses and the characters between them, in any order and case.
const piece = fc.constantFrom(
  'UID 17', 'uid 4294967295', 'UID ', 'UID x', 'XUID 5', 'UID 123456789012345678901', 'RFC822.SIZE 36383245639287723263', 'RFC822.SIZE 1234', 'rfc822.size 0', 'RFC822.SIZE ', 'RFC822xSIZE 9',
  'FLAGS (\\Seen $Label1)', 'FLAGS ()', 'FLAGS ( a  b )', 'flags (x', 'FLAGS (\\Seen', 'FLAGS x)',
  'INTERNALDATE "01-Aug-2002 12:00:00 +0200"', 'INTERNALDATE ""', 'internaldate " 1-jan-2030 00:00:00 -0130"', 'INTERNALDATE "', 'INTERNALDATE x',
  'BODY[] \u00000\u0000', 'body[] \u00001\u0000', 'BODY[] \u00007\u0000', 'BODY[] NIL', 'BODY[] nil', 'BODY[] "a\\"b\\\\c"', 'BODY[] "open', 'BODY[] \u0000x\u0000', 'BODY[]',
  'BODY[HEADER] \u00001\u0000', 'BODY[HEADER] NIL', 'BODY[HEADER.FIELDS (MESSAGE-ID)] \u00000\u0000', 'body[header.fields (a]b)] "q"', 'BODY[HEADER.FIELDS (X)] NIL', 'body[header] nil', 'BODY[HEADER.FIELDS (',
  ' ', ' ', ' ', '(', ')', '"', '\u0000', '0', '\\',
);
const response = fc
  .tuple(fc.constantFrom('* 3 FETCH (', '* 3 fetch (', '* 3 FETCH(', '* 4 EXISTS ', ''), fc.array(piece, { maxLength: 10 }), fc.constantFrom(')', '', ' )'))
  .map(([head, items, tail]): RawResponse => ({ text: head + items.join(' ') + tail, literals: [Buffer.from('literal 0'), Buffer.from('Message-ID: <a@b>\r\n\r\n')] }));

describe('FETCH items found by search', () => {
  it('parse as the exec-per-item parsers did, for bodies, metadata and header sections', () => {
    fc.assert(
      fc.property(response, (r) => {
        expect(parseFetchBody(r)).toEqual(old.body(r));
        expect(parseFetchMeta(r)).toEqual(old.meta(r));
        expect(parseFetchHeader(r)).toEqual(old.header(r));
      }),
      { numRuns: 20_000 },
    );
  });

  it('read a literal index, a quoted body, NIL, and a header name with "]" in its field list', () => {
    const literals = [Buffer.from('zero'), Buffer.from('one')];
    expect(parseFetchBody({ text: '* 1 FETCH (UID 9 BODY[] \u00001\u0000)', literals })?.content.toString()).toBe('one');
    expect(parseFetchBody({ text: '* 1 FETCH (UID 9 BODY[] "a\\\\b\\"c")', literals })?.content.toString()).toBe('a\\b"c');
    expect(parseFetchBody({ text: '* 1 FETCH (uid 9 body[] nil)', literals })?.content.length).toBe(0);
    expect(parseFetchMeta({ text: '* 1 FETCH (UID 9 RFC822.SIZE 5 BODY[HEADER.FIELDS (A]B)] \u00000\u0000)', literals })?.header?.toString()).toBe('zero');
  });
});
