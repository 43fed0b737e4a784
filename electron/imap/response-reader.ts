// Splitting the server's byte stream into responses (RFC 3501 §2.2.2, §4.3): text up to CRLF, where
// a line ending in {N} is followed by N literal bytes and then more of the same response.

/** One complete server response: its text with each literal replaced by "\0<index>\0", and the literals. */
export interface RawResponse {
  readonly text: string;
  readonly literals: Buffer[];
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
 * general tokenizer's cost per byte, which is what a body stream of many megabytes needs.
 */
export class ResponseReader {
  private readonly onResponse: (r: RawResponse) => void;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private scan = 0;
  private textParts: string[] = [];
  private literals: Buffer[] = [];
  private literalLeft = -1;

  constructor(onResponse: (r: RawResponse) => void) {
    this.onResponse = onResponse;
  }

  /** Bytes of the literal being read that have not arrived yet; null between literals. */
  get literalOutstanding(): number | null {
    return this.literalLeft >= 0 ? this.literalLeft - this.buffered : null;
  }

  /** Takes the next chunk read from the socket; calls back once per complete response. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.literalLeft >= 0) {
        if (this.buffered < this.literalLeft) return;
        this.literals.push(this.take(this.literalLeft));
        this.textParts.push(`\0${this.literals.length - 1}\0`);
        this.literalLeft = -1;
        continue;
      }
      const line = this.takeLine();
      if (line === null) return;
      const lit = /\{(\d+)\}$/.exec(line);
      if (lit) {
        this.textParts.push(line.slice(0, lit.index));
        this.literalLeft = Number(lit[1]);
        continue;
      }
      this.textParts.push(line);
      const response: RawResponse = { text: this.textParts.join(''), literals: this.literals };
      this.textParts = [];
      this.literals = [];
      this.onResponse(response);
    }
  }

  // Removes and returns the first n buffered bytes as one Buffer, copied once into memory of its own
  // (see releaseLiteral) from one chunk or several.
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    const out = n >= OWNED_LITERAL_BYTES ? Buffer.allocUnsafeSlow(n) : Buffer.allocUnsafe(n);
    if (first && first.length >= n) {
      first.copy(out, 0, 0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.scan = 0;
      return out;
    }
    let at = 0;
    while (at < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - at);
      c.copy(out, at, 0, k);
      at += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.scan = 0;
    return out;
  }

  // A line (without CRLF) once a LF is buffered, else null.
  private takeLine(): string | null {
    // Lines are short; join the chunks only when the LF is not in the first one.
    for (;;) {
      const first = this.chunks[0];
      if (!first) return null;
      const nl = first.indexOf(10, this.scan);
      if (nl >= 0) {
        const text = first.toString('latin1', 0, nl > 0 && first[nl - 1] === 13 ? nl - 1 : nl);
        this.buffered -= nl + 1;
        if (nl + 1 === first.length) this.chunks.shift();
        else this.chunks[0] = first.subarray(nl + 1);
        this.scan = 0;
        return text;
      }
      if (this.chunks.length === 1) {
        this.scan = first.length;
        return null;
      }
      this.chunks.splice(0, 2, Buffer.concat([first, this.chunks[1]!]));
    }
  }
}
