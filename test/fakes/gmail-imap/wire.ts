/** One argument of a client command: an atom, a string (quoted or literal), or a parenthesized list. */
export type Arg = { readonly kind: 'atom'; readonly value: string } | { readonly kind: 'string'; readonly value: Buffer } | { readonly kind: 'list'; readonly items: Arg[] };

/** A command as the client sent it: tag, verb and arguments, syntax already checked. */
export interface Command {
  readonly tag: string;
  readonly verb: string;
  readonly args: Arg[];
}

/** Thrown for a command that breaks RFC 3501 syntax; the server answers BAD with the message. */
export class SyntaxError extends Error {}

/**
 * Reads commands off a socket's bytes, literals included: `{n}` waits for a "+" continuation
 * (sent through `onContinue`), `{n+}` (LITERAL+) does not. A command completes at its last CRLF.
 */
export class CommandReader {
  private buffer = Buffer.alloc(0);
  private parts: { readonly text?: Buffer; readonly literal?: Buffer }[] = [];
  private literalsLeft = 0;
  private readonly onContinue: () => void;

  constructor(onContinue: () => void) {
    this.onContinue = onContinue;
  }

  /** Adds bytes; returns every command line now complete (literals inlined as `\0index\0` markers with their bytes). */
  push(chunk: Buffer): { line: string; literals: Buffer[] }[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: { line: string; literals: Buffer[] }[] = [];
    for (;;) {
      if (this.literalsLeft > 0) {
        if (this.buffer.length < this.literalsLeft) return out;
        this.parts.push({ literal: this.buffer.subarray(0, this.literalsLeft) });
        this.buffer = this.buffer.subarray(this.literalsLeft);
        this.literalsLeft = 0;
        continue;
      }
      const nl = this.buffer.indexOf('\r\n');
      if (nl < 0) return out;
      const text = this.buffer.subarray(0, nl);
      this.buffer = this.buffer.subarray(nl + 2);
      const literal = /\{(\d+)(\+?)\}$/.exec(text.toString('latin1'));
      this.parts.push({ text });
      if (literal) {
        this.literalsLeft = Number(literal[1]);
        if (literal[2] !== '+') this.onContinue();
        if (this.literalsLeft === 0) this.parts.push({ literal: Buffer.alloc(0) });
        continue;
      }
      out.push(this.flatten());
    }
  }

  // Joins the pieces of one command: text pieces stay text, literal bodies become numbered markers.
  private flatten(): { line: string; literals: Buffer[] } {
    const literals: Buffer[] = [];
    let line = '';
    for (const p of this.parts) {
      if (p.literal) {
        literals.push(p.literal);
        line += `\0${literals.length - 1}\0`;
      } else line += p.text!.toString('latin1');
    }
    this.parts = [];
    return { line, literals };
  }
}

/* eslint-disable no-control-regex -- IMAP syntax (RFC 3501 §9) is defined by which control characters it forbids */

/** Parses one command line (from CommandReader) strictly; throws SyntaxError on anything RFC 3501 forbids. */
export function parseCommand(line: string, literals: readonly Buffer[]): Command {
  const head = /^([^ (){%*"\\\]+\x00-\x1f]+) ([A-Za-z]+)(?: |$)/.exec(line);
  if (!head) throw new SyntaxError('Expected "tag SP command"');
  let verb = head[2]!.toUpperCase();
  let pos = head[0].length;
  if (verb === 'UID') {
    const sub = /^([A-Za-z]+)(?: |$)/.exec(line.slice(pos));
    if (!sub) throw new SyntaxError('UID needs a command');
    verb = `UID ${sub[1]!.toUpperCase()}`;
    pos += sub[0].length;
  }
  const args: Arg[] = [];
  const stack: Arg[][] = [args];
  while (pos < line.length) {
    const c = line[pos]!;
    const top = stack[stack.length - 1]!;
    if (c === ' ') {
      if (line[pos + 1] === ' ' || line[pos + 1] === ')' || pos + 1 === line.length) throw new SyntaxError('Stray space');
      pos++;
    } else if (c === '(') {
      const list: Arg = { kind: 'list', items: [] };
      top.push(list);
      stack.push(list.items);
      pos++;
    } else if (c === ')') {
      if (stack.length === 1) throw new SyntaxError('Unbalanced ")"');
      stack.pop();
      pos++;
    } else if (c === '"') {
      const m = /^"((?:[^"\\\r\n]|\\["\\])*)"/.exec(line.slice(pos));
      if (!m) throw new SyntaxError('Bad quoted string');
      top.push({ kind: 'string', value: Buffer.from(m[1]!.replace(/\\(["\\])/g, '$1'), 'latin1') });
      pos += m[0].length;
    } else if (c === '{') {
      const m = /^\{\d+\+?\}\0(\d+)\0/.exec(line.slice(pos));
      if (!m) throw new SyntaxError('Bad literal');
      top.push({ kind: 'string', value: literals[Number(m[1])]! });
      pos += m[0].length;
    } else {
      // Atoms may carry a bracketed section (BODY.PEEK[HEADER.FIELDS (A B)]<0.10>) or "]" (ASTRING-CHAR), read whole.
      const m = /^\\?(?:[^(){ \x00-\x1f\x7f"\\[\]]+|\[[^\]\r\n]*\]|\])+(?:<\d+(?:\.\d+)?>)?/.exec(line.slice(pos));
      if (!m) throw new SyntaxError(`Unexpected "${c}"`);
      top.push({ kind: 'atom', value: m[0] });
      pos += m[0].length;
    }
  }
  if (stack.length !== 1) throw new SyntaxError('Unbalanced "("');
  return { tag: head[1]!, verb, args };
}

/** The text of an atom or string argument (astring), or a SyntaxError. */
export function astring(arg: Arg | undefined, what: string): string {
  if (!arg || arg.kind === 'list') throw new SyntaxError(`Expected ${what}`);
  return arg.kind === 'atom' ? arg.value : arg.value.toString('utf8');
}

/** Quotes a string for a response, or sends it as a literal when it cannot be quoted. */
export function quote(value: string): string {
  if (/[\r\n\x00]/.test(value) || /[^\x20-\x7e]/.test(value)) return `{${Buffer.byteLength(value)}}\r\n${value}`;
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** An astring for a response: an atom when it is one, else quoted. */
export function astringOut(value: string): string {
  return value !== '' && /^[^(){ \x00-\x1f\x7f%*"\\\]]+$/.test(value) ? value : quote(value);
}

/** Expands a sequence set ("1:3,7,9:*") against the highest number in use. */
export function expandSet(set: string, max: number): number[] {
  if (!/^(?:\d+|\*)(?::(?:\d+|\*))?(?:,(?:\d+|\*)(?::(?:\d+|\*))?)*$/.test(set)) throw new SyntaxError(`Bad sequence set "${set}"`);
  const out = new Set<number>();
  for (const part of set.split(',')) {
    const [a, b] = part.split(':').map((x) => (x === '*' ? max : Number(x))) as [number, number | undefined];
    const lo = Math.min(a, b ?? a);
    const hi = Math.max(a, b ?? a);
    for (let n = lo; n <= hi && n <= max; n++) out.add(n);
    if (lo > max && part.includes('*')) out.add(max);
  }
  return [...out].filter((n) => n > 0).sort((x, y) => x - y);
}
