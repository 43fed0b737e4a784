import type { Db } from './database.ts';
import type { ConnectionKind, ConnectionSummary } from '../../shared/domain/connection.ts';

/** A connection row as stored: settings without secrets, and only a keychain reference. */
export interface ConnectionRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: ConnectionKind;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly secretRef: string | null;
  readonly createdAt: string;
  readonly lastTest: ConnectionSummary['lastTest'];
  /** The MSP's client this connection belongs to; its domains inherit it. */
  readonly customer?: string | null;
}

interface Row {
  id: string;
  name: string;
  kind: ConnectionKind;
  settings_json: string;
  secret_ref: string | null;
  created_at: string;
  last_test_at: string | null;
  last_test_ok: number | null;
  last_test_message: string | null;
  customer: string | null;
}

/** Prepared-statement access to the connections table. */
export class ConnectionsRepo {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      all: db.prepare('SELECT * FROM connections ORDER BY natural_key(name), name'),
      byId: db.prepare('SELECT * FROM connections WHERE id = ?'),
      byName: db.prepare('SELECT * FROM connections WHERE name = ? COLLATE NOCASE'),
      insert: db.prepare(`INSERT INTO connections (id, name, kind, settings_json, secret_ref, created_at)
        VALUES (@id, @name, @kind, @settings_json, @secret_ref, @created_at)`),
      remove: db.prepare('DELETE FROM connections WHERE id = ?'),
      update: db.prepare(`UPDATE connections SET name = ?, settings_json = ?, secret_ref = ?,
        last_test_at = NULL, last_test_ok = NULL, last_test_message = NULL WHERE id = ?`),
      customer: db.prepare('UPDATE connections SET customer = ? WHERE id = ?'),
      lastTest: db.prepare(
        'UPDATE connections SET last_test_at = ?, last_test_ok = ?, last_test_message = ? WHERE id = ?',
      ),
    };
  }

  /** Every connection, by name. */
  list(): ConnectionRecord[] {
    return (this.statements.all.all() as Row[]).map(toRecord);
  }

  /** One connection by id, or null. */
  get(id: string): ConnectionRecord | null {
    const row = this.statements.byId.get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** One connection by name (case-insensitive), or null. */
  findByName(name: string): ConnectionRecord | null {
    const row = this.statements.byName.get(name) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** Inserts a new connection. */
  insert(record: Omit<ConnectionRecord, 'lastTest'>): void {
    this.statements.insert.run({
      id: record.id,
      name: record.name,
      kind: record.kind,
      settings_json: JSON.stringify(record.settings),
      secret_ref: record.secretRef,
      created_at: record.createdAt,
    });
  }

  /** Rewrites a connection's name, settings and secret reference in place; its last test no longer applies. */
  update(id: string, name: string, settings: Readonly<Record<string, unknown>>, secretRef: string | null): void {
    this.statements.update.run(name, JSON.stringify(settings), secretRef, id);
  }

  /** Deletes a connection (its cached domains and mailboxes go with it); true when it existed. */
  remove(id: string): boolean {
    return this.statements.remove.run(id).changes > 0;
  }

  /** Puts a connection under a customer (null: under none); true when it existed. */
  setCustomer(id: string, customer: string | null): boolean {
    return this.statements.customer.run(customer, id).changes > 0;
  }

  /** Caches the outcome of the latest connection test. */
  recordTest(id: string, at: string, ok: boolean, message: string): void {
    this.statements.lastTest.run(at, ok ? 1 : 0, message, id);
  }
}

/** The renderer-safe projection of a record: no secret reference, only whether a secret exists. */
export function toSummary(record: ConnectionRecord): ConnectionSummary {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    settings: record.settings,
    hasSecret: record.secretRef !== null,
    createdAt: record.createdAt,
    lastTest: record.lastTest,
    ...(record.customer ? { customer: record.customer } : {}),
  };
}

function toRecord(row: Row): ConnectionRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    settings: JSON.parse(row.settings_json) as Record<string, unknown>,
    secretRef: row.secret_ref,
    createdAt: row.created_at,
    lastTest:
      row.last_test_at === null
        ? null
        : { at: row.last_test_at, ok: row.last_test_ok === 1, message: row.last_test_message ?? '' },
    customer: row.customer,
  };
}
