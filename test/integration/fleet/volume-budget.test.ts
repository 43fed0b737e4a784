import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, type RedisOptions } from '../../../electron/fleet/fleet-redis.ts';
import { VolumeBudget, volumeHoldReason, volumeLimitsOf, type VolumeLimit } from '../../../electron/fleet/volume-budget.ts';

const connection = parseRedisUrl('redis://127.0.0.1:6379', {}) as RedisOptions;
const prefix = `fleet-volume-${process.pid}-${Date.now()}`;
const a = new Redis(connection);
const b = new Redis(connection);
const DAY = 86_400_000;
// Redis expires keys on its own clock, so the budget's fake clock runs days ahead of the real one, never behind it.
const DAY_AHEAD = (Math.floor(Date.now() / DAY) + 2) * DAY;

afterAll(async () => {
  const keys = await a.keys(`${prefix}:*`);
  if (keys.length > 0) await a.del(...keys);
  a.disconnect();
  b.disconnect();
});

const limit = (user: string, bytes: number): VolumeLimit => ({ provider: 'gmail', direction: 'upload', user, bytes });

describe('per-user byte volume on real Redis', () => {
  it('adds every charge of two workers charging one user at once, and finds the budget spent past it', async () => {
    const now = DAY_AHEAD + 22 * 3_600_000;
    const [one, two] = [new VolumeBudget(a, prefix, () => now), new VolumeBudget(b, prefix, () => now)];
    const budget = [limit('alice@example.test', 150_000)];
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).charge(budget, 1_000)));
    expect(await a.get(one.key(budget[0]!))).toBe('100000');
    expect(await one.check(budget)).toMatchObject({ used: 100_000, exhausted: false, resetAt: DAY_AHEAD + DAY });

    const over = await two.charge(budget, 60_000);
    expect(over).toMatchObject({ used: 160_000, exhausted: true });
    const midnight = new Date(DAY_AHEAD + DAY).toISOString();
    expect(midnight).toMatch(/T00:00:00\.000Z$/);
    expect(volumeHoldReason(over!)).toBe(`alice@example.test: the gmail upload budget is spent (160000 of 150000 bytes today); resumes at ${midnight}`);
    // The key expires an hour after its window, whoever charged it first.
    const expires = await a.pexpiretime(one.key(budget[0]!));
    expect(expires).toBe(DAY_AHEAD + DAY + 3_600_000);
  });

  it('keeps users, directions and days apart', async () => {
    let now = DAY_AHEAD + DAY - 60_000;
    const budget = new VolumeBudget(a, prefix, () => now);
    await budget.charge([limit('bob@example.test', 10)], 10);
    expect((await budget.check([limit('bob@example.test', 10)]))?.exhausted).toBe(true);
    expect((await budget.check([limit('carol@example.test', 10)]))?.exhausted).toBe(false);
    expect((await budget.check([{ ...limit('bob@example.test', 10), direction: 'download' }]))?.exhausted).toBe(false);
    now += DAY;
    expect(await budget.check([limit('bob@example.test', 10)])).toMatchObject({ used: 0, exhausted: false });
  });

  it('reports the most used of a job\'s limits', async () => {
    const budget = new VolumeBudget(a, prefix);
    const limits = [limit('dave@example.test', 1_000), { ...limit('erin@example.test', 100), direction: 'download' as const }];
    const use = await budget.charge(limits, 80);
    expect(use).toMatchObject({ used: 80, exhausted: false, limit: { user: 'erin@example.test', direction: 'download' } });
  });
});

describe('the budgets a job has', () => {
  it('are the presets\' daily volumes: Gmail\'s upload for a Gmail target, its download for a Gmail source, none for Dovecot', () => {
    const users = { targetUser: 't@x', sourceUser: 's@x' };
    expect(volumeLimitsOf({ ...users, targetPreset: 'gmail' })).toEqual([{ provider: 'gmail', direction: 'upload', user: 't@x', bytes: 500 * 1024 * 1024 }]);
    expect(volumeLimitsOf({ ...users, targetPreset: 'dovecot', sourcePreset: 'gmail' })).toEqual([{ provider: 'gmail', direction: 'download', user: 's@x', bytes: 2500 * 1024 * 1024 }]);
    expect(volumeLimitsOf({ ...users, targetPreset: 'dovecot' })).toEqual([]);
    expect(volumeLimitsOf(users, 5_000)).toEqual([{ provider: 'imap', direction: 'upload', user: 't@x', bytes: 5_000 }]);
  });
});
