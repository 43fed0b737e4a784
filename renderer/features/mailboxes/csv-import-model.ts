import type { CachedMailbox } from '../../../shared/domain/inventory.ts';
import { toCsv } from '../../lib/csv.ts';
import { MB } from '../../lib/bytes.ts';

/** Columns of the mailbox CSV, export and import alike. */
export const CSV_COLUMNS = ['address', 'display_name', 'quota_mb', 'active', 'used_bytes', 'forward_to', 'connection', 'platform'] as const;

/** The filtered mailbox list as CSV (never a password). */
export function mailboxesToCsv(rows: readonly CachedMailbox[]): string {
  return toCsv(
    CSV_COLUMNS,
    rows.map((m) => [m.address, m.displayName ?? '', m.quotaBytes === null ? '' : Math.round(m.quotaBytes / MB), m.active ? 'yes' : 'no', m.usedBytes ?? '', m.forwardTargets.join(' '), m.connectionName, m.connectionKind]),
  );
}
