import { userInfo } from 'node:os';
import { AuditJournal } from '../audit/audit-journal.ts';
import { AuditRecorder } from '../audit/audit-recorder.ts';
import { journalIdFor } from '../audit/audit-keys.ts';
import { ConnectionsService } from '../accounts/connections-service.ts';
import { ConnectionDependentsRepo } from '../db/connection-dependents-repo.ts';
import { ConnectionsRepo } from '../db/connections-repo.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { Router, type HandlerTable } from '../ipc/router.ts';
import { appHandlers } from '../ipc/handlers/app.ts';
import { auditHandlers } from '../ipc/handlers/audit.ts';
import { reportsHandlers } from '../ipc/handlers/reports.ts';
import { ReportsService } from '../reports/reports-service.ts';
import { ReportsRepo } from '../db/reports-repo.ts';
import { ReportsViewsRepo } from '../db/reports-views-repo.ts';
import { ReportsMailbox } from '../reports/reports-mailbox.ts';
import { ReportsInsights } from '../reports/reports-insights.ts';
import { ReverseDns } from '../reports/reverse-dns.ts';
import { connectionsHandlers } from '../ipc/handlers/connections.ts';
import { domainsHandlers } from '../ipc/handlers/domains.ts';
import { DkimSigning } from '../provisioning/dkim-signing.ts';
import { mailboxesHandlers } from '../ipc/handlers/mailboxes.ts';
import { aliasesHandlers } from '../ipc/handlers/aliases.ts';
import { groupsHandlers } from '../ipc/handlers/groups.ts';
import { dnsHandlers } from '../ipc/handlers/dns.ts';
import { routingHandlers } from '../ipc/handlers/routing.ts';
import { storageHandlers } from '../ipc/handlers/storage.ts';
import { standardsHandlers } from '../ipc/handlers/standards.ts';
import { evaluationThread } from '../standards/evaluate-thread.ts';
import { dnsShardThread } from '../standards/dns-shard.ts';
import { StandardsService } from '../standards/standards-service.ts';
import { StandardsRepo } from '../db/standards-repo.ts';
import { ProvisioningFactsRepo } from '../db/provisioning-facts-repo.ts';
import { relayHandlers } from '../ipc/handlers/relay.ts';
import { alertsHandlers } from '../ipc/handlers/alerts.ts';
import { AlertsService } from '../alerts/alerts-service.ts';
import { AlertDestinations } from '../alerts/alert-destinations.ts';
import { AlertsRepo } from '../db/alerts-repo.ts';
import { logOnlyNotifier, type OsNotifier } from '../platform/os-notifier.ts';
import { migrationHandlers } from '../ipc/handlers/migration.ts';
import { MigrationService } from '../migration/migration-service.ts';
import { CapabilitiesRepo } from '../db/capabilities-repo.ts';
import { ReportsForwardsRepo } from '../db/reports-forwards-repo.ts';
import { RoutingRepo } from '../db/routing-repo.ts';
import { SettingsRepo } from '../db/settings-repo.ts';
import { StorageRepo } from '../db/storage-repo.ts';
import { InviteService } from '../invite/invite-service.ts';
import { RelayService } from '../invite/relay-service.ts';
import { RoutingService } from '../routing/routing-service.ts';
import { imapOnlyCapabilities } from '../backends/imap/imap-capabilities.ts';
import { StorageService } from '../storage/storage-service.ts';
import { DnsRunsRepo } from '../db/dns-runs-repo.ts';
import { DnsService } from '../dns/dns-service.ts';
import type { RunSettings } from '../dns/run.ts';
import { InventoryRepo } from '../db/inventory-repo.ts';
import { ProvisioningService } from '../provisioning/provisioning-service.ts';
import { defaultAdapterFactories, type AdapterFactories } from '../provisioning/adapter-factories.ts';
import { ImportService } from '../provisioning/import-service.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { checkVault, type CredentialVault } from '../platform/credential-vault.ts';
import { EventBus } from '../platform/event-bus.ts';
import type { Logger } from '../platform/logger.ts';
import { dataFiles, OWN_DATA_ENTRIES } from '../platform/paths.ts';
import { securePrivateDataDir } from '../platform/private-files.ts';
import type { AppInfo } from '../../shared/domain/app.ts';
import { version } from './version.ts';
import { MonthlyReportService } from '../monthly-report/monthly-report-service.ts';
import { PrinterSlot } from '../monthly-report/report-printer.ts';
import { customerReportsHandlers } from '../ipc/handlers/customer-reports.ts';

