import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { mapFolders, type TargetLayout } from '../../../../electron/migration/folder-map.ts';
import { KeyMatcher, keyParts, messageKey } from '../../../../electron/migration/message-key.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

const date = new Date(Date.UTC(2001, 6, 28, 15, 5, 59));

describe('identity matching across servers', () => {
  it('splits keys into identity, date and size, Message-IDs with "|" included', () => {
    expect(keyParts('mid:<a|b@c> (x)|996332759|3144')).toEqual({ identity: 'mid:<a|b@c> (x)', date: '996332759', size: '3144' });
    expect(keyParts('gm:123')).toEqual({ identity: 'gm:123', date: null, size: null });
  });

  it('matches a copy whose size the target changed (Dovecot drops the lone CR of "\\r\\r\\n")', () => {
    const source = messageKey({ messageId: '<3b62c5423c63bfdd@andira.wanadoo.fr>', internalDate: date, size: 3144 });
    const target = messageKey({ messageId: '<3b62c5423c63bfdd@andira.wanadoo.fr>', internalDate: date, size: 3119 });
    const m = new KeyMatcher([target]);
    expect(m.claim([source])).toEqual([true]);
    expect(m.size).toBe(0);
  });

  it('matches a copy whose internal date the target reset (a date in the future)', () => {
    const source = messageKey({ messageId: '<future@x>', internalDate: new Date(Date.UTC(2037, 0, 1)), size: 500 });
    const target = messageKey({ messageId: '<future@x>', internalDate: new Date(), size: 500 });
    expect(new KeyMatcher([target]).claim([source])).toEqual([true]);
  });

  it('matches messages without a usable Message-ID (empty, "<>") by their header, date tolerant', () => {
    const header = Buffer.from('From: a@b\r\nSubject: no id\r\nMessage-ID: <>\r\n\r\n');
    const a = messageKey({ messageId: null, header, internalDate: new Date(Date.UTC(2040, 0, 1)), size: 90 });
    const b = messageKey({ messageId: null, header, internalDate: new Date(), size: 90 });
    expect(a.startsWith('hdr:')).toBe(true);
    expect(new KeyMatcher([b]).claim([a])).toEqual([true]);
    const other = messageKey({ messageId: null, header: Buffer.from('Subject: other\r\n\r\n'), internalDate: date, size: 90 });
    expect(new KeyMatcher([b]).claim([other])).toEqual([false]);
  });

  it('never lets a loose match take the exact copy of another message', () => {
    const k = (size: number): string => messageKey({ messageId: '<dup@x>', internalDate: date, size });
    // Two source messages share a Message-ID; the target holds both, one altered in size.
    const m = new KeyMatcher([k(120), k(99)]);
    // Claimed in an order where a greedy loose match would steal 99's exact copy for 100.
    expect(m.claim([k(100), k(99)])).toEqual([true, true]);
    expect(m.size).toBe(0);
  });

  it('reports a copy as extra once its source is accounted for (a duplicate stays visible)', () => {
    const k = messageKey({ messageId: '<once@x>', internalDate: date, size: 10 });
    const m = new KeyMatcher([k, k]);
    expect(m.claim([k])).toEqual([true]);
    expect(m.size).toBe(1);
  });
});

describe('Gmail labels → folders', () => {
  const dovecot: TargetLayout = { delimiter: '/', prefix: '', specialUse: new Map([['\\Sent', 'Sent'], ['\\Trash', 'Trash']]) };
  const f = (path: string, specialUse?: string) => ({ path, delimiter: '/', flags: new Set<string>(), specialUse });
  const gmailFolders = [f('INBOX'), f('[Gmail]/All Mail', '\\All'), f('[Gmail]/Sent Mail', '\\Sent'), f('[Gmail]/Important', '\\Important'), f('[Gmail]/Starred', '\\Flagged'), f('[Gmail]/Bin', '\\Trash'), f('Work/Projects'), f('Receipts')];

  it('maps labels to (nested) folders and system labels to the target’s special-use folders', () => {
    const out = mapFolders(gmailFolders, dovecot, { gmailSource: true, gmailAllMail: true });
    const by = new Map(out.map((m) => [m.sourcePath, m.targetPath]));
    expect(by.get('Work/Projects')).toBe('Work/Projects');
    expect(by.get('[Gmail]/Sent Mail')).toBe('Sent');
    expect(by.get('[Gmail]/Bin')).toBe('Trash');
    expect(by.get('[Gmail]/Important')).toBeNull();
    expect(by.get('[Gmail]/Starred')).toBeNull();
    expect(out.at(-1)!.sourcePath).toBe('[Gmail]/All Mail');
    expect(by.get('[Gmail]/All Mail')).toBe('Archive');
  });

  it('leaves All Mail out unless asked for', () => {
    const out = mapFolders(gmailFolders, dovecot, { gmailSource: true, gmailAllMail: false });
    expect(out.find((m) => m.sourcePath === '[Gmail]/All Mail')!.targetPath).toBeNull();
  });

  it('knows a label copy from X-GM-MSGID: the second folder holding a message sees it already planned', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-gm-')), 'state.db'));
    const store = new StateStore(db, 'job');
    store.ensureJob('s', 't', new Date().toISOString());
    const key = messageKey({ gmailId: '1712345', messageId: '<a@b>', internalDate: date, size: 10 });
    store.insertPending([{ sourcePath: 'Work/Projects', uidValidity: 1, uid: 5, key, size: 10, internalDate: null, targetPath: 'Work/Projects' }]);
    expect(store.keySeenElsewhere(key, 'Receipts')).toBe(true);
    expect(store.keySeenElsewhere(key, 'Work/Projects')).toBe(false);
    db.close();
  });
});
