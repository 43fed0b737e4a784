import { randomUUID } from 'node:crypto';
import { appError, err, ok, type AppError, type Result } from '../../shared/errors/result.ts';
import type { MigrationBatch, MigrationBatchPair, MigrationBatchSummary, MigrationMailboxReport, MigrationPlan, MigrationPlanRow, StartBatchOptions } from '../../shared/domain/migration.ts';
import type { CopyMailboxInput, CopyMailboxProgress, CopyMailboxReport } from '../../shared/domain/migration-copy.ts';
import { FleetSettingsStore } from '../fleet/fleet-settings.ts';
import type { ConnectionsService } from '../accounts/connections-service.ts';
import type { Db } from '../db/database.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { vaultFailure, type CredentialVault } from '../platform/credential-vault.ts';
import type { EventBus } from '../platform/event-bus.ts';
import type { Logger } from '../platform/logger.ts';
import { pairOutcome, rate, sample, summaryOf, type LivePair } from './batch-progress.ts';
import { BatchRepo, EMPTY_COUNTERS, toBatchPair, type BatchRow, type PairRow } from './batch-repo.ts';
import { copyMailbox, jobIdOf } from './mailbox-copy.ts';
import { copyPairDav, withDav, type PairDavOutcome } from './pair-dav.ts';
import type { MigrationProgressEvent, MigrationSummary } from './migrate-job.ts';
import { runPairMigration } from './pair-thread.ts';
import { accountConnections, type AccountShare } from './account-connections.ts';
import { CONNECTIONS_PER_SIDE } from './connection-cap.ts';
import { PlanPairs } from './plan-pairs.ts';
import { PlanRepo } from './plan-repo.ts';
import { reportCsv } from './plan-csv.ts';
import { PlanService } from './plan-service.ts';
import { presetFor } from './presets.ts';
import { StateStore } from './state-store.ts';

/** Dependencies of the migration service. */
export interface MigrationServiceDeps {
  readonly db: Db;
  readonly vault: CredentialVault;
  readonly connections: ConnectionsService;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Progress events per batch at most every this many ms (default 250: ~4 a second). */
  readonly progressIntervalMs?: number;
  /** Merged into every endpoint (tests: a private CA). */
  readonly endpointDefaults?: Partial<Pick<ImapEndpoint, 'ca' | 'servername' | 'timeoutMs'>>;
}

type StopReason = 'pause' | 'cancel' | 'shutdown';

interface Runner {
  readonly controller: AbortController;
  reason: StopReason | null;
  readonly live: Map<number, LivePair>;
  readonly done: Promise<void>;
  timer: NodeJS.Timeout | null;
}

/**
 * Batches of mailbox pairs run with the migration engine, and single copies outside a batch
 * (`mailroom migrate`); plans are `plans` (plan-service.ts). Each pair keeps its write-ahead state
 * under a job id derived from its two accounts (mailbox-copy.ts), so a resumed, retried or delta
 * pass, or a CLI run of the same pair, never copies a message twice. Each pair of a batch runs in a
 * worker thread with its own SQLite connection (pair-thread.ts); progress is throttled to
 * ~4 events a second. Start, pause, resume, cancel, delta, retry and recovery drive one runner state.
 */
export class MigrationService {
  /** Migration plans: created, edited, exported. */
  readonly plans: PlanService;
  /** Where fleet batches run: Redis, shared state, the fleet's recipient (settings) and Redis password (keychain). */
  readonly fleet: FleetSettingsStore;
  private readonly deps: MigrationServiceDeps;
  private readonly repo: BatchRepo;
  private readonly planRepo: PlanRepo;
  private readonly runners = new Map<string, Runner>();
  private readonly now: () => Date;
  private readonly pairs: PlanPairs;

  constructor(deps: MigrationServiceDeps) {
    this.deps = deps;
    this.repo = new BatchRepo(deps.db);
    this.planRepo = new PlanRepo(deps.db);
    this.now = deps.now ?? (() => new Date());
    this.pairs = new PlanPairs(deps);
    this.fleet = new FleetSettingsStore(deps.db, deps.vault);
    this.plans = new PlanService({ repo: this.planRepo, pairs: this.pairs, now: this.now, ...(deps.endpointDefaults ? { endpointDefaults: deps.endpointDefaults } : {}) });
  }

