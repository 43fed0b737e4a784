import { describe, expect, it } from 'vitest';
import type { FetchConnection } from '../../../../electron/migration/fetch-connection.ts';
import { parseStatus, probeSource } from '../../../../electron/migration/quiet-check.ts';
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

  it('leaves out what the server said of the folder open before the [CLOSED] answer', () => {
    const changes = parseChanges(lines('* VANISHED 40', '* 3 FETCH (UID 41 FLAGS (\\Deleted) MODSEQ (77))', '* OK [CLOSED] Previous mailbox closed', '* 5 EXISTS', '* OK [UIDVALIDITY 9] x'));
    expect(changes).toMatchObject({ uidValidity: 9, vanished: [], changed: [], status: { messages: 5 } });
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

describe('the quiet check over QRESYNC (RFC 5161 ENABLE)', () => {
  // A source that answers every command OK; ENABLE's untagged ENABLED line only when `confirms`.
  const source = (confirms: boolean): FetchConnection =>
    ({
      capabilities: new Set(['IMAP4REV1', 'ENABLE', 'CONDSTORE', 'QRESYNC']),
      collect: async (command: string) => ({ status: 'OK', text: 'done', responses: command === 'ENABLE QRESYNC' && confirms ? lines('* ENABLED QRESYNC') : command.startsWith('LIST') ? lines('* LIST () "/" INBOX') : [] }),
      examineSince: async () => ({ status: 'OK', text: 'done', responses: lines('* 2 EXISTS', '* OK [UIDVALIDITY 7] x', '* OK [UIDNEXT 3] x', '* OK [HIGHESTMODSEQ 12] x', '* VANISHED (EARLIER) 1') }),
    }) as unknown as FetchConnection;
  const marks = new Map([['INBOX', { uidValidity: 7, highestModseq: 10n }]]);

  it('takes the changes when ENABLE answered OK with ENABLED QRESYNC', async () => {
    const seen = await probeSource(source(true), 'k', ['INBOX'], marks);
    expect(seen.qresync).toBe(true);
    expect(seen.changes.get('INBOX')?.changes.vanished).toEqual([[1, 1]]);
  });

  it('counts QRESYNC as not enabled when the OK came without ENABLED QRESYNC', async () => {
    const seen = await probeSource(source(false), 'k', ['INBOX'], marks);
    expect(seen.qresync).toBe(false);
    expect(seen.changes.size).toBe(0);
  });
});
