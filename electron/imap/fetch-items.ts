import type { RawResponse } from './response-reader.ts';

// Finding a FETCH response's items in its text (each literal stands as "\0<index>\0"): every message of a listing, a
// body stream and a re-read goes through here. `search` and `test` find an item without the match array and substrings
// an `exec` builds; the value is then read by position. Each pattern is made once (a pattern literal in a function is
// a new RegExp object per call).

const UID_AT = /[( ]UID \d/i;
const SIZE_AT = /[( ]RFC822\.SIZE \d/i;
const FLAGS_AT = /[( ]FLAGS \(/i;
const DATE_AT = /[( ]INTERNALDATE "/i;
const QUOTED = /"((?:[^"\\]|\\.)*)"/y;

/** The UID item's number; null when there is none. */
export function uidItem(text: string): number | null {
  return numberAfter(text, UID_AT, ' UID '.length);
}

/** The RFC822.SIZE item's number; null when there is none. */
export function sizeItem(text: string): number | null {
  return numberAfter(text, SIZE_AT, ' RFC822.SIZE '.length);
}

/** The FLAGS item's flags; empty when there is none. */
export function flagsItem(text: string): string[] {
  const at = text.search(FLAGS_AT);
  if (at < 0) return [];
  const from = at + ' FLAGS ('.length;
  // No ")" after the first "FLAGS (" means none after any later one either.
  const to = text.indexOf(')', from);
  if (to <= from) return [];
  const flags = text.slice(from, to).split(' ');
  return flags.includes('') ? flags.filter(Boolean) : flags;
}

/** The INTERNALDATE item's quoted text; null when there is none. */
export function dateItem(text: string): string | null {
  const at = text.search(DATE_AT);
  if (at < 0) return null;
  const from = at + ' INTERNALDATE "'.length;
  const to = text.indexOf('"', from);
  return to < 0 ? null : text.slice(from, to);
}

// Per section name (a pattern source such as "BODY\\[\\]"): where the item is, and the name alone, read in place.
const SECTIONS = new Map<string, { readonly at: RegExp; readonly name: RegExp }>();

/** A section item's value (`name` a pattern source): its literal, a quoted string's bytes, null for NIL, undefined when absent. */
export function sectionItem(r: RawResponse, name: string): Buffer | null | undefined {
  let patterns = SECTIONS.get(name);
  if (!patterns) SECTIONS.set(name, (patterns = { at: new RegExp(`[( ]${name} (?:\\0\\d+\\0|"(?:[^"\\\\]|\\\\.)*"|NIL)`, 'i'), name: new RegExp(`${name} `, 'iy') }));
  const at = r.text.search(patterns.at);
  if (at < 0) return undefined;
  // The name has one length wherever the whole item matched: find where its value starts.
  patterns.name.lastIndex = at + 1;
  patterns.name.test(r.text);
  const from = patterns.name.lastIndex;
  const first = r.text.charCodeAt(from);
  if (first === 0) return r.literals[digitsAt(r.text, from + 1)];
  if (first !== 34) return null;
  QUOTED.lastIndex = from;
  return Buffer.from((QUOTED.exec(r.text)?.[1] ?? '').replace(/\\(.)/g, '$1'), 'latin1');
}

function numberAfter(text: string, pattern: RegExp, skip: number): number | null {
  const at = text.search(pattern);
  return at < 0 ? null : digitsAt(text, at + skip);
}

// The run of ASCII digits from text[from] (at least one) as a number: parseInt stops at the first other character
// (a loop over the digits costs more than the call without V8's optimising tiers, which `migrate` runs without).
function digitsAt(text: string, from: number): number {
  return parseInt(text.slice(from), 10);
}