  /**
   * Marks batches left running by a previous process as interrupted (resumable). Only the
   * process that runs batches (the app, `mailroom serve`) calls this: a one-shot CLI command on
   * the same data directory must not declare the app's live batches dead.
   */
  start(): void {
    const n = this.repo.markInterrupted(this.iso());
    if (n > 0) this.deps.logger.info('migration.interrupted', { batches: n });
  }

  // ---- batches ----

  startBatch(planId: string, options: StartBatchOptions): Result<MigrationBatch> {
    const plan = this.planRepo.plan(planId);
    if (!plan) return err('notFound', `No migration plan ${planId}.`);
    const chosen = options.rows ? plan.rows.filter((r) => options.rows!.includes(r.seq)) : plan.rows;
    if (chosen.length === 0) return err('input.invalid', 'The batch has no mailbox pairs.');
    const fleet = options.fleet ? this.fleet.check(options.fleet, chosen.filter((r) => r.sourceDav && r.targetDav).length) : ok(undefined);
    if (!fleet.ok) return fleet;
    const id = randomUUID();
    const now = this.iso();
    this.repo.createBatch(
      { id, planId, planName: plan.name, status: 'running', dryRun: options.dryRun ?? false, options: { concurrency: plan.parallel, ...options }, createdAt: now, updatedAt: now },
      chosen.map((r) => ({ seq: r.seq, source: r.source, target: r.target, jobId: this.jobOfRow(r) })),
    );
    this.launch(id);
    return this.getBatch(id);
  }

  pauseBatch(id: string): Result<MigrationBatch> {
    return this.stop(id, 'pause');
  }

  cancelBatch(id: string): Result<MigrationBatch> {
    return this.stop(id, 'cancel');
  }

  resumeBatch(id: string): Result<MigrationBatch> {
    const b = this.repo.batch(id);
    if (!b) return err('notFound', `No migration batch ${id}.`);
    if (this.runners.has(id)) return err('conflict', 'The batch is running.');
    if (!['paused', 'interrupted', 'failed'].includes(b.status)) return err('conflict', `A ${b.status} batch cannot be resumed; start a delta pass instead.`);
    for (const p of this.repo.pairs(id)) if (p.status === 'paused' || p.status === 'running') this.repo.updatePair(id, p.seq, { status: 'queued' });
    this.launch(id);
    return this.getBatch(id);
  }

  deltaPass(id: string): Result<MigrationBatch> {
    const b = this.repo.batch(id);
    if (!b) return err('notFound', `No migration batch ${id}.`);
    if (this.runners.has(id)) return err('conflict', 'The batch is running.');
    for (const p of this.repo.pairs(id)) this.repo.updatePair(id, p.seq, { status: 'queued', errorCode: null, errorMessage: null });
    this.launch(id);
    return this.getBatch(id);
  }

  /** Runs every pair of a finished batch in verification alone: nothing copied, every copy compared by content. */
  verifyBatch(id: string): Result<MigrationBatch> {
    const b = this.repo.batch(id);
    if (!b) return err('notFound', `No migration batch ${id}.`);
    if (this.runners.has(id)) return err('conflict', 'The batch is running.');
    if (b.dryRun) return err('conflict', 'A dry run copied nothing to verify.');
    for (const p of this.repo.pairs(id)) this.repo.updatePair(id, p.seq, { status: 'queued', errorCode: null, errorMessage: null });
    this.launch(id, true);
    return this.getBatch(id);
  }

  retryFailed(id: string): Result<MigrationBatch> {
    const b = this.repo.batch(id);
    if (!b) return err('notFound', `No migration batch ${id}.`);
    if (this.runners.has(id)) return err('conflict', 'The batch is running.');
    let n = 0;
    for (const p of this.repo.pairs(id)) {
      const failedMessages = new StateStore(this.deps.db, p.jobId).retryFailed();
      if (p.status === 'failed' || p.status === 'incomplete' || p.status === 'cancelled' || failedMessages > 0) {
        this.repo.updatePair(id, p.seq, { status: 'queued', errorCode: null, errorMessage: null });
        n++;
      }
    }
    if (n === 0) return err('conflict', 'Nothing in this batch failed.');
    this.launch(id, false, true);
    return this.getBatch(id);
  }

