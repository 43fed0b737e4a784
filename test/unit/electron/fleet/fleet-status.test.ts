import { describe, expect, it } from 'vitest';
import { aggregateBatches, type JobView } from '../../../../electron/fleet/fleet-status.ts';

const job = (batchId: string, state: string, over: Partial<JobView> = {}): JobView => ({ batchId, state, starts: state === 'waiting' ? 0 : 1, copied: 0, processedOn: null, finishedOn: null, ...over });

describe('fleet status aggregation', () => {
  it('counts each batch by state, retries beyond the first attempt, and messages per second over its span', () => {
    const jobs = [
      job('b1', 'completed', { copied: 100, processedOn: 1_000, finishedOn: 6_000 }),
      job('b1', 'completed', { copied: 50, starts: 3, processedOn: 2_000, finishedOn: 11_000 }),
      job('b1', 'failed', { starts: 5, processedOn: 3_000, finishedOn: 4_000 }),
      job('b2', 'waiting'),
      job('b2', 'delayed', { starts: 1 }),
      job('b2', 'active', { copied: 30, processedOn: 20_000 }),
    ];
    const [b1, b2] = aggregateBatches(jobs, 30_000);
    const none = { stopped: 0, held: 0, heldReason: null, heldUntil: null };
    expect(b1).toEqual({ batchId: 'b1', waiting: 0, active: 0, completed: 2, failed: 1, retries: 6, messages: 150, messagesPerSecond: 15, ...none });
    expect(b2).toEqual({ batchId: 'b2', waiting: 2, active: 1, completed: 0, failed: 0, retries: 1, messages: 30, messagesPerSecond: 3, ...none });
  });

  it('counts paused or cancelled jobs as stopped, not failed, and delayed jobs held by a volume budget apart from the waiting ones', () => {
    const jobs = [
      job('b', 'failed', { stopped: true }),
      job('b', 'failed'),
      job('b', 'delayed', { held: { reason: 'u@x: the gmail upload budget is spent', until: 9_000 } }),
      job('b', 'delayed', { held: { reason: 'v@x: the gmail upload budget is spent', until: 8_000 } }),
      job('b', 'delayed'),
    ];
    expect(aggregateBatches(jobs, 10)[0]).toMatchObject({ failed: 1, stopped: 1, waiting: 1, held: 2, heldReason: 'v@x: the gmail upload budget is spent', heldUntil: 8_000 });
  });

  it('shows an idle batch with no rate', () => {
    expect(aggregateBatches([job('b', 'waiting')], 5)[0]).toMatchObject({ waiting: 1, messagesPerSecond: 0 });
    expect(aggregateBatches([], 5)).toEqual([]);
  });
});
