import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { CopyMailboxOptions, CopyMailboxProgress, CopyMailboxReport } from '../../shared/domain/migration.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { sealJob, type FleetJobData } from './fleet-payload.ts';
import { laneOf, queueName, type RedisOptions } from './fleet-redis.ts';
import type { FleetProgress } from './fleet-worker.ts';

/** A batch to run on the fleet. */
export interface FleetBatchInput {
  readonly connection: RedisOptions;
  readonly prefix: string;
  /** The fleet's age recipient: every secret is sealed to it before it reaches Redis. */
  readonly recipient: string;
  readonly pairs: readonly { readonly source: ImapEndpoint; readonly target: ImapEndpoint }[];
  readonly options: CopyMailboxOptions;
  readonly onProgress?: (p: CopyMailboxProgress) => void;
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
  const batchId = `batch-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
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
      wake();
    };
    events.on('completed', ({ jobId, returnvalue }) => settle(jobId, ok(returnvalue as unknown as CopyMailboxReport)));
    // A failed attempt that will be retried is not the end; only a job in the failed set is.
    events.on('failed', ({ jobId, failedReason }) => void queue.getJobState(jobId).then((state) => state === 'failed' && settle(jobId, failure(failedReason)), () => undefined));
    events.on('progress', ({ jobId, data }) => pending.has(jobId) && typeof data === 'object' && input.onProgress?.({ jobId, ...(data as FleetProgress) }));
    await enqueue(queue, jobs);
    while (pending.size > 0) {
      await new Promise<void>((done) => {
        wake = done;
        setTimeout(done, POLL_MS);
      });
      await poll(queue, pending, settle);
    }
    return jobs.map((j) => results.get(j.jobId)!);
  } finally {
    await events.close();
    await queue.close();
  }
}

// A job already finished by an earlier run is added afresh (a new pass); a waiting or running one is followed as it is.
async function enqueue(queue: Queue<FleetJobData, CopyMailboxReport>, jobs: readonly FleetJobData[]): Promise<void> {
  for (const data of jobs) {
    const existing = await queue.getJob(data.jobId);
    if (existing && (await existing.isCompleted() || await existing.isFailed())) await existing.remove();
  }
  await queue.addBulk(
    jobs.map((data) => ({
      name: 'mailbox',
      data,
      opts: { jobId: data.jobId, attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 7 * 86_400 } },
    })),
  );
}

async function poll(queue: Queue<FleetJobData, CopyMailboxReport>, pending: Set<string>, settle: (id: string, r: Result<CopyMailboxReport>) => void): Promise<void> {
  for (const id of [...pending]) {
    const job = await queue.getJob(id).catch(() => undefined);
    if (!job) continue;
    // By the job's state, not its fields: a job that completed after a failed attempt keeps that attempt's failedReason.
    const state = await job.getState().catch(() => 'unknown');
    if (state === 'completed' && job.returnvalue) settle(id, ok(job.returnvalue));
    else if (state === 'failed') settle(id, failure(job.failedReason));
  }
}

function failure(reason: string): Result<CopyMailboxReport> {
  return err('io.failed', `The fleet gave up on this mailbox: ${reason}`);
}