  listBatches(): MigrationBatchSummary[] {
    return this.repo.batchIds().map((id) => this.summary(id)!);
  }

  getBatch(id: string): Result<MigrationBatch> {
    const b = this.repo.batch(id);
    if (!b) return err('notFound', `No migration batch ${id}.`);
    const pairs = this.pairsOf(id);
    return ok({ ...summaryOf(b, pairs), options: b.options, pairs });
  }

  report(batchId: string, seq: number): Result<MigrationMailboxReport> {
    const p = this.repo.pairs(batchId).find((x) => x.seq === seq);
    if (!p) return err('notFound', `No mailbox ${seq} in batch ${batchId}.`);
    const r = p.report ?? { verifiedAt: null, clean: false, folders: [], failures: [], warnings: [] };
    return ok({ batchId, seq, source: p.source, target: p.target, ...r });
  }

  /** Every pair's per-folder verification as CSV. */
  exportReportCsv(batchId: string): Result<string> {
    return this.repo.batch(batchId) ? ok(reportCsv(this.repo.pairs(batchId))) : err('notFound', `No migration batch ${batchId}.`);
  }

  /** Copies one mailbox pair now, outside any batch, with its state in the app's database; progress goes out as events. */
  async copyMailbox(input: CopyMailboxInput, signal?: AbortSignal): Promise<Result<CopyMailboxReport>> {
    const source = await this.pairs.copySide(input.source, 'source', input.ca);
    if (!source.ok) return source;
    const target = await this.pairs.copySide(input.target, 'target', input.ca);
    if (!target.ok) return target;
    // Every phase change and the first copy at once, copying samples at most every interval.
    let last = 0;
    const onProgress = (p: CopyMailboxProgress): void => {
      const now = performance.now();
      if (p.phase === 'copying' && p.copied > 0 && now - last < (this.deps.progressIntervalMs ?? 250)) return;
      if (p.phase === 'copying' && p.copied > 0) last = now;
      this.deps.events.emit('migration.copyProgress', p);
    };
    return ok(await copyMailbox(this.deps.db, { source: source.value, target: target.value }, input, { onProgress, ...(signal ? { signal } : {}) }));
  }

  /** Resolves when the batch's runner (if any) has stopped. */
  async settled(id: string): Promise<void> {
    await this.runners.get(id)?.done;
  }

  /** Stops every runner as if the process died (batches stay 'running' → 'interrupted' at the next start). */
  async shutdown(): Promise<void> {
    const all = [...this.runners.values()];
    for (const r of all) {
      r.reason = 'shutdown';
      r.controller.abort();
    }
    await Promise.all(all.map((r) => r.done));
  }

  // ---- internals ----

  private stop(id: string, reason: 'pause' | 'cancel'): Result<MigrationBatch> {
    const b = this.repo.batch(id);
    if (!b) return err('notFound', `No migration batch ${id}.`);
    const runner = this.runners.get(id);
    if (runner) {
      runner.reason = reason;
      runner.controller.abort();
      this.setStatus(id, reason === 'pause' ? 'pausing' : b.status);
    } else if (reason === 'cancel' && ['paused', 'interrupted', 'failed'].includes(b.status)) {
      for (const p of this.repo.pairs(id)) if (p.status === 'queued' || p.status === 'paused') this.repo.updatePair(id, p.seq, { status: 'cancelled' });
      this.setStatus(id, 'cancelled');
    } else if (reason === 'pause' && b.status !== 'interrupted') {
      return err('conflict', `A ${b.status} batch cannot be paused.`);
    }
    return this.getBatch(id);
  }

