import { toSafeCsv } from '../platform/csv-writer.ts';
import type { AuditEntry } from '../../shared/domain/audit.ts';

/** Renders journal entries as CSV with the hash column, so an export can be checked later. */
export function auditToCsv(entries: Iterable<AuditEntry>): string {
  const rows: unknown[][] = [
    ['seq', 'at', 'operator', 'action', 'connection_id', 'object', 'before', 'after', 'result', 'error_code', 'hash'],
  ];
  for (const e of entries) {
    rows.push([
      e.seq,
      e.at,
      e.operator,
      e.action,
      e.connectionId ?? '',
      e.object ?? '',
      e.before === null ? '' : JSON.stringify(e.before),
      e.after === null ? '' : JSON.stringify(e.after),
      e.result,
      e.errorCode ?? '',
      e.hash,
    ]);
  }
  return toSafeCsv(rows);
}
