import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));

/** Every file under `dir`, with its permission bits. */
function filesUnder(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (path: string): void => {
    const stat = lstatSync(path);
    out.set(path, stat.mode & 0o777);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return out;
}

// The real CLI under a permissive umask (022, as most shells have), its cache folder chosen by XDG_CACHE_HOME.
function mailroom(cacheHome: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome, MAILROOM_HOME: join(cacheHome, '..', 'data') };
  delete env['NODE_COMPILE_CACHE'];
  delete env['NODE_DISABLE_COMPILE_CACHE'];
  const r = spawnSync('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, entry, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(process.platform === 'win32')("the CLI's compile cache is the user's own", () => {
  let base: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'mr-compile-cache-'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('caches compiled modules in a 0700 folder of the user cache, every entry closed to others', () => {
    const cache = join(base, 'a', 'cache');
    const run = mailroom(cache, 'migrate', '--help');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^mailroom migrate --source/);
    const files = filesUnder(join(cache, 'mailroom', 'compile-cache'));
    // Node writes one entry per compiled module at exit: the CLI and the migrate command at least.
    expect(files.size).toBeGreaterThan(10);
    for (const [path, mode] of files) expect(mode & 0o077, path).toBe(0);
  });

  it('runs without the cache when its folder cannot be created, and says nothing about it', () => {
    const blocked = join(base, 'b');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'cache'), 'a file where the cache folder would go');
    const run = mailroom(join(blocked, 'cache'), 'migrate', '--help');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^mailroom migrate --source/);
    expect(run.stderr).toBe('');
  });

  it('tightens its own folder left readable by others before using it', () => {
    const cache = join(base, 'c', 'cache');
    const dir = join(cache, 'mailroom', 'compile-cache');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const run = mailroom(cache, 'migrate', '--help');
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });

  // Only root can hand a folder to another user here.
  it.skipIf(process.getuid?.() !== 0)("never uses a folder another user owns (it would run that user's code)", () => {
    const cache = join(base, 'd', 'cache');
    const dir = join(cache, 'mailroom', 'compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownSync(dir, 65534, 65534);
    const run = mailroom(cache, 'migrate', '--help');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^mailroom migrate --source/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
