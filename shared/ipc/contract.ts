import type { Result } from '../errors/result.ts';
import type {
  CheckRequest,
  CheckRunSummary,
  DkimKeyInfo,
  DomainProfile,
  DomainReport,
  FindingsChanged,
  GeneratedRecords,
  MonitoredDomainInfo,
  RecordPlan,
} from '../domain/dns.ts';
import type { AppInfo } from '../domain/app.ts';
import type { AuditEntry, AuditPage, AuditQuery, AuditVerification } from '../domain/audit.ts';
import type {
  ConnectionSummary,
  ConnectionTestReport,
  NewImapConnection,
  NewPostfixAdminConnection,
} from '../domain/connection.ts';
import type {
  CachedAlias,
  CachedDomain,
  CachedGroup,
  InventoryQuery,
  MailboxPage,
  NewDomain,
  RefreshReport,
} from '../domain/inventory.ts';
import type {
  AliasInfo,
  DomainInfo,
  DomainPatch,
  ForwardingInfo,
  GroupInfo,
  MailboxInfo,
  MailboxPatch,
  NewMailbox,
  Outcome,
} from '../domain/provisioning.ts';

/** Process-level facts. */
export interface AppApi {
  info(): Promise<Result<AppInfo>>;
}

/** Connections to mail platforms; secrets go to the keychain and never come back. */
export interface ConnectionsApi {
  list(): Promise<Result<readonly ConnectionSummary[]>>;
  addImap(input: NewImapConnection): Promise<Result<ConnectionSummary>>;
  addPostfixAdmin(input: NewPostfixAdminConnection): Promise<Result<ConnectionSummary>>;
  test(id: string): Promise<Result<ConnectionTestReport>>;
  remove(id: string): Promise<Result<{ readonly id: string }>>;
}

/** The audit journal of every change made through Mailroom. */
export interface AuditApi {
  list(query: AuditQuery): Promise<Result<AuditPage>>;
  verify(): Promise<Result<AuditVerification>>;
  exportCsv(): Promise<Result<string>>;
}

/** Domains across every connection: the cache to browse, the backend to change (then the cache refreshes). */
export interface DomainsApi {
  list(query: InventoryQuery): Promise<Result<readonly CachedDomain[]>>;
  refresh(connectionId: string): Promise<Result<RefreshReport>>;
  create(connectionId: string, input: NewDomain): Promise<Result<Outcome<DomainInfo>>>;
  update(connectionId: string, name: string, patch: DomainPatch): Promise<Result<DomainInfo>>;
  remove(connectionId: string, name: string): Promise<Result<{ readonly name: string }>>;
}

/** Mailboxes: search-as-you-type over the cache; create, edit, suspend, delete, reset password, forward. */
export interface MailboxesApi {
  search(query: InventoryQuery): Promise<Result<MailboxPage>>;
  create(connectionId: string, input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>>;
  update(connectionId: string, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>>;
  remove(connectionId: string, address: string): Promise<Result<{ readonly address: string }>>;
  setPassword(connectionId: string, address: string, password: string): Promise<Result<{ readonly address: string }>>;
  setForwarding(connectionId: string, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>>;
}

/** Aliases and catch-alls (`@domain`). */
export interface AliasesApi {
  list(query: InventoryQuery): Promise<Result<readonly CachedAlias[]>>;
  upsert(connectionId: string, alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>>;
  remove(connectionId: string, address: string): Promise<Result<{ readonly address: string }>>;
}

/** Groups and distribution lists with their members. */
export interface GroupsApi {
  list(query: InventoryQuery): Promise<Result<readonly CachedGroup[]>>;
  upsert(connectionId: string, group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>>;
  remove(connectionId: string, address: string): Promise<Result<{ readonly address: string }>>;
}

/** Deliverability: DNS, authentication, TLS and reputation checks, history, records, DKIM keys, monitoring. */
export interface DnsApi {
  check(request: CheckRequest): Promise<Result<readonly DomainReport[]>>;
  history(domain: string, limit?: number): Promise<Result<readonly CheckRunSummary[]>>;
  latest(domain: string): Promise<Result<DomainReport | null>>;
  generateRecords(plan: RecordPlan): Promise<Result<GeneratedRecords>>;
  generateDkimKey(input: { domain: string; selector: string; algorithm: 'rsa-2048' | 'ed25519' }): Promise<Result<DkimKeyInfo>>;
  monitored(): Promise<Result<readonly MonitoredDomainInfo[]>>;
  monitor(input: { domain: string; profile?: DomainProfile; dkimSelectors?: string[]; sendingIps?: string[]; intervalMinutes?: number }): Promise<Result<MonitoredDomainInfo>>;
  unmonitor(domain: string): Promise<Result<{ readonly domain: string }>>;
}

/** Everything the renderer may call: `window.api.<area>.<method>`, channel `<area>.<method>`. */
export interface Api {
  app: AppApi;
  connections: ConnectionsApi;
  audit: AuditApi;
  domains: DomainsApi;
  mailboxes: MailboxesApi;
  aliases: AliasesApi;
  groups: GroupsApi;
  dns: DnsApi;
}

/** Everything the services announce; names state a past fact. */
export interface Events {
  'connections.changed': readonly ConnectionSummary[];
  'audit.appended': AuditEntry;
  'dns.findingsChanged': FindingsChanged;
  'dns.checkProgress': { readonly done: number; readonly total: number; readonly domain: string };
}

/** An area name of the Api. */
export type Area = keyof Api;

/** A method name within one area. */
export type Method<A extends Area> = keyof Api[A] & string;

/** Argument tuple of one operation. */
export type Args<A extends Area, M extends Method<A>> = Api[A][M] extends (...args: infer P) => unknown
  ? P
  : never;

/** Success value of one operation. */
export type Value<A extends Area, M extends Method<A>> = Api[A][M] extends (
  ...args: never[]
) => Promise<Result<infer T>>
  ? T
  : never;

/** The shape the renderer sees at `window.api`: the contract plus a typed event subscription. */
export type WindowApi = Api & {
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void;
};
