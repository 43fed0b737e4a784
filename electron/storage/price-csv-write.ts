import { toSafeCsv } from '../platform/csv-writer.ts';
import type { PriceTable } from '../../shared/domain/storage.ts';

// The export alone: the import (price-csv.ts) validates with zod schemas that a command showing prices need not load.

/** Columns of the price-table CSV, export and import alike. */
export const PRICE_COLUMNS = ['id', 'label', 'kind', 'model', 'monthly', 'currency', 'included_gb_per_seat'] as const;

/** Bytes in the CSV's decimal gigabyte. */
export const GB = 1e9;

/** The price table as CSV: one plan a row, the currency on each, storage in decimal GB (empty: not capped). */
export function pricesToCsv(table: PriceTable): string {
  return toSafeCsv([
    PRICE_COLUMNS,
    ...table.plans.map((p) => [p.id, p.label, p.kind, p.model, p.monthly, table.currency, p.includedBytesPerSeat === null ? '' : p.includedBytesPerSeat / GB]),
  ]);
}
