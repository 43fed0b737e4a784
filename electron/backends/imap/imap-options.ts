import type { ImapFlowOptions } from 'imapflow';
import type { ImapSettings } from '../../../shared/domain/connection.ts';
import type { ImapAuth } from '../../imap/imap-endpoint.ts';
import { createPinnedTransport } from './pinned-transport.ts';

/** Timeouts that keep a dead server from hanging a test or a job. */
export interface ImapTimeouts {
  readonly connectionMs?: number;
  readonly greetingMs?: number;
  readonly socketMs?: number;
}

/** Builds imapflow options from stored settings: certificates verified unless a fingerprint is pinned. */
export function buildImapFlowOptions(settings: ImapSettings, auth: ImapAuth, timeouts: ImapTimeouts = {}): ImapFlowOptions {
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.tls === 'implicit',
    // imapflow upgrades opportunistically by default; require it when STARTTLS was chosen.
    doSTARTTLS: settings.tls === 'starttls' ? true : settings.tls === 'none' ? false : undefined,
    auth: 'password' in auth ? { user: settings.user, pass: auth.password } : { user: settings.user, accessToken: auth.accessToken },
    logger: false,
    connectionTimeout: timeouts.connectionMs ?? 15_000,
    greetingTimeout: timeouts.greetingMs ?? 15_000,
    socketTimeout: timeouts.socketMs ?? 120_000,
    ...(settings.pinnedFingerprint ? { transport: createPinnedTransport(settings.pinnedFingerprint) } : {}),
  };
}
