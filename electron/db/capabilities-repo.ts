import type { Db } from './database.ts';
import type { Capabilities } from '../../shared/domain/provisioning.ts';

/** Capabilities as last probed per connection, so the console can grey out operations offline. */
export class CapabilitiesRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT capabilities_json FROM connection_capabilities WHERE connection_id = ?'),
      put: db.prepare(`INSERT INTO connection_capabilities (connection_id, probed_at, capabilities_json) VALUES (?, ?, ?)
        ON CONFLICT (connection_id) DO UPDATE SET probed_at = excluded.probed_at, capabilities_json = excluded.capabilities_json`),
    };
  }

  /** The cached capabilities of a connection, or null when never probed. */
  get(connectionId: string): Capabilities | null {
    const row = this.s.get.get(connectionId) as { capabilities_json: string } | undefined;
    return row ? (JSON.parse(row.capabilities_json) as Capabilities) : null;
  }

  /** Stores a probe result. */
  put(connectionId: string, at: string, capabilities: Capabilities): void {
    this.s.put.run(connectionId, at, JSON.stringify(capabilities));
  }
}
