import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const shardModule = pathToFileURL(resolve('electron/standards/dns-shard.ts')).href;

// `mailroom standards evaluate` turns on Node's compile cache, then checks half of a large run's domains in a DNS shard's
// worker thread; a worker does not inherit the cache, so without help it compiled its ~150 modules again at every run.
describe("a DNS shard's thread", () => {
  it("loads its modules through the calling process's compile cache", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mr-shard-cache-'));
    const script = join(dir, 'shard.mjs');
    writeFileSync(script, [
      "import { enableCompileCache } from 'node:module';",
      `enableCompileCache(${JSON.stringify(join(dir, 'cache'))});`,
      `const { dnsShardThread } = await import(${JSON.stringify(shardModule)});`,
      // No domain: the thread starts, loads its modules and answers without a query.
      "console.log(JSON.stringify(await dnsShardThread()([], [], {}, { servers: ['127.0.0.1:1'] })));",
    ].join('\n'));
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: '[]' });
    // One folder per Node version; the calling side alone (dns-shard.ts and what it imports) writes a handful of entries.
    const [version] = readdirSync(join(dir, 'cache'));
    expect(readdirSync(join(dir, 'cache', version!)).length).toBeGreaterThan(50);
  });
});
