import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../../../electron/fleet/fleet-batch.ts';
import { STOPPED_REASON } from '../../../../electron/fleet/fleet-stop.ts';
import { EMPTY_COUNTERS } from '../../../../electron/migration/batch-repo.ts';
import type { CopyMailboxReport } from '../../../../shared/domain/migration-copy.ts';
import { err, ok } from '../../../../shared/errors/result.ts';

const NOW = '2026-12-06T20:00:00.000Z';
const counters = { ...EMPTY_COUNTERS, total: 10, copied: 4, lane: 'dovecot', worker: 'host:1' };

function report(patch: Partial<CopyMailboxReport>): CopyMailboxReport {
  const folder = { sourcePath: 'INBOX', targetPath: 'INBOX', sourceCount: 10, targetCount: 10, copied: 10, failed: 0, missing: 0, extra: 0 };
  return { jobId: 'j', source: 's', target: 't', copied: 10, skipped: 0, failed: 0, pending: 0, bytes: 1000, seconds: 2, complete: true, dryRun: false, error: null, folders: [folder], skippedFolders: [], failures: [], warnings: [], reconnects: 0, quiet: false, ...patch } as CopyMailboxReport;
}

describe('outcomeOf: a fleet job as the batch row stores it', () => {
  it('a job the console stopped is paused or cancelled by the reason, keeping its counters and no error', () => {
    const stopped = err('io.failed', `The fleet gave up on this mailbox: ${STOPPED_REASON}`);
    expect(outcomeOf(stopped, counters, 'pause', NOW)).toEqual({ status: 'paused', counters, finishedAt: null, errorCode: null, errorMessage: null });
    expect(outcomeOf(stopped, counters, 'cancel', NOW).status).toBe('cancelled');
    // Stopped without a pause or cancel of this console (another console's stop request): a failure, said as it is.
    expect(outcomeOf(stopped, counters, null, NOW)).toMatchObject({ status: 'failed', errorCode: 'io.failed', finishedAt: NOW });
  });

  it('a finished job is done with its verification, an unfinished one incomplete or failed by its error', () => {
    const done = outcomeOf(ok(report({})), counters, null, NOW);
    expect(done).toMatchObject({ status: 'done', counters: { copied: 10, lane: 'dovecot', worker: 'host:1' }, report: { clean: true, verifiedAt: NOW } });
    expect(outcomeOf(ok(report({ complete: false, pending: 3 })), counters, null, NOW).status).toBe('incomplete');
    const refused = outcomeOf(ok(report({ complete: false, error: { code: 'imap.auth', message: 'refused', retryable: false } as never })), counters, null, NOW);
    expect(refused).toMatchObject({ status: 'failed', errorCode: 'imap.auth', errorMessage: 'refused' });
  });
});
