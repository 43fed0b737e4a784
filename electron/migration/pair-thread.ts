import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/database.ts';
import type { MigrateOptions, MigrationProgressEvent, MigrationSummary } from './migrate-job.ts';
import { StateStore } from './state-store.ts';

/** A run's options without the parts that live in the calling thread (its store, hooks and signal). */
export type PairRunOptions = Omit<MigrateOptions, 'store' | 'onProgress' | 'signal' | 'durable'>;

/** Messages from the thread: progress samples, then the summary or the error that ended it. */
export type PairThreadMessage =
  | { readonly type: 'progress'; readonly progress: MigrationProgressEvent }
  | { readonly type: 'done'; readonly summary: MigrationSummary }
  | { readonly type: 'failed'; readonly message: string };

/** Messages to the thread: the run (credentials in memory, never written anywhere), then at most an abort. */
export type PairThreadCommand = { readonly type: 'run'; readonly file: string; readonly jobId: string; readonly options: PairRunOptions } | { readonly type: 'abort' };

// How long an aborted run may take to stop at a safe point before its thread is terminated.
const ABORT_GRACE_MS = 60_000;

// The thread's entry beside this module, in whichever form this build runs (.ts under Node, .js when compiled).
const ENTRY = new URL(`./pair-thread-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Runs one mailbox pair off the main event loop ("this machine"): a worker thread with its own
 * SQLite connection on the same database file, progress and the summary by message, pause and
 * cancel by an abort message. A database in memory cannot be shared with a thread: that run stays here.
 */
export function runPairMigration(db: Db, jobId: string, options: PairRunOptions, hooks: { readonly signal: AbortSignal; readonly onProgress: (p: MigrationProgressEvent) => void }): Promise<MigrationSummary> {
  // The copy engine is loaded here, with its first run, rather than by every command that composes the app.
  if (db.memory) return import('./migrate-job.ts').then(({ runMigration }) => runMigration({ ...options, store: new StateStore(db, jobId), signal: hooks.signal, onProgress: hooks.onProgress }));
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY);
    let settled = false;
    let deadline: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      worker.postMessage({ type: 'abort' } satisfies PairThreadCommand);
      // A run that does not stop within the engine's own deadlines is ended with its thread (the exit rejects).
      deadline = setTimeout(() => void worker.terminate(), ABORT_GRACE_MS);
    };
    const end = (): void => {
      settled = true;
      clearTimeout(deadline);
      hooks.signal.removeEventListener('abort', onAbort);
      // The summary is in: a socket an aborted copy left open must not keep the thread (and its heap) alive.
      void worker.terminate();
    };
    worker.on('message', (m: PairThreadMessage) => {
      if (m.type === 'progress') hooks.onProgress(m.progress);
      else if (m.type === 'done') {
        end();
        resolve(m.summary);
      } else {
        end();
        reject(new Error(m.message));
      }
    });
    worker.on('error', (error) => {
      if (settled) return;
      end();
      reject(error);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      end();
      reject(new Error(`the migration thread exited (code ${code}) before its summary`));
    });
    worker.postMessage({ type: 'run', file: db.name, jobId, options } satisfies PairThreadCommand);
    if (hooks.signal.aborted) onAbort();
    else hooks.signal.addEventListener('abort', onAbort, { once: true });
  });
}
