import { describe, expect, it } from 'vitest';
import { CondstoreReader } from '../../../../electron/migration/condstore-reader.ts';
import type { FetchConnection } from '../../../../electron/migration/fetch-connection.ts';

// A source folder as a scripted connection: UIDVALIDITY 7, the given UIDs present, every command
// logged, and a note of any command sent while an earlier UID SEARCH was still unanswered.
function scripted(uids: readonly number[]) {
  const sent: string[] = [];
  let searching = 0;
  let overlapped = false;
  const line = (text: string) => ({ text });
  const conn = {
    examineCondstore: async () => {
      sent.push('EXAMINE');
      return { status: 'OK', text: 'done', responses: [line(`* ${uids.length} EXISTS`), line('* OK [UIDVALIDITY 7]'), line(`* OK [UIDNEXT ${Math.max(0, ...uids) + 1}]`), line('* OK [HIGHESTMODSEQ 90]')] };
    },
    collect: async (command: string) => {
      sent.push(command);
      if (command.startsWith('UID FETCH')) return { status: 'OK', text: 'done', responses: [line('* 1 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (80))')] };
      if (searching > 0) overlapped = true;
      searching++;
      await new Promise((r) => setTimeout(r, 5));
      searching--;
      const m = /UID SEARCH UID (\d+):(\d+|\*)/.exec(command)!;
      const lo = Number(m[1]);
      const hi = m[2] === '*' ? Infinity : Number(m[2]);
      // `n:*` also names the last message when every UID is below n (RFC 3501 §6.4.8).
      const hits = uids.filter((u) => u >= lo && u <= hi);
      const answer = m[2] === '*' && hits.length === 0 && uids.length > 0 ? [Math.max(...uids)] : hits;
      return { status: 'OK', text: 'done', responses: [line(`* SEARCH ${answer.join(' ')}`.trimEnd())] };
    },
  } as unknown as FetchConnection;
  return { conn, sent, overlapped: () => overlapped };
}

const lender = (conn: FetchConnection) => ({ borrow: async () => conn, giveBack: () => undefined });
const mark = { uidValidity: 7, highestModseq: 50n };

describe('CondstoreReader', () => {
  it('reads flag changes by CHANGEDSINCE and looks for no expunge when deletions are not wanted', async () => {
    const s = scripted([1, 2, 3]);
    const changes = await new CondstoreReader(lender(s.conn), () => null).changesSince('INBOX', mark);
    expect(changes.changed).toEqual([{ uid: 2, flags: ['\\Seen'] }]);
    expect(changes.vanished).toEqual([]);
    expect(s.sent).toEqual(['EXAMINE', 'UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE 50)']);
  });

  it('skips the UID search when the count up to the last copy matches what the job recorded', async () => {
    const s = scripted([1, 2, 3, 9]);
    const changes = await new CondstoreReader(lender(s.conn), () => ({ upTo: 3, recorded: 3 })).changesSince('INBOX', mark);
    expect(changes.vanished).toEqual([]);
    expect(s.sent.filter((c) => c.startsWith('UID SEARCH'))).toEqual(['UID SEARCH UID 4:*']);
  });

  it('finds expunged UIDs window by window, one SEARCH answered before the next is sent', async () => {
    process.env['MAILROOM_UID_WINDOW'] = '2';
    try {
      // Recorded 1..6; 2 and 5 are gone; 8 arrived since.
      const s = scripted([1, 3, 4, 6, 8]);
      const changes = await new CondstoreReader(lender(s.conn), () => ({ upTo: 6, recorded: 6 })).changesSince('INBOX', mark);
      expect(changes.vanished).toEqual([[2, 2], [5, 5]]);
      expect(s.sent.filter((c) => c.startsWith('UID SEARCH'))).toEqual(['UID SEARCH UID 7:*', 'UID SEARCH UID 1:2', 'UID SEARCH UID 3:4', 'UID SEARCH UID 5:6']);
      expect(s.overlapped()).toBe(false);
    } finally {
      delete process.env['MAILROOM_UID_WINDOW'];
    }
  });
});
