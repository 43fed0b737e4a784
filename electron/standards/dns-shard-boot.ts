import { enableCompileCache } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

// The DNS shard's thread entry (dns-shard.ts). A worker does not share its parent's compile cache: turned on here, in
// the parent's folder, before the shard's modules load, they are read from it instead of compiled again at every run.
const cache = (workerData as { compileCache?: unknown } | null)?.compileCache;
if (typeof cache === 'string') enableCompileCache(cache);
await import(new URL(`./dns-shard-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href);
