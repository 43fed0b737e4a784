import { describe, expect, it } from 'vitest';
import { throttleDelayOf } from '../../../../electron/fleet/throttle.ts';
import { appError } from '../../../../shared/errors/result.ts';

const failure = (errorCode: string, errorMessage: string): { sourcePath: string; uid: number; size: number; errorCode: string; errorMessage: string } => ({ sourcePath: 'INBOX', uid: 1, size: 10, errorCode, errorMessage });

describe('throttleDelayOf', () => {
  it("takes the server's delay from the run's error or from the messages it kept refusing", () => {
    expect(throttleDelayOf({ complete: false, error: appError('imap.throttled', 'x', { retryAfterMs: 900 }), failures: [] })).toBe(900);
    const failures = [failure('imap.throttled', 'The target is throttling uploads: NO [THROTTLED] Suggested Backoff Time: 150 milliseconds'), failure('imap.throttled', 'Suggested Backoff Time: 2500 milliseconds')];
    expect(throttleDelayOf({ complete: false, error: null, failures })).toBe(2500);
    expect(throttleDelayOf({ complete: false, error: null, failures: [failure('imap.throttled', 'NO [THROTTLED] slow down')] })).toBe(5000);
  });

  it('is null for a complete run and for failures that are not throttling', () => {
    expect(throttleDelayOf({ complete: true, error: null, failures: [] })).toBeNull();
    expect(throttleDelayOf({ complete: false, error: appError('imap.auth', 'no'), failures: [failure('imap.tooLarge', 'too big')] })).toBeNull();
  });
});
