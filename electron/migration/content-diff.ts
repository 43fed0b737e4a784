import { hash } from 'node:crypto';

/** Hex SHA-1 of a message's bytes: the hash both sides are compared by (Cyrus's FETCH DIGEST.SHA1 is the same). */
export function sha1Hex(bytes: Buffer): string {
  // One-shot: no Hash object per message (two hashes a copy with verification on).
  return hash('sha1', bytes, 'hex');
}

/** The reason, in words, why the target's copy is not the source's message. */
export function describeDifference(source: Buffer, target: Buffer): string {
  if (source.length !== target.length) return `content differs: the source has ${source.length} bytes, the target ${target.length}`;
  const headerEnd = endOfHeader(source);
  let differing = 0;
  let onlyEightBitHeader = true;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === target[i]) continue;
    differing++;
    if (i >= headerEnd || source[i]! < 0x80) onlyEightBitHeader = false;
  }
  if (differing === 0) return 'content differs';
  // Cyrus with munge8bit (its default) does exactly this: 8-bit header bytes replaced, size kept.
  if (onlyEightBitHeader) return `the target altered 8-bit header bytes (${differing} byte${differing === 1 ? '' : 's'} in the header, same size)`;
  return `content differs: ${differing} of ${source.length} bytes changed at the same size`;
}

// Offset of the blank line that ends the header section (the whole message when there is none).
function endOfHeader(message: Buffer): number {
  const crlf = message.indexOf('\r\n\r\n');
  if (crlf >= 0) return crlf;
  const lf = message.indexOf('\n\n');
  return lf >= 0 ? lf : message.length;
}
