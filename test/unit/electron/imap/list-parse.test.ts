import { describe, expect, it } from 'vitest';
import { parseListLine, parseNamespaceLine, parseStatusLine, tokenize } from '../../../../electron/imap/list-parse.ts';
import type { RawResponse } from '../../../../electron/imap/response-reader.ts';

// A response as the reader hands it on: each literal's "{n}" replaced by "\0<index>\0".
const r = (text: string, ...literals: string[]): RawResponse => ({ text, literals: literals.map((l) => Buffer.from(l, 'utf8')) });

describe('IMAP response tokens (list-parse.ts)', () => {
  it('reads atoms, quoted strings with escapes, literals, NIL and nested lists', () => {
    expect(tokenize(r('a "b \\"c\\" \\\\" \x000\x00 NIL nil "NIL" (x (y)) ()', 'lit "eral"'))).toEqual(['a', 'b "c" \\', 'lit "eral"', null, null, 'NIL', ['x', ['y']], []]);
  });

  it('gives null, never throws, on malformed text', () => {
    for (const bad of ['"unterminated', '"ends in escape\\', '(open', 'stray)', '\u00000\u0000', '\u0000', '(((((((((((((((((((((((((((((((deep)))))))))))))))))))))))))))))))']) {
      expect(tokenize(r(bad))).toBeNull();
    }
  });

  it('decodes 8-bit text in a quoted string as UTF-8', () => {
    expect(tokenize(r(`"${Buffer.from('Müller', 'utf8').toString('latin1')}"`))).toEqual(['Müller']);
  });
});

describe('LIST, STATUS and NAMESPACE answers', () => {
  it('reads a LIST line: atom, quoted and literal names, NIL delimiter, extended data ignored', () => {
    expect(parseListLine(r('* LIST (\\HasNoChildren \\Sent) "/" Sent'))).toEqual({ flags: ['\\HasNoChildren', '\\Sent'], delimiter: '/', name: 'Sent' });
    expect(parseListLine(r('* list () "." "INBOX.Dr. \\"Who\\""'))).toEqual({ flags: [], delimiter: '.', name: 'INBOX.Dr. "Who"' });
    expect(parseListLine(r('* LIST (\\Noselect) NIL \x000\x00 ("CHILDINFO" ("SUBSCRIBED"))', 'a (b) "c"'))).toEqual({ flags: ['\\Noselect'], delimiter: null, name: 'a (b) "c"' });
  });

  it('refuses LIST lines of another shape', () => {
    for (const bad of ['* LIST', '* LIST () "/"', '* LIST \\Noselect "/" x', '* LIST (\\A (nested)) "/" x', '* LIST () ("/") x', '* LIST () "/" (x)', '* LISTX () "/" x', '* LSUB () "/" x', '* LIST () "/" "x']) {
      expect(parseListLine(r(bad))).toBeNull();
    }
  });

  it('reads STATUS items whatever the name, and drops values that are not numbers', () => {
    const s = parseStatusLine(r('* STATUS \x000\x00 (MESSAGES 3 uidnext 9 UIDVALIDITY 1700000000 HIGHESTMODSEQ 123456789012345678 UNSEEN x BOGUS)', 'a (MESSAGES 1)'));
    expect(s?.name).toBe('a (MESSAGES 1)');
    expect(Object.fromEntries(s!.items)).toEqual({ MESSAGES: '3', UIDNEXT: '9', UIDVALIDITY: '1700000000', HIGHESTMODSEQ: '123456789012345678' });
    expect(parseStatusLine(r('* STATUS "x"'))).toBeNull();
    expect(parseStatusLine(r('* STATUS ("x") (MESSAGES 1)'))).toBeNull();
  });

  it('reads NAMESPACE groups, adds a missing trailing delimiter, and keeps NIL as false', () => {
    expect(parseNamespaceLine(r('* NAMESPACE (("INBOX." ".")) (("user" ".")("#other" NIL)) NIL'))).toEqual({
      personal: [{ prefix: 'INBOX.', delimiter: '.' }],
      other: [{ prefix: 'user.', delimiter: '.' }, { prefix: '#other', delimiter: null }],
      shared: false,
    });
    expect(parseNamespaceLine(r('* NAMESPACE (("" "/" "X-PARAM" ("a"))) NIL (("Shared/" "/"))'))).toEqual({ personal: [{ prefix: '', delimiter: '/' }], other: false, shared: [{ prefix: 'Shared/', delimiter: '/' }] });
    // Entries of another shape are left out; a group of none is none.
    expect(parseNamespaceLine(r('* NAMESPACE ((x) "bad" ("" "/")) NIL NIL'))?.personal).toEqual([{ prefix: '', delimiter: '/' }]);
    expect(parseNamespaceLine(r('* NAMESPACE ((x)) NIL NIL'))?.personal).toBe(false);
    for (const bad of ['* NAMESPACE', '* NAMESPACE NIL NIL', '* NAMESPACE "x" NIL NIL', '* NAMESPACE (("" "/") NIL NIL']) expect(parseNamespaceLine(r(bad))).toBeNull();
  });
});
