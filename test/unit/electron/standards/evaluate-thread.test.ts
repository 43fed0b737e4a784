import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const threadModule = pathToFileURL(resolve('electron/standards/evaluate-thread.ts')).href;
const baselineModule = pathToFileURL(resolve('electron/standards/email-baseline.ts')).href;
const databaseModule = pathToFileURL(resolve('electron/db/database.ts')).href;

// `mailroom serve` (the console) turns on Node's compile cache, then runs every evaluation in a worker thread; a worker
// does not inherit the cache, so without help it compiled its modules again at every evaluation.
describe("the evaluation's thread", () => {
  it("loads its modules through the calling process's compile cache", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mr-evaluate-cache-'));
    const script = join(dir, 'evaluate.mjs');
    writeFileSync(script, [
      "import { enableCompileCache } from 'node:module';",
      `enableCompileCache(${JSON.stringify(join(dir, 'cache'))});`,
      `const { evaluationThread } = await import(${JSON.stringify(threadModule)});`,
      `const { EMAIL_BASELINE } = await import(${JSON.stringify(baselineModule)});`,
      `const { openDatabase } = await import(${JSON.stringify(databaseModule)});`,
      `const file = ${JSON.stringify(join(dir, 'mailroom.db'))};`,
      'openDatabase(file).close();',
      // No domain: the thread starts, loads its modules and answers without a query.
      "const job = { standard: EMAIL_BASELINE, targets: [], at: new Date().toISOString(), request: {}, heldSince: [], acceptances: [], record: false };",
      "const evaluation = await evaluationThread(file)(job, { servers: ['127.0.0.1:1'] }, new AbortController().signal);",
      "console.log(evaluation === null ? 'null' : 'evaluated');",
    ].join('\n'));
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({ status: 0, stdout: 'evaluated', stderr: '' });
    // One folder per Node version; the calling side alone (the thread's launcher, the database and the standard) writes a
    // few dozen entries (79 before the thread read the cache), the thread's evaluation modules far more (259).
    const [version] = readdirSync(join(dir, 'cache'));
    expect(readdirSync(join(dir, 'cache', version!)).length).toBeGreaterThan(150);
  });
});
