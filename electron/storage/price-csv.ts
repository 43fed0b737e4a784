import { parse, CsvError } from 'csv-parse/sync';
import type { PricePlan, PriceRowError, PriceTable } from '../../shared/domain/storage.ts';
import { pricePlan, priceTable } from '../../shared/ipc/schemas/storage.ts';
import { GB, PRICE_COLUMNS } from './price-csv-write.ts';

// The export prefixes cells a spreadsheet would evaluate with an apostrophe (OWASP); the import takes it off again.
const unsafe = (cell: string): string => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/**
 * Reads a price-table CSV into a whole table (the current table's connection assignments kept), or every
 * problem found: each bad row with its line and reason, plus what breaks the table as a whole (mixed
 * currencies, a plan id twice, a connection billed under a plan the file drops). Never a partial table.
 */
export function pricesFromCsv(csv: string, current: PriceTable): { ok: true; table: PriceTable } | { ok: false; errors: PriceRowError[] } {
  let cells: string[][];
  try {
    cells = parse(csv.replace(/^\uFEFF/, ''), { skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, errors: [{ line: (error as { lines?: number }).lines ?? 0, message: `not readable as CSV (${error.code.replace(/^CSV_/, '').toLowerCase().replace(/_/g, ' ')})` }] };
  }
  const header = (cells[0] ?? []).map((c) => c.toLowerCase());
  const missing = PRICE_COLUMNS.filter((c) => c !== 'included_gb_per_seat' && !header.includes(c));
  if (missing.length) return { ok: false, errors: [{ line: 1, message: `the header lacks ${missing.join(', ')} (columns: ${PRICE_COLUMNS.join(', ')})` }] };
  const rows = cells.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
  const errors: PriceRowError[] = [];
  const plans: PricePlan[] = [];
  const currencies = new Set<string>();
  const lineOf = new Map<string, number>();
  rows.forEach((raw, i) => {
    const line = i + 2;
    const cell = (name: string): string => unsafe(raw[name] ?? '');
    const monthly = cell('monthly').replace(',', '.');
    const gb = cell('included_gb_per_seat').replace(',', '.');
    const problems: string[] = [];
    // Fields already refused as text are not refused a second time as numbers.
    const refused = new Set<string>();
    if (monthly === '' || !Number.isFinite(Number(monthly))) {
      problems.push(`monthly: "${monthly.slice(0, 20)}" is not a price`);
      refused.add('monthly');
    }
    if (gb !== '' && !(Number.isFinite(Number(gb)) && Number(gb) >= 0)) {
      problems.push(`included_gb_per_seat: "${gb.slice(0, 20)}" is not a size in GB`);
      refused.add('includedBytesPerSeat');
    }
    const candidate = { id: cell('id'), label: cell('label'), kind: cell('kind'), model: cell('model'), monthly: Number(monthly), includedBytesPerSeat: gb === '' ? null : Math.round(Number(gb) * GB) };
    const checked = pricePlan.safeParse(candidate);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = String(issue.path[0] ?? 'row');
        // One reason per field: the first the schema gives.
        if (refused.has(field)) continue;
        refused.add(field);
        problems.push(`${field === 'includedBytesPerSeat' ? 'included_gb_per_seat' : field}: ${issue.message}`);
      }
    }
    const currency = cell('currency').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) problems.push('currency: a three-letter ISO 4217 code such as USD or EUR');
    else currencies.add(currency);
    const seen = lineOf.get(candidate.id);
    if (seen !== undefined && candidate.id) problems.push(`id: "${candidate.id}" is already on line ${seen}`);
    if (problems.length) errors.push({ line, message: problems.join('; ') });
    else plans.push(checked.data as PricePlan);
    if (candidate.id && seen === undefined) lineOf.set(candidate.id, line);
  });
  if (currencies.size > 1) errors.push({ line: 0, message: `the rows name more than one currency (${[...currencies].sort().join(', ')}); one table has one currency` });
  for (const [connection, planId] of Object.entries(current.assignments)) {
    if (!lineOf.has(planId)) errors.push({ line: 0, message: `connection ${connection} is billed under plan "${planId}", which the file does not have; assign it another plan first, or keep the row` });
  }
  if (errors.length) return { ok: false, errors };
  const table: PriceTable = { currency: [...currencies][0] ?? current.currency, plans, assignments: current.assignments };
  const whole = priceTable.safeParse(table);
  if (!whole.success) return { ok: false, errors: whole.error.issues.map((i) => ({ line: 0, message: `${i.path.join('.')}: ${i.message}` })) };
  return { ok: true, table };
}

/** Plan ids the new table adds, changes and removes against the current one. */
export function priceDiff(current: PriceTable, next: PriceTable): { added: string[]; changed: string[]; removed: string[] } {
  const before = new Map(current.plans.map((p) => [p.id, p]));
  const after = new Map(next.plans.map((p) => [p.id, p]));
  const currencyChanged = current.currency !== next.currency;
  return {
    added: next.plans.filter((p) => !before.has(p.id)).map((p) => p.id),
    changed: next.plans.filter((p) => before.has(p.id) && (currencyChanged || JSON.stringify(before.get(p.id)) !== JSON.stringify(p))).map((p) => p.id),
    removed: current.plans.filter((p) => !after.has(p.id)).map((p) => p.id),
  };
}
