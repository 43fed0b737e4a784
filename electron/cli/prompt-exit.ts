import { flushCompileCache } from 'node:module';

// After the event loop has emptied, Node still tears its environment down before the process ends (threads joined,
// heaps freed): 10-20 ms of a 0.3 s no-change `migrate` re-run, for memory and threads the OS frees anyway.

/** The parts of a process that exitWhenIdle uses (the real `process` in the CLI, a fake in tests). */
export interface Exitable {
  once(event: 'beforeExit', listener: () => void): unknown;
  exit(): never;
}

/**
 * Ends the process as soon as Node would begin to (the event loop has nothing left: every write flushed, every
 * socket and file closed), with its `exitCode`, skipping Node's teardown; the compile cache is written first.
 * For a command whose work is over when its promise settles, never for one that keeps serving.
 */
export function exitWhenIdle(proc: Exitable, flush: () => void = flushCompileCache): void {
  proc.once('beforeExit', () => {
    try {
      flush();
    } catch {
      // The next run only compiles again.
    }
    proc.exit();
  });
}
