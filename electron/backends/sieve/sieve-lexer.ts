/** A token of RFC 5228 §2.4's lexical grammar. */
export type SieveToken =
  | { readonly kind: 'identifier' | 'tag'; readonly value: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'punct'; readonly value: ';' | ',' | '{' | '}' | '[' | ']' | '(' | ')' };

/** A script the reader refuses, with the line where it stopped. */
export class SieveSyntaxError extends Error {
  override readonly name = 'SieveSyntaxError';
}

/** Scripts longer than this are refused unread (Stalwart's default limit is 100 KiB; Dovecot's 1 MiB). */
export const MAX_SCRIPT_CHARS = 1024 * 1024;

const PUNCT = new Set([';', ',', '{', '}', '[', ']', '(', ')']);
const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Splits a Sieve script into tokens; comments and white space are dropped. Throws SieveSyntaxError. */
export function tokenize(script: string): SieveToken[] {
  if (script.length > MAX_SCRIPT_CHARS) throw new SieveSyntaxError(`the script is longer than ${MAX_SCRIPT_CHARS} characters`);
  const tokens: SieveToken[] = [];
  let i = 0;
  let line = 1;
  const fail = (why: string): never => {
    throw new SieveSyntaxError(`line ${line}: ${why}`);
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (c === ' ' || c === '\t' || c === '\r') i += 1;
    else if (c === '#') {
      while (i < script.length && script[i] !== '\n') i += 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated /* comment');
      line += countLines(script, i, end);
      i = end + 2;
    } else if (c === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= script.length) fail('unterminated quoted string');
        const ch = script[i]!;
        if (ch === '"') break;
        if (ch === '\\') {
          if (i + 1 >= script.length) fail('unterminated quoted string');
          value += script[i + 1]!;
          i += 2;
          continue;
        }
        if (ch === '\n') line += 1;
        value += ch;
        i += 1;
      }
      i += 1;
      tokens.push({ kind: 'string', value });
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', value: c as ';' });
      i += 1;
    } else if (c === ':' && /[A-Za-z_]/.test(script[i + 1] ?? '')) {
      const m = /^:[A-Za-z_][A-Za-z0-9_]*/.exec(script.slice(i, i + 256))!;
      tokens.push({ kind: 'tag', value: m[0].slice(1).toLowerCase() });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^([0-9]{1,15})([KMGkmg])?/.exec(script.slice(i, i + 32))!;
      if (/[0-9]/.test(script[i + m[0].length] ?? '')) fail('number too long');
      tokens.push({ kind: 'number', value: Number(m[1]) * (m[2] ? UNITS[m[2].toUpperCase()]! : 1) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(script.slice(i, i + 256))!;
      if (m[0].length === 256) fail('identifier too long');
      const word = m[0].toLowerCase();
      i += m[0].length;
      if (word === 'text' && script[i] === ':') {
        const text = multiLine(script, i + 1, () => line);
        tokens.push({ kind: 'string', value: text.value });
        line += text.lines;
        i = text.end;
      } else tokens.push({ kind: 'identifier', value: word });
    } else fail(`unexpected character ${JSON.stringify(c)}`);
  }
  return tokens;
}

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k += 1) if (s[k] === '\n') n += 1;
  return n;
}

/** `text:` … CRLF "." CRLF (RFC 5228 §2.4.2): dot-stuffed lines up to a line holding only a dot. */
function multiLine(script: string, start: number, lineNow: () => number): { value: string; end: number; lines: number } {
  const eol = script.indexOf('\n', start);
  const rest = eol < 0 ? '' : script.slice(start, eol).trim();
  if (eol < 0 || (rest !== '' && !rest.startsWith('#'))) throw new SieveSyntaxError(`line ${lineNow()}: text: must end its line`);
  const out: string[] = [];
  let at = eol + 1;
  let lines = 1;
  for (;;) {
    if (at >= script.length) throw new SieveSyntaxError(`line ${lineNow() + lines}: unterminated text: block`);
    const next = script.indexOf('\n', at);
    const raw = script.slice(at, next < 0 ? script.length : next).replace(/\r$/, '');
    at = next < 0 ? script.length : next + 1;
    lines += 1;
    if (raw === '.') break;
    out.push(raw.startsWith('..') ? raw.slice(1) : raw);
  }
  return { value: out.join('\n'), end: at, lines: lines - 1 };
}
