import { describe, expect, it } from 'vitest';
import { parseStatus } from '../../../../electron/migration/quiet-check.ts';
import { parseChanges, parseUidRanges } from '../../../../electron/migration/qresync-reader.ts';

const lines = (...texts: string[]): { text: string; literals: Buffer[] }[] => texts.map((text) => ({ text, literals: [] }));

describe('QRESYNC EXAMINE answers (RFC 7162 §3.2.5)', () => {
  it('collects UIDVALIDITY, changed flags by UID and vanished ranges, and what STATUS would say', () => {
    const changes = parseChanges(
      lines(
        '* 100 EXISTS',
        '* OK [UIDVALIDITY 1700000000] UIDs valid',
        '* OK [UIDNEXT 140] Predicted next UID',
        '* OK [HIGHESTMODSEQ 9001] Highest',
        '* VANISHED (EARLIER) 3:5,9',
        '* 7 FETCH (UID 12 FLAGS (\\Seen $Work) MODSEQ (8999))',
        '* 8 FETCH (MODSEQ (9000) FLAGS () UID 14)',
      ),
    );
    expect(changes).toEqual({
      uidValidity: 1700000000,
      modseqKept: true,
      vanished: [
        [3, 5],
        [9, 9],
      ],
      changed: [
        { uid: 12, flags: ['\\Seen', '$Work'] },
        { uid: 14, flags: [] },
      ],
      status: { messages: 100, uidNext: 140, uidValidity: 1700000000, highestModseq: 9001n },
    });
  });

  it('reports a folder without mod-sequences', () => {
    expect(parseChanges(lines('* OK [UIDVALIDITY 5] x', '* OK [NOMODSEQ] Sorry')).modseqKept).toBe(false);
  });

  it('orders descending ranges', () => {
    expect(parseUidRanges('10:7,2')).toEqual([
      [7, 10],
      [2, 2],
    ]);
  });
});

describe('STATUS with HIGHESTMODSEQ', () => {
  it('reads a mod-sequence beyond 2^53 exactly', () => {
    expect(parseStatus('* STATUS INBOX (MESSAGES 3 UIDNEXT 4 UIDVALIDITY 9 HIGHESTMODSEQ 9007199254740993)')).toEqual({ messages: 3, uidNext: 4, uidValidity: 9, highestModseq: 9007199254740993n });
    expect(parseStatus('* STATUS INBOX (MESSAGES 3)')).not.toHaveProperty('highestModseq');
  });
});
