import { describe, expect, it } from 'vitest';
import type { FetchConnection } from '../../../../electron/migration/fetch-connection.ts';
import { QresyncReader, type FolderChanges } from '../../../../electron/migration/qresync-reader.ts';

// A source connection as a script: whether ENABLE QRESYNC enables it (a stricter server than Dovecot
// refuses it once a folder was opened), and every command it was sent.
function scripted(enables: boolean) {
  const sent: string[] = [];
  const conn = {
    alive: true,
    collect: async (command: string) => {
      sent.push(command);
      return { status: 'OK', text: 'done', responses: enables ? [{ text: '* ENABLED QRESYNC' }] : [] };
    },
    examineSince: async (path: string) => {
      sent.push(`EXAMINE ${path} (QRESYNC)`);
      return { status: 'OK', text: 'done', responses: [{ text: '* OK [UIDVALIDITY 7]' }, { text: '* OK [HIGHESTMODSEQ 90]' }, { text: '* 1 FETCH (UID 2 FLAGS (\\Seen) MODSEQ (80))' }] };
    },
  } as unknown as FetchConnection;
  return { conn, sent };
}

// The run's pool as the reader sees it: one connection to lend, and `spares` to open while there is room.
function pool(lent: FetchConnection, spares: FetchConnection[]) {
  const opened: FetchConnection[] = [];
  return { opened, borrow: async () => lent, giveBack: () => undefined, spare: async () => (spares.length ? opened[opened.push(spares.shift()!) - 1]! : null) };
}

const mark = { uidValidity: 7, highestModseq: 50n };
const byCondstore: FolderChanges = { uidValidity: 7, changed: [{ uid: 3, flags: ['$Condstore'] }], vanished: [], modseqKept: true, status: { uidValidity: 7 } };

describe('QresyncReader', () => {
  it('reads on a borrowed connection that takes ENABLE, and opens none of its own', async () => {
    const lent = scripted(true);
    const lender = pool(lent.conn, [scripted(true).conn]);
    const changes = await new QresyncReader(lender, () => Promise.reject(new Error('not used'))).changesSince('INBOX', mark, 90n);
    expect(changes.changed).toEqual([{ uid: 2, flags: ['\\Seen'] }]);
    expect(lent.sent).toEqual(['ENABLE QRESYNC', 'EXAMINE INBOX (QRESYNC)']);
    expect(lender.opened).toEqual([]);
  });

  it('where ENABLE is refused, keeps a spare connection of the pool (opened within the cap) for every later read', async () => {
    const lent = scripted(false);
    const fresh = scripted(true);
    const lender = pool(lent.conn, [fresh.conn, scripted(true).conn]);
    const reader = new QresyncReader(lender, () => Promise.reject(new Error('not used')));
    await reader.changesSince('INBOX', mark, 90n);
    await reader.changesSince('Archive', mark, 90n);
    expect(lender.opened).toEqual([fresh.conn]);
    expect(fresh.sent).toEqual(['ENABLE QRESYNC', 'EXAMINE INBOX (QRESYNC)', 'EXAMINE Archive (QRESYNC)']);
    expect(lent.sent).toEqual(['ENABLE QRESYNC']);
  });

  it('where ENABLE is refused and the source is at its cap, reads by CONDSTORE on the borrowed connection, opening nothing', async () => {
    const lent = scripted(false);
    const lender = pool(lent.conn, []);
    const read: string[] = [];
    const reader = new QresyncReader(lender, async (conn, path) => (read.push(path), expect(conn).toBe(lent.conn), byCondstore));
    expect(await reader.changesSince('INBOX', mark, 90n)).toBe(byCondstore);
    expect(read).toEqual(['INBOX']);
  });
});
