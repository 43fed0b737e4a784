// Splitting the server's byte stream into responses (RFC 3501 §2.2.2, §4.3): text up to CRLF, where
// a line ending in {N} is followed by N literal bytes and then more of the same response.

/** One complete server response: its text with each literal replaced by "\0<index>\0", and the literals. */
export interface RawResponse {
  readonly text: string;
  readonly literals: readonly Buffer[];
}

/** A command's completion: OK, NO or BAD with its response code (e.g. "APPENDUID 1 5") and text. */
export interface TaggedResponse {
  readonly status: 'OK' | 'NO' | 'BAD';
  readonly code: string | null;
  readonly text: string;
}

/** Parses a tagged completion line; null when the line is not one. */
export function parseTagged(line: string): { tag: string; response: TaggedResponse } | null {
  const m = /^(\S+) (OK|NO|BAD)(?: \[([^\]]*)\])? ?(.*)$/i.exec(line);
  if (!m) return null;
  return { tag: m[1]!, response: { status: m[2]!.toUpperCase() as TaggedResponse['status'], code: m[3] ?? null, text: m[4] ?? '' } };
}

/**
 * Returns one complete response line from the start of `buffer` (literals inlined as "<literal>"),
 * or null when more data is needed; nothing is consumed until the whole response is there. Used by
 * the login phase, whose unread bytes are handed on to the connection that follows it.
 */
export function takeLine(buffer: Buffer): { text: string; consumed: number } | null {
  let offset = 0;
  let text = '';
  for (;;) {
    const nl = buffer.indexOf(10, offset);
    if (nl < 0) return null;
    const part = buffer.toString('latin1', offset, nl > 0 && buffer[nl - 1] === 13 ? nl - 1 : nl);
    const lit = /\{(\d+)\+?\}$/.exec(part);
    if (!lit) return { text: text + part, consumed: nl + 1 };
    const size = Number(lit[1]);
    if (buffer.length < nl + 1 + size) return null;
    text += part + '<literal>';
    offset = nl + 1 + size;
  }
}

// A line's end that announces a literal of N bytes (a synchronising one: servers send no "{N+}").
const LITERAL_ANNOUNCED = /\{(\d+)\}$/;

// Every response without a literal shares this one.
const NO_LITERALS: readonly Buffer[] = Object.freeze([]);

// A literal this size or larger gets an allocation of its own rather than a slice of Node's shared
// 64 KB pool (Buffer.poolSize in Node 24), so that releaseLiteral can free it.
const OWNED_LITERAL_BYTES = 1024;

/**
 * Frees a literal's memory now, once nothing will read it again (a body hashed, or uploaded and
 * answered): otherwise it waits for V8's next full GC, and dead bodies pile up between two (8–22 MB at
 * the migration's peak, bench/migrate/RESULTS.md). The Buffer is left empty. Literals in the shared
 * pool (under OWNED_LITERAL_BYTES, or Buffers not made here) are left to the GC.
 */
export function releaseLiteral(literal: Buffer): void {
  const memory = literal.buffer;
  if (!(memory instanceof ArrayBuffer) || memory.detached) return;
  if (literal.byteOffset === 0 && memory.byteLength === literal.byteLength && memory.byteLength >= OWNED_LITERAL_BYTES) memory.transfer(0);
}

/**
 * Turns socket chunks into responses, each literal copied once into its own Buffer: a fraction of a
 * general tokenizer's cost per byte, which is what a body stream of many megabytes needs. It keeps
 * no chunk it is given past push(), so the socket may read into one buffer it reuses (socket-feed.ts):
 * a literal's bytes go straight into the literal, only the start of an unfinished line is copied.
 */
export class ResponseReader {
  private readonly onResponse: (r: RawResponse) => void;
  // The start of a line whose LF has not come yet, copied; none of these parts holds a LF.
  private partial: Buffer[] = [];
  private textParts: string[] = [];
  private literals: Buffer[] = [];
  private literal: Buffer | null = null;
  private literalFilled = 0;

  constructor(onResponse: (r: RawResponse) => void) {
    this.onResponse = onResponse;
  }

  /** Bytes of the literal being read that have not arrived yet; null between literals. */
  get literalOutstanding(): number | null {
    return this.literal === null ? null : this.literal.length - this.literalFilled;
  }

  /** Takes the next chunk read from the socket; calls back once per complete response. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const literal = this.literal;
      if (literal !== null) {
        const n = Math.min(literal.length - this.literalFilled, chunk.length - at);
        chunk.copy(literal, this.literalFilled, at, at + n);
        this.literalFilled += n;
        at += n;
        if (this.literalFilled === literal.length) this.endLiteral();
        continue;
      }
      const nl = chunk.indexOf(10, at);
      if (nl < 0) {
        this.partial.push(Buffer.from(chunk.subarray(at)));
        return;
      }
      const line = this.lineTo(chunk, at, nl);
      at = nl + 1;
      // Only a line ending in "}" can announce a literal: most lines (a body's closing ")", tagged ones) need no pattern.
      const lit = line.charCodeAt(line.length - 1) === 125 ? LITERAL_ANNOUNCED.exec(line) : null;
      if (lit) {
        this.textParts.push(line.slice(0, lit.index));
        this.startLiteral(Number(lit[1]));
        continue;
      }
      const response: RawResponse = { text: this.textParts.length === 0 ? line : this.joinedWith(line), literals: this.literals.length === 0 ? NO_LITERALS : this.literals };
      if (this.literals.length > 0) this.literals = [];
      this.onResponse(response);
    }
  }

  // The whole text of a response whose literals have been read: the parts so far and its last line.
  private joinedWith(line: string): string {
    this.textParts.push(line);
    const text = this.textParts.join('');
    this.textParts = [];
    return text;
  }

  // The line ending at chunk[nl] (the LF), without its CRLF, joined to the copied start of it if any.
  private lineTo(chunk: Buffer, at: number, nl: number): string {
    if (this.partial.length === 0) return chunk.toString('latin1', at, nl > at && chunk[nl - 1] === 13 ? nl - 1 : nl);
    const whole = Buffer.concat([...this.partial, chunk.subarray(at, nl)]);
    this.partial = [];
    return whole.toString('latin1', 0, whole.length > 0 && whole[whole.length - 1] === 13 ? whole.length - 1 : whole.length);
  }

  // A literal's memory of its own (see releaseLiteral) when large, else a slice of Node's pool.
  // The memory is taken when the size is announced, before the bytes come: a size no Buffer can hold is
  // the server's error (EPROTO), for the caller to fail the connection on, not a crash of the reader's caller.
  private startLiteral(n: number): void {
    try {
      this.literal = n >= OWNED_LITERAL_BYTES ? Buffer.allocUnsafeSlow(n) : Buffer.allocUnsafe(n);
    } catch (cause) {
      throw Object.assign(new Error(`the server announced a literal of ${n} bytes, more than this machine can hold`, { cause }), { code: 'EPROTO' });
    }
    this.literalFilled = 0;
    if (n === 0) this.endLiteral();
  }

  private endLiteral(): void {
    this.literals.push(this.literal!);
    this.textParts.push(`\0${this.literals.length - 1}\0`);
    this.literal = null;
  }
}
