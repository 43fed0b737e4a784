import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { MigrationPlan, MigrationPlanRow } from '../../shared/domain/migration.ts';
import type { PairRow } from './batch-repo.ts';

/** One mailbox pair as a plan CSV gives it; passwords go to the keychain, never to the plan. */
export interface CsvPair {
  readonly source: string;
  readonly target: string;
  readonly sourcePassword: string | undefined;
  readonly targetPassword: string | undefined;
  /** CalDAV/CardDAV base URLs of the sides (no password; the IMAP side's is used). */
  readonly sourceDav: string | undefined;
  readonly targetDav: string | undefined;
}

/** The mailbox pairs of a plan CSV, and whether the plan copies other users' and shared folders when the CSV says. */
export interface PlanCsvInput {
  readonly pairs: CsvPair[];
  /** The include_shared column; undefined when no row fills it (older files have no such column). */
  readonly includeShared: boolean | undefined;
}

/** Reads a plan CSV (`source,target[,source_password,target_password,source_dav,target_dav,include_shared]`, header optional). */
export function parsePlanCsv(csv: string): Result<PlanCsvInput> {
  let records: string[][];
  try {
    records = parseCsv(csv, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    return err('input.invalid', `The CSV could not be read: ${(e as Error).message}`);
  }
  if (records[0] && /^source$/i.test(records[0][0] ?? '')) records = records.slice(1);
  if (records.length === 0) return err('input.invalid', 'The CSV has no mailbox pairs (columns: source,target[,source_password,target_password,source_dav,target_dav,include_shared]).');
  const choices = new Set<boolean>();
  for (const [i, r] of records.entries()) {
    const text = r[6] ?? '';
    if (text === '') continue;
    const yes = /^(yes|true|1)$/i.test(text) ? true : /^(no|false|0)$/i.test(text) ? false : null;
    if (yes === null) return err('input.invalid', `Row ${i + 1}, include_shared: "${text.slice(0, 40)}" is not yes or no.`);
    choices.add(yes);
  }
  // Shared folders are the plan's choice, not a row's: rows that say both cannot be planned as written.
  if (choices.size > 1) return err('input.invalid', 'include_shared says yes on some rows and no on others; the plan copies shared folders for all its pairs or for none.');
  const pairs = records.map((r) => ({ source: r[0] ?? '', target: r[1] ?? '', sourcePassword: r[2] || undefined, targetPassword: r[3] || undefined, sourceDav: r[4] || undefined, targetDav: r[5] || undefined }));
  return ok({ pairs, includeShared: choices.size === 1 ? [...choices][0] : undefined });
}

/** A plan's rows with their estimates, as CSV. */
export function planCsv(plan: MigrationPlan): string {
  return stringify([
    ['source', 'target', 'messages', 'bytes', 'upload_messages', 'upload_bytes', 'label_overhead_bytes', 'oversize', 'estimate_seconds', 'limited_by', 'calendars', 'calendar_items', 'calendar_bytes', 'address_books', 'contacts', 'contact_bytes',
      'include_shared', 'shared_folders', 'shared_messages', 'shared_bytes', 'warnings'],
    ...plan.rows.map((r) => {
      const e = r.estimate;
      return [r.source, r.target, e?.messages ?? '', e?.bytes ?? '', e?.uploadMessages ?? '', e?.uploadBytes ?? '', e?.labelOverheadBytes ?? '', e?.oversize ?? '', e?.seconds ?? '', e?.limitedBy ?? '', ...davColumns(r), ...sharedColumns(plan, r), r.warnings.join(' | ')];
    }),
  ]);
}

// Whether the row's copy takes other users' and shared folders (the plan's choice), and what they hold: counted in the
// figures before only when included; zeros where the source has none, blanks where no inventory was taken.
function sharedColumns(plan: MigrationPlan, r: MigrationPlanRow): (number | string)[] {
  const included = plan.includeShared ? 'yes' : 'no';
  if (!r.estimate) return [included, '', '', ''];
  const s = r.estimate.shared;
  return [included, s?.folders ?? 0, s?.messages ?? 0, s?.bytes ?? 0];
}

// Calendars and address books of a row that has a discovered DAV side: how many, their items and bytes; blanks otherwise.
function davColumns(r: MigrationPlanRow): (number | string)[] {
  if (!r.dav || r.dav.error) return ['', '', '', '', '', ''];
  const of = (kind: 'calendar' | 'addressbook'): number[] => {
    const list = r.dav!.collections.filter((c) => c.kind === kind);
    return [list.length, list.reduce((n, c) => n + c.items, 0), list.reduce((n, c) => n + (c.bytes ?? 0), 0)];
  };
  return [...of('calendar'), ...of('addressbook')];
}

/** Every pair's per-folder verification of a batch, as CSV (a pair without a report gets one line). */
export function reportCsv(pairs: readonly PairRow[]): string {
  const lines: (string | number | boolean)[][] = [['source', 'target', 'status', 'source_folder', 'target_folder', 'source_count', 'target_count', 'copied', 'failed', 'missing', 'extra', 'deep', 'verified_at']];
  for (const p of pairs) {
    const folders = p.report?.folders ?? [];
    if (folders.length === 0) lines.push([p.source, p.target, p.status, '', '', '', '', '', '', '', '', '', p.report?.verifiedAt ?? '']);
    for (const f of folders) lines.push([p.source, p.target, p.status, f.sourcePath, f.targetPath, f.sourceCount, f.targetCount, f.copied, f.failed, f.missing, f.extra, f.deep, p.report?.verifiedAt ?? '']);
  }
  return stringify(lines);
}
