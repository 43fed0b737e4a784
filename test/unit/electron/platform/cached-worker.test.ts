import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const url = (file: string): string => JSON.stringify(pathToFileURL(resolve(file)).href);

// Runs `lines` in a Node process whose compile cache is on (as `mailroom` turns it on); its output and cache entries.
function withCompileCache(lines: (dir: string) => string[]): { status: number | null; stdout: string; stderr: string; entries: number } {
  const dir = mkdtempSync(join(tmpdir(), 'mr-worker-cache-'));
  const script = join(dir, 'run.mjs');
  writeFileSync(script, ["import { enableCompileCache } from 'node:module';", `enableCompileCache(${JSON.stringify(join(dir, 'cache'))});`, ...lines(dir)].join('\n'));
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
  // One folder per Node version.
  const [version] = readdirSync(join(dir, 'cache'));
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr, entries: readdirSync(join(dir, 'cache', version!)).length };
}

// A worker does not inherit its parent's compile cache: without help each thread compiled its modules again at every run.
describe("a worker thread's modules come from the calling process's compile cache", () => {
  it("for a DNS shard's thread (`mailroom standards evaluate`)", () => {
    const run = withCompileCache(() => [
      `const { dnsShardThread } = await import(${url('electron/standards/dns-shard.ts')});`,
      // No domain: the thread starts, loads its modules and answers without a query.
      "console.log(JSON.stringify(await dnsShardThread()([], [], {}, { servers: ['127.0.0.1:1'] })));",
    ]);
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: '[]' });
    // The calling side alone (dns-shard.ts and what it imports) writes a handful of entries.
    expect(run.entries).toBeGreaterThan(50);
  });

  it("for the console's evaluation thread (`mailroom serve`)", () => {
    const run = withCompileCache((dir) => [
      `const { evaluationThread } = await import(${url('electron/standards/evaluate-thread.ts')});`,
      `const { EMAIL_BASELINE } = await import(${url('electron/standards/email-baseline.ts')});`,
      `const { openDatabase } = await import(${url('electron/db/database.ts')});`,
      `const file = ${JSON.stringify(join(dir, 'mailroom.db'))};`,
      'openDatabase(file).close();',
      "const job = { standard: EMAIL_BASELINE, targets: [], at: new Date().toISOString(), request: {}, heldSince: [], acceptances: [], record: false };",
      "const evaluation = await evaluationThread(file)(job, { servers: ['127.0.0.1:1'] }, new AbortController().signal);",
      "console.log(evaluation === null ? 'null' : 'evaluated');",
    ]);
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: 'evaluated', stderr: '' });
    // The calling side alone (the thread's launcher, the database, the standard) writes 79 entries; with the thread's 259.
    expect(run.entries).toBeGreaterThan(150);
  });
});

// A job that cannot cross to the thread (a function left in the request) rejected, but left the thread waiting for a
// message that never came: the process never exited.
describe("a DNS shard's job that cannot be cloned", () => {
  it('rejects and ends the thread, so the process can exit', () => {
    const run = withCompileCache(() => [
      `const { dnsShardThread } = await import(${url('electron/standards/dns-shard.ts')});`,
      "const outcome = await dnsShardThread()([], [], { uncloneable: () => 1 }, { servers: ['127.0.0.1:1'] }).then(() => 'resolved', (e) => e.name);",
      'console.log(outcome);',
    ]);
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'DataCloneError' });
  });
});
