import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
// start.sh opens the Electron app where its runtime is installed; this test is about the served console.
const electronInstalled = existsSync(join(ROOT, 'node_modules/electron/path.txt'));

interface Start {
  readonly url: string;
  readonly stderr: string;
}

/** Runs start.sh as `npm start` does (npm_lifecycle_event=start) until it prints the address, then stops it. */
function start(copy: string, home: string): Promise<Start> {
  return new Promise((done, fail) => {
    const child = spawn('sh', [join(copy, 'resources/toolchain/start.sh'), '--renderer', join(copy, 'dist/renderer')], {
      env: { ...process.env, MAILROOM_HOME: home, npm_lifecycle_event: 'start', MAILROOM_KEYCHAIN_SERVICE: `Mailroom-start-test-${process.pid}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => (child.kill('SIGKILL'), fail(new Error(`start.sh printed no address:\n${stdout}\n${stderr}`))), 120_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(stdout)?.[0];
      if (!url) return;
      clearTimeout(timer);
      child.once('exit', () => done({ url, stderr }));
      child.kill('SIGTERM');
    });
    child.once('error', fail);
  });
}

// Finding 9: `npm start` rebuilds the renderer only when its sources changed, and keeps its port and key between starts.
describe.skipIf(electronInstalled)('npm start (resources/toolchain/start.sh), served to a browser', () => {
  let copy: string;
  let home: string;

  beforeAll(() => {
    // A copy of the parts start.sh builds from, so its builds never replace the renderer other tests are using.
    copy = mkdtempSync(join(tmpdir(), 'mailroom-start-'));
    home = join(copy, 'home');
    for (const part of ['renderer', 'shared', 'electron', 'resources', 'package.json', 'package-lock.json', 'tsconfig.base.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('builds once, then reuses the build and the same address; a changed source builds again', async () => {
    const first = await start(copy, home);
    const built = statSync(join(copy, 'dist/renderer/index.html')).mtimeMs;
    expect(first.stderr).not.toContain('up to date');

    const second = await start(copy, home);
    expect(second.stderr).toContain('The renderer is up to date');
    expect(statSync(join(copy, 'dist/renderer/index.html')).mtimeMs).toBe(built);
    expect(second.url).toBe(first.url);
    const kept = join(home, 'serve-session.json');
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(readFileSync(kept, 'utf8')).toContain(new URL(first.url).hash.slice('#token='.length));

    appendFileSync(join(copy, 'renderer/main.tsx'), '\n// changed by the start test\n');
    const third = await start(copy, home);
    expect(third.stderr).not.toContain('up to date');
    expect(third.url).toBe(first.url);
    // Nothing alarming on the way: no npm warning of any kind.
    for (const run of [first, second, third]) expect(run.stderr).not.toMatch(/npm warn/i);
  }, 400_000);
});
