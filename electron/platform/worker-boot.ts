import { enableCompileCache } from 'node:module';
import { workerData } from 'node:worker_threads';

// The entry of every worker started by cached-worker.ts. A worker does not share its parent's compile cache: turned on
// here, in the parent's folder, before the worker's own modules load, they are read from it instead of compiled again
// at every start.
const { compileCache, entry } = workerData as { compileCache: string | null; entry: string };
if (compileCache !== null) enableCompileCache(compileCache);
await import(entry);
