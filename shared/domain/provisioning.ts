/** How far a platform supports an operation. */
export type SupportLevel = 'native' | 'emulated' | 'needs-sidecar' | 'unsupported';

/** Support for one operation, with the manual path or the sidecar command when Mailroom cannot do it. */
export interface Support {
  readonly level: SupportLevel;
  /** How an emulated operation is done ("alias with several targets"). */
  readonly how?: string;
  /** The exact command or console path for needs-sidecar / unsupported. */
  readonly manual?: string;
}

/** Backend kinds Mailroom provisions. */
export type BackendKind = 'postfixadmin-sql' | 'mailcow' | 'stalwart' | 'google-workspace' | 'microsoft-365' | 'imap';

/** What one connection can do, probed at connect time. */
export interface Capabilities {
  readonly kind: BackendKind;
  readonly version: string | null;
  readonly domain: { readonly list: Support; readonly create: Support; readonly remove: Support; readonly alias: Support };
  readonly mailbox: {
    readonly list: Support;
    readonly create: Support;
    readonly update: Support;
    readonly remove: Support;
    readonly suspend: Support;
    readonly setPassword: Support;
    readonly forcePasswordChange: Support;
  };
  readonly alias: { readonly manage: Support; readonly catchAll: Support };
  readonly group: { readonly manage: Support; readonly model: 'object' | 'list' | 'alias-fanout' | 'none' };
  /** `read`: the forwards the routing view sees (auto-forwarding, rules, filters, Sieve redirects), read on refresh. */
  readonly forward: { readonly set: Support; readonly read: Support; readonly keepCopy: boolean; readonly needsConfirmation: boolean };
  readonly quota: { readonly set: Support };
  readonly usage: { readonly read: Support; readonly freshness: 'live' | 'hours' | 'days' | 'none' };
  /** `generate`: the platform makes its own key and signs with it; `install`: it signs with a key Mailroom generated. */
  readonly dkim: { readonly generate: Support; readonly install: Support };
  /**
   * Security facts standards read: `lastLogin` and `twoStepEnforcement` per mailbox on refresh,
   * `securityDefaults` (tenant-wide, readable and settable), `spamThreshold` (per mailbox, readable and settable).
   */
  readonly security: { readonly lastLogin: Support; readonly twoStepEnforcement: Support; readonly securityDefaults: Support; readonly spamThreshold: Support };
}

/** A mailbox's spam thresholds (rspamd scores): `low` files mail as spam, `high` rejects it. */
export interface SpamThreshold {
  readonly low: number;
  readonly high: number;
}

/** Tenant-wide settings a platform reports; absent fields are ones it does not have. */
export interface TenantSettings {
  /** Microsoft Entra security defaults (`identitySecurityDefaultsEnforcementPolicy.isEnabled`). */
  readonly securityDefaults?: boolean;
}

/** A DKIM key a platform signs one domain's mail with (the private half never leaves the platform or the keychain). */
export interface DkimSigner {
  readonly domain: string;
  readonly selector: string;
  readonly algorithm: 'rsa' | 'ed25519' | null;
  /** The `p=` value the key's DNS record must carry, when the platform shows it. */
  readonly publicKey: string | null;
  /** Whether the platform signs with it now (a rotated-out or pending key does not). */
  readonly active: boolean;
  /** Set by the service: the private half is the key of this selector in Mailroom's keychain. */
  readonly fromKeychain?: boolean;
}

/** A mail domain on one connection. Sizes are bytes. */
export interface DomainInfo {
  readonly name: string;
  readonly description: string | null;
  readonly active: boolean;
  readonly mailboxCount: number | null;
  readonly quotaBytes: number | null;
  readonly usedBytes: number | null;
  /** Alias domains pointing at this one. */
  readonly aliasDomains?: readonly string[];
}

/** A mailbox on one connection. Sizes are bytes. */
export interface MailboxInfo {
  readonly address: string;
  readonly domain: string;
  readonly displayName: string | null;
  readonly active: boolean;
  readonly quotaBytes: number | null;
  readonly usedBytes: number | null;
  readonly messageCount: number | null;
  /** Last sign-in (ISO); null when the platform says never; absent when it does not report logins. */
  readonly lastLoginAt?: string | null;
  /** Whether 2-Step Verification is enforced for the user; absent when the platform does not report it. */
  readonly twoStepEnforced?: boolean;
  /** Spam thresholds in force for the mailbox (its own or the server default); absent when not read. */
  readonly spamThreshold?: SpamThreshold;
}

/** An alias (or forward, or catch-all when `address` is "@domain"). */
export interface AliasInfo {
  readonly address: string;
  readonly domain: string;
  readonly targets: readonly string[];
  readonly active: boolean;
}

/** A group or distribution list with its members. */
export interface GroupInfo {
  readonly address: string;
  readonly name: string | null;
  readonly members: readonly string[];
}

/** Forwarding of one mailbox. */
export interface ForwardingInfo {
  readonly address: string;
  readonly targets: readonly string[];
  readonly keepCopy: boolean;
  /** Google asks the target to confirm before forwarding starts. */
  readonly state: 'active' | 'pending-confirmation' | 'off';
  /** Targets that receive only some mail, each with its condition in words ("from contains boss@x"); absent targets receive all. */
  readonly conditions?: Readonly<Record<string, string>>;
}

/** Input for creating a mailbox. */
export interface NewMailbox {
  readonly address: string;
  readonly displayName?: string;
  readonly password: string;
  readonly quotaBytes?: number | null;
  readonly forceChangeAtFirstLogin?: boolean;
}

/** Input for changing a mailbox; absent fields stay as they are. */
export interface MailboxPatch {
  readonly displayName?: string;
  readonly quotaBytes?: number | null;
  readonly active?: boolean;
}

/** Input for changing a domain; absent fields stay as they are. Sizes are bytes, null = unlimited. */
export interface DomainPatch {
  readonly description?: string;
  readonly active?: boolean;
  readonly quotaBytes?: number | null;
  readonly maxMailboxBytes?: number | null;
}

/** A write that finished, or one the platform completes later (licence, confirmation, DNS). */
export type Outcome<T> =
  | { readonly state: 'done'; readonly value: T }
  | { readonly state: 'pending'; readonly reason: 'dns' | 'licence' | 'confirmation' | 'job'; readonly value: T };
