import { getCompileCacheDir } from 'node:module';
import { dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const BOOT = new URL(`./worker-boot${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** A worker thread running `entry` that reads its modules' compiled code from this process's compile cache, when it has one. */
export function cachedWorker(entry: URL): Worker {
  // The folder given to Node, whose versioned subfolder getCompileCacheDir() answers.
  const cache = getCompileCacheDir();
  return new Worker(BOOT, { workerData: { compileCache: cache === undefined ? null : dirname(cache), entry: entry.href } });
}
