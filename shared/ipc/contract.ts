import type { Result } from '../errors/result.ts';
import type {
  ChangesSince,
  CheckProgress,
  CheckRequest,
  CheckRunSummary,
  DkimExport,
  DkimKeyInfo,
  DomainProfile,
  DomainReport,
  FindingsChanged,
  GeneratedRecords,
  MonitoredDomainInfo,
  RecordPlan,
  ResolverSettings,
} from '../domain/dns.ts';
import type { AppInfo } from '../domain/app.ts';
import type { AuditCheckpoint, AuditEntry, AuditPage, AuditQuery, AuditVerification } from '../domain/audit.ts';
import type {
  AddConnectionOptions,
  ConnectionDependents,
  ConnectionEdit,
  ConnectionSummary,
  ConnectionTestReport,
  NewGoogleConnection,
  NewImapConnection,
  NewMailcowConnection,
  NewMicrosoftConnection,
  NewPostfixAdminConnection,
  NewStalwartConnection,
  RemoveConnectionOptions,
} from '../domain/connection.ts';
import type { IngestResult, ReportsSummary, ReportSource } from '../domain/reports.ts';
import type { MailboxIngestRequest, MailboxIngestResult, ReportsIngestProgress } from '../domain/reports-mailbox.ts';
import type { DmarcVerdict, ReportDay, ReverseName, TlsFailureRow } from '../domain/reports-insights.ts';
import type { RoutingAnalysis, RoutingQuery } from '../domain/routing.ts';
import type { PriceImportReport, PriceImportRequest, PriceTable, StorageSummary } from '../domain/storage.ts';
import type { Alert, AlertDelivery, AlertDestination, AlertDestinationPatch, AlertFilter, NewAlertDestination } from '../domain/alerts.ts';
import type { MonthlyReport, MonthlyReportQuery } from '../domain/monthly-report.ts';
import type { AcceptDeviation, CustomerSummary, DeviationRemedy, Standard, StandardEvaluation, StandardSummary } from '../domain/standards.ts';
import type { InviteInput, InviteReport, NewRelaySettings, RelaySettings, RelayTestInput, RelayTestReport } from '../domain/relay.ts';
import type { ImportReport, ImportRequest } from '../domain/import.ts';
import type {
  CachedAlias,
  CachedDomain,
  CachedGroup,
  InventoryQuery,
  MailboxKeysetPage,
  MailboxPage,
  MailboxPageQuery,
  NewDomain,
  RefreshReport,
} from '../domain/inventory.ts';
import type {
  AliasInfo,
  DkimSigner,
  DomainInfo,
  DomainPatch,
  ForwardingInfo,
  GroupInfo,
  MailboxInfo,
  MailboxPatch,
  NewMailbox,
  Capabilities,
  Outcome,
  SpamThreshold,
  TenantSettings,
} from '../domain/provisioning.ts';
import type {
  MigrationBatch,
  MigrationBatchSummary,
  MigrationMailboxReport,
  MigrationPlan,
  MigrationPlanPatch,
  MigrationPlanSummary,
  MigrationProgress,
  NewPlanFromConnections,
  NewPlanFromCsv,
  StartBatchOptions,
} from '../domain/migration.ts';
import type { NewPlanFromUrls, PlanFromUrls } from '../domain/migration.ts';
import type { CopyMailboxInput, CopyMailboxProgress, CopyMailboxReport } from '../domain/migration-copy.ts';
import type { FleetSettings, FleetSettingsInput, FleetStatus, FleetStatusInput } from '../domain/fleet.ts';

/** Process-level facts. */
export interface AppApi {
  info(): Promise<Result<AppInfo>>;
}

