import { describe, expect, it } from 'vitest';
import { releaseLiteral, ResponseReader, type RawResponse } from '../../../../electron/imap/response-reader.ts';

function read(chunks: readonly Buffer[]): RawResponse[] {
  const out: RawResponse[] = [];
  const reader = new ResponseReader((r) => out.push(r));
  for (const c of chunks) reader.push(c);
  return out;
}

const fetchOf = (body: Buffer): Buffer => Buffer.concat([Buffer.from(`* 1 FETCH (UID 7 BODY[] {${body.length}}\r\n`), body, Buffer.from(')\r\n')]);

describe('ResponseReader literals', () => {
  it('gives a large literal memory of its own, whole or split across chunks, which releaseLiteral frees', () => {
    const body = Buffer.alloc(200_000, 'x');
    const wire = fetchOf(body);
    for (const chunks of [[wire], [wire.subarray(0, 1000), wire.subarray(1000, 70_000), wire.subarray(70_000)]]) {
      const [r] = read(chunks);
      const literal = r!.literals[0]!;
      expect(literal.equals(body)).toBe(true);
      expect(literal.byteOffset).toBe(0);
      expect(literal.buffer.byteLength).toBe(body.length);
      const before = process.memoryUsage().arrayBuffers;
      releaseLiteral(literal);
      expect(literal.length).toBe(0);
      expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(body.length);
      // Twice is harmless.
      releaseLiteral(literal);
    }
  });

  it('gives a body of a few KB memory of its own too (Node would slice it from its shared pool)', () => {
    const [r] = read([fetchOf(Buffer.alloc(3000, 'y'))]);
    const literal = r!.literals[0]!;
    expect(literal.buffer.byteLength).toBe(3000);
    releaseLiteral(literal);
    expect(literal.length).toBe(0);
  });

  it('leaves alone what is a slice of shared memory: a short literal, a view into a larger Buffer', () => {
    const [r] = read([fetchOf(Buffer.from('short'))]);
    const short = r!.literals[0]!;
    releaseLiteral(short);
    expect(short.toString()).toBe('short');
    const whole = Buffer.alloc(10_000, 'z');
    const view = whole.subarray(100, 5000);
    releaseLiteral(view);
    expect(view.length).toBe(4900);
    expect(whole.length).toBe(10_000);
  });
});

describe('ResponseReader with a reused read buffer', () => {
  it('keeps nothing of a chunk after push: every split of two responses reads the same through one overwritten buffer', () => {
    const body = Buffer.from('Subject: hi\r\n\r\nbody line\r\n');
    const wire = Buffer.concat([fetchOf(body), Buffer.from('* 2 EXISTS\r\nA1 OK done\r\n')]);
    for (let size = 1; size <= wire.length; size++) {
      const out: RawResponse[] = [];
      const reader = new ResponseReader((r) => out.push(r));
      const reused = Buffer.alloc(size);
      for (let at = 0; at < wire.length; at += size) {
        const n = wire.copy(reused, 0, at, at + size);
        reader.push(reused.subarray(0, n));
        reused.fill(0x3f);
      }
      expect(out.map((r) => r.text)).toEqual(['* 1 FETCH (UID 7 BODY[] \u00000\u0000)', '* 2 EXISTS', 'A1 OK done']);
      expect(out[0]!.literals[0]!.equals(body)).toBe(true);
      expect(reader.literalOutstanding).toBeNull();
    }
  });
  it('reads the same through one overwritten buffer whatever offset splits two reads: owned, pooled and empty literals', () => {
    const big = Buffer.from(Array.from({ length: 1500 }, (_, i) => String.fromCharCode(32 + (i % 90))).join(''));
    const small = Buffer.from('Subject: s\r\n\r\nshort\r\n');
    const wire = Buffer.concat([fetchOf(big), Buffer.from('* 2 FETCH (UID 8 BODY[] {0}\r\n BODY[HEADER] '), Buffer.from(`{${small.length}}\r\n`), small, Buffer.from(')\r\nA1 OK done\r\n')]);
    const reused = Buffer.alloc(wire.length);
    for (let split = 0; split <= wire.length; split++) {
      const out: RawResponse[] = [];
      const reader = new ResponseReader((r) => out.push(r));
      for (const [from, to] of [[0, split], [split, wire.length]] as const) {
        const n = wire.copy(reused, 0, from, to);
        reader.push(reused.subarray(0, n));
        reused.fill(0x21);
      }
      expect(out.map((r) => r.text)).toEqual(['* 1 FETCH (UID 7 BODY[] \u00000\u0000)', '* 2 FETCH (UID 8 BODY[] \u00000\u0000 BODY[HEADER] \u00001\u0000)', 'A1 OK done']);
      expect([out[0]!.literals[0]!.equals(big), out[1]!.literals[0]!.length, out[1]!.literals[1]!.equals(small)]).toEqual([true, 0, true]);
    }
  });
});

describe('ResponseReader lines', () => {
  it('keeps each response its own text and literals, with lines ending in "}" that announce none', () => {
    const wire = Buffer.concat([
      Buffer.from('* OK [ALERT] {not a literal}\r\n* 2 EXISTS\r\n'),
      fetchOf(Buffer.from('a}\r\nb')),
      Buffer.from('* 1 FETCH (UID 8 FLAGS (x}))\r\nA1 OK {3} done}\r\n* 3 FETCH (UID 9 BODY[] {0}\r\n)\r\n'),
    ]);
    const texts = read([wire]).map((r) => [r.text, r.literals.map((l) => l.toString())]);
    expect(texts).toEqual([
      ['* OK [ALERT] {not a literal}', []],
      ['* 2 EXISTS', []],
      ['* 1 FETCH (UID 7 BODY[] \u00000\u0000)', ['a}\r\nb']],
      ['* 1 FETCH (UID 8 FLAGS (x}))', []],
      ['A1 OK {3} done}', []],
      ['* 3 FETCH (UID 9 BODY[] \u00000\u0000)', ['']],
    ]);
  });
});
