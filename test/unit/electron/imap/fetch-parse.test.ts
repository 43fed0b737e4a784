import { describe, expect, it } from 'vitest';
import { listedNames, parseStatus, statusMailbox, treeFingerprint } from '../../../../electron/migration/quiet-check.ts';
import { EMPTY_MAILBOX, foldExamine, parseFetchBody, parseFetchHeader, parseFetchMeta, parseImapDate } from '../../../../electron/imap/fetch-parse.ts';

describe('raw FETCH parsing', () => {
  it('parses IMAP date-times with their zone', () => {
    expect(parseImapDate('01-Aug-2002 12:00:00 +0200')?.toISOString()).toBe('2002-08-01T10:00:00.000Z');
    expect(parseImapDate(' 1-Jan-2030 00:00:00 -0130')?.toISOString()).toBe('2030-01-01T01:30:00.000Z');
    expect(parseImapDate('yesterday')).toBeNull();
    expect(parseImapDate('01-AUG-2002 12:00:00 +0000')?.toISOString()).toBe('2002-08-01T12:00:00.000Z');
  });

  it('takes UID, FLAGS, INTERNALDATE and the literal body in any order', () => {
    const body = Buffer.from('Subject: x\r\n\r\nBODY[] (FLAGS) UID 9\r\n');
    const m = parseFetchBody({ text: '* 3 FETCH (UID 17 FLAGS (\\Seen $Label1) INTERNALDATE "01-Aug-2002 12:00:00 +0000" BODY[] \u00000\u0000)', literals: [body] });
    expect(m).toEqual({ uid: 17, content: body, flags: ['\\Seen', '$Label1'], internalDate: new Date(Date.UTC(2002, 7, 1, 12)) });
    const reordered = parseFetchBody({ text: '* 3 FETCH (BODY[] \u00000\u0000 INTERNALDATE "01-Aug-2002 12:00:00 +0000" FLAGS () UID 18)', literals: [body] });
    expect([reordered?.uid, reordered?.flags]).toEqual([18, []]);
  });

  it('accepts a quoted body and ignores FETCH responses without one', () => {
    expect(parseFetchBody({ text: '* 1 FETCH (UID 2 BODY[] "a\\"b")', literals: [] })?.content.toString()).toBe('a"b');
    expect(parseFetchBody({ text: '* 1 FETCH (FLAGS (\\Seen))', literals: [] })).toBeNull();
    expect(parseFetchBody({ text: '* 4 EXISTS', literals: [] })).toBeNull();
  });

  it('reads metadata with or without the Message-ID block, and ignores unsolicited FETCH', () => {
    const block = Buffer.from('Message-ID: <a@b>\r\n\r\n');
    const m = parseFetchMeta({ text: '* 5 FETCH (UID 40 RFC822.SIZE 1234 INTERNALDATE "01-Aug-2002 12:00:00 +0000" FLAGS (\\Seen) BODY[HEADER.FIELDS (MESSAGE-ID)] \u00000\u0000)', literals: [block] });
    expect(m).toEqual({ uid: 40, size: 1234, internalDate: new Date(Date.UTC(2002, 7, 1, 12)), flags: ['\\Seen'], header: block });
    expect(parseFetchMeta({ text: '* 5 FETCH (FLAGS () UID 41 RFC822.SIZE 9)', literals: [] })).toMatchObject({ uid: 41, size: 9, internalDate: null, header: null });
    expect(parseFetchMeta({ text: '* 5 FETCH (FLAGS (\\Seen))', literals: [] })).toBeNull();
    // The size inside a literal (the header block) must not be read as the message's.
    expect(parseFetchMeta({ text: '* 5 FETCH (UID 7 BODY[HEADER.FIELDS (MESSAGE-ID)] \u00000\u0000)', literals: [Buffer.from(' RFC822.SIZE 99')] })).toBeNull();
    expect(parseFetchHeader({ text: '* 2 FETCH (UID 3 BODY[HEADER] \u00000\u0000)', literals: [block] })).toEqual({ uid: 3, header: block });
    expect(parseFetchHeader({ text: '* 2 FETCH (UID 3 BODY[HEADER] NIL)', literals: [] })?.header.length).toBe(0);
  });

  it('folds SELECT/EXAMINE responses into the mailbox state', () => {
    const lines = ['* FLAGS (\\Answered \\Seen)', '* OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted.', '* 181 EXISTS', '* 0 RECENT', '* OK [UIDVALIDITY 1700000000] UIDs valid', '* OK [UIDNEXT 182] Predicted next UID'];
    expect(lines.reduce((st, l) => foldExamine(st, l), EMPTY_MAILBOX)).toEqual({ uidValidity: 1700000000, uidNext: 182, exists: 181, permanentFlags: ['\\Answered', '\\Seen', '\\*'] });
    expect(foldExamine(EMPTY_MAILBOX, '* OK [PERMANENTFLAGS ()] Read-only mailbox.').permanentFlags).toEqual([]);
    expect(foldExamine(EMPTY_MAILBOX, '* 3 FETCH (FLAGS ())')).toBe(EMPTY_MAILBOX);
  });
});

