import { readFileSync } from 'node:fs';
import { UsageError } from './cli-context.ts';

/** Reads a CSV file of records keyed by its header line; anything unreadable is a one-line usage error naming the file. */
export async function readCsvRecords(file: string, what: string): Promise<Record<string, string>[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  // A NUL or undecodable bytes mean a binary file; csv-parse would quote its bytes back in the error.
  if (text.includes('\u0000') || text.includes('\uFFFD')) throw new UsageError(`${file} is not a CSV of ${what}: it looks like a binary file.`);
  const { parse, CsvError } = await import('csv-parse/sync');
  try {
    return parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const detail = error.code.replace(/^CSV_/, '').toLowerCase().replace(/_/g, ' ');
    throw new UsageError(`${file} is not a CSV of ${what}: ${detail} at line ${(error as { lines?: number }).lines ?? '?'}.`);
  }
}
