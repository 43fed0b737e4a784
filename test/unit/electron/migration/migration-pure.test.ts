import { describe, expect, it } from 'vitest';
import { expandUidSet, imapDateTime, imapQuote } from '../../../../electron/imap/syntax.ts';
import { parseEndpointUrl } from '../../../../electron/migration/endpoint.ts';
import { filterFlags } from '../../../../electron/migration/flags.ts';
import { fixSegment, mapFolders, refusedNameReason, type TargetLayout } from '../../../../electron/migration/folder-map.ts';
import { KeyCounts, messageKey, parseMessageIdHeader } from '../../../../electron/migration/message-key.ts';
import { uidSet } from '../../../../electron/migration/message-meta.ts';
import { decodeMutf7, encodeMutf7 } from '../../../../electron/imap/mutf7.ts';

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it.each([
    ['INBOX', 'INBOX'],
    ['Données & Économie', 'Donn&AOk-es &- &AMk-conomie'],
    ['日本語', '&ZeVnLIqe-'],
    ['Работа', '&BCAEMAQxBD4EQgQw-'],
    ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
  ])('%s ⇄ %s', (unicode, wire) => {
    expect(encodeMutf7(unicode)).toBe(wire);
    expect(decodeMutf7(wire)).toBe(unicode);
  });
  it('round-trips astral characters', () => expect(decodeMutf7(encodeMutf7('Ωmega 📧'))).toBe('Ωmega 📧'));
});

describe('APPEND syntax', () => {
  it('formats RFC 3501 date-time in UTC', () => expect(imapDateTime(new Date(Date.UTC(2002, 7, 2, 3, 4, 5)))).toBe('"02-Aug-2002 03:04:05 +0000"'));
  it('quotes names', () => expect(imapQuote('a"b\\c')).toBe('"a\\"b\\\\c"'));
  it('expands APPENDUID uid-sets (RFC 4315)', () => expect(expandUidSet('5:7,9')).toEqual([5, 6, 7, 9]));
  it('compresses UID sets', () => expect(uidSet([7, 1, 2, 3, 9, 10])).toBe('1:3,7,9:10'));
});

describe('message keys', () => {
  const date = new Date('2002-08-22T12:36:23Z');
  it('uses Message-ID + internal date + size', () => expect(messageKey({ messageId: '<a@b>', internalDate: date, size: 10 })).toBe('mid:<a@b>|1030019783|10'));
  it('treats empty and "<>" Message-IDs as absent and hashes the header instead', () => {
    expect(parseMessageIdHeader('Message-ID: <>\r\n\r\n')).toBeNull();
    expect(parseMessageIdHeader('Message-Id:\r\n\r\n')).toBeNull();
    const a = messageKey({ messageId: null, internalDate: date, size: 10, header: Buffer.from('Subject: a\r\n\r\n') });
    const b = messageKey({ messageId: null, internalDate: date, size: 10, header: Buffer.from('Subject: b\r\n\r\n') });
    expect(a).toMatch(/^hdr:/);
    expect(a).not.toBe(b);
  });
  it('unfolds a folded Message-ID header', () => expect(parseMessageIdHeader('Message-ID:\r\n <x@y>\r\n')).toBe('<x@y>'));
  it('prefers X-GM-MSGID on Gmail', () => expect(messageKey({ gmailId: '123', messageId: '<a@b>', internalDate: date, size: 1 })).toBe('gm:123'));
  it('counts duplicates as a multiset', () => {
    const k = new KeyCounts();
    k.add('x', 2);
    expect([k.take('x'), k.take('x'), k.take('x')]).toEqual([true, true, false]);
  });
});

describe('flags', () => {
  it('drops \\Recent and invented system flags, keeps keywords only when PERMANENTFLAGS allow them', () => {
    expect(filterFlags(['\\Seen', '\\Recent', '\\Forwarded', '$Label1'], new Set(['\\Seen', '\\*']))).toEqual({ kept: ['\\Seen', '$Label1'], dropped: ['\\Forwarded'] });
    expect(filterFlags(['\\Seen', 'Projekt-X'], new Set(['\\Seen', '\\Flagged']))).toEqual({ kept: ['\\Seen'], dropped: ['Projekt-X'] });
  });
  it('matches flags against PERMANENTFLAGS in any case', () => {
    const permanent = new Set(['\\Seen', 'Projekt-X', '$label1']);
    expect(filterFlags(['\\SEEN', 'projekt-x', '$Label1', '\\Flagged', 'Other'], permanent)).toEqual({ kept: ['\\SEEN', 'projekt-x', '$Label1'], dropped: ['\\Flagged', 'Other'] });
  });
});

