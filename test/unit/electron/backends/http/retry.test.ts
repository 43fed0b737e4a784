import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultRetryPolicy, isAuthFailure, isThrottle, parseRetryAfter } from '../../../../../electron/backends/http/retry.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['3', 3000],
    ['0', 0],
    ['1.5', 1500],
    ['Wed, 01 Jan 2025 00:00:10 GMT', 10_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['soon', null],
    ['', null],
    [null, null],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially and is capped', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('throttle versus auth', () => {
  const rate = { error: { code: 403, errors: [{ reason: 'userRateLimitExceeded' }] } };
  const denied = { error: { code: 403, errors: [{ reason: 'forbidden' }] } };
  it('treats Google rate-limit 403s as throttles and other 403s as auth failures', () => {
    expect(isThrottle(403, rate)).toBe(true);
    expect(isThrottle(403, denied)).toBe(false);
    expect(isAuthFailure(403, denied)).toBe(true);
    expect(isAuthFailure(403, rate)).toBe(false);
    expect(isThrottle(429, null)).toBe(true);
    expect(isThrottle(503, null)).toBe(true);
    expect(isAuthFailure(401, null)).toBe(true);
  });
});
