import { decodeMutf7, encodeMutf7 } from '../../../electron/imap/mutf7.ts';
import { imapDateTime } from '../../../electron/imap/syntax.ts';
import type { GmailFolder, GmailMessage } from './gmail-account.ts';
import { astring, astringOut, expandSet, SyntaxError, type Arg } from './wire.ts';

/** A message as the selected folder numbers it. */
export interface Numbered {
  readonly seq: number;
  readonly uid: number;
  readonly m: GmailMessage;
}

/** The folder's messages with sequence numbers (UID order). */
export function numbered(folder: GmailFolder): Numbered[] {
  return [...folder.uids.entries()].sort((a, b) => a[0] - b[0]).map(([uid, m], i) => ({ seq: i + 1, uid, m }));
}

/** Messages of a sequence or UID set. */
export function select(all: readonly Numbered[], set: string, byUid: boolean): Numbered[] {
  if (all.length === 0) {
    expandSet(set, 0);
    return [];
  }
  const max = byUid ? all[all.length - 1]!.uid : all.length;
  const wanted = new Set(expandSet(set, max));
  return all.filter((n) => wanted.has(byUid ? n.uid : n.seq));
}

/** A label as Gmail writes it in X-GM-LABELS: system labels as flags, others as modified UTF-7 astrings. */
export function labelOut(label: string): string {
  return label.startsWith('\\') ? label : astringOut(encodeMutf7(label));
}

/** Labels from a STORE or SEARCH argument: one astring or a list of them, modified UTF-7 decoded. */
export function labelsIn(arg: Arg | undefined): string[] {
  if (!arg) throw new SyntaxError('Expected labels');
  const items = arg.kind === 'list' ? arg.items : [arg];
  return items.map((a) => {
    const text = astring(a, 'a label');
    return text.startsWith('\\') ? text : decodeMutf7(text);
  });
}

// FETCH items Google documents plus the RFC 3501 ones the clients here use.
const ITEMS = /^(UID|FLAGS|INTERNALDATE|RFC822\.SIZE|X-GM-MSGID|X-GM-THRID|X-GM-LABELS|BODY(?:\.PEEK)?\[(?:HEADER(?:\.FIELDS(?:\.NOT)? \([^)]*\))?|TEXT)?\])$/i;

/** The item names asked for: one item or a parenthesized list (macros ALL/FAST expanded). */
export function fetchItems(arg: Arg | undefined, byUid: boolean): string[] {
  if (!arg) throw new SyntaxError('Expected FETCH items');
  const raw = arg.kind === 'list' ? arg.items.map((a) => astring(a, 'a FETCH item')) : [astring(arg, 'a FETCH item')];
  const expanded = raw.flatMap((i) => (/^FAST$/i.test(i) ? ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'] : /^ALL$/i.test(i) ? ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'] : [i]));
  for (const i of expanded) if (!ITEMS.test(i)) throw new SyntaxError(`Unknown FETCH item ${i}`);
  const upper = expanded.map((i) => i.toUpperCase());
  return byUid && !upper.includes('UID') ? ['UID', ...upper] : upper;
}

/** One FETCH response, as buffers (literals inline). Sets \\Seen for a non-PEEK body when the folder is writable. */
export function fetchResponse(n: Numbered, items: readonly string[], writable: boolean): Buffer[] {
  const parts: (string | Buffer)[] = [];
  for (const item of items) {
    if (item === 'UID') parts.push(`UID ${n.uid}`);
    else if (item === 'FLAGS') parts.push(`FLAGS (${[...n.m.flags].join(' ')})`);
    else if (item === 'INTERNALDATE') parts.push(`INTERNALDATE ${imapDateTime(n.m.internalDate)}`);
    else if (item === 'RFC822.SIZE') parts.push(`RFC822.SIZE ${n.m.raw.length}`);
    else if (item === 'X-GM-MSGID') parts.push(`X-GM-MSGID ${n.m.msgid}`);
    else if (item === 'X-GM-THRID') parts.push(`X-GM-THRID ${n.m.thrid}`);
    else if (item === 'X-GM-LABELS') parts.push(`X-GM-LABELS (${[...n.m.labels].map(labelOut).join(' ')})`);
    else {
      const section = /\[(.*)\]/.exec(item)![1]!;
      const bytes = sectionOf(n.m.raw, section);
      if (!item.includes('.PEEK') && writable) n.m.flags.add('\\Seen');
      parts.push(Buffer.concat([Buffer.from(`BODY[${section}] {${bytes.length}}\r\n`), bytes]));
    }
  }
  const out: Buffer[] = [Buffer.from(`* ${n.seq} FETCH (`)];
  parts.forEach((p, i) => out.push(Buffer.from(i > 0 ? ' ' : ''), typeof p === 'string' ? Buffer.from(p) : p));
  out.push(Buffer.from(')\r\n'));
  return out;
}

