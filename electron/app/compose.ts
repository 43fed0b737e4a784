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
import { DnsRunsRepo } from '../db/dns-runs-repo.ts';
import { DnsService } from '../dns/dns-service.ts';
import { InventoryRepo } from '../db/inventory-repo.ts';
import { ProvisioningService } from '../provisioning/provisioning-service.ts';
import { defaultAdapterFactories, type AdapterFactories } from '../provisioning/adapter-factories.ts';
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
  readonly clock?: Clock;
  readonly operator?: string;
  /** Adapter factories by connection kind, merged over the built-in ones. */
  readonly adapterFactories?: AdapterFactories;
  /** DNS servers (`host:port`) for deliverability checks; empty means the system resolvers. */
  readonly dnsServers?: readonly string[];
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
  });
  const dns = new DnsService({
    repo: new DnsRunsRepo(db),
    vault: options.vault,
    clock,
    settings: { servers: options.dnsServers ?? [] },
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
  const info = (): AppInfo => ({
    version,
    transport: options.transport,
    dataDir: options.dataDir,
    operator,
    node: process.versions.node,
  });
  const handlers: HandlerTable = {
    app: appHandlers(info),
    connections: connectionsHandlers(connections, events),
    audit: auditHandlers(journal),
    ...provisioningHandlers(provisioning, inventory),
    dns: dnsHandlers(dns),
  };
  const router = new Router({ handlers, journal, logger: options.logger, events, operator });
  const close = (): void => {
    // Backend pools (mysql2, pg) end asynchronously; the cache closes now.
    void provisioning.close();
    dns.stop();
    db.close();
  };
  return { db, events, journal, connections, inventory, provisioning, dns, router, close };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Some containers run under a uid with no passwd entry.
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}
