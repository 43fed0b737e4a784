import type { MigrationBatchPair, MigrationBatchSummary, MigrationPairStatus } from '../../shared/domain/migration.ts';
import type { AppError } from '../../shared/errors/result.ts';
import type { BatchRow, PairCounters, PairRow } from './batch-repo.ts';
import type { MigrationProgressEvent, MigrationSummary } from './migrate-job.ts';

// The numbers a batch shows while it runs and after: live counters and rates per pair, the batch's sums.

/** A running pair's counters as last sampled, and the samples its rate is computed from. */
export interface LivePair {
  counters: PairCounters;
  samples: { t: number; n: number; bytes: number }[];
  dirty: boolean;
}

const RATE_WINDOW_MS = 5_000;

/** Takes one progress event of a pair's run into its live counters. */
export function sample(live: LivePair, p: MigrationProgressEvent): void {
  // While copies are compared by content, the line under the pair's progress says how far that got.
  const folder = p.phase === 'checking' ? `comparing copies by content: ${p.checked ?? 0} of ${p.checkTotal ?? 0}` : p.folder;
  live.counters = { total: p.total, copied: p.copied, skipped: p.skipped, failed: p.failed, bytes: p.bytes, folder, foldersDone: p.foldersDone, foldersTotal: p.foldersTotal, seconds: p.elapsedMs / 1000 };
  const t = performance.now();
  live.samples.push({ t, n: p.copied, bytes: p.bytes });
  while (live.samples.length > 2 && t - live.samples[0]!.t > RATE_WINDOW_MS) live.samples.shift();
  live.dirty = true;
}

/** Messages and bytes per second over the last few seconds of samples. */
export function rate(live: LivePair): { messagesPerSecond: number; bytesPerSecond: number } {
  const first = live.samples[0];
  const last = live.samples.at(-1);
  if (!first || !last || last.t - first.t < 200) return { messagesPerSecond: 0, bytesPerSecond: 0 };
  const s = (last.t - first.t) / 1000;
  return { messagesPerSecond: (last.n - first.n) / s, bytesPerSecond: (last.bytes - first.bytes) / s };
}

/** A batch's totals, rates and ETA from its pairs. */
export function summaryOf(b: BatchRow, pairs: readonly MigrationBatchPair[]): MigrationBatchSummary {
  const sum = (f: (p: MigrationBatchPair) => number): number => pairs.reduce((n, p) => n + f(p), 0);
  const total = sum((p) => p.total);
  const left = Math.max(0, total - sum((p) => p.copied + p.skipped + p.failed));
  const mps = sum((p) => p.messagesPerSecond);
  return {
    id: b.id,
    planId: b.planId,
    planName: b.planName,
    status: b.status,
    dryRun: b.dryRun,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
    pairsTotal: pairs.length,
    pairsDone: pairs.filter((p) => p.status === 'done').length,
    pairsFailed: pairs.filter((p) => p.status === 'failed' || p.status === 'incomplete').length,
    total,
    copied: sum((p) => p.copied),
    skipped: sum((p) => p.skipped),
    failed: sum((p) => p.failed),
    bytes: sum((p) => p.bytes),
    messagesPerSecond: Math.round(mps * 10) / 10,
    bytesPerSecond: sum((p) => p.bytesPerSecond),
    etaSeconds: b.status === 'done' ? 0 : mps > 0 ? Math.ceil(left / mps) : null,
  };
}

/** How a pair's run ended, as stored: its status, final counters, error and verification report. */
export function pairOutcome(
  run: { readonly summary: MigrationSummary | null; readonly failure: AppError | null; readonly live: LivePair; readonly aborted: boolean; readonly reason: 'pause' | 'cancel' | 'shutdown' | null },
  now: string,
): Partial<Omit<PairRow, 'batchId' | 'seq' | 'source' | 'target' | 'jobId'>> {
  const { summary, failure, aborted } = run;
  const status: MigrationPairStatus = aborted
    ? run.reason === 'cancel'
      ? 'cancelled'
      : run.reason === 'pause'
        ? 'paused'
        : 'running'
    : summary?.complete || (summary?.dryRun && !failure)
      ? 'done'
      : failure
        ? 'failed'
        : 'incomplete';
  const counters: PairCounters = summary
    ? { ...run.live.counters, copied: summary.copied, skipped: summary.skipped, failed: summary.failed, bytes: summary.bytes, seconds: summary.seconds }
    : run.live.counters;
  return {
    status,
    counters,
    finishedAt: aborted ? null : now,
    errorCode: aborted ? null : (failure?.code ?? null),
    errorMessage: aborted ? null : (failure?.message ?? null),
    ...(summary && !aborted && summary.verification.length > 0
      ? {
          report: {
            verifiedAt: now,
            clean: summary.complete && summary.verification.every((v) => v.missing === 0 && v.extra === 0),
            folders: summary.verification,
            failures: summary.failures.slice(0, 1000),
            warnings: summary.warnings.slice(0, 200),
          },
        }
      : {}),
  };
}
