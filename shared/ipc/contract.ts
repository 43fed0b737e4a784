import type { Result } from '../errors/result.ts';
import type { AppInfo } from '../domain/app.ts';
import type { AuditEntry, AuditPage, AuditQuery, AuditVerification } from '../domain/audit.ts';
import type {
  ConnectionSummary,
  ConnectionTestReport,
  NewImapConnection,
} from '../domain/connection.ts';

/** Process-level facts. */
export interface AppApi {
  info(): Promise<Result<AppInfo>>;
}

/** Connections to mail platforms; secrets go to the keychain and never come back. */
export interface ConnectionsApi {
  list(): Promise<Result<readonly ConnectionSummary[]>>;
  addImap(input: NewImapConnection): Promise<Result<ConnectionSummary>>;
  test(id: string): Promise<Result<ConnectionTestReport>>;
  remove(id: string): Promise<Result<{ readonly id: string }>>;
}

/** The audit journal of every change made through Mailroom. */
export interface AuditApi {
  list(query: AuditQuery): Promise<Result<AuditPage>>;
  verify(): Promise<Result<AuditVerification>>;
  exportCsv(): Promise<Result<string>>;
}

/** Everything the renderer may call: `window.api.<area>.<method>`, channel `<area>.<method>`. */
export interface Api {
  app: AppApi;
  connections: ConnectionsApi;
  audit: AuditApi;
}

/** Everything the services announce; names state a past fact. */
export interface Events {
  'connections.changed': readonly ConnectionSummary[];
  'audit.appended': AuditEntry;
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
