import { userInfo } from 'node:os';
import { AuditJournal } from '../audit/audit-journal.ts';
import { ConnectionsService } from '../accounts/connections-service.ts';
import { ConnectionsRepo } from '../db/connections-repo.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { Router, type HandlerTable } from '../ipc/router.ts';
import { appHandlers } from '../ipc/handlers/app.ts';
import { auditHandlers } from '../ipc/handlers/audit.ts';
import { connectionsHandlers } from '../ipc/handlers/connections.ts';
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
}

/** Every service, wired; the only place that knows them all. */
export interface Services {
  readonly db: Db;
  readonly events: EventBus;
  readonly journal: AuditJournal;
  readonly connections: ConnectionsService;
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
  };
  const router = new Router({ handlers, journal, logger: options.logger, events, operator });
  return { db, events, journal, connections, router, close: () => db.close() };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Some containers run under a uid with no passwd entry.
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}
