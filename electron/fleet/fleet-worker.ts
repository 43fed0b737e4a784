import { hostname } from 'node:os';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { CopyMailboxProgress, CopyMailboxReport } from '../../shared/domain/migration-copy.ts';
import { copyMailboxOn } from '../migration/mailbox-copy.ts';
import { FleetKeyError } from './fleet-key.ts';
import { Heartbeat, WorkerCounters } from './fleet-heartbeat.ts';
import { unsealJob, type FleetJobData } from './fleet-payload.ts';
import { LANES, lanePolicy, queueName, type RedisOptions } from './fleet-redis.ts';
import { STOPPED_REASON, stopRequested } from './fleet-stop.ts';
import { openJobState } from './job-state.ts';
import { PgSessions } from './pg-sessions.ts';
import { Phases } from './job-phases.ts';
import { JobHeldError } from './sqlite-job-lease.ts';
import { throttleDelayOf } from './throttle.ts';
import { VolumeBudget, volumeHoldReason, volumeLimitsOf, type VolumeLimit, type VolumeUse } from './volume-budget.ts';

/** How a `mailroom worker` runs. */
export interface FleetWorkerOptions {
  readonly connection: RedisOptions;
  readonly prefix: string;
  /** Where the jobs' write-ahead state lives (openJobState). */
  readonly stateUrl: string;
  /** The fleet's age identity, opened from --key. */
  readonly identity: string;
  /** Mailboxes at a time, per lane. */
  readonly concurrency: number;
  /** BullMQ lock: a worker that stops renewing it for this long (killed, frozen) loses its jobs to others. */
  readonly lockMs: number;
  readonly log: (line: string) => void;
  /** Bytes a target user may receive per day on every lane, instead of the presets' (a tenant's lower quota; tests). */
  readonly uploadBudget?: number;
  /** Log each job's phases (ms): where a mailbox's time goes beside the copy itself (bench/fleet). */
  readonly timings?: boolean;
}

/** The progress a fleet job publishes (job.updateProgress): the engine's counters and who runs it. */
export type FleetProgress = Omit<CopyMailboxProgress, 'jobId'> & {
  readonly worker: string;
  /** Why the job waits in the delayed set (a provider's volume budget spent), and until when (ms). */
  readonly held?: string;
  readonly heldUntil?: number;
};

// Publishing every engine sample would be one Redis write per message batch; two a second is plenty to watch.
const PROGRESS_EVERY_MS = 500;
// How often a running job looks for the console's stop request (pause, cancel).
const STOP_CHECK_MS = 1_000;

/**
 * A fleet member: one BullMQ Worker per lane, each job one mailbox pair copied by the same engine as
 * the desktop (copyMailboxOn) on the shared state. stop() aborts running copies at a safe point and
 * hands their jobs back to the queue, so nothing is lost.
 */
