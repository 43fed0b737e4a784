import { describe, expect, it } from 'vitest';
import { keyFromBody, parseMessageIdHeader, usableMessageId } from '../../../../electron/migration/message-key.ts';
import { loadCorpus } from '../../../support/migration-corpus.ts';

// What parseMessageIdHeader did before it unfolded only the Message-ID's own line: the whole header unfolded, then searched.
function unfoldWhole(text: string): string | null {
  const value = /^message-id:[ \t]*(.*)$/im.exec(text.replace(/\r?\n[ \t]+/g, ' '))?.[1]?.trim() ?? '';
  return usableMessageId(value) ? value : null;
}

describe('parseMessageIdHeader', () => {
  it('finds the same Message-ID as unfolding the whole header, for every message of the corpus', () => {
    const headers = loadCorpus().map((m) => m.content.toString('latin1', 0, m.content.indexOf('\r\n\r\n') + 4));
    expect(headers.length).toBeGreaterThan(6000);
    const differing = headers.filter((h) => parseMessageIdHeader(h) !== unfoldWhole(h));
    expect(differing).toEqual([]);
  });

  it('handles folding, bare line breaks and look-alikes as before', () => {
    const cases = [
      'Subject: a\r\n b\r\nMessage-ID:\r\n\t<x@y>\r\n \r\nFrom: z\r\n\r\n',
      'Subject: a\r\n Message-ID: <not@this>\r\nMessage-Id: <this@one>\r\n\r\n',
      'X-Message-ID: <no@no>\r\nmessage-id:<lower@case> (comment)\r\n\r\n',
      'Subject: x\rMessage-ID: <after@cr>\r\n\r\n',
      'Message-ID: <a@b>\r\nMessage-ID: <second@b>\r\n\r\n',
      'Message-ID: <first\r\n @folded>\nX: y\n\n',
      'Message-ID: <at@end>',
      'Message-ID: <>\r\n\r\n',
      'Subject: none\r\n\r\n',
    ];
    for (const c of cases) expect(parseMessageIdHeader(c), JSON.stringify(c)).toBe(unfoldWhole(c));
    expect(parseMessageIdHeader(Buffer.from(cases[0]!, 'latin1'))).toBe('<x@y>');
    expect(keyFromBody(Buffer.from(cases[2]! + 'body'), 1_000_000, 60)).toBe('mid:<lower@case> (comment)|1000|60');
  });
});
