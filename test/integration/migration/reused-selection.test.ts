import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { FetchConnection } from '../../../electron/migration/fetch-connection.ts';
import { endpointFor, freshUser } from './support.ts';

// FetchConnection.open keeps the folder a raw connection already has selected (NOOP, no fresh
// open), and must still see what another connection appended meanwhile: the content and deep
// checks fetch this pass's copies by UID on the connection that selected the folder before them.

const mail = (n: number): string => `Message-ID: <sel${n}@reuse.test>\r\nSubject: reuse ${n}\r\n\r\nbody ${n}\r\n`;

async function uids(conn: FetchConnection, set: string): Promise<number[]> {
  const answer = await conn.collect(`UID FETCH ${set} (UID)`);
  expect(answer.status).toBe('OK');
  return answer.responses.flatMap((r) => /[( ]UID (\d+)/i.exec(r.text)?.[1] ?? []).map(Number);
}

describe('FetchConnection.open', () => {
  it('reuses the selected folder and sees mail appended by another connection', async () => {
    const endpoint = endpointFor(freshUser('reusesel'));
    const other = new ImapFlow(imapFlowOptions(endpoint));
    other.on('error', () => undefined);
    await other.connect();
    const opened = await FetchConnection.open(endpoint);
    if (!opened.ok) throw new Error('no connection');
    const conn = opened.value;
    try {
      await other.append('INBOX', mail(1));
      const first = await conn.examine('INBOX', 'SELECT');
      expect(first.exists).toBe(1);
      const appended = await other.append('INBOX', mail(2));
      const added = typeof appended === 'object' && appended ? Number(appended.uid) : 0;
      expect(added).toBeGreaterThan(0);
      const again = await conn.open('INBOX', 'SELECT');
      expect(again.uidValidity).toBe(first.uidValidity);
      expect(again.exists).toBe(2);
      expect(await uids(conn, String(added))).toEqual([added]);
      // Another folder opened in between: INBOX is opened afresh, read-only this time.
      await other.mailboxCreate('Other');
      expect((await conn.open('Other')).exists).toBe(0);
      const readOnly = await conn.open('INBOX');
      expect(readOnly.exists).toBe(2);
      expect(readOnly.permanentFlags ?? []).not.toContain('\\*');
      // Read-only is not enough for an edit: SELECT again (its PERMANENTFLAGS allow new keywords).
      expect((await conn.open('INBOX', 'SELECT')).permanentFlags).toContain('\\*');
      expect((await conn.pipeline([`UID STORE ${added} +FLAGS.SILENT (\\Flagged)`]))[0]!.status).toBe('OK');
    } finally {
      await conn.close();
      await other.logout();
    }
  });
});
