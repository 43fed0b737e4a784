// A Secret Service daemon that ends in the middle of a call (gnome-keyring has been seen to abort, and a session
// manager or D-Bus activation starts it again) fails that call with "… disconnected from message bus without
// replying". Keychain calls are idempotent, so such a call is tried again once the daemon has had time to return;
// any other failure (no keyring at all, a locked one) is reported at once.

const DISCONNECTED = /disconnected from (?:the )?message bus without replying/i;

/** Waits before each retry of a call the keychain daemon dropped mid-call. */
export const KEYCHAIN_RETRY_WAITS_MS: readonly number[] = [300, 1000, 2000];

/** True when `error` is the keychain daemon ending in the middle of a call. */
export function isDaemonDisconnect(error: unknown): boolean {
  return error instanceof Error && DISCONNECTED.test(error.message);
}

/** Runs `call`, trying again after each of `waits` while it fails because the daemon went away mid-call. */
export async function retryDaemonDisconnect<T>(call: () => Promise<T>, waits: readonly number[] = KEYCHAIN_RETRY_WAITS_MS, sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= waits.length || !isDaemonDisconnect(error)) throw error;
      await sleep(waits[attempt]!);
    }
  }
}
