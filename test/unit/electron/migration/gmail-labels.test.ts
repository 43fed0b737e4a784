import { describe, expect, it } from 'vitest';
import { labelKeyword, labelsToStore, placeLabels } from '../../../../electron/migration/gmail-labels.ts';
import { parseGmailMeta } from '../../../../electron/migration/gmail-source.ts';

describe('Gmail label placement (the stated rule)', () => {
  it('folders: one APPEND into INBOX, every other label a folder; \\Starred flags, \\Important a keyword', () => {
    expect(placeLabels(['\\Inbox', 'Work', 'Très important', '\\Important', '\\Starred'], 'folders')).toEqual({
      primary: { specialUse: '\\Inbox' },
      extra: [{ label: 'Très important' }, { label: 'Work' }],
      keywords: ['$Important'],
      flags: ['\\Flagged'],
    });
  });

  it('folders: Sent before Drafts before user labels; no label at all → Archive', () => {
    expect(placeLabels(['Zeta', '\\Sent', 'Alpha'], 'folders').primary).toEqual({ specialUse: '\\Sent' });
    expect(placeLabels(['\\Draft'], 'folders').primary).toEqual({ specialUse: '\\Drafts' });
    expect(placeLabels(['Zeta', 'Alpha'], 'folders').primary).toEqual({ label: 'Alpha' });
    expect(placeLabels([], 'folders')).toEqual({ primary: { specialUse: '\\Archive' }, extra: [], keywords: [], flags: [] });
  });

  it('keywords: system folders only, user labels as IMAP keywords; a message with only user labels is archived', () => {
    expect(placeLabels(['Work', 'Projects 2024/Q1'], 'keywords')).toEqual({ primary: { specialUse: '\\Archive' }, extra: [], keywords: ['Projects_2024/Q1', 'Work'], flags: [] });
    expect(placeLabels(['\\Inbox', '\\Sent', 'Work'], 'keywords')).toMatchObject({ primary: { specialUse: '\\Inbox' }, extra: [{ specialUse: '\\Sent' }], keywords: ['Work'] });
  });

  it('keywords are atoms: modified UTF-7 for non-ASCII, atom-specials replaced', () => {
    expect(labelKeyword('Très important')).toBe('Tr&AOg-s_important');
    expect(labelKeyword('a(b)"c"%*]')).toBe('a_b__c____');
  });

  it('a Gmail target gets the labels the one APPEND did not give', () => {
    expect(labelsToStore(['\\Inbox', 'Work', '\\Important', '\\Sent', '\\Starred'], { specialUse: '\\Inbox' })).toEqual(['Work', '\\Important']);
    expect(labelsToStore(['\\Inbox', 'Work'], { label: 'Work' })).toEqual(['\\Inbox']);
  });
});

describe('X-GM-LABELS in FETCH answers', () => {
  it('reads atoms, quoted labels with spaces, literals and modified UTF-7', () => {
    const meta = parseGmailMeta({
      text: '* 3 FETCH (UID 17 X-GM-MSGID 1278455344230334865 X-GM-LABELS (\\Inbox "Muy Importante" Work "Tr&AOg-s \\"dit\\"" \u00000\u0000) FLAGS (\\Seen) INTERNALDATE "01-Jun-2026 10:00:00 +0000" RFC822.SIZE 120)',
      literals: [Buffer.from('a b)')],
    });
    expect(meta).toEqual({ uid: 17, msgid: '1278455344230334865', labels: ['\\Inbox', 'Muy Importante', 'Work', 'Très "dit"', 'a b)'], flags: ['\\Seen'], internalDate: new Date('2026-06-01T10:00:00Z'), size: 120 });
  });

  it('an empty label list and a FETCH without X-GM-MSGID', () => {
    expect(parseGmailMeta({ text: '* 1 FETCH (UID 1 X-GM-MSGID 5 X-GM-LABELS () RFC822.SIZE 3)', literals: [] })?.labels).toEqual([]);
    expect(parseGmailMeta({ text: '* 1 FETCH (UID 1 RFC822.SIZE 3)', literals: [] })).toBeNull();
  });
});
