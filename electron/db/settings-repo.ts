import type { Db } from './database.ts';

/** Key/value JSON settings (price table, SMTP relay); never secrets, which live in the keychain. */
export class SettingsRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT value_json FROM settings WHERE key = ?'),
      put: db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json'),
    };
  }

  /** The stored value, or null. */
  get<T>(key: string): T | null {
    const row = this.s.get.get(key) as { value_json: string } | undefined;
    return row ? (JSON.parse(row.value_json) as T) : null;
  }

  /** Stores a value. */
  put(key: string, value: unknown): void {
    this.s.put.run(key, JSON.stringify(value));
  }
}
