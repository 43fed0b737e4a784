import type { CopyMailboxReport } from '../../shared/domain/migration-copy.ts';
import { backoffMsOf } from '../migration/append-connection.ts';

// The engine's own fallback when a throttling answer names no delay (append-connection.ts).
const DEFAULT_DELAY_MS = 5_000;

/**
 * The delay the target asked for when a run ended unfinished because it was throttled (the run's
 * error, or messages that stayed refused after the engine's own back-offs), else null.
 */
export function throttleDelayOf(report: Pick<CopyMailboxReport, 'complete' | 'error' | 'failures'>): number | null {
  if (report.complete) return null;
  if (report.error?.code === 'imap.throttled') return report.error.retryAfterMs ?? DEFAULT_DELAY_MS;
  const throttled = report.failures.filter((f) => f.errorCode === 'imap.throttled');
  if (throttled.length === 0) return null;
  return Math.max(...throttled.map((f) => backoffMsOf(f.errorMessage) ?? DEFAULT_DELAY_MS));
}
