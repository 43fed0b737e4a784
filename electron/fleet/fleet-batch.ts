import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { MigrationPlan } from '../../shared/domain/migration.ts';
import type { CopyMailboxOptions, CopyMailboxReport } from '../../shared/domain/migration-copy.ts';
import type { Result } from '../../shared/errors/result.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { sample, type LivePair } from '../migration/batch-progress.ts';
import { EMPTY_COUNTERS, type BatchRepo, type BatchRow, type PairCounters, type PairRow } from '../migration/batch-repo.ts';
import type { PlanPairs } from '../migration/plan-pairs.ts';
import { presetFor } from '../migration/presets.ts';
import { runFleetBatch } from './fleet-controller.ts';
import { laneOf, queueName } from './fleet-redis.ts';
import type { FleetSettingsStore } from './fleet-settings.ts';
import { clearStop, requestStop, STOPPED_REASON } from './fleet-stop.ts';
import { openJobState } from './job-state.ts';
import { queueJobId } from './fleet-payload.ts';

/** What a console batch on the fleet needs from the migration service: its rows, its plan and its runner's state. */
export interface FleetBatchRun {
  readonly batch: BatchRow;
  readonly plan: MigrationPlan | null;
  /** The pairs to run now (status queued). */
  readonly pairs: readonly PairRow[];
  readonly repo: BatchRepo;
  readonly planPairs: PlanPairs;
  readonly settings: FleetSettingsStore;
  /** The runner's live counters, flushed to the rows and events by the service. */
  readonly live: Map<number, LivePair>;
  /** Aborted on pause, cancel or shutdown; `reason()` says which. */
  readonly signal: AbortSignal;
  readonly reason: () => 'pause' | 'cancel' | 'shutdown' | null;
  readonly verifyOnly: boolean;
  /** Retry failed: the failed messages in the shared state go back to pending first. */
  readonly retry: boolean;
  readonly now: () => string;
  readonly changed: () => void;
}

/**
 * Runs a console batch on the fleet: each queued pair becomes one BullMQ job (credentials sealed to
 * the fleet's recipient by the controller), the jobs' progress and outcomes land in the batch's rows.
 * Pause and cancel ask the workers to stop (a Redis key they check) and take waiting jobs off the
 * lane; shutdown only stops following, the fleet goes on. Resume, retry and delta add the jobs again.
 */
export async function runBatchOnFleet(run: FleetBatchRun): Promise<void> {
  const { batch, repo } = run;
  const target = batch.options.fleet!;
  const fail = (pair: PairRow, code: string, message: string): void => repo.updatePair(batch.id, pair.seq, { status: 'failed', finishedAt: run.now(), errorCode: code, errorMessage: message });
  const conn = await run.settings.connect(target);
  if (!conn.ok) {
    for (const p of run.pairs) fail(p, conn.error.code, conn.error.message);
    return;
  }
  const { connection, prefix, recipient, state } = conn.value;
  const lane = laneOf(run.plan?.targetPreset);
  const byJob = new Map<string, PairRow>();
  const pairs: { source: ImapEndpoint; target: ImapEndpoint }[] = [];
  for (const p of run.pairs) {
    const row = run.plan?.rows.find((r) => r.seq === p.seq);
    const endpoints = row ? await run.planPairs.endpoints(batch.planId, row) : null;
    if (!endpoints?.ok) {
      fail(p, endpoints?.error.code ?? 'notFound', endpoints?.error.message ?? 'The plan row of this mailbox was removed.');
      continue;
    }
    byJob.set(p.jobId, p);
    pairs.push(endpoints.value);
    repo.updatePair(batch.id, p.seq, { counters: { ...p.counters, lane } });
  }
  if (pairs.length === 0) return;
  const redis = new Redis({ ...connection });
  redis.on('error', () => undefined);
  let stopped = false;
  let stopping: Promise<void> = Promise.resolve();
  const detach = new AbortController();
  const onAbort = (): void => {
    if (run.reason() === 'shutdown') return detach.abort();
    stopping = stopJobs(redis, new Queue(queueName(lane), { connection, prefix }), prefix, [...byJob.keys()]).finally(() => (stopped = true));
  };
  try {
    await clearStop(redis, prefix, [...byJob.keys()]);
    if (run.retry) await retryFailedMessages(state, [...byJob.keys()]);
    const lanes = new Map<string, string | null>();
    const heldSeqs = new Set<number>();
    run.signal.addEventListener('abort', onAbort, { once: true });
    // Paused or cancelled while the endpoints were read: nothing of this launch is queued, the pairs stay as they are.
    if (run.signal.aborted) return onAbort();
    await runFleetBatch({
      connection,
      prefix,
      recipient,
      pairs,
      options: jobOptions(batch, run.plan, run.verifyOnly),
      batchId: batch.id,
      stopped: () => stopped,
      detach: detach.signal,
      onProgress: ({ jobId, worker, held, ...p }) => {
        const pair = byJob.get(jobId);
        if (!pair) return;
        // Held until a provider's volume window resets: the pair's row says why until the job runs again.
        if (held || heldSeqs.has(pair.seq)) {
          repo.updatePair(batch.id, pair.seq, held ? { errorCode: 'fleet.held', errorMessage: held } : { errorCode: null, errorMessage: null });
          if (held) heldSeqs.add(pair.seq);
          else heldSeqs.delete(pair.seq);
          run.changed();
          if (held) return;
        }
        let live = run.live.get(pair.seq);
        if (!live) {
          live = { counters: { ...EMPTY_COUNTERS, lane }, samples: [], dirty: true };
          run.live.set(pair.seq, live);
          repo.updatePair(batch.id, pair.seq, { status: 'running', startedAt: run.now(), finishedAt: null, passes: pair.passes + 1, errorCode: null, errorMessage: null });
          run.changed();
        }
        sample(live, p);
        lanes.set(jobId, worker ?? null);
        live.counters = { ...live.counters, lane, worker: worker ?? null };
      },
      onSettled: (jobId, result) => {
        const pair = byJob.get(jobId);
        if (!pair) return;
        const live = run.live.get(pair.seq);
        run.live.delete(pair.seq);
        const counters: PairCounters = { ...(live?.counters ?? pair.counters), lane, worker: lanes.get(jobId) ?? pair.counters.worker ?? null };
        repo.updatePair(batch.id, pair.seq, outcomeOf(result, counters, run.reason(), run.now()));
        run.changed();
      },
    });
  } finally {
    run.signal.removeEventListener('abort', onAbort);
    await stopping.catch(() => undefined);
    redis.disconnect();
  }
}

