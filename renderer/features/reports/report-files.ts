import type { ReportError } from '../../../shared/domain/reports.ts';

/** The largest file the console sends: its base64 must fit the loopback host's 32 MB request body. */
export const MAX_FILE_BYTES = 23 * 1024 * 1024;
// Per call: bounded memory in the renderer and the service, and progress that moves.
const BATCH_BASE64 = 24 * 1024 * 1024;
const BATCH_FILES = 50;

/** One file as the ingest channel takes it. */
export interface EncodedReport {
  readonly name: string;
  readonly base64: string;
}

/** The bytes as base64, in slices so a large file does not overflow the argument list of String.fromCharCode. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Reads dropped or chosen files into batches for `reports.ingest`, calling `send` per batch with the files refused
 * here (too large for the console) so they are listed beside the service's own per-report errors.
 */
export async function readReportFiles(files: readonly File[], send: (batch: readonly EncodedReport[], refused: readonly ReportError[]) => Promise<void>): Promise<void> {
  let batch: EncodedReport[] = [];
  let refused: ReportError[] = [];
  let size = 0;
  for (const file of files) {
    if (file.size > MAX_FILE_BYTES) {
      refused.push({ source: file.name, reason: `larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB the console takes in one file; use \`mailroom reports ingest --file\`` });
      continue;
    }
    const base64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    if (batch.length > 0 && (size + base64.length > BATCH_BASE64 || batch.length >= BATCH_FILES)) {
      await send(batch, refused);
      batch = [];
      refused = [];
      size = 0;
    }
    batch.push({ name: file.name, base64 });
    size += base64.length;
  }
  if (batch.length > 0 || refused.length > 0) await send(batch, refused);
}