  private launch(id: string, verifyOnly = false, retry = false): void {
    const batch = this.repo.batch(id)!;
    this.setStatus(id, 'running');
    const controller = new AbortController();
    const runner: Runner = { controller, reason: null, live: new Map(), done: Promise.resolve(), timer: null };
    const queue = this.repo.pairs(id).filter((p) => p.status === 'queued');
    const plan = this.planRepo.plan(batch.planId);
    const lanes = Math.max(1, Math.min(batch.options.concurrency ?? plan?.parallel ?? 4, queue.length));
    const work = async (): Promise<void> => {
      for (let p = queue.shift(); p && !controller.signal.aborted; p = queue.shift()) await this.runPair(batch, plan, p, runner, verifyOnly);
    };
    runner.timer = setInterval(() => this.flush(id, runner), this.deps.progressIntervalMs ?? 250);
    runner.timer.unref();
    const ran = batch.options.fleet ? this.onFleet(batch, plan, queue, runner, verifyOnly, retry) : Promise.all(Array.from({ length: lanes }, work));
    (runner as { done: Promise<void> }).done = ran
      .then(() => undefined)
      .catch((e: unknown) => this.deps.logger.error('migration.batch', { batch: id, error: String(e) }))
      .finally(() => {
        clearInterval(runner.timer!);
        this.flush(id, runner);
        this.runners.delete(id);
        this.finish(id, runner.reason);
      });
    this.runners.set(id, runner);
  }

  // The batch's pairs as jobs of the fleet (electron/fleet/fleet-batch.ts); BullMQ loads only for a fleet batch.
  private async onFleet(batch: BatchRow, plan: MigrationPlan | null, pairs: PairRow[], r: Runner, verifyOnly: boolean, retry: boolean): Promise<void> {
    const run = { batch, plan, pairs, repo: this.repo, planPairs: this.pairs, settings: this.fleet, live: r.live, signal: r.controller.signal, verifyOnly, retry };
    await (await import('../fleet/fleet-batch.ts')).runBatchOnFleet({ ...run, reason: () => r.reason, now: () => this.iso(), changed: () => this.emitChanged(batch.id) });
  }

  private finish(id: string, reason: StopReason | null): void {
    if (reason === 'shutdown' || !this.deps.db.open) return;
    const pairs = this.repo.pairs(id);
    if (reason === 'cancel') {
      for (const p of pairs) if (p.status === 'queued' || p.status === 'paused') this.repo.updatePair(id, p.seq, { status: 'cancelled' });
      this.setStatus(id, 'cancelled');
    } else if (reason === 'pause') {
      for (const p of pairs) if (p.status === 'queued') this.repo.updatePair(id, p.seq, { status: 'paused' });
      this.setStatus(id, 'paused');
    } else {
      this.setStatus(id, pairs.every((p) => p.status === 'done') ? 'done' : 'failed');
    }
  }

