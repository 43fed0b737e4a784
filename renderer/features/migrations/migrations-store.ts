import { create } from 'zustand';
import type {
  MigrationBatch,
  MigrationBatchPair,
  MigrationBatchSummary,
  MigrationMailboxReport,
  MigrationPlan,
  MigrationPlanPatch,
  MigrationPlanSummary,
  MigrationProgress,
  NewPlanFromConnections,
  NewPlanFromCsv,
  StartBatchOptions,
} from '../../../shared/domain/migration.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { api } from '../../api/client.ts';
import { addSample, type ProgressSample } from './throughput.ts';

/** Batch states in which the executor is (or should be) working. */
export const ACTIVE_STATUSES: ReadonlySet<MigrationBatchSummary['status']> = new Set(['running', 'pausing']);

/** Batch states that Resume continues. */
export const RESUMABLE_STATUSES: ReadonlySet<MigrationBatchSummary['status']> = new Set(['paused', 'interrupted']);

/** The verification report of one pair as loaded (or failed to load). */
export type ReportState = { readonly status: 'loading' } | { readonly status: 'done'; readonly result: Result<MigrationMailboxReport> };

interface MigrationsState {
  readonly plans: readonly MigrationPlanSummary[];
  readonly batches: readonly MigrationBatchSummary[];
  readonly loaded: boolean;
  readonly loadError: AppError | null;
  /** Whole plans and batches opened in this session, by id. */
  readonly planDetails: Readonly<Record<string, Result<MigrationPlan>>>;
  readonly batchDetails: Readonly<Record<string, Result<MigrationBatch>>>;
  /** Throughput samples per batch id, for the chart and the rates. */
  readonly samples: Readonly<Record<string, readonly ProgressSample[]>>;
  /** Verification reports by `batchId:seq`. */
  readonly reports: Readonly<Record<string, ReportState>>;
  load(): Promise<void>;
  openPlan(id: string): Promise<void>;
  createFromCsv(input: NewPlanFromCsv): Promise<Result<MigrationPlan>>;
  createFromConnections(input: NewPlanFromConnections): Promise<Result<MigrationPlan>>;
  updatePlan(id: string, patch: MigrationPlanPatch): Promise<Result<MigrationPlan>>;
  removePlan(id: string): Promise<Result<{ readonly id: string }>>;
  startBatch(planId: string, options: StartBatchOptions): Promise<Result<MigrationBatch>>;
  /** pause / resume / cancel / retryFailed / deltaPass / verify on a batch. */
  control(id: string, action: BatchAction): Promise<Result<MigrationBatch>>;
  openBatch(id: string): Promise<void>;
  loadReport(batchId: string, seq: number): Promise<void>;
  /** Applies a 'migration.progress' event; `now` is the receive time in ms. */
  applyProgress(progress: MigrationProgress, now: number): void;
  /** Applies a 'migration.batchChanged' event. */
  applyBatchChanged(summary: MigrationBatchSummary): void;
}

/** What a batch control button asks for. */
export type BatchAction = 'pause' | 'resume' | 'cancel' | 'retryFailed' | 'deltaPass' | 'verify';

const CONTROL: Record<BatchAction, (id: string) => Promise<Result<MigrationBatch>>> = {
  pause: (id) => api.migration.pauseBatch(id),
  resume: (id) => api.migration.resumeBatch(id),
  cancel: (id) => api.migration.cancelBatch(id),
  retryFailed: (id) => api.migration.retryFailed(id),
  deltaPass: (id) => api.migration.deltaPass(id),
  verify: (id) => api.migration.verifyBatch(id),
};