export class FleetWorker {
  private readonly workers: Worker<FleetJobData, CopyMailboxReport>[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly counters = new WorkerCounters();
  private readonly heartbeat: Heartbeat;
  private readonly redis: Redis;
  private readonly budget: VolumeBudget;
  // PostgreSQL sessions and the shared tables' survey, kept from one job to the next.
  private readonly sessions = new PgSessions();
  private lastEnd: number | null = null;
  private stopping = false;

  private readonly options: FleetWorkerOptions;

  constructor(options: FleetWorkerOptions) {
    this.options = options;
    this.heartbeat = new Heartbeat(options.connection, options.prefix, this.counters, options.concurrency);
    this.redis = new Redis({ ...options.connection });
    // A Redis restart shows in BullMQ's logs; a stop check that fails meanwhile is simply tried again.
    this.redis.on('error', () => undefined);
    this.budget = new VolumeBudget(this.redis, options.prefix);
  }

  /** Starts taking jobs from every lane. */
  start(): void {
    const o = this.options;
    for (const lane of LANES) {
      const policy = lanePolicy(lane);
      const worker: Worker<FleetJobData, CopyMailboxReport> = new Worker(queueName(lane), (job, token) => this.process(worker, job, token), {
        connection: o.connection,
        prefix: o.prefix,
        concurrency: o.concurrency,
        limiter: policy.limiter,
        lockDuration: o.lockMs,
        stalledInterval: o.lockMs,
        // Each kill of a worker stalls its jobs once; a mailbox must survive several without failing.
        maxStalledCount: 10,
      });
      worker.on('error', (error) => o.log(`worker ${lane}: ${error.message}`));
      // Lock lost (Redis gone too long, or this process frozen): another worker may take the job, so stop copying it.
      worker.on('lockRenewalFailed', (ids) => ids.forEach((id) => this.running.get(id)?.abort()));
      worker.on('failed', (job, error) => job && o.log(`job ${job.id} (${job.data.source.user} → ${job.data.target.user}) failed: ${error.message}`));
      this.workers.push(worker);
    }
    this.heartbeat.start();
    o.log(`worker ${process.pid} taking jobs from ${LANES.length} lanes, ${o.concurrency} mailbox(es) each`);
  }

  /** Graceful stop: abort running copies (they stop at a safe point and go back to the queue), then close. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const controller of this.running.values()) controller.abort();
    await Promise.all(this.workers.map((w) => w.close()));
    await this.sessions.close();
    await this.heartbeat.stop();
    this.redis.disconnect();
  }

  private async process(worker: Worker, job: Job<FleetJobData, CopyMailboxReport>, token: string | undefined): Promise<CopyMailboxReport> {
    const data = job.data;
    const phases = new Phases(this.lastEnd);
    let endpoints;
    try {
      endpoints = await unsealJob(data, this.options.identity);
    } catch (error) {
      if (error instanceof FleetKeyError) throw new UnrecoverableError(`Cannot open the credentials of ${data.source.user} → ${data.target.user}: ${error.message}.`);
      throw error;
    }
    phases.mark('unseal');
    if (await this.stopAsked(data.jobId)) throw new UnrecoverableError(STOPPED_REASON);
    const limits = volumeLimitsOf({ ...data.options, targetUser: data.target.user, sourceUser: data.source.user }, this.options.uploadBudget);
    const before = limits.length > 0 ? await this.budget.check(limits) : null;
    if (before?.exhausted) return this.hold(job, token, before);
    phases.mark('stopCheck');
    let state;
    try {
      state = await openJobState(this.options.stateUrl, data.jobId, { sessions: this.sessions });
      phases.mark('openState');
    } catch (error) {
      // Another live process still runs this mailbox (frozen, or cut off from Redis past its lock): try again
      // later rather than spend one of the job's attempts, which would fail a mailbox nobody could copy.
      if (error instanceof JobHeldError && token) {
        this.options.log(`job ${job.id}: ${error.message}; back in the queue for ${this.options.lockMs} ms`);
        await job.moveToDelayed(Date.now() + this.options.lockMs, token);
        throw new DelayedError();
      }
      throw error;
    }
    const controller = new AbortController();
    this.running.set(job.id!, controller);
    // A stop that came while the job was being opened must reach it too.
    if (this.stopping) controller.abort();
    this.counters.active += 1;
    let stoppedByConsole = false;
    // Set when a charge finds a volume budget spent: the copy stops at its next safe point and the job waits for the window.
    const spent: Spent = { use: null, charged: Promise.resolve() };
    const stopCheck = setInterval(() => {
      void this.stopAsked(data.jobId).then((asked) => {
        if (!asked || controller.signal.aborted) return;
        stoppedByConsole = true;
        controller.abort();
      });
    }, STOP_CHECK_MS);
    try {
      const policy = lanePolicy(job.queueName.replace(/^migrate-/, ''));
      const options = { ...data.options, concurrency: Math.min(data.options.concurrency ?? 4, policy.connectionsPerMailbox) };
      const report = await copyMailboxOn({ store: state.store, durable: phases.timed('durable', () => state.durable()) }, endpoints, options, { signal: controller.signal, onProgress: this.progressOf(job, limits, spent, controller) });
      phases.mark('copy');
      await state.durable();
      // Paused or cancelled by the console: failed at once (no retry), the shared state keeps what was copied.
      // A mailbox that finished before the stop reached it is done: re-running it would report 0 copied.
      if (stoppedByConsole && !report.complete) throw new UnrecoverableError(STOPPED_REASON);
      await spent.charged;
      if (spent.use && !report.complete) return await this.hold(job, token, spent.use);
      if (controller.signal.aborted && !report.complete) {
        // Released, not failed: the state keeps every settled message, and the next worker resumes from it.
        if (this.stopping && token) {
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
        throw new Error('The job lost its lock; another worker resumes it.');
      }
      const throttledMs = throttleDelayOf(report);
      if (throttledMs !== null) {
        // Refused, not lost: those messages go back to pending, and the whole lane waits the server's own
        // delay before the job runs again, so a fleet never throttles a provider harder than one process.
        state.store.retryFailed();
        await state.durable();
        this.options.log(`job ${job.id} (${data.target.user}): the target is throttling; the ${job.queueName} lane waits ${throttledMs} ms`);
        await worker.rateLimit(throttledMs);
        throw Worker.RateLimitError();
      }
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (report.error?.retryable && !report.complete && !lastAttempt) throw new Error(`${report.error.code}: ${report.error.message}`);
      this.counters.jobsDone += 1;
      return report;
    } catch (error) {
      if (!(error instanceof DelayedError) && (error as Error).name !== 'RateLimitError' && (error as Error).message !== STOPPED_REASON) this.counters.jobsFailed += 1;
      throw error;
    } finally {
      clearInterval(stopCheck);
      this.counters.active -= 1;
      this.running.delete(job.id!);
      await state.close();
      phases.mark('close');
      this.lastEnd = performance.now();
      if (this.options.timings) this.options.log(`job ${job.id} phases ${JSON.stringify(phases.ms())}`);
    }
  }

  // Back to the delayed set until the spent budget's window resets, with the reason in the job's progress for the console and `fleet status`.
  private async hold(job: Job<FleetJobData, CopyMailboxReport>, token: string | undefined, use: VolumeUse): Promise<never> {
    const reason = volumeHoldReason(use);
    this.options.log(`job ${job.id}: ${reason}`);
    const progress = typeof job.progress === 'object' ? (job.progress as FleetProgress) : null;
    await job.updateProgress({ ...(progress ?? {}), worker: workerName(), held: reason, heldUntil: use.resetAt }).catch(() => undefined);
    if (!token) throw new Error(reason);
    await job.moveToDelayed(use.resetAt, token);
    throw new DelayedError();
  }

  private async stopAsked(jobId: string): Promise<boolean> {
    return stopRequested(this.redis, this.options.prefix, jobId).catch(() => false);
  }

  // Counts the bytes each engine sample adds (heartbeat, volume budgets) and publishes the progress twice a second.
  private progressOf(job: Job<FleetJobData, CopyMailboxReport>, limits: readonly VolumeLimit[], spent: Spent, controller: AbortController): (p: CopyMailboxProgress) => void {
    let last = 0;
    let copied = 0;
    let bytes = 0;
    const worker = workerName();
    return ({ jobId: _, ...p }) => {
      this.counters.messages += Math.max(0, p.copied - copied);
      copied = p.copied;
      const added = Math.max(0, p.bytes - bytes);
      bytes = p.bytes;
      if (added > 0 && limits.length > 0) {
        // In order, one charge after another: the last one's answer is the window's latest.
        spent.charged = spent.charged.then(() =>
          this.budget.charge(limits, added).then((use) => {
            if (!use?.exhausted || spent.use) return;
            spent.use = use;
            controller.abort();
          }, () => undefined),
        );
      }
      const now = performance.now();
      if (p.phase !== 'done' && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const progress: FleetProgress = { ...p, worker };
      void job.updateProgress(progress).catch(() => undefined);
    };
  }
}

/** A running job's volume charges: the chain of charges sent, and the spent budget one of them found. */
interface Spent {
  use: VolumeUse | null;
  charged: Promise<void>;
}

function workerName(): string {
  return `${hostname()}:${process.pid}`;
}