// A body section (RFC 3501 §6.4.5) of the whole message.
function sectionOf(raw: Buffer, section: string): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  const header = end < 0 ? raw : raw.subarray(0, end + 4);
  const fields = /^HEADER\.FIELDS( \.NOT)?|^HEADER\.FIELDS\.NOT/i.exec(section);
  if (section === '') return raw;
  if (/^TEXT$/i.test(section)) return end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4);
  if (/^HEADER$/i.test(section)) return header;
  if (!fields) return raw;
  const names = new Set((/\(([^)]*)\)/.exec(section)?.[1] ?? '').toLowerCase().split(' ').filter(Boolean));
  const not = /\.NOT/i.test(section);
  const lines = header.toString('latin1').split('\r\n');
  const kept: string[] = [];
  let keep = false;
  for (const line of lines) {
    if (line === '') continue;
    if (!/^[ \t]/.test(line)) keep = names.has(line.slice(0, line.indexOf(':')).trim().toLowerCase()) !== not;
    if (keep) kept.push(line);
  }
  return Buffer.from(kept.map((l) => `${l}\r\n`).join('') + '\r\n', 'latin1');
}

/** Evaluates SEARCH keys (ALL, UID, a sequence set, HEADER, X-GM-RAW, X-GM-MSGID, X-GM-THRID, X-GM-LABELS); all must hold. */
export function search(all: readonly Numbered[], args: readonly Arg[]): Numbered[] {
  let hits = [...all];
  for (let i = 0; i < args.length; i++) {
    const key = astring(args[i], 'a search key').toUpperCase();
    const next = (): Arg => args[++i] ?? (() => { throw new SyntaxError(`${key} needs an argument`); })();
    if (key === 'ALL') continue;
    if (key === 'CHARSET' && i === 0) {
      if (!/^(UTF-8|US-ASCII)$/i.test(astring(next(), 'a charset'))) throw new Error('[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset');
      continue;
    }
    if (key === 'UID') {
      const set = select(all, astring(next(), 'a UID set'), true);
      hits = hits.filter((n) => set.includes(n));
    } else if (/^[\d*:,]+$/.test(key)) {
      const set = select(all, key, false);
      hits = hits.filter((n) => set.includes(n));
    } else if (key === 'HEADER') {
      const field = astring(next(), 'a header name').toLowerCase();
      const value = astring(next(), 'a header value').toLowerCase();
      hits = hits.filter((n) => headerValues(n.m.raw, field).some((v) => v.toLowerCase().includes(value)));
    } else if (key === 'X-GM-MSGID' || key === 'X-GM-THRID') {
      const id = BigInt(astring(next(), 'an id'));
      hits = hits.filter((n) => (key === 'X-GM-MSGID' ? n.m.msgid : n.m.thrid) === id);
    } else if (key === 'X-GM-LABELS') {
      const [label] = labelsIn(next());
      hits = hits.filter((n) => [...n.m.labels].some((l) => l.toLowerCase() === label!.toLowerCase()));
    } else if (key === 'X-GM-RAW') {
      const query = astring(next(), 'a Gmail search');
      hits = hits.filter((n) => rawMatches(n.m, query));
    } else throw new SyntaxError(`Unsupported search key ${key}`);
  }
  return hits;
}

function headerValues(raw: Buffer, field: string): string[] {
  const header = sectionOf(raw, `HEADER.FIELDS (${field})`).toString('latin1');
  return header.split(/\r\n(?![ \t])/).filter(Boolean).map((l) => l.slice(l.indexOf(':') + 1).replace(/\r\n[ \t]+/g, ' ').trim());
}

// Gmail's search operators (support.google.com/mail/answer/7190), the subset Mailroom and its tests use.
function rawMatches(m: GmailMessage, query: string): boolean {
  const words = query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  return words.every((w) => {
    const op = /^([a-z0-9]+):(.*)$/i.exec(w);
    const value = (op?.[2] ?? w).replace(/^"|"$/g, '').toLowerCase();
    const userLabels = [...m.labels].filter((l) => !l.startsWith('\\'));
    switch (op?.[1]?.toLowerCase()) {
      case undefined:
        return m.raw.toString('utf8').toLowerCase().includes(value);
      case 'label':
        return [...m.labels].some((l) => l.replace(/^\\/, '').toLowerCase().replace(/[\s/]/g, '-') === value.replace(/[\s/]/g, '-'));
      case 'in':
        if (value === 'anywhere') return true;
        return [...m.labels].some((l) => l.toLowerCase() === `\\${value}` || l.toLowerCase() === value);
      case 'is':
        if (value === 'starred') return m.flags.has('\\Flagged');
        if (value === 'unread') return !m.flags.has('\\Seen');
        if (value === 'read') return m.flags.has('\\Seen');
        if (value === 'important') return m.labels.has('\\Important');
        throw new SyntaxError(`Unsupported is:${value}`);
      case 'has':
        if (value === 'userlabels') return userLabels.length > 0;
        if (value === 'nouserlabels') return userLabels.length === 0;
        throw new SyntaxError(`Unsupported has:${value}`);
      case 'rfc822msgid':
        return headerValues(m.raw, 'message-id').some((v) => v.replace(/[<>]/g, '').toLowerCase() === value.replace(/[<>]/g, ''));
      default:
        throw new SyntaxError(`Unsupported search operator ${op![1]}:`);
    }
  });
}
