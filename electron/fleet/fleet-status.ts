import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { FleetBatchStatus, FleetStatus, FleetStatusInput, FleetWorkerBeat } from '../../shared/domain/fleet.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { beatOf } from './fleet-heartbeat.ts';
import type { FleetJobData } from './fleet-payload.ts';
import { DEFAULT_QUEUE_PREFIX, LANES, heartbeatPattern, parseRedisUrl, queueName, type RedisOptions } from './fleet-redis.ts';
import { STOPPED_REASON } from './fleet-stop.ts';
import type { FleetProgress } from './fleet-worker.ts';

/** One job as the status needs it. */
export interface JobView {
  readonly batchId: string;
  readonly state: string;
  /** Times a worker took the job: after a kill, a graceful release or a retried error it starts again. */
  readonly starts: number;
  readonly copied: number;
  readonly processedOn: number | null;
  readonly finishedOn: number | null;
  /** Failed because the console paused or cancelled it. */
  readonly stopped?: boolean;
  /** Delayed until a provider's volume window resets: why, and until when. */
  readonly held?: { readonly reason: string; readonly until: number } | null;
}

const WAITING = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'paused']);

/** Totals per batch from its jobs; `now` ends the span of a batch still running. */
export function aggregateBatches(jobs: readonly JobView[], now: number): FleetBatchStatus[] {
  const by = new Map<string, JobView[]>();
  for (const j of jobs) by.set(j.batchId, [...(by.get(j.batchId) ?? []), j]);
  return [...by].map(([batchId, list]) => {
    const count = (f: (j: JobView) => boolean): number => list.filter(f).length;
    const messages = list.reduce((n, j) => n + j.copied, 0);
    const starts = list.map((j) => j.processedOn).filter((t): t is number => t !== null);
    const running = list.some((j) => j.finishedOn === null);
    const end = running ? now : Math.max(...list.map((j) => j.finishedOn ?? 0));
    const seconds = starts.length > 0 ? (end - Math.min(...starts)) / 1000 : 0;
    const held = list.filter((j) => j.state === 'delayed' && j.held).sort((a, b) => a.held!.until - b.held!.until);
    return {
      batchId,
      waiting: count((j) => WAITING.has(j.state)) - held.length,
      active: count((j) => j.state === 'active'),
      completed: count((j) => j.state === 'completed'),
      failed: count((j) => j.state === 'failed' && !j.stopped),
      stopped: count((j) => j.state === 'failed' && j.stopped === true),
      held: held.length,
      heldReason: held[0]?.held?.reason ?? null,
      heldUntil: held[0]?.held?.until ?? null,
      retries: list.reduce((n, j) => n + Math.max(0, j.starts - (WAITING.has(j.state) ? 0 : 1)), 0),
      messages,
      messagesPerSecond: seconds > 0 ? Math.round((messages / seconds) * 10) / 10 : 0,
    };
  }).sort((a, b) => a.batchId.localeCompare(b.batchId));
}

/** Reads the workers' heartbeats and every lane's jobs. */
export async function readFleetStatus(connection: RedisOptions, prefix: string, now = Date.now()): Promise<FleetStatus> {
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  try {
    const workers: FleetWorkerBeat[] = [];
    for await (const keys of redis.scanStream({ match: heartbeatPattern(prefix), count: 200 }) as AsyncIterable<string[]>) {
      for (const key of keys) {
        const beat = beatOf(await redis.hgetall(key));
        if (beat) workers.push(beat);
      }
    }
    const jobs: JobView[] = [];
    for (const lane of LANES) {
      const queue = new Queue<FleetJobData>(queueName(lane), { connection: { ...connection, maxRetriesPerRequest: 2 }, prefix });
      try {
        for (const state of ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'] as const) {
          for (const job of await queue.getJobs([state])) {
            if (!job?.data?.batchId) continue;
            const progress = job.progress as Partial<FleetProgress> | number;
            const copied = typeof job.returnvalue === 'object' && job.returnvalue ? Number((job.returnvalue as { copied?: number }).copied ?? 0) : typeof progress === 'object' ? Number(progress.copied ?? 0) : 0;
            const held = typeof progress === 'object' && progress.held && progress.heldUntil ? { reason: progress.held, until: progress.heldUntil } : null;
            jobs.push({ batchId: job.data.batchId, state, starts: job.attemptsStarted, copied, processedOn: job.processedOn ?? null, finishedOn: job.finishedOn ?? null, stopped: job.failedReason === STOPPED_REASON, held });
          }
        }
      } finally {
        await queue.close();
      }
    }
    return { workers: workers.sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid), batches: aggregateBatches(jobs, now) };
  } finally {
    redis.disconnect();
  }
}

/** migration.fleetStatus: the status as a Result; a bad URL is input.invalid, an unreachable Redis io.failed. */
export async function fleetStatusResult(input: FleetStatusInput, env: NodeJS.ProcessEnv): Promise<Result<FleetStatus>> {
  const connection = parseRedisUrl(input.redis, env);
  if (typeof connection === 'string') return err('input.invalid', connection);
  try {
    return ok(await readFleetStatus(connection, input.prefix ?? DEFAULT_QUEUE_PREFIX));
  } catch (error) {
    return err('io.failed', `Cannot read the fleet from Redis at ${connection.host}:${connection.port}: ${(error as Error).message}`, { retryable: true });
  }
}
