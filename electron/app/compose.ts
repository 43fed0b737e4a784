import { userInfo } from 'node:os';
import { AuditJournal } from '../audit/audit-journal.ts';
import { ConnectionsService } from '../accounts/connections-service.ts';
import { ConnectionsRepo } from '../db/connections-repo.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { Router, type HandlerTable } from '../ipc/router.ts';
import { appHandlers } from '../ipc/handlers/app.ts';
import { auditHandlers } from '../ipc/handlers/audit.ts';
import { connectionsHandlers } from '../ipc/handlers/connections.ts';
import { provisioningHandlers } from '../ipc/handlers/provisioning.ts';
import { dnsHandlers } from '../ipc/handlers/dns.ts';
import { consoleHandlers } from '../ipc/handlers/console.ts';
import { migrationHandlers } from '../ipc/handlers/migration.ts';
import { MigrationService } from '../migration/migration-service.ts';
import { CapabilitiesRepo } from '../db/capabilities-repo.ts';
import { RoutingRepo } from '../db/routing-repo.ts';
import { SettingsRepo } from '../db/settings-repo.ts';
import { StorageRepo } from '../db/storage-repo.ts';
import { InviteService } from '../invite/invite-service.ts';
import { RoutingService } from '../routing/routing-service.ts';
import { StorageService } from '../storage/storage-service.ts';
import { DnsRunsRepo } from '../db/dns-runs-repo.ts';
import { DnsService } from '../dns/dns-service.ts';
import type { RunSettings } from '../dns/run.ts';
import { InventoryRepo } from '../db/inventory-repo.ts';
import { ProvisioningService } from '../provisioning/provisioning-service.ts';
import { defaultAdapterFactories, type AdapterFactories } from '../provisioning/adapter-factories.ts';
import { ImportService } from '../provisioning/import-service.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import { EventBus } from '../platform/event-bus.ts';
import type { Logger } from '../platform/logger.ts';
import { dataFiles } from '../platform/paths.ts';
import type { AppInfo } from '../../shared/domain/app.ts';
import { version } from './version.ts';

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
  readonly router: Router;
  close(): void;
}

/** Opens the cache and wires services, handlers and the router; shared by Electron, the loopback host and the CLI. */
export function composeServices(options: ComposeOptions): Services {
  const clock = options.clock ?? systemClock;
  const operator = options.operator ?? safeUserName();
  const db = openDatabase(dataFiles(options.dataDir).database);
  const events = new EventBus();
  const journal = new AuditJournal(db, () => clock.now());
  const connections = new ConnectionsService(new ConnectionsRepo(db), options.vault, clock);
  const inventory = new InventoryRepo(db);
  const provisioning = new ProvisioningService({
    connections,
    inventory,
    factories: { ...defaultAdapterFactories, ...options.adapterFactories },
    clock,
    operator,
    capabilities: new CapabilitiesRepo(db),
  });
  const settings = new SettingsRepo(db);
  const invites = new InviteService({ settings, vault: options.vault, provisioning });
  const routing = new RoutingService(new RoutingRepo(db));
  const storage = new StorageService(new StorageRepo(db), settings);
  const dns = new DnsService({
    repo: new DnsRunsRepo(db),
    vault: options.vault,
    clock,
    settings: { ...options.dnsSettings, servers: options.dnsServers ?? [] },
    logger: options.logger,
    prefs: settings,
    onProgress: (progress) => events.emit('dns.checkProgress', progress),
    onChanges: (changed) => {
      events.emit('dns.findingsChanged', changed);
      const entry = journal.append({
        operator,
        action: 'dns.findingsChanged',
        connectionId: null,
        object: changed.domain,
        before: null,
        after: { score: changed.score, changes: changed.changes },
        result: 'ok',
        errorCode: null,
      });
      events.emit('audit.appended', entry);
    },
  });
  const migration = new MigrationService({ db, vault: options.vault, connections, events, logger: options.logger, ...(options.clock ? { now: () => options.clock!.now() } : {}) });
  const info = (): AppInfo => ({
    version,
    transport: options.transport,
    dataDir: options.dataDir,
    operator,
    node: process.versions.node,
    ...(options.command ? { command: options.command } : {}),
  });
  const handlers: HandlerTable = {
    app: appHandlers(info),
    connections: connectionsHandlers(connections, events, provisioning),
    audit: auditHandlers(journal),
    ...provisioningHandlers(provisioning, inventory, invites, new ImportService(inventory, (channel, args) => router.dispatch(channel, args))),
    dns: dnsHandlers(dns),
    ...consoleHandlers(routing, storage, invites),
    migration: migrationHandlers(migration),
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
  return { db, events, journal, connections, inventory, provisioning, dns, migration, router, close };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Some containers run under a uid with no passwd entry.
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}
