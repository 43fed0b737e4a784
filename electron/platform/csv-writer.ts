import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../shared/lib/spreadsheet-safe.ts';

/** Serialises rows as RFC 4180 CSV with every text cell made safe to open in a spreadsheet. */
export function toSafeCsv(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows as unknown[][], { cast: { string: spreadsheetSafe } });
}
