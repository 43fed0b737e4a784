import type { Capabilities } from './provisioning.ts';

/** How a client secures an IMAP connection. */
export type TlsMode = 'implicit' | 'starttls' | 'none';

/** Platforms Mailroom can connect to. */
export type ConnectionKind = 'imap' | 'postfixadmin' | 'mailcow' | 'stalwart' | 'google' | 'microsoft';

/** Non-secret settings of an IMAP connection. */
export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly user: string;
  /** SHA-256 fingerprint (hex, colon-separated) of a certificate trusted although no CA vouches for it. */
  readonly pinnedFingerprint?: string;
  /** ManageSieve port (RFC 5804) where the user's Sieve scripts are read; 4190 when absent. */
  readonly sievePort?: number;
}

/** The outcome of the most recent connection test, as cached. */
export interface LastTest {
  readonly at: string;
  readonly ok: boolean;
  readonly message: string;
}

/** A connection as the console shows it: never the secret, only whether one is stored. */
export interface ConnectionSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: ConnectionKind;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly hasSecret: boolean;
  readonly createdAt: string;
  readonly lastTest: LastTest | null;
  /** The MSP's client (customer) this connection and its domains belong to; absent when none. Not Google's Directory customer id. */
  readonly customer?: string;
}

/** Input for adding an IMAP connection; the password goes to the keychain only. */
export interface NewImapConnection {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly user: string;
  readonly password: string;
  readonly pinnedFingerprint?: string;
  /** ManageSieve port (RFC 5804); 4190 when absent. */
  readonly sievePort?: number;
  /** Required with TLS "none" to a host that is not this machine: the password then crosses the network in clear. */
  readonly allowPlaintext?: boolean;
}

/** What a successful connection test learned about the server. */
export interface ConnectionTestReport {
  readonly capabilities: readonly string[];
  readonly folderCount: number;
  readonly latencyMs: number;
  readonly tls: { readonly protocol: string | null; readonly fingerprint: string | null } | null;
  readonly serverId: Readonly<Record<string, string>> | null;
  /** What the platform can do, for provisioning connections (absent for plain IMAP). */
  readonly platform?: Capabilities;
}

/** SQL engines a PostfixAdmin database runs on. */
export type SqlDialectName = 'mysql' | 'postgres' | 'sqlite';

/** Input for adding a PostfixAdmin (self-hosted SQL) connection; the SQL password goes to the keychain only. */
export interface NewPostfixAdminConnection {
  readonly name: string;
  readonly dialect: SqlDialectName;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  /** SQLite only: the database file. */
  readonly path?: string;
  /** The site's `$CONF['encrypt']` (md5crypt, sha512.b64, system, dovecot:SCHEME, php_crypt[:…], argon2id, …). */
  readonly encrypt?: string;
  /** Other `$CONF` settings of the site, as in its config.local.php (quota_multiplier, quota, password_expiration, …). */
  readonly site?: Readonly<Record<string, string | number | boolean>>;
  /** Older form of `encrypt`: a Dovecot scheme written with its `{SCHEME}` prefix. */
  readonly passwordScheme?: 'BLF-CRYPT' | 'SHA512-CRYPT' | 'ARGON2ID';
  readonly quotaMultiplier?: number;
}

/** Input for adding a mailcow connection; the API key goes to the keychain only. */
export interface NewMailcowConnection {
  readonly name: string;
  /** The mailcow UI origin, e.g. https://mail.example.com. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Required for a plain http:// URL to a host that is not this machine. */
  readonly allowPlaintext?: boolean;
}

/** Input for adding a Stalwart 0.16+ connection: an admin login and password, or an API key (no username). */
export interface NewStalwartConnection {
  readonly name: string;
  readonly baseUrl: string;
  readonly username?: string;
  /** The admin password (with `username`) or an API key / bearer token (without). */
  readonly secret: string;
  /** Required for a plain http:// URL to a host that is not this machine. */
  readonly allowPlaintext?: boolean;
}

/** Input for adding a Google Workspace connection; the service-account JSON key goes to the keychain only. */
export interface NewGoogleConnection {
  readonly name: string;
  /** The super-admin the service account impersonates (domain-wide delegation subject). */
  readonly adminEmail: string;
  readonly customer?: string;
  readonly serviceAccountJson: string;
  /** Endpoint overrides (private endpoints, tests). */
  readonly rootUrl?: string;
  readonly gmailRootUrl?: string;
}

/** Input for adding a Microsoft 365 connection (app registration); the client secret goes to the keychain only. */
export interface NewMicrosoftConnection {
  readonly name: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** SKU assigned to new users so Exchange Online provisions a mailbox. */
  readonly licenseSkuId?: string;
  readonly usageLocation?: string;
  /** Endpoint overrides (national clouds, tests). */
  readonly authorityHost?: string;
  readonly graphBaseUrl?: string;
}

/** Options of connections.add*: with `test`, the connection is tested first and kept only when the test passes. */
export interface AddConnectionOptions {
  readonly test?: boolean;
}

/** A change to a saved connection; settings are merged over the stored ones (null clears one), the secret replaces the stored one. */
export interface ConnectionEdit {
  readonly name?: string;
  readonly settings?: Readonly<Record<string, string | number | boolean | null | Readonly<Record<string, string | number | boolean>>>>;
  readonly secret?: string;
  /** As when adding: required to send credentials in clear to another machine. */
  readonly allowPlaintext?: boolean;
}

/** What refers to a connection: removing it breaks the plans, batches and checks listed, and drops its cached objects. */
export interface ConnectionDependents {
  readonly connectionId: string;
  readonly name: string;
  readonly plans: readonly { readonly id: string; readonly name: string; readonly rows: number }[];
  readonly batches: readonly { readonly id: string; readonly planName: string; readonly status: string }[];
  /** DKIM keys generated or installed through this connection (record name selector._domainkey.domain). */
  readonly dkimKeys: readonly string[];
  /** Monitored deliverability checks of domains this connection serves. */
  readonly monitoredDomains: readonly string[];
  readonly cachedDomains: number;
  readonly cachedMailboxes: number;
  /** True when a plan, batch, DKIM key or saved check refers to it. */
  readonly inUse: boolean;
}

/** Options of connections.remove: `force` removes a connection in use. */
export interface RemoveConnectionOptions {
  readonly force?: boolean;
}
