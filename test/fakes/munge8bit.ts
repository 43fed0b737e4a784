/**
 * What Cyrus IMAP does with `munge8bit: yes` (its default) to a message it stores: every 8-bit
 * byte in the header section becomes "X", so the size is kept and the bytes are not. As a
 * transform of the client's bytes (test/fakes/imap-rewrite-proxy.ts `fromClient`), it follows
 * the IMAP syntax across chunks: command lines pass untouched, and in each literal ({n} or {n+},
 * i.e. an APPENDed message) the bytes before the first blank line are munged.
 */
export function munge8bitHeaders(): (chunk: Buffer) => Buffer {
  let line = '';
  let literal = 0;
  let inHeader = false;
  let tail = 0;
  return (chunk) => {
    const out = Buffer.from(chunk);
    for (let i = 0; i < out.length; i++) {
      const b = out[i]!;
      if (literal > 0) {
        literal--;
        if (inHeader) {
          if (b >= 0x80) out[i] = 0x58;
          // The header ends at CRLF CRLF: count the bytes of that sequence seen in a row.
          tail = (b === 0x0d && (tail === 0 || tail === 2)) || (b === 0x0a && (tail === 1 || tail === 3)) ? tail + 1 : b === 0x0d ? 1 : 0;
          if (tail === 4) inHeader = false;
        }
        continue;
      }
      if (b === 0x0a) {
        const m = /\{(\d+)\+?\}\r$/.exec(line);
        literal = m ? Number(m[1]) : 0;
        inHeader = literal > 0;
        tail = 0;
        line = '';
      } else line += String.fromCharCode(b);
    }
    return out;
  };
}
