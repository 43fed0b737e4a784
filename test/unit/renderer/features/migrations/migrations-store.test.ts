// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import { err, ok } from '../../../../../shared/errors/result.ts';
import type { MigrationBatchSummary } from '../../../../../shared/domain/migration.ts';
import type { WindowApi } from '../../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, type FakeWindowApi } from '../../../../fakes/fake-window-api.ts';
import { batch, pair, plan } from './fixtures.ts';

let fake: FakeWindowApi;
let store: typeof import('../../../../../renderer/features/migrations/migrations-store.ts');
let model: typeof import('../../../../../renderer/features/migrations/plan-model.ts');
let batchModel: typeof import('../../../../../renderer/features/migrations/batch-model.ts');

const { pairs: _pairs, options: _options, ...summary } = batch;

beforeAll(async () => {
  fake = createFakeWindowApi();
  (window as { api?: WindowApi }).api = fake.api;
  store = await import('../../../../../renderer/features/migrations/migrations-store.ts');
  model = await import('../../../../../renderer/features/migrations/plan-model.ts');
  batchModel = await import('../../../../../renderer/features/migrations/batch-model.ts');
});

describe('the migrations store', () => {
  it('loads plans and batches, and reports a load failure', async () => {
    fake.answer('migration.listPlans', () => ok([plan]));
    fake.answer('migration.listBatches', () => ok([summary]));
    await store.useMigrations.getState().load();
    expect(store.useMigrations.getState()).toMatchObject({ loaded: true, loadError: null });
    expect(store.useMigrations.getState().plans.map((p) => p.id)).toEqual(['p1']);
    fake.answer('migration.listBatches', () => err('io.failed', 'host gone'));
    await store.useMigrations.getState().load();
    expect(store.useMigrations.getState().loadError?.code).toBe('io.failed');
    fake.answer('migration.listBatches', () => ok([summary]));
  });

  it('merges live progress into the open batch and records throughput samples', async () => {
    fake.answer('migration.getBatch', () => ok(batch));
    await store.useMigrations.getState().openBatch('b1');
    const running = pair(0, { status: 'running', copied: 400, bytes: 4_000_000, folder: 'INBOX', messagesPerSecond: 200 });
    store.useMigrations.getState().applyProgress({ batch: { ...summary, copied: 400, bytes: 4_000_000 }, pairs: [running] }, 1000);
    store.useMigrations.getState().applyProgress({ batch: { ...summary, copied: 600, bytes: 6_000_000 }, pairs: [{ ...running, copied: 600 }] }, 2000);
    const state = store.useMigrations.getState();
    const open = state.batchDetails['b1'];
    expect(open?.ok && open.value.copied).toBe(600);
    expect(open?.ok && open.value.pairs.map((p) => [p.seq, p.copied])).toEqual([[0, 600], [1, 0]]);
    expect(state.samples['b1']).toEqual([{ t: 1000, messages: 400, bytes: 4_000_000 }, { t: 2000, messages: 600, bytes: 6_000_000 }]);
    expect(state.batches.find((b) => b.id === 'b1')?.copied).toBe(600);
  });

  it('follows batchChanged and refetches the batch when its status changes', async () => {
    const done = { ...batch, status: 'done' as const, copied: 2000, pairsDone: 2, pairs: [pair(0, { status: 'done', copied: 1000, verified: { clean: true, missing: 0, extra: 0 } }), pair(1, { status: 'done', copied: 1000 })] };
    fake.answer('migration.getBatch', () => ok(done));
    const before = fake.calls.filter((c) => c.channel === 'migration.getBatch').length;
    const { pairs: _p, options: _o, ...doneSummary } = done;
    store.useMigrations.getState().applyBatchChanged(doneSummary);
    expect(store.useMigrations.getState().batches.find((b) => b.id === 'b1')?.status).toBe('done');
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls.filter((c) => c.channel === 'migration.getBatch').length).toBe(before + 1);
    const open = store.useMigrations.getState().batchDetails['b1'];
    expect(open?.ok && open.value.pairs[0]?.verified?.clean).toBe(true);
  });

  it('controls a batch through the api and keeps the answer', async () => {
    fake.answer('migration.pauseBatch', (id: string) => ok({ ...batch, id, status: 'paused' }));
    const result = await store.useMigrations.getState().control('b1', 'pause');
    expect(result.ok).toBe(true);
    expect(fake.calls.at(-1)).toEqual({ channel: 'migration.pauseBatch', args: ['b1'] });
    expect(store.useMigrations.getState().batches.find((b) => b.id === 'b1')?.status).toBe('paused');
  });

  it('orders batches running first, then resumable, then by recency', () => {
    const b = (id: string, status: MigrationBatchSummary['status'], updatedAt: string): MigrationBatchSummary => ({ ...summary, id, status, updatedAt });
    const order = store.sortBatches([b('old-done', 'done', '2025-01-01'), b('int', 'interrupted', '2025-01-02'), b('new-done', 'done', '2025-02-01'), b('run', 'running', '2024-12-01')]);
    expect(order.map((x) => x.id)).toEqual(['run', 'int', 'new-done', 'old-done']);
    expect(store.latestBatchOf(order, 'p1')?.id).toBeDefined();
    expect(store.mergeProgress(batch, { batch: { ...summary, id: 'other' }, pairs: [] })).toBe(batch);
  });
});