/** Connections to mail platforms; secrets go to the keychain and never come back. */
export interface ConnectionsApi {
  list(): Promise<Result<readonly ConnectionSummary[]>>;
  addImap(input: NewImapConnection, options?: AddConnectionOptions): Promise<Result<ConnectionSummary>>;
  addPostfixAdmin(input: NewPostfixAdminConnection, options?: AddConnectionOptions): Promise<Result<ConnectionSummary>>;
  addMailcow(input: NewMailcowConnection, options?: AddConnectionOptions): Promise<Result<ConnectionSummary>>;
  addStalwart(input: NewStalwartConnection, options?: AddConnectionOptions): Promise<Result<ConnectionSummary>>;
  addGoogle(input: NewGoogleConnection, options?: AddConnectionOptions): Promise<Result<ConnectionSummary>>;
  addMicrosoft(input: NewMicrosoftConnection, options?: AddConnectionOptions): Promise<Result<ConnectionSummary>>;
  /** Changes settings and/or the secret of a saved connection; its id (what plans and batches refer to) stays. */
  edit(id: string, edit: ConnectionEdit): Promise<Result<ConnectionSummary>>;
  test(id: string): Promise<Result<ConnectionTestReport>>;
  /** What the platform can do, as last probed (probes once when never probed). */
  capabilities(id: string): Promise<Result<Capabilities>>;
  /** The plans, batches, DKIM keys and checks that refer to a connection. */
  dependents(id: string): Promise<Result<ConnectionDependents>>;
  /** Refused with connection.inUse for a connection in use, unless forced. */
  remove(id: string, options?: RemoveConnectionOptions): Promise<Result<{ readonly id: string }>>;
  /** Changes tenant-wide security settings (Microsoft security defaults); answers them as read back. */
  setTenantSettings(id: string, patch: TenantSettings): Promise<Result<TenantSettings>>;
}

/** The audit journal of every change made through Mailroom. */
export interface AuditApi {
  list(query: AuditQuery): Promise<Result<AuditPage>>;
  verify(): Promise<Result<AuditVerification>>;
  exportCsv(): Promise<Result<string>>;
  /** Signs a checkpoint of the newest entry with the keychain's Ed25519 key; refused for a damaged journal. */
  checkpoint(): Promise<Result<AuditCheckpoint>>;
  /** verify, plus whether the journal still holds the entry a checkpoint records. */
  verifyCheckpoint(checkpoint: AuditCheckpoint): Promise<Result<AuditVerification>>;
}

/** Domains across every connection: the cache to browse, the backend to change (then the cache refreshes). */
export interface DomainsApi {
  list(query: InventoryQuery): Promise<Result<readonly CachedDomain[]>>;
  refresh(connectionId: string): Promise<Result<RefreshReport>>;
  create(connectionId: string, input: NewDomain): Promise<Result<Outcome<DomainInfo>>>;
  update(connectionId: string, name: string, patch: DomainPatch): Promise<Result<DomainInfo>>;
  remove(connectionId: string, name: string): Promise<Result<{ readonly name: string }>>;
  /** The DKIM keys the platform signs the domain's mail with. */
  dkimKeys(connectionId: string, domain: string): Promise<Result<readonly DkimSigner[]>>;
  /** Installs the keychain's key of this selector on the platform, which signs with it from then on. */
  installDkim(connectionId: string, key: { domain: string; selector: string }): Promise<Result<DkimSigner>>;
  /** Has the platform generate its own key for the domain and sign with it. */
  generateDkim(connectionId: string, key: { domain: string; selector: string }): Promise<Result<DkimSigner>>;
}