/** What the composition root needs from its environment. */
export interface ComposeOptions {
  readonly dataDir: string;
  readonly vault: CredentialVault;
  readonly logger: Logger;
  readonly transport: AppInfo['transport'];
  /** The command that started the served console, for messages that tell the user what to run again. */
  readonly command?: string;
  readonly clock?: Clock;
  readonly operator?: string;
  /** Adapter factories by connection kind, merged over the built-in ones. */
  readonly adapterFactories?: AdapterFactories;
  /** DNS servers (`host:port`) for deliverability checks; empty means the system resolvers. */
  readonly dnsServers?: readonly string[];
  /** Further deliverability run settings (check options, MTA-STS port); tests use them to reach local listeners. */
  readonly dnsSettings?: Omit<RunSettings, 'servers' | 'signal' | 'onProgress' | 'onQuery'>;
  /** The desktop's notifications; without it (serve, monitor, CLI) OS notifications are logged, not shown. */
  readonly notifier?: OsNotifier;
}

/** Every service, wired; the only place that knows them all. */
export interface Services {
  readonly db: Db;
  readonly events: EventBus;
  readonly journal: AuditJournal;
  readonly connections: ConnectionsService;
  readonly inventory: InventoryRepo;
  readonly provisioning: ProvisioningService;
  readonly dns: DnsService;
  readonly migration: MigrationService;
  /** Evaluations in (`observe`), alerts out; the scheduler and the standards feed it. */
  readonly alerts: AlertsService;
  readonly standards: StandardsService;
  /** Stored DMARC/TLS reports and their views, for the monitor's report alerts. */
  readonly reports: ReportsService;
  readonly reportInsights: ReportsInsights;
  readonly router: Router;
  /** Where the desktop window or a loopback host plugs in the printer of the monthly report's PDF. */
  readonly printer: PrinterSlot;
  close(): void;
}

