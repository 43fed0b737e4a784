import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import type { FetchedBody, FetchedMeta } from '../../../../electron/imap/fetch-parse.ts';
import { BodyBudget } from '../../../../electron/migration/body-budget.ts';
import type { CopyContext } from '../../../../electron/migration/copy-context.ts';
import type { FetchConnection } from '../../../../electron/migration/fetch-connection.ts';
import { FolderCopier } from '../../../../electron/migration/folder-copier.ts';
import { memoryBudget } from '../../../../electron/migration/memory-budget.ts';
import type { ListedFolder } from '../../../../electron/migration/raw-listing.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MESSAGES = 2000;

// A source folder of MESSAGES messages whose body stream stops at its start until `release` is called.
function source(): { conn: FetchConnection; firstWindow: () => WeakRef<FetchedMeta[]> | null; streaming: Promise<void>; release: () => void } {
  let firstWindow: WeakRef<FetchedMeta[]> | null = null;
  let started!: () => void;
  const streaming = new Promise<void>((r) => (started = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const conn = {
    alive: true,
    hasOpen: () => false,
    open: () => Promise.resolve({ uidValidity: 7, uidNext: MESSAGES + 1, exists: MESSAGES, permanentFlags: null }),
    meta: () => {
      const metas: FetchedMeta[] = Array.from({ length: MESSAGES }, (_, i) => ({ uid: i + 1, size: 100, internalDate: new Date(0), flags: ['\\Seen'], header: null }));
      firstWindow = new WeakRef(metas);
      return Promise.resolve(metas);
    },
    async *gatedBodies(): AsyncGenerator<FetchedBody | null> {
      started();
      await released;
      yield* [];
    },
  } as unknown as FetchConnection;
  return { conn, firstWindow: () => firstWindow, streaming, release };
}

function context(conn: FetchConnection): CopyContext {
  const store = new StateStore(openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-scan-')), 'state.db')), 'job');
  store.ensureJob('src', 'dst', new Date().toISOString());
  return {
    store,
    pool: {} as CopyContext['pool'],
    target: () => Promise.reject(new Error('no target session in this test')),
    targetUnknown: new Set(),
    permanentFlags: new Map([['INBOX', undefined]]),
    dryRun: false,
    appendLimit: null,
    counters: { copied: 0, skipped: 0, failed: 0, bytes: 0, total: 0 },
    warnings: [],
    signal: undefined,
    gmail: false,
    bodies: new BodyBudget(8 * 1024 * 1024),
    budget: memoryBudget(),
    unchanged: new Set(),
    borrowFetcher: () => Promise.resolve(conn),
    returnFetcher: () => undefined,
    report: () => undefined,
    durable: () => Promise.resolve(),
  };
}

describe('a folder copy after its scan', () => {
  it('holds no reference to the scan\'s first metadata window while it copies bodies', async () => {
    const { conn, firstWindow, streaming, release } = source();
    const listed = { path: 'INBOX', pathAsListed: 'INBOX', delimiter: '/', flags: new Set(), status: { uidValidity: 7, uidNext: MESSAGES + 1, messages: MESSAGES } } as unknown as ListedFolder;
    const copy = new FolderCopier(context(conn), { sourcePath: 'INBOX', targetPath: 'INBOX', specialUse: null, skipReason: null, renamed: null }, listed).run();
    await streaming;
    // Let the promise jobs that handed the window on finish before collecting.
    await new Promise((r) => setImmediate(r));
    gc();
    const collected = firstWindow() !== null && firstWindow()!.deref() === undefined;
    release();
    await copy;
    expect(collected).toBe(true);
  });
});
