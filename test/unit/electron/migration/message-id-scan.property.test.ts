import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyFromBody, parseMessageIdHeader, usableMessageId } from '../../../../electron/migration/message-key.ts';

// What parseMessageIdHeader did before it scanned bytes (session 16): the whole header decoded, the field found by a pattern.
function decodedWhole(block: Buffer): string | null {
  const text = block.toString('latin1');
  const start = /^message-id:/im.exec(text)?.index;
  if (start === undefined) return null;
  const lineEnd = /\r?\n(?![ \t])/g;
  lineEnd.lastIndex = start;
  const line = text.slice(start, lineEnd.exec(text)?.index ?? text.length).replace(/\r?\n[ \t]+/g, ' ');
  const value = /^message-id:[ \t]*(.*)$/im.exec(line)?.[1]?.trim() ?? '';
  return usableMessageId(value) ? value : null;
}

// Pieces that header lines, field names, folds and odd bytes are made of; joined at random they hit every branch of the scan.
const piece = fc.constantFrom(
  'Message-ID:', 'message-id:', 'MESSAGE-ID:', 'Message-Id:', 'mEsSaGe-iD:', 'X-Message-ID:', 'Message-ID :', 'Message_ID:', 'Message-', 'ID:', 'id:', 'iD:',
  '\r\n', '\n', '\r', '\r\r\n', '\r\n ', '\r\n\t', '\n ', ' ', '\t', '\x0b', '\f', '\xa0', '\x00', '\xff', '\xe9',
  '<a@b>', '<>', '<', '>', '<x\r\n @y>', 'Subject: hi', 'From: a@b', ': ', '-', 'message\r-id:', 'Message\r\n-ID:', 'Message\r',
);
const header = fc.oneof(
  fc.array(piece, { maxLength: 24 }).map((parts) => Buffer.from(parts.join(''), 'latin1')),
  fc.tuple(fc.array(piece, { maxLength: 12 }), fc.uint8Array({ maxLength: 40 }), fc.array(piece, { maxLength: 12 })).map(([a, bytes, b]) =>
    Buffer.concat([Buffer.from(a.join(''), 'latin1'), bytes, Buffer.from(b.join(''), 'latin1')]),
  ),
);

describe('parseMessageIdHeader scanning bytes', () => {
  it('finds what decoding the whole header found, for any mix of field names, folds, line breaks and 8-bit bytes', () => {
    fc.assert(fc.property(header, (h) => {
        expect(parseMessageIdHeader(h)).toBe(decodedWhole(h));
      }), { numRuns: 20_000 });
  });

  it('reads a string as its latin1 bytes, as before', () => {
    fc.assert(fc.property(header, (h) => {
        expect(parseMessageIdHeader(h.toString('latin1'))).toBe(decodedWhole(h));
      }), { numRuns: 2_000 });
  });

  it('handles the edges by name', () => {
    const cases: [string, string | null][] = [
      ['mESSAGE-iD: <odd@case>\r\n\r\n', '<odd@case>'],
      ['Subject: x\r\nMessage-ID:\r\n <folded@twice>\r\n\t(c)\r\nX: y\r\n\r\n', '<folded@twice> (c)'],
      ['X-Message-ID: <no@no>\r\nSubject: none\r\n\r\n', null],
      ['Subject: a\r\nMessage-ID: <\xe9t\xe9@8bit>\r\n\r\n', '<\xe9t\xe9@8bit>'],
      ['Subject: a\r\nMessage-ID: <at@end-of-literal>', '<at@end-of-literal>'],
      ['Subject: a\r\nMessage-ID: <at@end-with-lf>\r\n', '<at@end-with-lf>'],
      ['Message-ID: <lone\rcr@x>\r\n\r\n', '<lone'],
      ['Message\r-ID: <not@this>\r\n\r\n', null],
      ['Message\rID: <cr@is-no-dash>\r\n\r\n', null],
      ['Message-ID: <>\r\nMessage-ID: <second@counts-not>\r\n\r\n', null],
      ['Message-ID:\r\n\r\n', null],
      ['', null],
    ];
    for (const [text, want] of cases) expect(parseMessageIdHeader(Buffer.from(text, 'latin1')), JSON.stringify(text)).toBe(want);
  });

  it('keys a body by the Message-ID of its header only, not one in its text', () => {
    const body = Buffer.from('Subject: a\r\n\r\nMessage-ID: <in@body>\r\n', 'latin1');
    expect(keyFromBody(body, 1_000_000, body.length)).toMatch(/^hdr:/);
  });
});
