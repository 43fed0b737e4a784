import type { AuditJournal } from '../../audit/audit-journal.ts';
import { auditToCsv } from '../../audit/audit-csv.ts';
import { ok } from '../../../shared/errors/result.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `audit` area. */
export function auditHandlers(journal: AuditJournal): AreaHandlers<'audit'> {
  return {
    list: ([query]) => ok(journal.list(query)),
    verify: () => journal.verify(),
    exportCsv: () => ok(auditToCsv(journal.entries())),
    checkpoint: () => journal.checkpoint(),
    verifyCheckpoint: ([checkpoint]) => journal.verify(checkpoint),
  };
}