  private async runPair(batch: BatchRow, plan: MigrationPlan | null, pair: PairRow, runner: Runner, verifyOnly: boolean): Promise<void> {
    const started = this.iso();
    const live: LivePair = { counters: { ...EMPTY_COUNTERS }, samples: [], dirty: true };
    runner.live.set(pair.seq, live);
    this.repo.updatePair(batch.id, pair.seq, { status: 'running', startedAt: started, finishedAt: null, passes: pair.passes + 1, errorCode: null, errorMessage: null });
    const row = plan?.rows.find((r) => r.seq === pair.seq) ?? null;
    let summary: MigrationSummary | null = null;
    let failure: AppError | null;
    let dav: PairDavOutcome | null = null;
    let accounts: { source: AccountShare | undefined; target: AccountShare | undefined } | undefined;
    try {
      const endpoints = row ? await this.pairs.endpoints(batch.planId, row) : err<never>('notFound', 'The plan row of this mailbox was removed.');
      if (!endpoints.ok) failure = endpoints.error;
      else {
        const preset = presetFor(plan?.targetPreset ?? 'dovecot');
        const hooks = {
          signal: runner.controller.signal,
          onProgress: (p: MigrationProgressEvent): void => {
            // The first copy is shown at once (then every interval): a small mailbox can finish within one.
            const firstCopy = live.counters.copied === 0 && p.copied > 0;
            sample(live, p);
            if (firstCopy) this.flush(batch.id, runner);
          },
        };
        // Pairs of the same account running at once share its connection limit (account-connections.ts).
        accounts = { source: accountConnections.join(endpoints.value.source, CONNECTIONS_PER_SIDE), target: accountConnections.join(endpoints.value.target, CONNECTIONS_PER_SIDE) };
        // In a worker thread: the IMAP and SQLite work of every mailbox leaves the main event loop.
        summary = await runPairMigration(this.deps.db, pair.jobId, {
          accounts,
          source: endpoints.value.source,
          target: endpoints.value.target,
          concurrency: Math.min(batch.options.connectionsPerMailbox ?? 4, preset?.maxConnections ?? 4),
          dryRun: batch.dryRun,
          verify: verifyOnly || (batch.options.verify ?? true),
          ...(verifyOnly ? { verifyOnly: true } : {}),
          ...(preset?.maxMessageBytes ? { maxMessageBytes: preset.maxMessageBytes } : {}),
          ...(preset ? { targetFlavor: preset.flavor } : {}),
          gmailLabels: plan?.gmailLabels ?? 'once',
          includeShared: plan?.includeShared ?? false,
        }, hooks);
        failure = summary.error;
        // Calendars and contacts follow the mail of the pair, under the same pause/cancel signal.
        if (row && !batch.dryRun && !verifyOnly && !failure && !runner.controller.signal.aborted) dav = await copyPairDav(this.deps.db, this.pairs, row, endpoints.value, runner.controller.signal);
      }
    } catch (e) {
      failure = vaultFailure(e) ?? appError('internal', (e as Error).message);
    } finally {
      // The run (and its thread) ended: whatever it held no longer counts.
      for (const share of [accounts?.source, accounts?.target]) accountConnections.leave(share);
    }
    runner.live.delete(pair.seq);
    // Shut down (the app is closing): the state store already holds everything a resume needs.
    if (runner.reason === 'shutdown' || !this.deps.db.open) return;
    const outcome = pairOutcome({ summary, failure, live, aborted: runner.controller.signal.aborted, reason: runner.reason }, this.iso());
    this.repo.updatePair(batch.id, pair.seq, runner.controller.signal.aborted ? outcome : withDav(outcome, dav));
    this.emitChanged(batch.id);
  }

  // Emits one progress event with the pairs that changed; persists live counters (cheap: a few rows).
  private flush(id: string, runner: Runner): void {
    if (!this.deps.db.open) return;
    const changed: MigrationBatchPair[] = [];
    const stored = new Map(this.repo.pairs(id).map((p) => [p.seq, p]));
    for (const [seq, live] of runner.live) {
      if (!live.dirty) continue;
      live.dirty = false;
      const p = stored.get(seq);
      if (!p) continue;
      this.repo.updatePair(id, seq, { counters: live.counters });
      changed.push(toBatchPair({ ...p, counters: live.counters }, rate(live)));
    }
    if (changed.length === 0) return;
    const summary = this.summary(id);
    if (summary) this.deps.events.emit('migration.progress', { batch: summary, pairs: changed });
  }

  private pairsOf(id: string): MigrationBatchPair[] {
    const runner = this.runners.get(id);
    return this.repo.pairs(id).map((p) => {
      const live = runner?.live.get(p.seq);
      return toBatchPair(live ? { ...p, counters: live.counters } : p, live ? rate(live) : null);
    });
  }

  private summary(id: string): MigrationBatchSummary | null {
    const b = this.repo.batch(id);
    return b ? summaryOf(b, this.pairsOf(id)) : null;
  }

  private setStatus(id: string, status: MigrationBatchSummary['status']): void {
    this.repo.setBatchStatus(id, status, this.iso());
    this.emitChanged(id);
  }

  private emitChanged(id: string): void {
    const s = this.summary(id);
    if (s) this.deps.events.emit('migration.batchChanged', s);
  }

  // The pair's job id from where its two sides log in; a side that cannot be located (a removed
  // connection) keeps the row's text instead: the pair then fails with that error when it runs.
  private jobOfRow(row: MigrationPlanRow): string {
    const side = (s: 'source' | 'target'): { user: string; host: string; port: number } => {
      const located = this.pairs.locate(row, s);
      const text = s === 'source' ? row.source : row.target;
      return located.ok ? located.value.address : { user: text, host: (s === 'source' ? row.sourceConnectionId : row.targetConnectionId) ?? '', port: 0 };
    };
    return jobIdOf(side('source'), side('target'));
  }

  private iso(): string {
    return this.now().toISOString();
  }
}
