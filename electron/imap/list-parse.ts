import type { RawResponse } from './response-reader.ts';

// Reading untagged LIST, STATUS and NAMESPACE answers (RFC 3501 §7.2, RFC 5258, RFC 5819, RFC 2342)
// off a raw response: atoms, quoted strings, literals (the reader's "\0<n>\0" placeholders), NIL
// and parenthesised lists. Anything malformed gives null, never an exception: these lines come from
// a server this process does not trust.

/** One value of a response: a string (atom, quoted or literal), null for NIL, or a parenthesised list. */
export type Token = string | null | Token[];

/** A listed mailbox: its attributes, hierarchy delimiter (null for NIL) and name as the server wrote it. */
export interface ListLine {
  readonly flags: string[];
  readonly delimiter: string | null;
  readonly name: string;
}

/** One namespace of a NAMESPACE answer: its prefix and delimiter (null for NIL). */
export interface NamespaceEntry {
  readonly prefix: string;
  readonly delimiter: string | null;
}

/** The three namespace groups; false where the server sent NIL. */
export interface NamespaceLine {
  readonly personal: NamespaceEntry[] | false;
  readonly other: NamespaceEntry[] | false;
  readonly shared: NamespaceEntry[] | false;
}

// Deeper than any LIST or NAMESPACE answer needs; a hostile server cannot make the parser recurse further.
const MAX_DEPTH = 16;
const ATOM_END = new Set([' ', '(', ')', '"', '\0']);

/**
 * The tokens of `r.text` from `from` on; null when the text is not well formed (an unterminated
 * quote or list, a stray ")", a literal placeholder with no literal, lists nested too deep).
 */
export function tokenize(r: RawResponse, from = 0): Token[] | null {
  const text = r.text;
  let at = from;
  const read = (depth: number): Token[] | null => {
    const out: Token[] = [];
    for (;;) {
      while (text[at] === ' ') at++;
      if (at >= text.length) return depth === 0 ? out : null;
      const c = text[at]!;
      if (c === ')') {
        if (depth === 0) return null;
        at++;
        return out;
      }
      if (c === '(') {
        if (depth >= MAX_DEPTH) return null;
        at++;
        const inner = read(depth + 1);
        if (inner === null) return null;
        out.push(inner);
      } else if (c === '"') {
        const s = quoted();
        if (s === null) return null;
        out.push(s);
      } else if (c === '\0') {
        const end = text.indexOf('\0', at + 1);
        const literal = end < 0 ? undefined : r.literals[Number(text.slice(at + 1, end))];
        if (!literal) return null;
        out.push(literal.toString('utf8'));
        at = end + 1;
      } else {
        const start = at;
        while (at < text.length && !ATOM_END.has(text[at]!)) at++;
        const atom = text.slice(start, at);
        out.push(atom.toUpperCase() === 'NIL' ? null : atom);
      }
    }
  };
  const quoted = (): string | null => {
    let s = '';
    for (at++; at < text.length; at++) {
      const c = text[at]!;
      if (c === '"') {
        at++;
        // The reader decodes lines as latin1: 8-bit text in a quoted string is UTF-8 (RFC 6855).
        return /[\x80-\xff]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
      }
      if (c === '\\') {
        at++;
        if (at >= text.length) return null;
        s += text[at];
      } else s += c;
    }
    return null;
  };
  return read(0);
}

// The tokens after "* <keyword> ", or null when the response is not that untagged answer.
function after(r: RawResponse, keyword: string): Token[] | null {
  const head = `* ${keyword} `;
  return r.text.length > head.length && r.text.slice(0, head.length).toUpperCase() === head ? tokenize(r, head.length) : null;
}

/** An untagged LIST answer, or null when `r` is none or is malformed. Extended data after the name (RFC 5258) is ignored. */
export function parseListLine(r: RawResponse): ListLine | null {
  const t = after(r, 'LIST');
  if (!t || t.length < 3) return null;
  const [flags, delimiter, name] = t as [Token, Token, Token];
  if (!Array.isArray(flags) || Array.isArray(delimiter) || typeof name !== 'string') return null;
  if (!flags.every((f): f is string => typeof f === 'string')) return null;
  return { flags, delimiter, name };
}

/** An untagged STATUS answer: the mailbox as the server wrote it and its items by upper-case name (numbers as text). */
export function parseStatusLine(r: RawResponse): { readonly name: string; readonly items: ReadonlyMap<string, string> } | null {
  const t = after(r, 'STATUS');
  if (!t || t.length < 2) return null;
  const [name, list] = t as [Token, Token];
  if (typeof name !== 'string' || !Array.isArray(list)) return null;
  const items = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) {
    const [k, v] = [list[i], list[i + 1]];
    if (typeof k === 'string' && typeof v === 'string' && /^\d{1,20}$/.test(v)) items.set(k.toUpperCase(), v);
  }
  return { name, items };
}

/** An untagged NAMESPACE answer (RFC 2342), or null when `r` is none or is malformed. */
export function parseNamespaceLine(r: RawResponse): NamespaceLine | null {
  const t = after(r, 'NAMESPACE');
  if (!t || t.length < 3) return null;
  const groups = t.slice(0, 3).map(namespaceGroup);
  if (groups.some((g) => g === null)) return null;
  const [personal, other, shared] = groups as (NamespaceEntry[] | false)[];
  return { personal: personal!, other: other!, shared: shared! };
}

// NIL, or a list of (prefix delimiter [extensions]); entries of another shape are left out, as imapflow does.
function namespaceGroup(group: Token | undefined): NamespaceEntry[] | false | null {
  if (group === null) return false;
  if (!Array.isArray(group)) return null;
  const out: NamespaceEntry[] = [];
  for (const entry of group) {
    if (!Array.isArray(entry) || entry.length < 2) continue;
    const [prefix, delimiter] = entry;
    if (typeof prefix !== 'string' || Array.isArray(delimiter) || delimiter === undefined) continue;
    // A prefix is the start of a name: it ends with the delimiter (RFC 2342 §5), added where a server left it out.
    out.push({ prefix: delimiter && prefix && !prefix.endsWith(delimiter) ? prefix + delimiter : prefix, delimiter });
  }
  return out.length > 0 ? out : false;
}
