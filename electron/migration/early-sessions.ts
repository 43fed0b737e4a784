import type { Result } from '../../shared/errors/result.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { FetchConnection } from './fetch-connection.ts';

/** A run's two raw sessions (TCP, TLS, login), started before its state database opens and its engine loads. */
export interface EarlySessions {
  readonly source: Promise<Result<FetchConnection>>;
  readonly target: Promise<Result<FetchConnection>>;
}

/**
 * Starts both raw logins now; the run's FetcherPool takes them as its first source connection and its
 * target connection (fetcher-pool.ts). The servers' handshakes then overlap this process's loading,
 * as long as that loading yields to the event loop between steps (engine-load.ts).
 */
export function startSessions(source: ImapEndpoint, target: ImapEndpoint): EarlySessions {
  return { source: FetchConnection.open(source), target: FetchConnection.open(target) };
}

/** Logs out of whichever early session opened; harmless for one the run already took and closed. Never throws. */
export async function closeSessions(sessions: EarlySessions): Promise<void> {
  await Promise.all([sessions.source, sessions.target].map((p) => p.then((r) => (r.ok ? r.value.close() : undefined), () => undefined)));
}
