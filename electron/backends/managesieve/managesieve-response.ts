/** One word of a ManageSieve response line (RFC 5804 §4): an atom, a quoted string or a literal. */
export type SieveWord = { readonly kind: 'atom'; readonly value: string } | { readonly kind: 'string'; readonly value: string };

/** A whole server response: its data lines, then the OK/NO/BYE line that ends it. */
export interface SieveResponse {
  readonly lines: readonly (readonly SieveWord[])[];
  readonly status: 'OK' | 'NO' | 'BYE';
  /** The response code in parentheses, e.g. "AUTH-TOO-WEAK" or "NONEXISTENT", without its arguments. */
  readonly code: string | null;
  /** The human-readable text after the status, if any. */
  readonly text: string;
}

/** A response the client refuses to read (not the grammar of RFC 5804, or larger than allowed). */
export class SieveProtocolError extends Error {
  override readonly name = 'SieveProtocolError';
}

/** Largest literal accepted: Dovecot's default script limit is 1 MiB; anything past this is not a script to read. */
export const MAX_LITERAL_BYTES = 4 * 1024 * 1024;

const CR = 13;
const LF = 10;
const SP = 32;
const QUOTE = 34;

/**
 * Parses one complete response from the start of `buf`. Returns null while more bytes are needed, else the
 * response and how many bytes it used. Literal sizes count octets, so the buffer is read as bytes, not text.
 */
export function parseResponse(buf: Buffer): { response: SieveResponse; used: number } | null {
  const lines: SieveWord[][] = [];
  let at = 0;
  for (;;) {
    const line = parseLine(buf, at);
    if (!line) return null;
    at = line.end;
    const first = line.words[0];
    const status = first?.kind === 'atom' ? first.value.toUpperCase() : '';
    if (status === 'OK' || status === 'NO' || status === 'BYE') {
      const text = line.words.slice(1).find((w) => w.kind === 'string')?.value ?? '';
      return { response: { lines, status, code: line.code, text }, used: at };
    }
    lines.push(line.words);
  }
}

function parseLine(buf: Buffer, start: number): { words: SieveWord[]; code: string | null; end: number } | null {
  const words: SieveWord[] = [];
  let code: string | null = null;
  let i = start;
  for (;;) {
    if (i >= buf.length) return null;
    const c = buf[i]!;
    if (c === SP) i += 1;
    else if (c === CR) {
      if (i + 1 >= buf.length) return null;
      if (buf[i + 1] !== LF) throw new SieveProtocolError('a line ends in CR without LF');
      return { words, code, end: i + 2 };
    } else if (c === QUOTE) {
      const s = quoted(buf, i);
      if (!s) return null;
      words.push({ kind: 'string', value: s.value });
      i = s.end;
    } else if (c === 0x7b /* { */) {
      const s = literal(buf, i);
      if (!s) return null;
      words.push({ kind: 'string', value: s.value });
      i = s.end;
    } else if (c === 0x28 /* ( */) {
      const s = responseCode(buf, i);
      if (!s) return null;
      code = s.value;
      i = s.end;
    } else {
      let j = i;
      while (j < buf.length && buf[j] !== SP && buf[j] !== CR && buf[j] !== 0x28) j += 1;
      if (j >= buf.length) return null;
      words.push({ kind: 'atom', value: buf.toString('latin1', i, j) });
      i = j;
    }
  }
}

function quoted(buf: Buffer, start: number): { value: string; end: number } | null {
  const bytes: number[] = [];
  let i = start + 1;
  for (;;) {
    if (i >= buf.length) return null;
    const c = buf[i]!;
    if (c === QUOTE) return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c === CR || c === LF) throw new SieveProtocolError('a quoted string holds a line break');
    if (c === 0x5c /* \ */) {
      if (i + 1 >= buf.length) return null;
      bytes.push(buf[i + 1]!);
      i += 2;
    } else {
      bytes.push(c);
      i += 1;
    }
    if (bytes.length > MAX_LITERAL_BYTES) throw new SieveProtocolError('a quoted string is too long');
  }
}

/** `{n}` or `{n+}` CRLF, then n octets (RFC 5804 §4). */
function literal(buf: Buffer, start: number): { value: string; end: number } | null {
  const close = buf.indexOf(0x7d /* } */, start);
  if (close < 0) return buf.length - start > 16 ? fail('a literal size is not closed') : null;
  const size = /^\{([0-9]{1,10})\+?\}$/.exec(buf.toString('latin1', start, close + 1));
  if (!size) fail('a literal size is not a number');
  const n = Number(size![1]);
  if (n > MAX_LITERAL_BYTES) fail(`a literal of ${n} bytes is larger than ${MAX_LITERAL_BYTES}`);
  if (close + 2 >= buf.length) return null;
  if (buf[close + 1] !== CR || buf[close + 2] !== LF) fail('a literal size is not followed by CRLF');
  const from = close + 3;
  if (from + n > buf.length) return null;
  return { value: buf.toString('utf8', from, from + n), end: from + n };
}

function responseCode(buf: Buffer, start: number): { value: string; end: number } | null {
  let i = start + 1;
  let depth = 1;
  while (depth > 0) {
    if (i >= buf.length) return null;
    const c = buf[i]!;
    if (c === QUOTE) {
      const s = quoted(buf, i);
      if (!s) return null;
      i = s.end;
      continue;
    }
    if (c === CR) fail('a response code is not closed on its line');
    if (c === 0x28) depth += 1;
    if (c === 0x29) depth -= 1;
    i += 1;
  }
  const inner = buf.toString('latin1', start + 1, i - 1).trim();
  return { value: (inner.split(/[\s/]/, 1)[0] ?? '').toUpperCase(), end: i };
}

function fail(why: string): never {
  throw new SieveProtocolError(why);
}

/** Writes a string as a ManageSieve literal (`{n+}` CRLF octets), which needs no escaping. */
export function literalOf(text: string): string {
  return `{${Buffer.byteLength(text, 'utf8')}+}\r\n${text}`;
}

/** Writes a string as a quoted string; names and SASL data never hold CR, LF or NUL, which quoting cannot carry. */
export function quote(text: string): string {
  if (/[\r\n\0]/.test(text)) throw new SieveProtocolError('a quoted string cannot hold CR, LF or NUL');
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
