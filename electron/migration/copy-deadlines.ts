import { setTimeout as delay } from 'node:timers/promises';
import { appError, type AppError } from '../../shared/errors/result.ts';
import { Fatal } from './run-clients.ts';

// How the folder copier's waits end: a stall (ImapEndpoint.stallMs) or a pause / cancel.

// A stall costs a whole stall time: after this many stalled rounds of one folder, the folder stops.
const MAX_STALLS = 2;

/** Counts one folder's stalled rounds; the last allowed one ends the run with what the connection waited for. */
export class StallGuard {
  private current: AppError | null = null;
  private rounds = 0;

  /** Notes an upload the target connection dropped as stalled (answered DROPPED with imap.timeout). */
  noteUpload(error: AppError): void {
    if (error.code === 'imap.timeout') this.current ??= error;
  }

  /**
   * Ends a round; `failure` is what it threw (a source connection's stall carries `stalled`).
   * After MAX_STALLS stalled rounds: settles what is in flight and throws Fatal naming the stall.
   */
  async endRound(folder: string, failure: unknown, settle: () => Promise<void>): Promise<void> {
    const thrown = failure as { stalled?: boolean; message?: string } | null;
    const stall = thrown?.stalled ? appError('imap.timeout', `the source ${thrown.message}`, { retryable: true, detail: { stalled: 'source' } }) : this.current;
    this.current = null;
    if (!stall || ++this.rounds < MAX_STALLS) return;
    await settle().catch(() => undefined);
    throw new Fatal({ ...stall, message: `${folder}: ${stall.message}` });
  }
}

/** Waits `ms`, or less when the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}

/**
 * A body stream that ends quietly once the run is paused or cancelled: the run drops the source
 * connections then (migrate-job.ts), so the stream would otherwise end in a connection error.
 */
export async function* untilAborted<T>(stream: AsyncGenerator<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}
