import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, openStateDatabase, SchemaMismatchError, STATE_CACHE_KIB } from '../../../../electron/db/database.ts';
import { migrations } from '../../../../electron/db/migrations/index.ts';
import { schemaStamp, STATE_PAGE_BYTES } from '../../../../electron/db/database-core.ts';
import { CURRENT_SCHEMA } from '../../../../electron/db/schema-stamp.ts';
import { openCurrentStateDatabase } from '../../../../electron/db/state-database.ts';

const dirs: string[] = [];
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-db-'));
  dirs.push(dir);
  return join(dir, 'cache.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('openDatabase', () => {
  it('uses WAL and foreign keys, and records every migration once', () => {
    const file = tempFile();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    const again = openDatabase(file);
    const versions = again.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(migrations.map((m) => m.version));
    again.close();
  });

  it('refuses a database whose applied migration was edited', () => {
    const file = tempFile();
    openDatabase(file, [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' }]).close();
    expect(() => openDatabase(file, [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x TEXT);' }])).toThrow(SchemaMismatchError);
  });

  it('refuses a database written by a newer build', () => {
    const file = tempFile();
    const steps = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x INTEGER);' },
    ];
    openDatabase(file, steps).close();
    expect(() => openDatabase(file, steps.slice(0, 1))).toThrow(/newer Mailroom/);
  });

  it('rolls back a failing migration as a whole', () => {
    const file = tempFile();
    expect(() => openDatabase(file, [{ version: 1, name: 'bad', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' }])).toThrow();
    const db = openDatabase(file, []);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
    db.close();
  });

  it('cascades a removed connection to its cached domains and mailboxes', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO connections (id, name, kind, settings_json, created_at) VALUES ('c1', 'One', 'imap', '{}', 'now')").run();
    db.prepare("INSERT INTO domains (connection_id, name) VALUES ('c1', 'example.com')").run();
    db.prepare("INSERT INTO mailboxes (connection_id, address, domain) VALUES ('c1', 'a@example.com', 'example.com')").run();
    db.prepare("DELETE FROM connections WHERE id = 'c1'").run();
    expect(db.prepare('SELECT count(*) FROM domains').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM mailboxes').pluck().get()).toBe(0);
  });
});

describe('openStateDatabase', () => {
  it('bounds the page cache that better-sqlite3 leaves at 16 MB, on the same migrated database', () => {
    const file = tempFile();
    const plain = openDatabase(file);
    expect(plain.pragma('cache_size', { simple: true })).toBe(-16000);
    plain.close();
    const state = openStateDatabase(file);
    expect(state.pragma('cache_size', { simple: true })).toBe(-STATE_CACHE_KIB);
    expect(state.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(state.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    state.close();
  });
});

const steps = vi.fn(async () => migrations);

describe('CURRENT_SCHEMA', () => {
  it('is the stamp, count and highest version of migrations/index.ts (update schema-stamp.ts with these values)', () => {
    expect(CURRENT_SCHEMA).toEqual({ steps: migrations.length, version: Math.max(...migrations.map((m) => m.version)), stamp: schemaStamp(migrations) });
  });
});

describe('openCurrentStateDatabase', () => {
  it('loads the schema steps for a new file, and not again once the file holds this build\'s schema', async () => {
    const file = tempFile();
    steps.mockClear();
    const fresh = await openCurrentStateDatabase(file, steps);
    expect(steps).toHaveBeenCalledTimes(1);
    expect(fresh.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    fresh.close();
    const again = await openCurrentStateDatabase(file, steps);
    expect(steps).toHaveBeenCalledTimes(1);
    expect([again.pragma('cache_size', { simple: true }), again.pragma('journal_mode', { simple: true }), again.pragma('foreign_keys', { simple: true })]).toEqual([-STATE_CACHE_KIB, 'wal', 1]);
    again.close();
  });

  it('creates a new file with the state page size, and leaves an existing file its own', async () => {
    const fresh = await openCurrentStateDatabase(tempFile(), steps);
    expect(fresh.pragma('page_size', { simple: true })).toBe(STATE_PAGE_BYTES);
    fresh.close();
    // A file an earlier build created: WAL mode fixes its page size, and it opens as it is.
    const older = tempFile();
    openStateDatabase(older).close();
    const reopened = await openCurrentStateDatabase(older, steps);
    expect([reopened.pragma('page_size', { simple: true }), reopened.pragma('journal_mode', { simple: true })]).toEqual([4096, 'wal']);
    expect(reopened.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    reopened.close();
  });

  it('checks every step when a file was stamped by another list of steps, or holds a step this build does not know', async () => {
    const older = tempFile();
    openDatabase(older, migrations.slice(0, -1)).close();
    steps.mockClear();
    const upgraded = await openCurrentStateDatabase(older, steps);
    expect(steps).toHaveBeenCalledTimes(1);
    expect(upgraded.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(CURRENT_SCHEMA.version);
    upgraded.close();
    // A newer build's step recorded after this build stamped the file: the stamp alone would let it through.
    const newer = tempFile();
    const db = openDatabase(newer);
    db.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'later', 'x', 'now')").run();
    db.close();
    await expect(openCurrentStateDatabase(newer, steps)).rejects.toThrow(SchemaMismatchError);
  });
});
