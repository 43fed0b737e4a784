import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { FleetWorkerBeat } from '../../shared/domain/fleet.ts';
import { LANES, heartbeatKey, type RedisOptions } from './fleet-redis.ts';

const INTERVAL_MS = 5_000;
// A worker unseen for three beats drops out of `fleet status` by itself: the key expires.
const TTL_SECONDS = 15;

/** The worker's counters, kept by the job processor and published by the heartbeat. */
export class WorkerCounters {
  active = 0;
  jobsDone = 0;
  jobsFailed = 0;
  messages = 0;
}

/** Publishes a worker's heartbeat in a Redis hash with a TTL until stopped (then deletes it). */
export class Heartbeat {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private lastMessages = 0;
  private lastAt = Date.now();
  private readonly counters: WorkerCounters;
  private readonly concurrency: number;

  constructor(connection: RedisOptions, prefix: string, counters: WorkerCounters, concurrency: number) {
    this.counters = counters;
    this.concurrency = concurrency;
    this.redis = new Redis({ ...connection, lazyConnect: false });
    // A Redis restart shows up in BullMQ's own logs; the next beat after it reconnects repairs the hash.
    this.redis.on('error', () => undefined);
    this.key = heartbeatKey(prefix, hostname(), process.pid);
  }

  /** Beats now and then every few seconds. */
  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), INTERVAL_MS);
  }

  /** Stops beating and removes the worker from the fleet's list. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis.del(this.key).catch(() => undefined);
    this.redis.disconnect();
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const c = this.counters;
    const throughput = ((c.messages - this.lastMessages) * 1000) / Math.max(1, now - this.lastAt);
    this.lastMessages = c.messages;
    this.lastAt = now;
    const beat: FleetWorkerBeat = { host: hostname(), pid: process.pid, concurrency: this.concurrency, lanes: LANES.length, active: c.active, jobsDone: c.jobsDone, jobsFailed: c.jobsFailed, messages: c.messages, throughput: Math.round(throughput * 10) / 10, startedAt: this.startedAt, lastBeat: now };
    await this.redis
      .multi()
      .hset(this.key, Object.fromEntries(Object.entries(beat).map(([k, v]) => [k, String(v)])))
      .expire(this.key, TTL_SECONDS)
      .exec()
      .catch(() => undefined);
  }
}

/** Reads a heartbeat hash back (fields are strings in Redis). */
export function beatOf(hash: Record<string, string>): FleetWorkerBeat | null {
  if (!hash['host'] || !hash['pid']) return null;
  const n = (k: string): number => Number(hash[k] ?? 0);
  return { host: hash['host'], pid: n('pid'), concurrency: n('concurrency'), lanes: n('lanes'), active: n('active'), jobsDone: n('jobsDone'), jobsFailed: n('jobsFailed'), messages: n('messages'), throughput: n('throughput'), startedAt: n('startedAt'), lastBeat: n('lastBeat') };
}
