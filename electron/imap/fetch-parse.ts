import { dateItem, flagsItem, sectionItem, sizeItem, uidItem } from './fetch-items.ts';
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

// The whole format, checked by a test (no match array); the fields are then read by position. Without V8's optimising
// tiers (`migrate`) a loop over the characters costs more than the pattern, and `exec` allocated ten strings a date.
const DATE_TIME = /^ ?\d{1,2}-[A-Za-z]{3}-\d{4} \d\d:\d\d:\d\d [+-]\d{4}$/;
// Each month's three letters, lower-cased, as one number (see monthKey).
const MONTHS = new Map(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [monthKey(m, 0), i]));
// What follows the day in a date-time: "-Aug-2002 12:00:00 +0200".
const AFTER_DAY = 24;

/** Parses an IMAP date-time ("01-Aug-2002 12:00:00 +0200", the day optionally " 1" or "1"); null when malformed. */
export function parseImapDate(text: string): Date | null {
  if (!DATE_TIME.test(text)) return null;
  const at = text.length - AFTER_DAY;
  // Servers are meant to send "Aug"; some send "AUG" or "aug".
  const month = MONTHS.get(monthKey(text, at + 1));
  if (month === undefined) return null;
  const day = at >= 2 && text.charCodeAt(at - 2) !== 32 ? twoDigits(text, at - 2) : text.charCodeAt(at - 1) - 48;
  const year = twoDigits(text, at + 5) * 100 + twoDigits(text, at + 7);
  const offset = (text.charCodeAt(at + 19) === 45 ? -1 : 1) * (twoDigits(text, at + 20) * 60 + twoDigits(text, at + 22)) * 60_000;
  return new Date(Date.UTC(year, month, day, twoDigits(text, at + 10), twoDigits(text, at + 13), twoDigits(text, at + 16)) - offset);
}

// The two digits at text[at] as a number (the format was checked).
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

// Three ASCII letters at text[at] (the format was checked) lower-cased into one number.
function monthKey(text: string, at: number): number {
  return ((text.charCodeAt(at) | 0x20) * 256 + (text.charCodeAt(at + 1) | 0x20)) * 256 + (text.charCodeAt(at + 2) | 0x20);
}

/**
 * Extracts UID, FLAGS, INTERNALDATE and BODY[] from one untagged FETCH response, or null when it is
 * not a FETCH with a body (e.g. an unsolicited FLAGS update).
 */
export function parseFetchBody(r: RawResponse): FetchedBody | null {
  if (!isFetch(r)) return null;
  const uid = uidItem(r.text);
  const content = sectionItem(r, 'BODY\\[\\]');
  if (uid === null || content === undefined) return null;
  return { uid, content: content ?? Buffer.alloc(0), flags: flagsItem(r.text), internalDate: dateOf(r.text) };
}

/** Extracts UID, RFC822.SIZE, INTERNALDATE, FLAGS and any header section from one untagged FETCH; null without UID and size. */
export function parseFetchMeta(r: RawResponse): FetchedMeta | null {
  if (!isFetch(r)) return null;
  const uid = uidItem(r.text);
  const size = sizeItem(r.text);
  if (uid === null || size === null) return null;
  const header = sectionItem(r, 'BODY\\[HEADER(?:\\.FIELDS \\([^)]*\\))?\\]') ?? null;
  return { uid, size, internalDate: dateOf(r.text), flags: flagsItem(r.text), header };
}

/** Extracts a UID and a header section alone (the second metadata round for messages without Message-ID). */
export function parseFetchHeader(r: RawResponse): { uid: number; header: Buffer } | null {
  if (!isFetch(r)) return null;
  const uid = uidItem(r.text);
  const header = sectionItem(r, 'BODY\\[HEADER\\]');
  return uid !== null && header !== undefined ? { uid, header: header ?? Buffer.alloc(0) } : null;
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

// Made once: a pattern literal in a function is a new RegExp object per call (per message here).
const FETCH_RESPONSE = /^\* \d+ FETCH \(/i;

function isFetch(r: RawResponse): boolean {
  return FETCH_RESPONSE.test(r.text);
}

function dateOf(text: string): Date | null {
  const date = dateItem(text);
  return date ? parseImapDate(date) : null;
}
