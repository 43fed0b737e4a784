import type { Deviation, Standard, StandardTargets } from '../../../shared/domain/standards.ts';
import { toCsv } from '../../lib/csv.ts';
import { naturalCompare } from '../../lib/natural-sort.ts';

/** The filters of the deviations table; '' means any. */
export interface DriftFilter {
  readonly customer: string;
  readonly rule: string;
  readonly mode: string;
}

/** The deviations the filter keeps, in natural order of customer, target, then rule. */
export function filterDeviations(rows: readonly Deviation[], filter: DriftFilter): Deviation[] {
  return rows
    .filter((d) => (filter.customer === '' || d.customer === filter.customer) && (filter.rule === '' || d.rule === filter.rule) && (filter.mode === '' || d.mode === filter.mode))
    .sort((a, b) => naturalCompare(a.customer, b.customer) || naturalCompare(a.target, b.target) || naturalCompare(a.rule, b.rule));
}

/** The distinct values of one field, in natural order, for a filter's options. */
export function distinct(rows: readonly Deviation[], key: (d: Deviation) => string): string[] {
  return [...new Set(rows.map(key))].sort(naturalCompare);
}

/** The stable key of a deviation row. */
export const deviationKey = (d: Deviation): string => `${d.rule}\u0000${d.target}`;

/** Deviations as CSV, the columns the table shows (and who accepted, with the reason, when they did). */
export function deviationsCsv(rows: readonly Deviation[]): string {
  return toCsv(
    ['rule', 'target', 'customer', 'expected', 'current', 'mode', 'since', 'supported', 'accepted_by', 'accepted_reason'],
    rows.map((d) => [d.rule, d.target, d.customer, d.expected, d.current, d.mode, d.since, d.supported ? 'yes' : 'no', d.accepted?.by ?? '', d.accepted?.reason ?? '']),
  );
}

/** A standard's targets in words. */
export function targetsText(targets: StandardTargets): string {
  if (targets.kind === 'all') return 'All customers';
  const names = targets.customers.join(', ');
  return targets.kind === 'except' ? `All except ${names}` : `Only ${names}`;
}

/** How many rules a standard has in each mode, e.g. "2 alert, 1 report". */
export function modesText(standard: Standard): string {
  const counts = new Map<string, number>();
  for (const r of standard.rules) counts.set(r.mode, (counts.get(r.mode) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([mode, n]) => `${n} ${mode}`).join(', ') || 'no rule';
}

/** A standard file's JSON, checked only for being a JSON object; the service validates the standard itself. */
export function parseStandardFile(name: string, text: string): { ok: true; value: Standard } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: `${name}: a standard is a JSON object with name, version, targets and rules.` };
    return { ok: true, value: value as Standard };
  } catch (e) {
    return { ok: false, error: `${name} is not JSON: ${(e as Error).message}` };
  }
}
