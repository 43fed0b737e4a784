import { describe, expect, it } from 'vitest';
import { isDaemonAway, isDaemonDisconnect, retryDaemonDisconnect } from '../../../../electron/platform/keychain-retry.ts';

const dropped = (): Error => new Error('Platform failure: DBus error: Message recipient disconnected from message bus without replying');

// A call that fails with each error in turn, then answers.
function flaky(errors: Error[]): { call: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    call: async () => {
      const e = errors[n++];
      if (e) throw e;
      return 'secret';
    },
    calls: () => n,
  };
}

describe('keychain calls the daemon dropped mid-call', () => {
  it('tries again after each wait while the daemon is away, and answers once it is back', async () => {
    const slept: number[] = [];
    const f = flaky([dropped(), dropped()]);
    await expect(retryDaemonDisconnect(f.call, [10, 20, 30], async (ms) => void slept.push(ms))).resolves.toBe('secret');
    expect(slept).toEqual([10, 20]);
    expect(f.calls()).toBe(3);
  });

  it('gives up after the last wait with the daemon still away', async () => {
    const f = flaky([dropped(), dropped(), dropped()]);
    await expect(retryDaemonDisconnect(f.call, [1, 1], async () => undefined)).rejects.toThrow('disconnected from message bus');
    expect(f.calls()).toBe(3);
  });

  it('reports any other failure at once: no keyring, a locked one', async () => {
    const missing = new Error('Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files');
    const f = flaky([missing]);
    await expect(retryDaemonDisconnect(f.call, [1, 1], async () => undefined)).rejects.toBe(missing);
    expect(f.calls()).toBe(1);
    expect(isDaemonDisconnect(missing)).toBe(false);
    expect(isDaemonDisconnect(dropped())).toBe(true);
  });

  it('waits for a daemon that answered before and is not on the bus yet again, as while it restarts', async () => {
    const away = (): Error => new Error('Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files');
    const slept: number[] = [];
    const f = flaky([away(), away()]);
    await expect(retryDaemonDisconnect(f.call, [10, 20, 30], async (ms) => void slept.push(ms), true)).resolves.toBe('secret');
    expect([slept, f.calls()]).toEqual([[10, 20], 3]);
    expect(isDaemonAway(away())).toBe(true);
    expect(isDaemonAway(dropped())).toBe(false);
  });
});