describe('quiet-check parsing', () => {
  const list = (...lines: string[]): { text: string; literals: Buffer[] }[] => lines.map((text) => ({ text, literals: [] }));

  it('fingerprints the tree regardless of order and \\Marked/\\Unmarked, but not of a new or renamed folder', () => {
    const base = treeFingerprint('opts', list('* LIST (\\HasNoChildren \\Junk) "/" Junk', '* LIST (\\HasChildren) "/" INBOX'));
    expect(treeFingerprint('opts', list('* LIST (\\HasChildren) "/" INBOX', '* LIST (\\Marked \\HasNoChildren \\Junk) "/" Junk'))).toBe(base);
    expect(treeFingerprint('opts', list('* LIST (\\HasChildren \\UnMarked) "/" INBOX', '* LIST (\\HasNoChildren \\Junk) "/" Junk', '* OK [ALERT] ignored'))).toBe(base);
    expect(treeFingerprint('opts', list('* LIST (\\HasChildren) "/" INBOX', '* LIST (\\HasNoChildren \\Junk) "/" Junk', '* LIST (\\HasNoChildren) "/" New'))).not.toBe(base);
    expect(treeFingerprint('opts', list('* LIST (\\HasChildren) "/" INBOX', '* LIST (\\HasNoChildren \\Junk) "/" Spam'))).not.toBe(base);
    expect(treeFingerprint('other options', list('* LIST (\\HasNoChildren \\Junk) "/" Junk', '* LIST (\\HasChildren) "/" INBOX'))).not.toBe(base);
    // A name sent as a literal counts with its bytes.
    const lit = (name: string): string => treeFingerprint('opts', [{ text: '* LIST () "/" \u00000\u0000', literals: [Buffer.from(name)] }]);
    expect(lit('a "b"')).not.toBe(lit('a "c"'));
  });

  it('reads mailbox names from LIST lines: atoms, quoted strings with escapes, and literals', () => {
    const lines = [
      { text: '* LIST (\\HasNoChildren) "/" INBOX', literals: [] },
      { text: '* LIST (\\HasNoChildren) "/" "INBOX/R&AOk-unions"', literals: [] },
      { text: '* LIST () "/" "a \\"quoted\\" \\\\ name"', literals: [] },
      { text: '* LIST () "/" \u00000\u0000', literals: [Buffer.from('Odd "name"')] },
      { text: '* STATUS INBOX (MESSAGES 1)', literals: [] },
    ];
    expect(listedNames(lines)).toEqual(['INBOX', 'INBOX/R&AOk-unions', 'a "quoted" \\ name', 'Odd "name"']);
  });

  it('names the mailbox of a STATUS answer, so answers run in parallel by the server still find their folder', () => {
    expect(statusMailbox({ text: '* STATUS "Old (2019)" (MESSAGES 12)', literals: [] })).toBe('Old (2019)');
    expect(statusMailbox({ text: '* STATUS INBOX (MESSAGES 1)', literals: [] })).toBe('INBOX');
    expect(statusMailbox({ text: '* STATUS \u00000\u0000 (MESSAGES 1)', literals: [Buffer.from('R&AOk-union')] })).toBe('R&AOk-union');
    expect(statusMailbox({ text: '* LIST () "/" INBOX', literals: [] })).toBeNull();
  });

  it('reads STATUS counters after any mailbox name', () => {
    expect(parseStatus('* STATUS "Old (2019)" (MESSAGES 12 UIDNEXT 40 UIDVALIDITY 7)')).toEqual({ messages: 12, uidNext: 40, uidValidity: 7 });
    expect(parseStatus('* STATUS MESSAGES (UIDNEXT 3 MESSAGES 2)')).toEqual({ messages: 2, uidNext: 3, uidValidity: undefined });
    expect(parseStatus('* LIST () "/" INBOX')).toBeNull();
  });
});
