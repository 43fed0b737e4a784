import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_MB, MIN_MEMORY_MB, memoryBudget, memoryMbFromEnv } from '../../../../electron/migration/memory-budget.ts';

const MB = 1024 * 1024;

describe('memory bound of a migration run', () => {
  it('bounds a run to 96 MB by default, and 192 gives the limits the copy had before the bound', () => {
    expect(DEFAULT_MEMORY_MB).toBe(96);
    expect(memoryBudget(192)).toMatchObject({ inFlightBytes: 32 * MB, batchBytes: 2 * MB, readAheadBytes: 2 * MB });
  });

  it('keeps bodies in flight, read-ahead and batches small under a 96 MB bound', () => {
    const b = memoryBudget(96);
    expect(b.inFlightBytes).toBe(8 * MB);
    expect(b.batchBytes).toBe(1 * MB);
    expect(b.readAheadBytes).toBeGreaterThanOrEqual(MB / 4);
    expect(b.readAheadBytes).toBeLessThanOrEqual(2 * MB);
  });

  it('grows the in-flight budget with the bound, up to a ceiling', () => {
    expect(memoryBudget(256).inFlightBytes).toBe(48 * MB);
    expect(memoryBudget(4096).inFlightBytes).toBe(64 * MB);
    expect(memoryBudget(4096).batchBytes).toBe(2 * MB);
  });

  it('reads MAILROOM_MEMORY_MB and refuses what is not a whole number of MB over the floor', () => {
    expect(memoryMbFromEnv({})).toBeNull();
    expect(memoryMbFromEnv({ MAILROOM_MEMORY_MB: '200' })).toBe(200);
    expect(() => memoryMbFromEnv({ MAILROOM_MEMORY_MB: String(MIN_MEMORY_MB - 1) })).toThrow(/at least 72/);
    expect(() => memoryMbFromEnv({ MAILROOM_MEMORY_MB: '96MB' })).toThrow(/whole number/);
  });
});
