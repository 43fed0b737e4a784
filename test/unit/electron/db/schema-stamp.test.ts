import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrations } from '../../../../electron/db/migrations/index.ts';
import { openDatabase, SchemaMismatchError, STATE_CACHE_KIB } from '../../../../electron/db/database.ts';
import { schemaStamp } from '../../../../electron/db/database-core.ts';
import { CURRENT_SCHEMA } from '../../../../electron/db/schema-stamp.ts';
import { openCurrentStateDatabase } from '../../../../electron/db/state-database.ts';

const dirs: string[] = [];
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-stamp-'));
  dirs.push(dir);
  return join(dir, 'state.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
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