/** Plans, batches, live progress and reports of the Migrations page. */
export const useMigrations = create<MigrationsState>()((set, get) => {
  const keepPlan = (result: Result<MigrationPlan>) => {
    if (!result.ok) return;
    const plan = result.value;
    set((s) => ({ planDetails: { ...s.planDetails, [plan.id]: result }, plans: upsertPlan(s.plans, plan) }));
  };
  const keepBatch = (result: Result<MigrationBatch>) => {
    if (!result.ok) return;
    const batch = result.value;
    set((s) => ({ batchDetails: { ...s.batchDetails, [batch.id]: result }, batches: upsertBatch(s.batches, summaryOf(batch)) }));
  };
  return {
    plans: [],
    batches: [],
    loaded: false,
    loadError: null,
    planDetails: {},
    batchDetails: {},
    samples: {},
    reports: {},
    load: async () => {
      const [plans, batches] = await Promise.all([api.migration.listPlans(), api.migration.listBatches()]);
      if (!plans.ok) return set({ loaded: true, loadError: plans.error });
      if (!batches.ok) return set({ loaded: true, loadError: batches.error });
      set({ plans: sortNewest(plans.value), batches: sortNewest(batches.value), loaded: true, loadError: null });
    },
    openPlan: async (id) => {
      const result = await api.migration.getPlan(id);
      set((s) => ({ planDetails: { ...s.planDetails, [id]: result } }));
      keepPlan(result);
    },
    createFromCsv: async (input) => {
      const result = await api.migration.createPlanFromCsv(input);
      keepPlan(result);
      return result;
    },
    createFromConnections: async (input) => {
      const result = await api.migration.createPlanFromConnections(input);
      keepPlan(result);
      return result;
    },
    updatePlan: async (id, patch) => {
      const result = await api.migration.updatePlan(id, patch);
      keepPlan(result);
      return result;
    },
    removePlan: async (id) => {
      const result = await api.migration.removePlan(id);
      if (result.ok) {
        set((s) => {
          const { [id]: _gone, ...planDetails } = s.planDetails;
          return { plans: s.plans.filter((p) => p.id !== id), planDetails };
        });
      }
      return result;
    },
    startBatch: async (planId, options) => {
      const result = await api.migration.startBatch(planId, options);
      keepBatch(result);
      return result;
    },
    control: async (id, action) => {
      const result = await CONTROL[action](id);
      keepBatch(result);
      return result;
    },
    openBatch: async (id) => {
      const result = await api.migration.getBatch(id);
      set((s) => ({ batchDetails: { ...s.batchDetails, [id]: result } }));
      keepBatch(result);
    },
    loadReport: async (batchId, seq) => {
      const key = reportKey(batchId, seq);
      set((s) => ({ reports: { ...s.reports, [key]: { status: 'loading' } } }));
      const result = await api.migration.report(batchId, seq);
      set((s) => ({ reports: { ...s.reports, [key]: { status: 'done', result } } }));
    },
    applyProgress: (progress, now) => {
      const id = progress.batch.id;
      const current = get().batchDetails[id];
      const batchDetails = current?.ok ? { ...get().batchDetails, [id]: { ok: true as const, value: mergeProgress(current.value, progress) } } : get().batchDetails;
      const sample = { t: now, messages: progress.batch.copied + progress.batch.skipped, bytes: progress.batch.bytes };
      set((s) => ({
        batchDetails,
        batches: upsertBatch(s.batches, progress.batch),
        samples: { ...s.samples, [id]: addSample(s.samples[id] ?? [], sample) },
      }));
    },
    applyBatchChanged: (summary) => {
      const current = get().batchDetails[summary.id];
      set((s) => ({
        batches: upsertBatch(s.batches, summary),
        batchDetails: current?.ok ? { ...s.batchDetails, [summary.id]: { ok: true as const, value: { ...current.value, ...summary } } } : s.batchDetails,
      }));
      // A status change (done, failed, paused…) may carry pair changes the progress stream did not: refetch what is on screen.
      if (current?.ok && current.value.status !== summary.status) void get().openBatch(summary.id);
    },
  };
});

/** Key of a report in the store. */
export function reportKey(batchId: string, seq: number): string {
  return `${batchId}:${seq}`;
}

/** A batch with a progress event applied: the summary replaced, changed pairs merged by seq (newer counters win). */
export function mergeProgress(batch: MigrationBatch, progress: MigrationProgress): MigrationBatch {
  if (progress.batch.id !== batch.id) return batch;
  const changed = new Map<number, MigrationBatchPair>(progress.pairs.map((p) => [p.seq, p]));
  const pairs = batch.pairs.map((p) => changed.get(p.seq) ?? p);
  for (const p of progress.pairs) if (!batch.pairs.some((q) => q.seq === p.seq)) pairs.push(p);
  return { ...batch, ...progress.batch, pairs: pairs.sort((a, b) => a.seq - b.seq) };
}

/** Batches that need attention first: running, then resumable (interrupted, paused), then the rest by recency. */
export function sortBatches(batches: readonly MigrationBatchSummary[]): MigrationBatchSummary[] {
  const rank = (b: MigrationBatchSummary) => (ACTIVE_STATUSES.has(b.status) ? 0 : RESUMABLE_STATUSES.has(b.status) ? 1 : 2);
  return [...batches].sort((a, b) => rank(a) - rank(b) || b.updatedAt.localeCompare(a.updatedAt));
}

/** The latest batch of a plan, if any. */
export function latestBatchOf(batches: readonly MigrationBatchSummary[], planId: string): MigrationBatchSummary | null {
  return [...batches].filter((b) => b.planId === planId).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
}

/** Subscribes the store to live migration events; returns the unsubscribe function. */
export function followMigrations(now: () => number = () => performance.now()): () => void {
  const offProgress = api.on('migration.progress', (p) => useMigrations.getState().applyProgress(p, now()));
  const offChanged = api.on('migration.batchChanged', (b) => useMigrations.getState().applyBatchChanged(b));
  return () => {
    offProgress();
    offChanged();
  };
}

/** The plan as CSV (estimates and warnings per mailbox). */
export function exportPlanCsv(id: string): Promise<Result<string>> {
  return api.migration.exportPlanCsv(id);
}

/** The verification report of every pair of a batch as CSV. */
export function exportReportCsv(batchId: string): Promise<Result<string>> {
  return api.migration.exportReportCsv(batchId);
}

function summaryOf(batch: MigrationBatch): MigrationBatchSummary {
  const { options: _options, pairs: _pairs, ...summary } = batch;
  return summary;
}

function upsertPlan(list: readonly MigrationPlanSummary[], plan: MigrationPlan): MigrationPlanSummary[] {
  const { timeline: _t, gmailLabels: _g, rows: _r, ...summary } = plan;
  return sortNewest([...list.filter((p) => p.id !== plan.id), summary]);
}

function upsertBatch(list: readonly MigrationBatchSummary[], batch: MigrationBatchSummary): MigrationBatchSummary[] {
  return sortNewest([...list.filter((b) => b.id !== batch.id), batch]);
}

function sortNewest<T extends { readonly createdAt: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
