import { describe, expect, it } from 'vitest';
import { literalOf, MAX_LITERAL_BYTES, parseResponse, quote, SieveProtocolError } from '../../../../../electron/backends/managesieve/managesieve-response.ts';

const parse = (text: string) => parseResponse(Buffer.from(text, 'utf8'));

describe('ManageSieve responses (RFC 5804 §4)', () => {
  it('reads capability lines and the OK that ends them', () => {
    const r = parse('"IMPLEMENTATION" "Dovecot Pigeonhole"\r\n"SASL" "PLAIN LOGIN"\r\n"STARTTLS"\r\nOK "ready."\r\n');
    expect(r?.response).toEqual({
      lines: [
        [{ kind: 'string', value: 'IMPLEMENTATION' }, { kind: 'string', value: 'Dovecot Pigeonhole' }],
        [{ kind: 'string', value: 'SASL' }, { kind: 'string', value: 'PLAIN LOGIN' }],
        [{ kind: 'string', value: 'STARTTLS' }],
      ],
      status: 'OK',
      code: null,
      text: 'ready.',
    });
  });

  it('counts literal sizes in octets, so a script with non-ASCII text arrives whole', () => {
    const script = 'redirect "zoë@example.org";\r\n';
    const text = `{${Buffer.byteLength(script)}}\r\n${script}\r\nOK "Getscript completed."\r\n`;
    const r = parse(text);
    expect(r?.response.lines[0]).toEqual([{ kind: 'string', value: script }]);
    expect(r?.used).toBe(Buffer.byteLength(text));
  });

  it('waits for more bytes at every cut point of a response', () => {
    const why = "Sieve script `x' not found";
    const text = `NO (NONEXISTENT) {${why.length}}\r\n${why}\r\n`;
    for (let cut = 0; cut < Buffer.byteLength(text); cut += 1) expect(parseResponse(Buffer.from(text).subarray(0, cut))).toBeNull();
    expect(parse(text)?.response).toMatchObject({ status: 'NO', code: 'NONEXISTENT', text: "Sieve script `x' not found" });
  });

  it('reads LISTSCRIPTS lines with the ACTIVE flag, escaped quotes, and leaves the next response in the buffer', () => {
    const r = parse('"a \\"b\\"" ACTIVE\r\n"c"\r\nOK\r\nOK "next"\r\n');
    expect(r?.response.lines).toEqual([[{ kind: 'string', value: 'a "b"' }, { kind: 'atom', value: 'ACTIVE' }], [{ kind: 'string', value: 'c' }]]);
    expect(r?.response.status).toBe('OK');
    expect(r?.used).toBe('"a \\"b\\"" ACTIVE\r\n"c"\r\nOK\r\n'.length);
  });

  it('takes the first word of a response code with arguments or a hierarchy', () => {
    expect(parse('NO (QUOTA/MAXSIZE) "too big"\r\n')?.response.code).toBe('QUOTA');
    expect(parse('OK (SASL "b64data") "done"\r\n')?.response).toMatchObject({ code: 'SASL', text: 'done' });
  });

  it('refuses what is not the grammar, and literals past the limit, instead of buffering forever', () => {
    expect(() => parse('OK "a\rb"\r\n')).toThrow(SieveProtocolError);
    expect(() => parse('"x"\rOK\r\n')).toThrow(SieveProtocolError);
    expect(() => parse(`{${MAX_LITERAL_BYTES + 1}}\r\n`)).toThrow(/larger than/);
    expect(() => parse('{12x}\r\n')).toThrow(/not a number/);
  });

  it('writes literals with their octet size and quotes names safely', () => {
    expect(literalOf('zoë')).toBe('{4+}\r\nzoë');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => quote('a\r\nb')).toThrow(SieveProtocolError);
  });
});
