import type { FetchedBody } from '../../electron/imap/fetch-parse.ts';
import type { BodyGate } from '../../electron/migration/body-budget.ts';

/**
 * A source body stream as FetchConnection.gatedBodies behaves toward the run's budget: each body `make` returns is
 * counted in `gate`, and while the gate is blocked the stream yields null once and waits for it to change.
 */
export async function* gatedStream(uids: readonly number[], gate: BodyGate, make: (uid: number) => FetchedBody): AsyncGenerator<FetchedBody | null> {
  for (const uid of uids) {
    if (gate.blocked) {
      yield null;
      while (gate.blocked) await new Promise<void>((resolve) => { const off = gate.onChange(() => (off(), resolve())); });
    }
    const body = make(uid);
    gate.take(body.content.length);
    yield body;
  }
}
