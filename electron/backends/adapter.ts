import type {
  AliasInfo,
  Capabilities,
  DkimSigner,
  DomainInfo,
  DomainPatch,
  ForwardingInfo,
  GroupInfo,
  MailboxInfo,
  MailboxPatch,
  NewMailbox,
  Outcome,
  SpamThreshold,
  TenantSettings,
} from '../../shared/domain/provisioning.ts';
import type { AppError, Result } from '../../shared/errors/result.ts';

/** A write a batch (the CSV import) plans, checked against the platform's own limits before anything is written. */
export type PlannedWrite =
  | { readonly kind: 'domain.create'; readonly name: string }
  | { readonly kind: 'mailbox.create'; readonly address: string; readonly quotaBytes?: number | null }
  | { readonly kind: 'mailbox.update'; readonly address: string; readonly quotaBytes?: number | null }
  | { readonly kind: 'alias.create'; readonly address: string };

/** A DKIM key Mailroom generated, on its way from the keychain to the platform that signs with it. */
export interface DkimKeyToInstall {
  readonly domain: string;
  readonly selector: string;
  /** PKCS#8 PEM; never logged, journaled or returned. */
  readonly privateKeyPem: string;
}

/**
 * One mail platform behind one connection. Lists are async iterators whatever the paging style;
 * expected failures are Results with `backend.*` codes (never retry `backend.auth`); calling
 * something the capabilities mark `unsupported` returns `backend.unsupported` naming the manual path.
 */
export interface BackendAdapter {
  /** Connects, detects the version and works out what this connection can do. */
  probe(signal?: AbortSignal): Promise<Result<Capabilities>>;

  listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>>;
  createDomain(name: string, options?: { description?: string }): Promise<Result<Outcome<DomainInfo>>>;
  deleteDomain(name: string): Promise<Result<void>>;
  /** Optional: changes a domain's description, state or limits. */
  updateDomain?(name: string, patch: DomainPatch): Promise<Result<DomainInfo>>;
  /** Optional: makes `alias` a whole-domain alias of `target` (every local part delivers there). */
  createAliasDomain?(alias: string, target: string): Promise<Result<DomainInfo>>;

  listMailboxes(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>>;
  /** Optional: reads one mailbox (null when absent) without listing its domain. */
  getMailbox?(address: string): Promise<Result<MailboxInfo | null>>;
  createMailbox(input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>>;
  updateMailbox(address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>>;
  deleteMailbox(address: string): Promise<Result<void>>;
  setPassword(address: string, password: string, options?: { forceChange?: boolean }): Promise<Result<void>>;

  listAliases(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>>;
  upsertAlias(alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>>;
  deleteAlias(address: string): Promise<Result<void>>;

  listGroups(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>>;
  upsertGroup(group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>>;
  deleteGroup(address: string): Promise<Result<void>>;

  getForwarding(address: string): Promise<Result<ForwardingInfo>>;
  setForwarding(address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>>;
  /** Optional: the forwarding of every mailbox that forwards anywhere, in one pass (for the cache refresh). */
  listForwarding?(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>>;

  /** Optional: the DKIM keys the platform signs `domain`'s mail with. */
  listDkimKeys?(domain: string): Promise<Result<DkimSigner[]>>;
  /** Optional: makes the platform sign `domain`'s mail with a key Mailroom generated (replacing one of the same selector). */
  installDkimKey?(key: DkimKeyToInstall): Promise<Result<DkimSigner>>;
  /** Optional: has the platform generate a key of its own for `domain` and sign with it. */
  generateDkimKey?(domain: string, selector: string): Promise<Result<DkimSigner>>;

  /**
   * Optional: checks planned writes against this platform's own limits (quotas, counts) by reading only, in
   * order, each as if the earlier ones that pass had been made; null where the write would pass, else the
   * error the write itself would return.
   */
  checkWrites?(writes: readonly PlannedWrite[]): Promise<Result<readonly (AppError | null)[]>>;

  /** Optional: the stored password hash of a mailbox (null when absent), so that a failed invite can put it back. */
  readPasswordHash?(address: string): Promise<Result<string | null>>;
  /** Optional: puts back a hash read with readPasswordHash. */
  restorePasswordHash?(address: string, hash: string): Promise<Result<void>>;

  /** Optional: tenant-wide settings standards read (Microsoft security defaults). */
  readTenantSettings?(signal?: AbortSignal): Promise<Result<TenantSettings>>;
  /** Optional: changes tenant-wide settings and returns them as the platform now reports them. */
  updateTenantSettings?(patch: TenantSettings): Promise<Result<TenantSettings>>;
  /** Optional: last sign-ins where the platform keeps them apart from the user list (Graph signInActivity); null for never. */
  listLastLogins?(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<{ readonly address: string; readonly lastLoginAt: string | null }>>;
  /** Optional: the spam thresholds in force for each mailbox (for the cache refresh). */
  listSpamThresholds?(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<{ readonly address: string } & SpamThreshold>>;
  /** Optional: sets a mailbox's spam thresholds and returns them as the platform now reports them. */
  setSpamThreshold?(address: string, threshold: SpamThreshold): Promise<Result<SpamThreshold>>;

  /** Releases connections and pools. */
  close(): Promise<void>;
}
