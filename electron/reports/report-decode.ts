import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';

/** Size limits that keep one hostile attachment from exhausting memory. */
export interface DecodeLimits {
  /** Largest compressed or plain input accepted, in bytes. */
  readonly maxInput: number;
  /** Largest decompressed document accepted, in bytes (zip and gzip bombs stop here). */
  readonly maxOutput: number;
  /** Most files taken from one zip archive. */
  readonly maxEntries: number;
}

/** Limits generous for real reports: Google's largest aggregate reports are a few MB of XML. */
export const DEFAULT_LIMITS: DecodeLimits = { maxInput: 25_000_000, maxOutput: 200_000_000, maxEntries: 16 };

/** A decompressed document and the name it came under. */
export interface DecodedDocument {
  readonly name: string;
  readonly bytes: Buffer;
}

/** Raised when an input cannot be decoded; the message says why in words. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

const isGzip = (b: Buffer): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZip = (b: Buffer): boolean => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

/** Unwraps gzip or zip (by content, not by name) into the documents inside; plain input is returned as is. */
export async function decodeReportBytes(name: string, bytes: Buffer, limits: DecodeLimits = DEFAULT_LIMITS): Promise<DecodedDocument[]> {
  if (bytes.length > limits.maxInput) throw new DecodeError(`${name} is ${bytes.length} bytes, over the ${limits.maxInput}-byte limit for one report`);
  if (isGzip(bytes)) {
    try {
      return [{ name: name.replace(/\.gz$/i, ''), bytes: gunzipSync(bytes, { maxOutputLength: limits.maxOutput }) }];
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new DecodeError(`${name} expands past ${limits.maxOutput} bytes (a compression bomb?)`);
      throw new DecodeError(`${name} is not valid gzip (${(error as Error).message})`);
    }
  }
  if (isZip(bytes)) return unzip(name, bytes, limits);
  return [{ name, bytes }];
}

function unzip(name: string, bytes: Buffer, limits: DecodeLimits): Promise<DecodedDocument[]> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes (on by default) fails a stream whose real size differs from the declared one,
    // so a lying header cannot slip a bomb past the declared-size check below.
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (openError, zip) => {
      if (openError || !zip) return reject(new DecodeError(`${name} is not a valid zip archive (${openError?.message ?? 'unreadable'})`));
      const out: DecodedDocument[] = [];
      let total = 0;
      const fail = (reason: string): void => {
        zip.close();
        reject(new DecodeError(reason));
      };
      zip.on('error', (error: Error) => fail(`${name} is not a valid zip archive (${error.message})`));
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        if (out.length >= limits.maxEntries) return fail(`${name} holds more than ${limits.maxEntries} files`);
        total += entry.uncompressedSize;
        if (total > limits.maxOutput) return fail(`${name} expands past ${limits.maxOutput} bytes (a compression bomb?)`);
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(`${name}: ${entry.fileName} cannot be read (${streamError?.message ?? 'no stream'})`);
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > limits.maxOutput) {
              stream.destroy();
              fail(`${name} expands past ${limits.maxOutput} bytes (a compression bomb?)`);
            } else chunks.push(chunk);
          });
          stream.on('error', (error: Error) => fail(`${name}: ${entry.fileName} is damaged (${error.message})`));
          stream.on('end', () => {
            out.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Decodes bytes as strict UTF-8 (a BOM is dropped), or throws DecodeError naming the source. */
export function strictUtf8(name: string, bytes: Buffer): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new DecodeError(`${name} is not valid UTF-8`);
  }
}
