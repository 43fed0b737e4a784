import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beatOf, type WorkerBeat } from './fleet-heartbeat.ts';
import type { FleetJobData } from './fleet-payload.ts';
import { LANES, heartbeatPattern, queueName, type RedisOptions } from './fleet-redis.ts';
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
}

/** A batch's totals on the fleet. */
export interface BatchStatus {
  readonly batchId: string;
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  /** Starts beyond each job's first: a stall after a kill, a release on SIGTERM, a retried error, a throttle. */
  readonly retries: number;
  readonly messages: number;
  /** Messages copied per second from the batch's first start to its last finish (or now). */
  readonly messagesPerSecond: number;
}

/** `mailroom fleet status`: every live worker and every batch still in the queues. */
export interface FleetStatus {
  readonly workers: readonly WorkerBeat[];
  readonly batches: readonly BatchStatus[];
}

const WAITING = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'paused']);

/** Totals per batch from its jobs; `now` ends the span of a batch still running. */
export function aggregateBatches(jobs: readonly JobView[], now: number): BatchStatus[] {
  const by = new Map<string, JobView[]>();
  for (const j of jobs) by.set(j.batchId, [...(by.get(j.batchId) ?? []), j]);
  return [...by].map(([batchId, list]) => {
    const count = (f: (j: JobView) => boolean): number => list.filter(f).length;
    const messages = list.reduce((n, j) => n + j.copied, 0);
    const starts = list.map((j) => j.processedOn).filter((t): t is number => t !== null);
    const running = list.some((j) => j.finishedOn === null);
    const end = running ? now : Math.max(...list.map((j) => j.finishedOn ?? 0));
    const seconds = starts.length > 0 ? (end - Math.min(...starts)) / 1000 : 0;
    return {
      batchId,
      waiting: count((j) => WAITING.has(j.state)),
      active: count((j) => j.state === 'active'),
      completed: count((j) => j.state === 'completed'),
      failed: count((j) => j.state === 'failed'),
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
    const workers: WorkerBeat[] = [];
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
            jobs.push({ batchId: job.data.batchId, state, starts: job.attemptsStarted, copied, processedOn: job.processedOn ?? null, finishedOn: job.finishedOn ?? null });
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
