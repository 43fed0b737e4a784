import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { imapFlowOptions } from '../../../electron/migration/endpoint.ts';
import { runMigration, type MigrationSummary } from '../../../electron/migration/migrate-job.ts';
import { StateStore } from '../../../electron/migration/state-store.ts';
import { seedMailbox, type CorpusMessage } from '../../support/migration-corpus.ts';
import { compareMailboxes } from './compare.ts';
import { endpointFor, freshUser } from './support.ts';

// A folder larger than one UID window (MAILROOM_UID_WINDOW, here 7) is scanned and copied window by
// window; a gap in the UIDs wider than a window (expunged mail) must not end the scan early.

function note(folder: string, id: string): CorpusMessage {
  return { name: id, folder, content: Buffer.from(`Message-ID: <${id}@windows.test>\r\nSubject: ${id}\r\n\r\nbody of ${id}\r\n`), internalDate: new Date(Date.UTC(2005, 1, 3)), flags: ['\\Seen'] };
}

async function expunge(endpoint: ImapEndpoint, folder: string, uids: string): Promise<void> {
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  await client.connect();
  const lock = await client.getMailboxLock(folder);
  try {
    await client.messageDelete(uids, { uid: true });
  } finally {
    lock.release();
    await client.logout();
  }
}

describe('mailroom migrate in UID windows', () => {
  beforeEach(() => {
    process.env['MAILROOM_UID_WINDOW'] = '7';
  });
  afterEach(() => {
    delete process.env['MAILROOM_UID_WINDOW'];
  });

  it('copies folders many windows long, across a gap wider than a window, and then only what is new', async () => {
    const src = freshUser('wsrc');
    const dst = freshUser('wdst');
    await seedMailbox(endpointFor(src), [...Array.from({ length: 40 }, (_, i) => note('INBOX', `in-${i}`)), ...Array.from({ length: 9 }, (_, i) => note('Archive/Old', `old-${i}`))]);
    await expunge(endpointFor(src), 'INBOX', '8:20');
    const store = new StateStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-windows-')), 'state.db')), 'job');
    const migrate = (): Promise<MigrationSummary> => runMigration({ source: endpointFor(src), target: endpointFor(dst), store, verify: true, concurrency: 2 });

    const first = await migrate();
    expect([first.copied, first.failed, first.complete]).toEqual([27 + 9, 0, true]);
    let cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], 36]);

    await seedMailbox(endpointFor(src), Array.from({ length: 10 }, (_, i) => note('INBOX', `new-${i}`)));
    const second = await migrate();
    expect([second.copied, second.skipped, second.failed, second.complete]).toEqual([10, 36, 0, true]);
    cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect([cmp.missing, cmp.extra, cmp.targetMessages]).toEqual([[], [], 46]);
  });

  // The deep check reads landed rows a page (a UID window) at a time and asks the target about each
  // page's APPENDUIDs; what it must still catch across pages: a lost copy, a stray message, and two
  // rows claiming one target message (a recorded copy that is not there).
  it('still finds a missing copy, an extra message and a doubly claimed copy when checking page by page', async () => {
    const src = freshUser('vsrc');
    const dst = freshUser('vdst');
    await seedMailbox(endpointFor(src), Array.from({ length: 30 }, (_, i) => note('INBOX', `v-${i}`)));
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-windows-')), 'state.db'));
    const migrate = (verifyOnly = false): Promise<MigrationSummary> => runMigration({ source: endpointFor(src), target: endpointFor(dst), store: new StateStore(db, 'job'), verify: true, concurrency: 2, ...(verifyOnly ? { verifyOnly } : {}) });
    const inbox = (s: MigrationSummary): unknown => s.verification.find((v) => v.sourcePath === 'INBOX');
    const targetUid = (sourceUid: number): number => db.prepare('SELECT target_uid FROM migration_messages WHERE source_uid = ?').pluck().get(sourceUid) as number;

    const first = await migrate();
    expect([first.copied, first.complete]).toEqual([30, true]);
    expect(first.content).toMatchObject({ checked: 30, differed: 0, unchecked: 0 });
    expect(inbox(first)).toMatchObject({ deep: true, missing: 0, extra: 0 });

    // One copy lost on the target (in the third page), one message there that the job did not put there.
    await expunge(endpointFor(dst), 'INBOX', String(targetUid(17)));
    await seedMailbox(endpointFor(dst), [note('INBOX', 'stray')]);
    expect(inbox(await migrate(true))).toMatchObject({ deep: true, sourceCount: 30, targetCount: 30, missing: 1, extra: 1 });

    // Source UID 25's copy gone, and its row made to claim source UID 3's copy (hash included, so the
    // content check passes it): a copy counted twice; claimed once, the second row is missing.
    await expunge(endpointFor(dst), 'INBOX', String(targetUid(25)));
    db.prepare('UPDATE migration_messages SET target_uid = ?, content_sha1 = (SELECT content_sha1 FROM migration_messages WHERE source_uid = 3) WHERE source_uid = 25').run(targetUid(3));
    const doubled = await migrate(true);
    expect(doubled.failed).toBe(0);
    expect(inbox(doubled)).toMatchObject({ deep: true, targetCount: 29, missing: 2, extra: 1 });
  });
});
