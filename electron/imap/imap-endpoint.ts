import type { TlsMode } from '../../shared/domain/connection.ts';

/** How to log in: a password, or an OAuth2 access token (XOAUTH2 for Gmail and Microsoft). */
export type ImapAuth = { readonly password: string } | { readonly accessToken: string };

/** One IMAP account to connect to: where, how to secure the connection, how to log in. The secret never leaves memory. */
export interface ImapEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly user: string;
  readonly auth: ImapAuth;
  /** SHA-256 fingerprint of the one certificate to trust instead of a CA chain. */
  readonly pinnedFingerprint?: string;
  /** Extra trusted CA certificates (PEM), e.g. a private CA. */
  readonly ca?: string;
  /** TLS server name when it differs from host (e.g. connecting to 127.0.0.1). */
  readonly servername?: string;
  readonly timeoutMs?: number;
  /** A raw connection (body stream, uploads) that moves no byte for this long while a command waits is stalled (default 120 s). */
  readonly stallMs?: number;
}

/** How long a raw connection may move no byte while a command waits (see ImapEndpoint.stallMs). */
export const DEFAULT_STALL_MS = 120_000;
