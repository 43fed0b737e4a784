// A Secret Service daemon that ends in the middle of a call (gnome-keyring has been seen to abort, and a session
// manager or D-Bus activation starts it again) fails that call with "… disconnected from message bus without
// replying", and a call made while it is away fails with "The name org.freedesktop.secrets was not provided by any
// .service files". Keychain calls are idempotent, so such a call is tried again once the daemon has had time to return.
// The second message also means "no keyring at all", so it is waited out only once this process has had an answer;
// any other failure (a locked keyring) is reported at once.

const DISCONNECTED = /disconnected from (?:the )?message bus without replying/i;
const AWAY = /was not provided by any \.service files|ServiceUnknown|NameHasNoOwner/i;

/** Waits before each retry of a call the keychain daemon dropped mid-call. */
export const KEYCHAIN_RETRY_WAITS_MS: readonly number[] = [300, 1000, 2000];

/** True when `error` is the keychain daemon ending in the middle of a call. */
export function isDaemonDisconnect(error: unknown): boolean {
  return error instanceof Error && DISCONNECTED.test(error.message);
}

/** True when `error` says no keychain daemon is on the bus: away while it restarts, if it answered before. */
export function isDaemonAway(error: unknown): boolean {
  return error instanceof Error && AWAY.test(error.message);
}

/**
 * Runs `call`, trying again after each of `waits` while it fails because the daemon went away mid-call, or (when
 * `answeredBefore`: the daemon has answered this process) because it is not on the bus yet again.
 */
export async function retryDaemonDisconnect<T>(call: () => Promise<T>, waits: readonly number[] = KEYCHAIN_RETRY_WAITS_MS, sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), answeredBefore = false): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= waits.length || !(isDaemonDisconnect(error) || (answeredBefore && isDaemonAway(error)))) throw error;
      await sleep(waits[attempt]!);
    }
  }
}
