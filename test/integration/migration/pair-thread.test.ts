import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/db/database.ts';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { runPairMigration } from '../../../electron/migration/pair-thread.ts';
import { closedPort } from '../../support/closed-port.ts';

const endpoint = (port: number): ImapEndpoint => ({ host: '127.0.0.1', port, tls: 'none', user: 'ana', auth: { password: 'pw-in-memory-only' } });

const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'mailroom-thread-')), 'mailroom.db');

describe('a batch pair in a worker thread (pair-thread.ts); pause and cancel by message: batches.test.ts', () => {
  it('runs the engine on its own connection to the same database file and returns the summary by message', async () => {
    const db = openDatabase(dbFile());
    const port = await closedPort();
    const summary = await runPairMigration(db, 'job-thread', { source: endpoint(port), target: endpoint(port) }, { signal: new AbortController().signal, onProgress: () => undefined });
    expect(summary.complete).toBe(false);
    expect(summary.error?.code).toBe('imap.connection');
    // Written by the thread's connection, read here through the caller's.
    expect(db.prepare('SELECT status, last_error FROM migration_jobs WHERE id = ?').get('job-thread')).toEqual({ status: 'error', last_error: summary.error?.message });
    db.close();
  });

});