describe('folder mapping', () => {
  const dovecot: TargetLayout = { delimiter: '/', prefix: '', specialUse: new Map([['\\Sent', 'Sent']]) };
  const courier: TargetLayout = { delimiter: '.', prefix: 'INBOX.', specialUse: new Map([['\\Sent', 'INBOX.Sent Items']]) };
  const f = (path: string, specialUse?: string, delimiter = '/') => ({ path, delimiter, flags: new Set<string>(), specialUse });

  it('translates separators and prefixes, replacing the target separator inside a name', () => {
    const [m] = mapFolders([f('Archive/Dr. Jones')], courier);
    expect(m!.targetPath).toBe('INBOX.Archive.Dr_ Jones');
    expect(m!.renamed).toContain('separator');
  });
  it('strips a source prefix and keeps INBOX as INBOX', () => {
    const out = mapFolders([f('INBOX', undefined, '.'), f('INBOX.Work.2024', undefined, '.')], dovecot, { sourcePrefix: 'INBOX.' });
    expect(out.map((m) => m.targetPath)).toEqual(['INBOX', 'Work/2024']);
  });
  it('maps special-use folders to the target’s own, localized names included', () => {
    expect(mapFolders([f('Gesendete Elemente', '\\Sent')], courier)[0]!.targetPath).toBe('INBOX.Sent Items');
    expect(mapFolders([f('Éléments envoyés', '\\Sent')], dovecot)[0]!.targetPath).toBe('Sent');
  });
  it('skips virtual and non-selectable folders', () => {
    const out = mapFolders([f('[Gmail]/Starred', '\\Flagged'), { path: '[Gmail]', delimiter: '/', flags: new Set(['\\Noselect']) }], dovecot);
    expect(out.every((m) => m.targetPath === null && m.skipReason)).toBe(true);
  });
  it('maps Gmail labels to folders, All Mail last into Archive', () => {
    const out = mapFolders([f('[Gmail]/All Mail', '\\All'), f('Clients/ACME'), f('INBOX')], dovecot, { gmailSource: true, gmailAllMail: true });
    expect(out.map((m) => m.targetPath)).toEqual(['INBOX', 'Clients/ACME', 'Archive']);
  });
  it('orders folders by code units, INBOX first: a stable order that needs no ICU collation data', () => {
    const out = mapFolders([f('ébauches'), f('archive'), f('Zeta'), f('INBOX')], dovecot);
    expect(out.map((m) => m.sourcePath)).toEqual(['INBOX', 'Zeta', 'archive', 'ébauches']);
  });
  it('applies user rules, whole subtrees included', () => {
    const out = mapFolders([f('Old/Projects/A'), f('Misc')], dovecot, { rules: [{ from: 'Old/*', to: 'Archive/Old' }, { from: 'Misc', to: 'Other' }] });
    expect(out.map((m) => m.targetPath).sort()).toEqual(['Archive/Old/Projects/A', 'Other']);
  });
  it('knows Gmail and Microsoft name rules', () => {
    expect(fixSegment('  a  ^b ', { delimiter: '/', flavor: 'gmail' })).toBe('a _b');
    expect(fixSegment('Files', { delimiter: '/', flavor: 'microsoft' })).toBe('Files_migrated');
    expect(refusedNameReason('Files', 'microsoft')).toContain('reserves');
  });
});

describe('endpoint URLs', () => {
  it('parses imaps and imap (STARTTLS) URLs and refuses passwords in them', () => {
    expect(parseEndpointUrl('imaps://a%40b.test@mail.b.test')).toEqual({ host: 'mail.b.test', port: 993, tls: 'implicit', user: 'a@b.test' });
    expect(parseEndpointUrl('imap://u@h:10143')).toMatchObject({ tls: 'starttls', port: 10143 });
    expect(parseEndpointUrl('imaps://u:secret@h')).toMatch(/password/);
  });
});

describe('planner math', async () => {
  const { estimateMailbox, batchSeconds, cutoverTimeline } = await import('../../../../electron/migration/planner.ts');
  const { PRESETS } = await import('../../../../electron/migration/presets.ts');
  const folder = (path: string, messages: number, bytes: number, extra: Partial<{ oversize: number[]; keywords: string[]; labelCopies: number; labelCopyBytes: number }> = {}) => ({
    path, messages, bytes, largest: 0, oversize: [], keywords: [], labelCopies: 0, labelCopyBytes: 0, ...extra,
  });
  it('bounds a Gmail target by its 500 MB/day upload cap, after removing label copies', () => {
    const e = estimateMailbox([folder('INBOX', 1000, 1500 * 1024 * 1024, { labelCopies: 100, labelCopyBytes: 500 * 1024 * 1024 })], PRESETS['gmail']!);
    expect(e.uploadBytes).toBe(1000 * 1024 * 1024);
    expect(e.limitedBy).toBe('daily cap');
    expect(e.seconds).toBe(2 * 86_400);
    expect(e.warnings.join()).toContain('label');
  });
  it('bounds Microsoft 365 by its message rate and warns about oversize, keyword overflow and reserved names', () => {
    const e = estimateMailbox([folder('Files', 400, 1000, { oversize: [40e6] })], PRESETS['microsoft']!);
    expect(e.seconds).toBe(100);
    expect(e.warnings.join('\n')).toMatch(/over .*limit[\s\S]*reserves "Files"/);
    const k = estimateMailbox([folder('INBOX', 1, 1, { keywords: Array.from({ length: 30 }, (_, i) => `k${i}`) })], PRESETS['dovecot']!);
    expect(k.warnings.join()).toContain('30 distinct keywords');
  });
  it('schedules a batch greedily and lays out the cut-over', () => {
    expect(batchSeconds([10, 10, 10, 30], 2)).toBe(30);
    const t = cutoverTimeline(new Date('2025-01-10T00:00:00Z'), 3600);
    expect(t[0]!.at).toBe('2025-01-09T00:00:00.000Z');
    expect(t[2]!.at).toBe('2025-01-10T01:00:00.000Z');
  });
});
