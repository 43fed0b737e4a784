import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { CopyMailboxOptions, CopyMailboxProgress, CopyMailboxReport } from '../../shared/domain/migration-copy.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { pairJobId, queueJobId, sealJob, type FleetJobData } from './fleet-payload.ts';
import { laneOf, queueName, type RedisOptions } from './fleet-redis.ts';
import { STOPPED_REASON } from './fleet-stop.ts';
import type { FleetProgress } from './fleet-worker.ts';

/** A batch to run on the fleet. */
export interface FleetBatchInput {
  readonly connection: RedisOptions;
  readonly prefix: string;
  /** The fleet's age recipient: every secret is sealed to it before it reaches Redis. */
  readonly recipient: string;
  readonly pairs: readonly { readonly source: ImapEndpoint; readonly target: ImapEndpoint }[];
  readonly options: CopyMailboxOptions;
  /** Each job's progress, with the worker (host:pid) that runs it, and why it waits when a volume budget holds it. */
  readonly onProgress?: (p: CopyMailboxProgress & { readonly worker?: string; readonly held?: string }) => void;
  /** The batch id the jobs carry (the console's batch); a new one by default. */
  readonly batchId?: string;
  /** Each pair's outcome as soon as it settles (the console writes it to the batch's rows). */
  readonly onSettled?: (jobId: string, result: Result<CopyMailboxReport>) => void;
  /** True once the caller removed the batch's waiting jobs (pause, cancel): a job gone from the queue then settles as stopped. */
  readonly stopped?: () => boolean;
  /** Stops following (the jobs go on in the fleet); pairs not settled by then come back as not followed. */
  readonly detach?: AbortSignal;
}

// A job that fails for a reason worth retrying (a dropped connection, Redis gone) is tried again, backing off.
const ATTEMPTS = 5;
// Events can be missed while Redis restarts; a slow poll of the jobs' states settles them anyway.
const POLL_MS = 3_000;

/**
 * Enqueues a batch's pairs (one job each, id = the pair's migration job id, so adding again is
 * idempotent) and follows them to the end; resolves with each pair's report in input order.
 */
export async function runFleetBatch(input: FleetBatchInput): Promise<Result<CopyMailboxReport>[]> {
  const batchId = input.batchId ?? `batch-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const lane = laneOf(input.options.targetPreset);
  const queue = new Queue<FleetJobData, CopyMailboxReport>(queueName(lane), { connection: input.connection, prefix: input.prefix });
  const events = new QueueEvents(queueName(lane), { connection: input.connection, prefix: input.prefix });
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  try {
    await events.waitUntilReady();
    const jobs = await Promise.all(input.pairs.map((p) => sealJob(batchId, p.source, p.target, input.options, input.recipient)));
    const results = new Map<string, Result<CopyMailboxReport>>();
    const pending = new Set(jobs.map((j) => j.jobId));
    let wake: () => void = () => undefined;
    const settle = (id: string, result: Result<CopyMailboxReport>): void => {
      if (!pending.delete(id)) return;
      results.set(id, result);
      input.onSettled?.(id, result);
      wake();
    };
    events.on('completed', ({ jobId, returnvalue }) => settle(pairJobId(jobId), ok(returnvalue as unknown as CopyMailboxReport)));
    // A failed attempt that will be retried is not the end; only a job in the failed set is.
    events.on('failed', ({ jobId, failedReason }) => void queue.getJobState(jobId).then((state) => state === 'failed' && settle(pairJobId(jobId), failure(failedReason)), () => undefined));
    events.on('progress', ({ jobId, data }) => pending.has(pairJobId(jobId)) && typeof data === 'object' && input.onProgress?.({ jobId: pairJobId(jobId), ...(data as FleetProgress) }));
    await enqueue(queue, jobs);
    const detached = (): boolean => input.detach?.aborted ?? false;
    input.detach?.addEventListener('abort', () => wake(), { once: true });
    while (pending.size > 0 && !detached()) {
      await new Promise<void>((done) => {
        wake = done;
        setTimeout(done, POLL_MS);
      });
      if (detached()) break;
      await poll(queue, pending, settle, input.stopped ?? (() => false));
    }
    return jobs.map((j) => results.get(j.jobId) ?? err('cancelled', 'No longer followed: the job goes on in the fleet.'));
  } finally {
    await events.close();
    await queue.close();
  }
}

// A job already finished by an earlier run is added afresh (a new pass); a waiting or running one is followed as it is.
async function enqueue(queue: Queue<FleetJobData, CopyMailboxReport>, jobs: readonly FleetJobData[]): Promise<void> {
  for (const data of jobs) {
    const existing = await queue.getJob(queueJobId(data.jobId));
    if (existing && (await existing.isCompleted() || await existing.isFailed())) await existing.remove();
  }
  await queue.addBulk(
    jobs.map((data) => ({
      name: 'mailbox',
      data,
      opts: { jobId: queueJobId(data.jobId), attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 7 * 86_400 } },
    })),
  );
}

async function poll(queue: Queue<FleetJobData, CopyMailboxReport>, pending: Set<string>, settle: (id: string, r: Result<CopyMailboxReport>) => void, stopped: () => boolean): Promise<void> {
  for (const id of [...pending]) {
    // By the job's state, not its fields: a job that completed after a failed attempt keeps that attempt's failedReason.
    // The state is read before the job: a job read just before it failed has no reason yet (a cancelled mailbox then
    // showed as failed, "gave up: undefined"); one read after its state said finished always has its outcome.
    const state = await queue.getJobState(queueJobId(id)).catch(() => 'unreachable' as const);
    if (state === 'unreachable') continue;
    if (state === 'unknown') {
      if (stopped()) settle(id, failure(STOPPED_REASON));
      continue;
    }
    if (state !== 'completed' && state !== 'failed') continue;
    const job = await queue.getJob(queueJobId(id)).catch(() => null);
    if (state === 'completed' && job?.returnvalue) settle(id, ok(job.returnvalue));
    else if (state === 'failed' && job) settle(id, failure(job.failedReason));
  }
}

function failure(reason: string): Result<CopyMailboxReport> {
  return err('io.failed', `The fleet gave up on this mailbox: ${reason}`);
}