/** Opens the cache and wires services, handlers and the router; shared by Electron, the loopback host and the CLI. */
export function composeServices(options: ComposeOptions): Services {
  const clock = options.clock ?? systemClock;
  const operator = options.operator ?? safeUserName();
  const notPrivate = securePrivateDataDir(options.dataDir, OWN_DATA_ENTRIES);
  if (notPrivate.length > 0) options.logger.warn('data folder: could not make these private to the user', { paths: notPrivate });
  const databaseFile = dataFiles(options.dataDir).database;
  const db = openDatabase(databaseFile);
  const events = new EventBus();
  // The key is read from the keychain on the first append or check, not here: starting stays free of keychain calls.
  const journal = new AuditJournal(db, {
    vault: options.vault,
    journalId: journalIdFor(databaseFile),
    now: () => clock.now(),
    operator,
    onAnchorError: (error) => options.logger.error('audit anchor not updated', { error }),
  });
  const connections = new ConnectionsService(new ConnectionsRepo(db), options.vault, clock, new ConnectionDependentsRepo(db));
  const inventory = new InventoryRepo(db);
  const provisioning = new ProvisioningService({
    connections,
    inventory,
    factories: { ...defaultAdapterFactories, ...options.adapterFactories },
    clock,
    operator,
    capabilities: new CapabilitiesRepo(db),
  });
  const dkim = new DkimSigning({ open: (idOrName) => provisioning.adapter(idOrName), vault: options.vault });
  const settings = new SettingsRepo(db);
  const relay = new RelayService({ settings, vault: options.vault });
  const invites = new InviteService({ relay, provisioning });
  const importer = new ImportService({ inventory, writes: provisioning, recorder: new AuditRecorder({ journal, events, logger: options.logger }) });
  const routing = new RoutingService(new RoutingRepo(db), (kind) => (kind === 'imap' ? imapOnlyCapabilities.forward.read : null), new ReportsForwardsRepo(db));
  const storage = new StorageService(new StorageRepo(db), settings);
  const dnsRuns = new DnsRunsRepo(db);
  const dns = new DnsService({
    repo: dnsRuns,
    vault: options.vault,
    clock,
    settings: { ...options.dnsSettings, servers: options.dnsServers ?? [] },
    logger: options.logger,
    prefs: settings,
    onProgress: (progress) => events.emit('dns.checkProgress', progress),
    onChanges: (changed) => {
      events.emit('dns.findingsChanged', changed);
      void journal
        .append({
          operator,
          action: 'dns.findingsChanged',
          connectionId: null,
          object: changed.domain,
          before: null,
          after: { score: changed.score, changes: changed.changes },
          result: 'ok',
          errorCode: null,
        })
        .then(
          (entry) => events.emit('audit.appended', entry),
          (error: unknown) => options.logger.error('audit journal write failed', { channel: 'dns.findingsChanged', error }),
        );
    },
  });
  const migration = new MigrationService({ db, vault: options.vault, connections, events, logger: options.logger, ...(options.clock ? { now: () => options.clock!.now() } : {}) });
  const reports = new ReportsService(new ReportsRepo(db));
  const reportInsights = new ReportsInsights(new ReportsViewsRepo(db), reports);
  const alertsRepo = new AlertsRepo(db);
  const destinations = new AlertDestinations({ repo: alertsRepo, vault: options.vault, clock });
  const alerts = new AlertsService({
    repo: alertsRepo,
    destinations,
    delivery: { relay, notifier: options.notifier ?? logOnlyNotifier(options.logger) },
    recorder: new AuditRecorder({ journal, events, logger: options.logger }),
    operator,
    clock,
    logger: options.logger,
  });
  const capabilities = new CapabilitiesRepo(db);
  const standards = new StandardsService({
    repo: new StandardsRepo(db),
    facts: new ProvisioningFactsRepo(db),
    capabilities,
    connections,
    clock,
    run: () => dns.runSettings(),
    alerts,
    ...(db.memory ? {} : { thread: evaluationThread(db.name) }),
    shard: dnsShardThread(),
  });
  const printer = new PrinterSlot();
  const monthly = new MonthlyReportService({
    connections: () => connections.list(),
    storage: () => storage.summary(),
    standards: new StandardsRepo(db),
    checks: dnsRuns,
    batches: () => migration.listBatches(),
    plan: (id) => migration.plans.getPlan(id),
    clock,
    printer,
  });
  const info = async (): Promise<AppInfo> => ({
    version,
    transport: options.transport,
    dataDir: options.dataDir,
    operator,
    node: process.versions.node,
    // Asked afresh each time, so a keychain unlocked after start clears the console's warning.
    vault: await checkVault(options.vault),
    ...(options.command ? { command: options.command } : {}),
  });
  const handlers: HandlerTable = {
    app: appHandlers(info),
    connections: connectionsHandlers(connections, events, provisioning),
    audit: auditHandlers(journal),
    domains: domainsHandlers(provisioning, inventory, dkim),
    mailboxes: mailboxesHandlers(provisioning, inventory, invites, importer),
    aliases: aliasesHandlers(provisioning, inventory),
    groups: groupsHandlers(provisioning, inventory),
    dns: dnsHandlers(dns),
    routing: routingHandlers(routing),
    storage: storageHandlers(storage),
    relay: relayHandlers(relay),
    alerts: alertsHandlers(alerts, destinations),
    migration: migrationHandlers(migration),
    standards: standardsHandlers(standards, connections, events),
    customerReports: customerReportsHandlers(monthly),
    reports: reportsHandlers(reports, new ReportsMailbox({ reports, connections, onProgress: (p) => events.emit('reports.ingestProgress', p) }), reportInsights, new ReverseDns(() => dns.servers())),
  };
  const router = new Router({ handlers, journal, logger: options.logger, events, operator });
  const close = (): void => {
    // Backend pools (mysql2, pg) end asynchronously; the cache closes now.
    void provisioning.close();
    dns.stop();
    // Runs stop as after a crash: their batches resume (as 'interrupted') at the next start.
    void migration.shutdown();
    db.close();
  };
  return { db, events, journal, connections, inventory, provisioning, dns, migration, alerts, standards, reports, reportInsights, router, printer, close };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Some containers run under a uid with no passwd entry.
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}
