import type { RawResponse } from './response-reader.ts';

// Parsing of the FETCH and EXAMINE answers the raw connections read (migration/fetch-connection.ts).

/** One message of a body stream: exact bytes, flags and internal date. */
export interface FetchedBody {
  readonly uid: number;
  readonly content: Buffer;
  readonly flags: readonly string[];
  readonly internalDate: Date | null;
}

/** What a metadata FETCH returns for one message (header blocks only when asked for). */
export interface FetchedMeta {
  readonly uid: number;
  readonly size: number;
  readonly internalDate: Date | null;
  readonly flags: readonly string[];
  /** `BODY[HEADER.FIELDS (MESSAGE-ID)]`, or the whole `BODY[HEADER]`, when requested. */
  readonly header: Buffer | null;
}

/** A mailbox as EXAMINE reports it. */
export interface MailboxState {
  readonly uidValidity: number;
  readonly uidNext: number;
  readonly exists: number;
  /** PERMANENTFLAGS, or null when the server sent none (then FLAGS is what it keeps). */
  readonly permanentFlags: readonly string[] | null;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** Parses an IMAP date-time ("01-Aug-2002 12:00:00 +0200"); null when malformed. */
export function parseImapDate(text: string): Date | null {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text);
  // Servers are meant to send "Aug"; some send "AUG" or "aug".
  const month = m ? MONTHS[m[2]!.charAt(0).toUpperCase() + m[2]!.slice(1).toLowerCase()] : undefined;
  if (!m || month === undefined) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return new Date(Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset);
}

/**
 * Extracts UID, FLAGS, INTERNALDATE and BODY[] from one untagged FETCH response, or null when it is
 * not a FETCH with a body (e.g. an unsolicited FLAGS update).
 */
export function parseFetchBody(r: RawResponse): FetchedBody | null {
  if (!isFetch(r)) return null;
  const uid = /[( ]UID (\d+)/i.exec(r.text);
  const content = section(r, 'BODY\\[\\]');
  if (!uid || content === undefined) return null;
  return { uid: Number(uid[1]), content: content ?? Buffer.alloc(0), flags: flagsOf(r.text), internalDate: dateOf(r.text) };
}

/** Extracts UID, RFC822.SIZE, INTERNALDATE, FLAGS and any header section from one untagged FETCH; null without UID and size. */
export function parseFetchMeta(r: RawResponse): FetchedMeta | null {
  if (!isFetch(r)) return null;
  const uid = /[( ]UID (\d+)/i.exec(r.text);
  const size = /[( ]RFC822\.SIZE (\d+)/i.exec(r.text);
  if (!uid || !size) return null;
  const header = section(r, 'BODY\\[HEADER(?:\\.FIELDS \\([^)]*\\))?\\]') ?? null;
  return { uid: Number(uid[1]), size: Number(size[1]), internalDate: dateOf(r.text), flags: flagsOf(r.text), header };
}

/** Extracts a UID and a header section alone (the second metadata round for messages without Message-ID). */
export function parseFetchHeader(r: RawResponse): { uid: number; header: Buffer } | null {
  if (!isFetch(r)) return null;
  const uid = /[( ]UID (\d+)/i.exec(r.text);
  const header = section(r, 'BODY\\[HEADER\\]');
  return uid && header !== undefined ? { uid: Number(uid[1]), header: header ?? Buffer.alloc(0) } : null;
}

/** Folds one untagged response of SELECT/EXAMINE into the mailbox state collected so far. */
export function foldExamine(state: MailboxState, text: string): MailboxState {
  const exists = /^\* (\d+) EXISTS/i.exec(text);
  if (exists) return { ...state, exists: Number(exists[1]) };
  const code = /^\* OK \[(UIDVALIDITY|UIDNEXT) (\d+)\]/i.exec(text);
  if (code) return code[1]!.toUpperCase() === 'UIDVALIDITY' ? { ...state, uidValidity: Number(code[2]) } : { ...state, uidNext: Number(code[2]) };
  const permanent = /^\* OK \[PERMANENTFLAGS \(([^)]*)\)\]/i.exec(text);
  if (permanent) return { ...state, permanentFlags: permanent[1]!.split(' ').filter(Boolean) };
  return state;
}

/** The state before any EXAMINE response was seen. */
export const EMPTY_MAILBOX: MailboxState = { uidValidity: 0, uidNext: 0, exists: 0, permanentFlags: null };

function isFetch(r: RawResponse): boolean {
  return /^\* \d+ FETCH \(/i.test(r.text);
}

// Each section's pattern, built once: one was compiled per response (every body of a copy and of its re-read).
const SECTIONS = new Map<string, RegExp>();

// A section's value: its literal, a quoted string, null for NIL, undefined when the item is absent.
function section(r: RawResponse, name: string): Buffer | null | undefined {
  let pattern = SECTIONS.get(name);
  if (!pattern) SECTIONS.set(name, (pattern = new RegExp(`[( ]${name} (?:\\0(\\d+)\\0|"((?:[^"\\\\]|\\\\.)*)"|(NIL))`, 'i')));
  const m = pattern.exec(r.text);
  if (!m) return undefined;
  if (m[1] !== undefined) return r.literals[Number(m[1])]!;
  if (m[3] !== undefined) return null;
  return Buffer.from((m[2] ?? '').replace(/\\(.)/g, '$1'), 'latin1');
}

function flagsOf(text: string): string[] {
  return /[( ]FLAGS \(([^)]*)\)/i.exec(text)?.[1]?.split(' ').filter(Boolean) ?? [];
}

function dateOf(text: string): Date | null {
  const date = /[( ]INTERNALDATE "([^"]*)"/i.exec(text)?.[1];
  return date ? parseImapDate(date) : null;
}
