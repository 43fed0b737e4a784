import type { Migration } from '../database-core.ts';
import { foundation } from './001-foundation.ts';
import { deliverability } from './002-deliverability.ts';
import { migrationSchema } from './003-migration.ts';
import { provisioning } from './004-provisioning.ts';
import { consoleSchema } from './005-console.ts';
import { migrationBatchesSchema } from './006-migration-batches.ts';
import { mailboxOrderSchema } from './007-mailbox-order.ts';
import { migrationQuietSchema } from './008-migration-quiet.ts';
import { auditKeyedSchema } from './009-audit-keyed.ts';
import { dnsResolverSchema } from './010-dns-resolver.ts';
import { dmarcPolicySchema } from './011-dmarc-policy.ts';
import { contentVerifySchema } from './012-content-verify.ts';
import { migrationModseqSchema } from './014-migration-modseq.ts';
import { gmailLabelsSchema } from './015-gmail-labels.ts';
import { reportsSchema } from './016-reports.ts';
import { forwardConditionsSchema } from './017-forward-conditions.ts';
import { standardsSchema } from './023-standards.ts';
import { alertsSchema } from './024-alerts.ts';
import { davItemsSchema } from './025-dav-items.ts';
import { planDavSchema } from './026-plan-dav.ts';
import { standardsFactsSchema } from './029-standards-facts.ts';
import { reportsCompactSchema } from './030-reports-compact.ts';
import { davConversionsSchema } from './031-dav-conversions.ts';

export type { Migration } from '../database-core.ts';

/** Every schema step, in order. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'deliverability', sql: deliverability },
  { version: 3, name: 'migration', sql: migrationSchema },
  { version: 4, name: 'provisioning', sql: provisioning },
  { version: 5, name: 'console', sql: consoleSchema },
  { version: 6, name: 'migration-batches', sql: migrationBatchesSchema },
  { version: 7, name: 'mailbox-order', sql: mailboxOrderSchema },
  { version: 8, name: 'migration-quiet', sql: migrationQuietSchema },
  { version: 9, name: 'audit-keyed', sql: auditKeyedSchema },
  { version: 10, name: 'dns-resolver', sql: dnsResolverSchema },
  { version: 11, name: 'dmarc-policy', sql: dmarcPolicySchema },
  { version: 12, name: 'content-verify', sql: contentVerifySchema },
  { version: 14, name: 'migration-modseq', sql: migrationModseqSchema },
  { version: 15, name: 'gmail-labels', sql: gmailLabelsSchema },
  { version: 16, name: 'reports', sql: reportsSchema },
  { version: 17, name: 'forward-conditions', sql: forwardConditionsSchema },
  { version: 23, name: 'standards', sql: standardsSchema },
  { version: 24, name: 'alerts', sql: alertsSchema },
  { version: 25, name: 'dav-items', sql: davItemsSchema },
  { version: 26, name: 'plan-dav', sql: planDavSchema },
  { version: 29, name: 'standards-facts', sql: standardsFactsSchema },
  { version: 30, name: 'reports-compact', sql: reportsCompactSchema },
  { version: 31, name: 'dav-conversions', sql: davConversionsSchema },
];