/** Mailboxes: search-as-you-type over the cache; create, edit, suspend, delete, reset password, forward. */
export interface MailboxesApi {
  search(query: InventoryQuery): Promise<Result<MailboxPage>>;
  /** Keyset-paged rows for the virtualized table. */
  page(query: MailboxPageQuery): Promise<Result<MailboxKeysetPage>>;
  /** Sets a one-time password (forced change where the platform can) and mails it through the SMTP relay. */
  invite(input: InviteInput): Promise<Result<InviteReport>>;
  /** Bulk CSV import: the dry-run diff, or the diff applied step by step (each step journaled). */
  import(request: ImportRequest): Promise<Result<ImportReport>>;
  create(connectionId: string, input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>>;
  update(connectionId: string, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>>;
  remove(connectionId: string, address: string): Promise<Result<{ readonly address: string }>>;
  setPassword(connectionId: string, address: string, password: string): Promise<Result<{ readonly address: string }>>;
  setForwarding(connectionId: string, address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>>;
  /** Sets a mailbox's spam thresholds (mailcow); answers them as read back. */
  setSpamThreshold(connectionId: string, address: string, threshold: SpamThreshold): Promise<Result<SpamThreshold>>;
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
  /** Writes the keychain's DKIM key to a new file for a signer Mailroom cannot install it on (the key leaves the keychain). */
  exportDkimKey(input: { domain: string; selector: string; path: string }): Promise<Result<DkimExport>>;
  monitored(): Promise<Result<readonly MonitoredDomainInfo[]>>;
  monitor(input: { domain: string; profile?: DomainProfile; dkimSelectors?: string[]; sendingIps?: string[]; intervalMinutes?: number }): Promise<Result<MonitoredDomainInfo>>;
  unmonitor(domain: string): Promise<Result<{ readonly domain: string }>>;
  /** Stops a running `dns.check` started with this `runId`; domains already checked stay stored. */
  cancel(runId: string): Promise<Result<{ readonly cancelled: boolean }>>;
  /** The newest stored run of every checked domain (no findings: `latest` loads them). */
  domains(): Promise<Result<readonly CheckRunSummary[]>>;
  /** Findings that appeared or worsened after `since`, or after the last-seen marker when omitted. */
  changesSince(since?: string): Promise<Result<ChangesSince>>;
  /** Moves the last-seen marker to now. */
  markSeen(): Promise<Result<{ readonly at: string }>>;
  /** Which DNS servers checks ask, saved and in effect. */
  resolver(): Promise<Result<ResolverSettings>>;
  /** Saves the DNS servers checks ask; an empty list means the system resolvers. */
  setResolver(servers: readonly string[]): Promise<Result<ResolverSettings>>;
}

/** The routing view: alias, forwarding and group chains over the cache. */
export interface RoutingApi {
  analyze(query: RoutingQuery): Promise<Result<RoutingAnalysis>>;
}

/** Storage use, allocation and cost over the cache. */
export interface StorageApi {
  summary(): Promise<Result<StorageSummary>>;
  prices(): Promise<Result<PriceTable>>;
  setPrices(table: PriceTable): Promise<Result<PriceTable>>;
  /** The price table as CSV, one plan a row. */
  exportPrices(): Promise<Result<string>>;
  /** Replaces the plans from a CSV; any bad row refuses the whole file (input.invalid, detail.rows: PriceRowError[]). */
  importPrices(request: PriceImportRequest): Promise<Result<PriceImportReport>>;
}

/** The SMTP relay invites are sent through. */
export interface RelayApi {
  get(): Promise<Result<RelaySettings | null>>;
  set(input: NewRelaySettings): Promise<Result<RelaySettings>>;
  /** Sends a short test message through the stored relay and returns the server's answer. */
  sendTest(input: RelayTestInput): Promise<Result<RelayTestReport>>;
}

/** Mailbox migrations: offline plans, one-click batches (pause, resume, cancel; survive a restart), verification reports. */
export interface MigrationApi {
  listPlans(): Promise<Result<readonly MigrationPlanSummary[]>>;
  getPlan(id: string): Promise<Result<MigrationPlan>>;
  createPlanFromCsv(input: NewPlanFromCsv): Promise<Result<MigrationPlan>>;
  createPlanFromConnections(input: NewPlanFromConnections): Promise<Result<MigrationPlan>>;
  updatePlan(id: string, patch: MigrationPlanPatch): Promise<Result<MigrationPlan>>;
  removePlan(id: string): Promise<Result<{ readonly id: string }>>;
  exportPlanCsv(id: string): Promise<Result<string>>;
  startBatch(planId: string, options: StartBatchOptions): Promise<Result<MigrationBatch>>;
  pauseBatch(id: string): Promise<Result<MigrationBatch>>;
  /** Continues a paused or interrupted batch where it stopped (no message copied twice). */
  resumeBatch(id: string): Promise<Result<MigrationBatch>>;
  cancelBatch(id: string): Promise<Result<MigrationBatch>>;
  /** Runs every pair of a finished batch again: copies only what is new (delta pass). */
  deltaPass(id: string): Promise<Result<MigrationBatch>>;
  /** Verifies every pair of a finished batch again, copying nothing: every copied message compared with the source by content. */
  verifyBatch(id: string): Promise<Result<MigrationBatch>>;
  /** Runs the failed or incomplete pairs (and failed messages) again. */
  retryFailed(id: string): Promise<Result<MigrationBatch>>;
  listBatches(): Promise<Result<readonly MigrationBatchSummary[]>>;
  getBatch(id: string): Promise<Result<MigrationBatch>>;
  report(batchId: string, seq: number): Promise<Result<MigrationMailboxReport>>;
  /** Every pair's per-folder verification as CSV. */
  exportReportCsv(batchId: string): Promise<Result<string>>;
  /** Copies one mailbox pair now, outside any batch (`mailroom migrate`); progress as `migration.copyProgress`. */
  copyMailbox(input: CopyMailboxInput): Promise<Result<CopyMailboxReport>>;
  /** Plans from source URLs, each inventoried with a password that is not kept (`mailroom plan`). */
  createPlanFromUrls(input: NewPlanFromUrls): Promise<Result<PlanFromUrls>>;
  /** The migration fleet at a Redis URL: its workers (heartbeats, throughput) and batches (`mailroom fleet status`). */
  fleetStatus(input: FleetStatusInput): Promise<Result<FleetStatus>>;
  /** The console's fleet settings (Redis, state, recipient; whether a Redis password is in the keychain). */
  fleetSettings(): Promise<Result<FleetSettings>>;
  /** Stores the fleet settings (the Redis password in the keychain only); answers them as stored. */
  setFleetSettings(input: FleetSettingsInput): Promise<Result<FleetSettings>>;
}

/** Customers, standards, their evaluation and drift. */
export interface StandardsApi {
  /** Customers (an MSP's clients) with their connections and domain counts. */
  customers(): Promise<Result<readonly CustomerSummary[]>>;
  /** Puts a connection (and so its domains) under a customer; null clears it. */
  assignCustomer(connection: string, customer: string | null): Promise<Result<ConnectionSummary>>;
  /** Stored standards; with a customer, those whose targets include it. */
  list(filter: { readonly customer?: string }): Promise<Result<readonly StandardSummary[]>>;
  show(name: string): Promise<Result<Standard>>;
  /** Stores a standard from its JSON form; replacing one needs a higher version. */
  import(standard: Standard): Promise<Result<StandardSummary>>;
  /** The latest stored evaluation (null before the first), narrowed to one customer when asked. */
  latest(name: string, filter: { readonly customer?: string }): Promise<Result<StandardEvaluation | null>>;
  /** Evaluates now with the console's DNS settings and stores the evaluation; with a `runId`, `cancel` can stop it (nothing is stored then). */
  evaluate(name: string, filter: { readonly customer?: string; readonly runId?: string }): Promise<Result<StandardEvaluation>>;
  /** Stops a running `evaluate` started with this run id: it answers `cancelled` and stores nothing. */
  cancel(runId: string): Promise<Result<{ readonly cancelled: boolean }>>;
  /** Accepts a deviation (target `*`: everywhere) with a reason; journaled. */
  accept(input: AcceptDeviation): Promise<Result<AcceptDeviation>>;
  /** The fix for one deviation of the latest evaluation: the platform call, the exact DNS record, or the manual step. */
  remedy(name: string, deviation: { readonly rule: string; readonly target: string }): Promise<Result<DeviationRemedy>>;
  /** Re-evaluates one target's domain alone and returns the latest evaluation with it merged in. */
  recheck(name: string, target: string): Promise<Result<StandardEvaluation>>;
}

/** Monthly reports per customer, laid out for the client. */
export interface CustomerReportsApi {
  /** One customer's month: seats, storage and cost of the real inventory, deliverability, alignment and drift, migrations done. */
  monthly(query: MonthlyReportQuery): Promise<Result<MonthlyReport>>;
  /** The same report as CSV (section, item, figure, value). */
  monthlyCsv(query: MonthlyReportQuery): Promise<Result<string>>;
  /** The console's report page printed to PDF by Chromium or Electron, base64; backend.unsupported where no printer is wired. */
  monthlyPdf(query: MonthlyReportQuery): Promise<Result<string>>;
}

/** DMARC aggregate, SMTP TLS and failure reports that receivers send. */
export interface ReportsApi {
  /** Reads report files or messages (base64 bytes) into the cache; each unreadable one is listed, none stops the run. */
  ingest(inputs: readonly { readonly name: string; readonly base64: string }[], options: { readonly keepRaw?: boolean }): Promise<Result<IngestResult>>;
  /** Totals over stored reports, for one domain and from a date (ISO) when given. */
  summary(filter: { readonly domain?: string; readonly since?: string }): Promise<Result<ReportsSummary>>;
  /** One domain's sending sources by IP, classified and with the known service they belong to. */
  sources(query: { readonly domain: string; readonly since?: string }): Promise<Result<ReportSource[]>>;
  /** Reads new messages of a saved IMAP connection's folder, then moves them to a processed folder or marks them; progress as `reports.ingestProgress`. */
  ingestMailbox(request: MailboxIngestRequest): Promise<Result<MailboxIngestResult>>;
  /** One domain's messages and DMARC passes per day. */
  days(query: { readonly domain: string; readonly since?: string }): Promise<Result<ReportDay[]>>;
  /** TLS failures per receiving MX and failure type. */
  tlsFailures(query: { readonly domain?: string; readonly since?: string }): Promise<Result<TlsFailureRow[]>>;
  /** "Ready for p=reject?" from the last 30 days, with the record to publish. */
  verdict(query: { readonly domain: string }): Promise<Result<DmarcVerdict>>;
  /** Stops a running `ingestMailbox` by its run id; messages already stored stay stored and moved. */
  cancelIngest(runId: string): Promise<Result<{ readonly cancelled: boolean }>>;
  /** The PTR names of sending IPs, asked of the resolver deliverability checks use. */
  reverseDns(query: { readonly ips: readonly string[] }): Promise<Result<ReverseName[]>>;
}

/** Alerts raised and resolved by scheduled evaluations, and where they are sent. */
export interface AlertsApi {
  list(filter: AlertFilter): Promise<Result<Alert[]>>;
  destinations(): Promise<Result<AlertDestination[]>>;
  /** Adds a destination; a webhook URL goes to the keychain only. */
  addDestination(input: NewAlertDestination): Promise<Result<AlertDestination>>;
  updateDestination(id: string, patch: AlertDestinationPatch): Promise<Result<AlertDestination>>;
  removeDestination(id: string): Promise<Result<{ readonly id: string; readonly name: string }>>;
  /** Skips deliveries to a destination until a time (ISO); null wakes it. */
  snooze(id: string, until: string | null): Promise<Result<AlertDestination>>;
  /** Sends a test alert to one destination and says what happened. */
  test(id: string): Promise<Result<AlertDelivery>>;
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
  routing: RoutingApi;
  storage: StorageApi;
  relay: RelayApi;
  migration: MigrationApi;
  reports: ReportsApi;
  alerts: AlertsApi;
  standards: StandardsApi;
  customerReports: CustomerReportsApi;
}

/** Everything the services announce; names state a past fact. */
export interface Events {
  'connections.changed': readonly ConnectionSummary[];
  'audit.appended': AuditEntry;
  'dns.findingsChanged': FindingsChanged;
  'dns.checkProgress': CheckProgress;
  'migration.progress': MigrationProgress;
  'migration.batchChanged': MigrationBatchSummary;
  'migration.copyProgress': CopyMailboxProgress;
  'reports.ingestProgress': ReportsIngestProgress;
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