// The stop keys first, so a job a worker takes in between ends at once; then the waiting and delayed jobs leave the lane.
async function stopJobs(redis: Redis, queue: Queue, prefix: string, jobIds: readonly string[]): Promise<void> {
  queue.on('error', () => undefined);
  try {
    await requestStop(redis, prefix, jobIds);
    for (const id of jobIds) {
      const job = await queue.getJob(queueJobId(id));
      if (job && ['waiting', 'delayed', 'prioritized', 'paused'].includes(await job.getState())) await job.remove().catch(() => undefined);
    }
  } finally {
    await queue.close();
  }
}

async function retryFailedMessages(stateUrl: string, jobIds: readonly string[]): Promise<void> {
  for (const id of jobIds) {
    const state = await openJobState(stateUrl, id);
    try {
      state.store.retryFailed();
      await state.durable();
    } finally {
      await state.close();
    }
  }
}

/** The engine options of the batch's jobs, as the local runner would pass them. */
function jobOptions(batch: BatchRow, plan: MigrationPlan | null, verifyOnly: boolean): CopyMailboxOptions {
  const preset = presetFor(plan?.targetPreset ?? 'dovecot');
  const labels = plan?.gmailLabels;
  return {
    concurrency: Math.min(batch.options.connectionsPerMailbox ?? 4, preset?.maxConnections ?? 4),
    dryRun: batch.dryRun,
    verify: verifyOnly || (batch.options.verify ?? true),
    ...(verifyOnly ? { verifyOnly: true } : {}),
    ...(plan ? { targetPreset: plan.targetPreset } : {}),
    ...(plan?.sourcePreset ? { sourcePreset: plan.sourcePreset } : {}),
    ...(plan?.includeShared ? { includeShared: true } : {}),
    // 'once' is the engine's default (labels as folders): left out so the job's options match a local run's.
    ...(labels && labels !== 'once' ? { gmailLabels: labels } : {}),
  };
}

/** How a fleet job ended, as the pair's row stores it (the same statuses as a local run). */
export function outcomeOf(result: Result<CopyMailboxReport>, counters: PairCounters, reason: 'pause' | 'cancel' | 'shutdown' | null, now: string): Partial<PairRow> {
  if (!result.ok) {
    const stopped = result.error.message.includes(STOPPED_REASON);
    if (stopped && (reason === 'pause' || reason === 'cancel')) return { status: reason === 'pause' ? 'paused' : 'cancelled', counters, finishedAt: null, errorCode: null, errorMessage: null };
    return { status: 'failed', counters, finishedAt: now, errorCode: result.error.code, errorMessage: result.error.message };
  }
  const r = result.value;
  const done = r.complete || (r.dryRun && !r.error);
  return {
    status: done ? 'done' : r.error ? 'failed' : 'incomplete',
    counters: { ...counters, copied: r.copied, skipped: r.skipped, failed: r.failed, bytes: r.bytes, seconds: r.seconds },
    finishedAt: now,
    errorCode: r.error?.code ?? null,
    errorMessage: r.error?.message ?? null,
    ...(r.folders.length > 0
      ? {
          report: {
            verifiedAt: now,
            clean: r.complete && r.folders.every((f) => f.missing === 0 && f.extra === 0),
            folders: r.folders,
            failures: r.failures.slice(0, 1000),
            warnings: r.warnings.slice(0, 200),
          },
        }
      : {}),
  };
}
