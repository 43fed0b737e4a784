import { createHash, randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { appError, err, ok, type AppError, type Result } from '../../shared/errors/result.ts';
import type {
  MigrationBatch,
  MigrationBatchPair,
  MigrationBatchSummary,
  MigrationMailboxReport,
  MigrationPairStatus,
  MigrationPlan,
  MigrationPlanPatch,
  MigrationPlanRow,
  MigrationPlanSummary,
  MigrationPresetName,
  NewPlanFromConnections,
  NewPlanFromCsv,
  StartBatchOptions,
} from '../../shared/domain/migration.ts';
import type { ConnectionsService } from '../accounts/connections-service.ts';
import type { Db } from '../db/database.ts';
import { vaultFailure, type CredentialVault } from '../platform/credential-vault.ts';
import type { EventBus } from '../platform/event-bus.ts';
import type { Logger } from '../platform/logger.ts';
import type { ImapEndpoint } from './endpoint.ts';
import { PlanPairs } from './plan-pairs.ts';
import { buildPlan, type PlanInput } from './plan-builder.ts';
import { runMigration, type MigrationProgressEvent, type MigrationSummary } from './migrate-job.ts';
import { EMPTY_COUNTERS, MigrationRepo, toBatchPair, type PairCounters, type PairRow } from './migration-repo.ts';
import { batchSeconds, cutoverTimeline, estimateMailbox } from './planner.ts';
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

interface LivePair {
  counters: PairCounters;
  samples: { t: number; n: number; bytes: number }[];
  dirty: boolean;
}

interface Runner {
  readonly controller: AbortController;
  reason: StopReason | null;
  readonly live: Map<number, LivePair>;
  readonly done: Promise<void>;
  timer: NodeJS.Timeout | null;
}

const RATE_WINDOW_MS = 5_000;

/**
 * Plans (offline, in SQLite) and batches of mailbox pairs run with the migration engine. Each pair
 * keeps its write-ahead state under a job id derived from its two endpoints, so a resumed,
 * retried or delta pass never copies a message twice. IMAP I/O runs on the event loop without
 * blocking it (every SQLite write is a short transaction); progress is throttled to ~4 events a second.
 *
 * It stays one file past 400 lines on purpose: start, pause, resume, cancel, delta, retry and
 * recovery all drive the same runner state, and splitting them would scatter one state machine.
 */
export class MigrationService {
  private readonly deps: MigrationServiceDeps;
  private readonly repo: MigrationRepo;
  private readonly runners = new Map<string, Runner>();
  private readonly now: () => Date;
  private readonly pairs: PlanPairs;

  constructor(deps: MigrationServiceDeps) {
    this.deps = deps;
    this.repo = new MigrationRepo(deps.db);
    this.now = deps.now ?? (() => new Date());
    this.pairs = new PlanPairs(deps);
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

  // ---- plans ----

  listPlans(): MigrationPlanSummary[] {
    return this.repo.plans();
  }

  getPlan(id: string): Result<MigrationPlan> {
    const plan = this.repo.plan(id);
    return plan ? ok(plan) : err('notFound', `No migration plan ${id}.`);
  }

  async createPlanFromCsv(input: NewPlanFromCsv): Promise<Result<MigrationPlan>> {
    let records: string[][];
    try {
      records = parseCsv(input.csv, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
    } catch (e) {
      return err('input.invalid', `The CSV could not be read: ${(e as Error).message}`);
    }
    if (records[0] && /^source$/i.test(records[0][0] ?? '')) records = records.slice(1);
    if (records.length === 0) return err('input.invalid', 'The CSV has no mailbox pairs (columns: source,target[,source_password,target_password]).');
    const rows = records.map((r) => ({ source: r[0] ?? '', target: r[1] ?? '', sourcePassword: r[2] || undefined, targetPassword: r[3] || undefined }));
    return this.savedPlan({ ...input, rows });
  }

  async createPlanFromConnections(input: NewPlanFromConnections): Promise<Result<MigrationPlan>> {
    const s = this.pairs.imapConnection(input.sourceConnectionId);
    if (!s.ok) return s;
    const t = this.pairs.imapConnection(input.targetConnectionId);
    if (!t.ok) return t;
    const rows = input.pairs?.map((p) => ({ source: p.source, target: p.target })) ?? [{ source: s.value.user, target: t.value.user }];
    return this.savedPlan({ ...input, rows });
  }

  async updatePlan(id: string, patch: MigrationPlanPatch): Promise<Result<MigrationPlan>> {
    const plan = this.repo.plan(id);
    if (!plan) return err('notFound', `No migration plan ${id}.`);
    let rows: MigrationPlanRow[] = [...plan.rows];
    if (patch.keepRows) {
      const bySeq = new Map(rows.map((r) => [r.seq, r]));
      const missing = patch.keepRows.filter((s) => !bySeq.has(s));
      if (missing.length > 0) return err('input.invalid', `The plan has no rows ${missing.join(', ')}.`);
      const kept = new Set(patch.keepRows);
      for (const r of rows) if (!kept.has(r.seq)) await this.pairs.forgetSecrets(plan.id, r.seq);
      rows = patch.keepRows.map((s) => bySeq.get(s)!);
    }
    const next = Math.max(-1, ...plan.rows.map((r) => r.seq)) + 1;
    const added: MigrationPlanRow[] = [];
    for (const [i, a] of (patch.addRows ?? []).entries()) {
      const row = await this.pairs.row(plan.id, next + i, a, rows[0]?.sourceConnectionId ?? null, rows[0]?.targetConnectionId ?? null);
      if (!row.ok) return row;
      added.push(row.value);
    }
    rows = [...rows, ...added];
    const preset = presetFor(patch.targetPreset ?? plan.targetPreset)!;
    const parallel = patch.parallel ?? plan.parallel;
    rows = rows.map((r) => (r.inventory ? { ...r, estimate: estimateMailbox(r.inventory, preset, plan.sourcePreset ? presetFor(plan.sourcePreset) : null), warnings: [...r.warnings.filter((w) => w.startsWith('inventory:')), ...estimateMailbox(r.inventory, preset).warnings] } : r));
    const total = batchSeconds(rows.map((r) => r.estimate?.seconds ?? 0), parallel);
    const start = patch.start ? new Date(patch.start) : new Date(plan.timeline[1]?.at ?? Date.now());
    const updated: MigrationPlan = {
      ...plan,
      name: patch.name ?? plan.name,
      targetPreset: preset.name as MigrationPresetName,
      parallel,
      gmailLabels: patch.gmailLabels ?? plan.gmailLabels,
      updatedAt: this.iso(),
      batchSeconds: total,
      timeline: cutoverTimeline(start, total),
      rows,
      mailboxes: rows.length,
      messages: rows.reduce((n, r) => n + (r.estimate?.messages ?? 0), 0),
      bytes: rows.reduce((n, r) => n + (r.estimate?.bytes ?? 0), 0),
      warnings: rows.reduce((n, r) => n + r.warnings.length, 0),
    };
    this.repo.savePlan(updated);
    return ok(this.repo.plan(id)!);
  }

  async removePlan(id: string): Promise<Result<{ id: string }>> {
    const plan = this.repo.plan(id);
    if (!plan) return err('notFound', `No migration plan ${id}.`);
    for (const r of plan.rows) await this.pairs.forgetSecrets(id, r.seq);
    this.repo.removePlan(id);
    return ok({ id });
  }

  exportPlanCsv(id: string): Result<string> {
    const plan = this.repo.plan(id);
    if (!plan) return err('notFound', `No migration plan ${id}.`);
    return ok(
      stringify([
        ['source', 'target', 'messages', 'bytes', 'upload_messages', 'upload_bytes', 'label_overhead_bytes', 'oversize', 'estimate_seconds', 'limited_by', 'warnings'],
        ...plan.rows.map((r) => {
          const e = r.estimate;
          return [r.source, r.target, e?.messages ?? '', e?.bytes ?? '', e?.uploadMessages ?? '', e?.uploadBytes ?? '', e?.labelOverheadBytes ?? '', e?.oversize ?? '', e?.seconds ?? '', e?.limitedBy ?? '', r.warnings.join(' | ')];
        }),
      ]),
    );
  }

  // ---- batches ----

  startBatch(planId: string, options: StartBatchOptions): Result<MigrationBatch> {
    const plan = this.repo.plan(planId);
    if (!plan) return err('notFound', `No migration plan ${planId}.`);
    const chosen = options.rows ? plan.rows.filter((r) => options.rows!.includes(r.seq)) : plan.rows;
    if (chosen.length === 0) return err('input.invalid', 'The batch has no mailbox pairs.');
    const id = randomUUID();
    const now = this.iso();
    this.repo.createBatch(
      { id, planId, planName: plan.name, status: 'running', dryRun: options.dryRun ?? false, options: { concurrency: plan.parallel, ...options }, createdAt: now, updatedAt: now },
      chosen.map((r) => ({ seq: r.seq, source: r.source, target: r.target, jobId: jobIdOf(r) })),
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
    this.launch(id);
    return this.getBatch(id);
  }

  listBatches(): MigrationBatchSummary[] {
    return this.repo.batchIds().map((id) => this.summary(id)!);
  }

  getBatch(id: string): Result<MigrationBatch> {
    const b = this.repo.batch(id);
    if (!b) return err('notFound', `No migration batch ${id}.`);
    const pairs = this.pairsOf(id);
    return ok({ ...this.summaryOf(b, pairs), options: b.options, pairs });
  }

  report(batchId: string, seq: number): Result<MigrationMailboxReport> {
    const p = this.repo.pairs(batchId).find((x) => x.seq === seq);
    if (!p) return err('notFound', `No mailbox ${seq} in batch ${batchId}.`);
    const r = p.report ?? { verifiedAt: null, clean: false, folders: [], failures: [], warnings: [] };
    return ok({ batchId, seq, source: p.source, target: p.target, ...r });
  }

  exportReportCsv(batchId: string): Result<string> {
    if (!this.repo.batch(batchId)) return err('notFound', `No migration batch ${batchId}.`);
    const lines: (string | number | boolean)[][] = [['source', 'target', 'status', 'source_folder', 'target_folder', 'source_count', 'target_count', 'copied', 'failed', 'missing', 'extra', 'deep', 'verified_at']];
    for (const p of this.repo.pairs(batchId)) {
      const folders = p.report?.folders ?? [];
      if (folders.length === 0) lines.push([p.source, p.target, p.status, '', '', '', '', '', '', '', '', '', p.report?.verifiedAt ?? '']);
      for (const f of folders) lines.push([p.source, p.target, p.status, f.sourcePath, f.targetPath, f.sourceCount, f.targetCount, f.copied, f.failed, f.missing, f.extra, f.deep, p.report?.verifiedAt ?? '']);
    }
    return ok(stringify(lines));
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

  private launch(id: string): void {
    const batch = this.repo.batch(id)!;
    this.setStatus(id, 'running');
    const controller = new AbortController();
    const runner: Runner = { controller, reason: null, live: new Map(), done: Promise.resolve(), timer: null };
    const queue = this.repo.pairs(id).filter((p) => p.status === 'queued');
    const plan = this.repo.plan(batch.planId);
    const lanes = Math.max(1, Math.min(batch.options.concurrency ?? plan?.parallel ?? 4, queue.length));
    const work = async (): Promise<void> => {
      for (let p = queue.shift(); p && !controller.signal.aborted; p = queue.shift()) await this.runPair(batch, plan, p, runner);
    };
    runner.timer = setInterval(() => this.flush(id, runner), this.deps.progressIntervalMs ?? 250);
    runner.timer.unref();
    (runner as { done: Promise<void> }).done = Promise.all(Array.from({ length: lanes }, work))
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

  private async runPair(batch: ReturnType<MigrationRepo['batch']> & object, plan: MigrationPlan | null, pair: PairRow, runner: Runner): Promise<void> {
    const started = this.iso();
    const live: LivePair = { counters: { ...EMPTY_COUNTERS }, samples: [], dirty: true };
    runner.live.set(pair.seq, live);
    this.repo.updatePair(batch.id, pair.seq, { status: 'running', startedAt: started, finishedAt: null, passes: pair.passes + 1, errorCode: null, errorMessage: null });
    const row = plan?.rows.find((r) => r.seq === pair.seq) ?? null;
    let summary: MigrationSummary | null = null;
    let failure: AppError | null;
    try {
      const endpoints = row ? await this.pairs.endpoints(batch.planId, row) : err<never>('notFound', 'The plan row of this mailbox was removed.');
      if (!endpoints.ok) failure = endpoints.error;
      else {
        const preset = presetFor(plan?.targetPreset ?? 'dovecot');
        summary = await runMigration({
          source: endpoints.value.source,
          target: endpoints.value.target,
          store: new StateStore(this.deps.db, pair.jobId),
          concurrency: Math.min(batch.options.connectionsPerMailbox ?? 4, preset?.maxConnections ?? 4),
          dryRun: batch.dryRun,
          verify: batch.options.verify ?? true,
          ...(preset?.maxMessageBytes ? { maxMessageBytes: preset.maxMessageBytes } : {}),
          ...(preset ? { targetFlavor: preset.flavor } : {}),
          gmailLabels: plan?.gmailLabels ?? 'once',
          signal: runner.controller.signal,
          onProgress: (p) => {
            // The first copy is shown at once (then every interval): a small mailbox can finish within one.
            const firstCopy = live.counters.copied === 0 && p.copied > 0;
            this.sample(live, p);
            if (firstCopy) this.flush(batch.id, runner);
          },
        });
        failure = summary.error;
      }
    } catch (e) {
      failure = vaultFailure(e) ?? appError('internal', (e as Error).message);
    }
    runner.live.delete(pair.seq);
    // Shut down (the app is closing): the state store already holds everything a resume needs.
    if (runner.reason === 'shutdown' || !this.deps.db.open) return;
    const aborted = runner.controller.signal.aborted;
    const status: MigrationPairStatus = aborted
      ? runner.reason === 'cancel'
        ? 'cancelled'
        : runner.reason === 'pause'
          ? 'paused'
          : 'running'
      : summary?.complete || (summary?.dryRun && !failure)
        ? 'done'
        : failure
          ? 'failed'
          : 'incomplete';
    const counters: PairCounters = summary
      ? { ...live.counters, copied: summary.copied, skipped: summary.skipped, failed: summary.failed, bytes: summary.bytes, seconds: summary.seconds }
      : live.counters;
    this.repo.updatePair(batch.id, pair.seq, {
      status,
      counters,
      finishedAt: aborted ? null : this.iso(),
      errorCode: aborted ? null : (failure?.code ?? null),
      errorMessage: aborted ? null : (failure?.message ?? null),
      ...(summary && !aborted && summary.verification.length > 0
        ? {
            report: {
              verifiedAt: this.iso(),
              clean: summary.complete && summary.verification.every((v) => v.missing === 0 && v.extra === 0),
              folders: summary.verification,
              failures: summary.failures.slice(0, 1000),
              warnings: summary.warnings.slice(0, 200),
            },
          }
        : {}),
    });
    this.emitChanged(batch.id);
  }

  private sample(live: LivePair, p: MigrationProgressEvent): void {
    live.counters = { total: p.total, copied: p.copied, skipped: p.skipped, failed: p.failed, bytes: p.bytes, folder: p.folder, foldersDone: p.foldersDone, foldersTotal: p.foldersTotal, seconds: p.elapsedMs / 1000 };
    const t = performance.now();
    live.samples.push({ t, n: p.copied, bytes: p.bytes });
    while (live.samples.length > 2 && t - live.samples[0]!.t > RATE_WINDOW_MS) live.samples.shift();
    live.dirty = true;
  }

  private rate(live: LivePair): { messagesPerSecond: number; bytesPerSecond: number } {
    const first = live.samples[0];
    const last = live.samples.at(-1);
    if (!first || !last || last.t - first.t < 200) return { messagesPerSecond: 0, bytesPerSecond: 0 };
    const s = (last.t - first.t) / 1000;
    return { messagesPerSecond: (last.n - first.n) / s, bytesPerSecond: (last.bytes - first.bytes) / s };
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
      changed.push(toBatchPair({ ...p, counters: live.counters }, this.rate(live)));
    }
    if (changed.length === 0) return;
    const summary = this.summary(id);
    if (summary) this.deps.events.emit('migration.progress', { batch: summary, pairs: changed });
  }

  private pairsOf(id: string): MigrationBatchPair[] {
    const runner = this.runners.get(id);
    return this.repo.pairs(id).map((p) => {
      const live = runner?.live.get(p.seq);
      return toBatchPair(live ? { ...p, counters: live.counters } : p, live ? this.rate(live) : null);
    });
  }

  private summary(id: string): MigrationBatchSummary | null {
    const b = this.repo.batch(id);
    return b ? this.summaryOf(b, this.pairsOf(id)) : null;
  }

  private summaryOf(b: NonNullable<ReturnType<MigrationRepo['batch']>>, pairs: readonly MigrationBatchPair[]): MigrationBatchSummary {
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

  private setStatus(id: string, status: MigrationBatchSummary['status']): void {
    this.repo.setBatchStatus(id, status, this.iso());
    this.emitChanged(id);
  }

  private emitChanged(id: string): void {
    const s = this.summary(id);
    if (s) this.deps.events.emit('migration.batchChanged', s);
  }

  private async savedPlan(input: PlanInput): Promise<Result<MigrationPlan>> {
    const plan = await buildPlan(this.pairs, input, this.now());
    if (!plan.ok) return plan;
    this.repo.savePlan(plan.value);
    return ok(this.repo.plan(plan.value.id)!);
  }

  private iso(): string {
    return this.now().toISOString();
  }
}

/** The write-ahead state of a pair lives under its endpoints, so every batch and pass of the same pair shares it. */
function jobIdOf(row: MigrationPlanRow): string {
  const side = (text: string, conn: string | null): string => (text.includes('://') ? text : `${conn ?? ''}:${text}`);
  return createHash('sha256').update(`${side(row.source, row.sourceConnectionId)}→${side(row.target, row.targetConnectionId)}`).digest('hex').slice(0, 16);
}

