import type { ImapFlowOptions } from 'imapflow';
import type { TlsMode } from '../../shared/domain/connection.ts';
import { buildImapFlowOptions } from '../backends/imap/imap-options.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';

/** The parts of an `imaps://USER@HOST:PORT` / `imap://…` URL. */
export interface EndpointAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly user: string;
}

/**
 * Parses `imaps://USER@HOST[:PORT]` (implicit TLS, 993), `imap://USER@HOST[:PORT]` (STARTTLS
 * required, 143) or `imap+plain://…` (no TLS, loopback testing only). A password in the URL is refused.
 */
export function parseEndpointUrl(text: string): EndpointAddress | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL like imaps://user@host:993`;
  }
  const tls: TlsMode | undefined = { 'imaps:': 'implicit', 'imap:': 'starttls', 'imap+plain:': 'none' }[url.protocol] as TlsMode | undefined;
  if (!tls) return `unsupported scheme "${url.protocol}"; use imaps:// or imap://`;
  if (url.password) return 'a password in the URL is not accepted; use the environment variable or a password file';
  const user = decodeURIComponent(url.username);
  if (!user) return `the URL needs a user name: ${tls === 'implicit' ? 'imaps' : 'imap'}://USER@${url.hostname}`;
  const port = url.port ? Number(url.port) : tls === 'implicit' ? 993 : 143;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, tls, user };
}

/** Builds imapflow options for an endpoint, reusing the app's defaults and pinned-certificate transport. */
export function imapFlowOptions(endpoint: ImapEndpoint): ImapFlowOptions {
  const base = buildImapFlowOptions(
    {
      host: endpoint.host,
      port: endpoint.port,
      tls: endpoint.tls,
      user: endpoint.user,
      ...(endpoint.pinnedFingerprint ? { pinnedFingerprint: endpoint.pinnedFingerprint } : {}),
    },
    endpoint.auth,
    { connectionMs: endpoint.timeoutMs ?? 15_000, greetingMs: endpoint.timeoutMs ?? 15_000, socketMs: 120_000 },
  );
  return {
    ...base,
    // Loopback Dovecot and most providers gain nothing from DEFLATE on already-compact mail; it costs CPU.
    disableCompression: true,
    disableAutoIdle: true,
    tls: {
      ...(endpoint.servername ? { servername: endpoint.servername } : {}),
      ...(endpoint.ca && !endpoint.pinnedFingerprint ? { ca: endpoint.ca } : {}),
    },
  };
}

/** "user@host:port" for messages and logs. */
export function describeEndpoint(e: Pick<ImapEndpoint, 'user' | 'host' | 'port'>): string {
  return `${e.user}@${e.host}:${e.port}`;
}
