import type { DavCopyReport } from '../../shared/domain/dav.ts';
import type { MigrationPlanRow } from '../../shared/domain/migration.ts';
import { appError, type AppError } from '../../shared/errors/result.ts';
import type { Db } from '../db/database.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import type { PairRow } from './batch-repo.ts';
import type { PlanPairs } from './plan-pairs.ts';

/** What the calendar and contact copy of a pair gave: its report, or the error that stopped it. */
export interface PairDavOutcome {
  readonly report: DavCopyReport | null;
  readonly failure: AppError | null;
}

/**
 * Copies a pair's calendars and address books after its mail, when both sides name a DAV side: a
 * DAV URL logs in with that side's IMAP password, a google:/m365: side through its saved connection.
 */
export async function copyPairDav(db: Db, pairs: Pick<PlanPairs, 'davSide'>, row: MigrationPlanRow, imap: { source: ImapEndpoint; target: ImapEndpoint }, signal: AbortSignal): Promise<PairDavOutcome | null> {
  if (!row.sourceDav || !row.targetDav) return null;
  // The DAV client (tsdav, ical.js) loads for the pairs that copy calendars and contacts, not with the migration services.
  const [{ DavConnectError }, { copyAccounts }] = await Promise.all([import('../dav/dav-client.ts'), import('../dav/dav-job.ts')]);
  try {
    const source = await pairs.davSide(row, 'source', imap.source);
    if (typeof source === 'string') return { report: null, failure: appError('backend.unsupported', `calendars and contacts, source: ${source}`) };
    const target = await pairs.davSide(row, 'target', imap.target);
    if (typeof target === 'string') return { report: null, failure: appError('backend.unsupported', `calendars and contacts, target: ${target}`) };
    const report = await copyAccounts(db, { source, target }, { calendars: true, contacts: true, signal });
    return { report, failure: null };
  } catch (e) {
    if (signal.aborted) return { report: null, failure: null };
    const error = e as Error;
    const code = error instanceof DavConnectError && error.reason === 'auth' ? 'backend.auth' : 'backend.unavailable';
    return { report: null, failure: appError(code, `calendars and contacts: ${error.message}`) };
  }
}
/** The pair's outcome with the DAV copy's report added: an incomplete or failed DAV copy leaves the pair not done. */
export function withDav(patch: Partial<Omit<PairRow, 'batchId' | 'seq' | 'source' | 'target' | 'jobId'>>, dav: PairDavOutcome | null): typeof patch {
  if (!dav) return patch;
  const base = patch.report ?? { verifiedAt: null, clean: false, folders: [], failures: [], warnings: [] };
  const next = { ...patch, report: { ...base, dav: dav.report } };
  if (dav.failure) return { ...next, status: 'failed', errorCode: patch.errorCode ?? dav.failure.code, errorMessage: patch.errorMessage ?? dav.failure.message };
  if (dav.report && !dav.report.complete && patch.status === 'done') return { ...next, status: 'incomplete' };
  return next;
}
