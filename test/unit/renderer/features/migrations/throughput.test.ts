import { describe, expect, it } from 'vitest';
import { addSample, MAX_SAMPLES, rateSeries, ratesOver } from '../../../../../renderer/features/migrations/throughput.ts';

describe('throughput from cumulative progress samples', () => {
  it('computes rates over a sliding window', () => {
    let s = addSample([], { t: 0, messages: 0, bytes: 0 });
    for (let i = 1; i <= 20; i += 1) s = addSample(s, { t: i * 1000, messages: i * 100, bytes: i * 1_048_576 });
    const r = ratesOver(s, 10_000)!;
    expect(r.messagesPerSecond).toBeCloseTo(100);
    expect(r.bytesPerSecond).toBeCloseTo(1_048_576);
    expect(ratesOver([])).toBeNull();
    expect(ratesOver([{ t: 5, messages: 1, bytes: 1 }])).toBeNull();
  });

  it('shows a stall quickly and restarts when counters go back (a resumed run)', () => {
    let s = [{ t: 0, messages: 0, bytes: 0 }, { t: 1000, messages: 500, bytes: 500 }];
    s = addSample(s, { t: 2000, messages: 500, bytes: 500 });
    expect(rateSeries(s).messages).toEqual([500, 0]);
    expect(addSample(s, { t: 3000, messages: 10, bytes: 10 })).toEqual([{ t: 3000, messages: 10, bytes: 10 }]);
  });

  it('keeps the later totals of two events in the same millisecond and caps the history', () => {
    expect(addSample([{ t: 1, messages: 1, bytes: 1 }], { t: 1, messages: 2, bytes: 2 })).toEqual([{ t: 1, messages: 2, bytes: 2 }]);
    let s: ReturnType<typeof addSample> = [];
    for (let i = 0; i < MAX_SAMPLES + 50; i += 1) s = addSample(s, { t: i, messages: i, bytes: i });
    expect(s).toHaveLength(MAX_SAMPLES);
    expect(s[0]!.t).toBe(50);
  });

  it('turns samples into chart series in seconds and MB/s', () => {
    const series = rateSeries([{ t: 1000, messages: 0, bytes: 0 }, { t: 3000, messages: 40, bytes: 4 * 1_048_576 }]);
    expect(series).toEqual({ x: [2], messages: [20], megabytes: [2] });
  });
});