describe('plan model', () => {
  it('derives per-row figures and classifies warnings', () => {
    const facts = model.rowFacts(plan.rows[0]!);
    expect(facts).toMatchObject({ folders: 2, messages: 1000, oversize: 1, seconds: 2400, limitedBy: 'bandwidth', refused: ['Files'] });
    expect(facts.warnings.map((w) => w.kind)).toEqual(['oversize', 'refused']);
    expect(model.rowFacts(plan.rows[1]!)).toMatchObject({ folders: null, messages: null, seconds: null });
    expect(model.warningKind('Gmail labels: 3.0 MB of the mailbox are extra label copies')).toBe('labels');
    expect(model.warningKind('INBOX: 40 distinct keywords, more than the 26 the target stores')).toBe('keywords');
    expect(model.planTotals(plan.rows)).toMatchObject({ mailboxes: 2, messages: 1000, oversize: 1, withoutInventory: 1, warnings: 3 });
  });

  it('turns an offline edit into an update and nothing else', () => {
    const draft = model.draftOf(plan);
    expect(model.draftPatch(plan, draft)).toBeNull();
    expect(model.draftPatch(plan, { ...draft, excluded: new Set([1]), targetPreset: 'gmail', parallel: 8 })).toEqual({ keepRows: [0], targetPreset: 'gmail', parallel: 8 });
    expect(model.draftPatch(plan, { ...draft, start: plan.timeline[1]!.at })).toBeNull();
    expect(draft.includeShared).toBe(false);
    expect(model.draftPatch(plan, { ...draft, includeShared: true })).toEqual({ includeShared: true });
    expect(model.draftPatch(plan, { ...draft, start: '2025-04-01T08:00:00.000Z' })).toEqual({ start: '2025-04-01T08:00:00.000Z' });
  });

  it('schedules mailboxes greedily over parallel lanes and reads the cut-over steps', () => {
    expect(model.batchSeconds([100, 50, 50], 2)).toBe(100);
    expect(model.batchSeconds([100, 50, 50], 1)).toBe(200);
    expect(plan.timeline.map((s, i) => model.cutoverPhase(s, i))).toEqual(['lower-ttl', 'first-pass', 'switch', 'delta', 'final']);
    expect(model.switchTime(plan.timeline)).toBe('2025-03-03T10:00:00.000Z');
  });

  it('offers the controls that fit a batch status', () => {
    expect(batchModel.batchActions('running', 0)).toEqual(['pause', 'cancel']);
    expect(batchModel.batchActions('interrupted', 0)).toEqual(['resume', 'cancel']);
    expect(batchModel.batchActions('done', 2)).toEqual(['retryFailed', 'deltaPass', 'verify']);
    expect(batchModel.batchActions('done', 0)).toEqual(['deltaPass', 'verify']);
    expect(batchModel.batchActions('cancelled', 0)).toEqual(['deltaPass']);
    expect(batchModel.progressOf({ total: 10, copied: 4, skipped: 1 })).toEqual({ done: 5, total: 10, ratio: 0.5 });
  });
});
