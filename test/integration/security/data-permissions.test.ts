import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServers } from '../../support/servers.ts';

const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));

/** Every path under `dir` (itself included), with its permission bits. */
function modesUnder(dir: string): Map<string, { mode: number; dir: boolean }> {
  const out = new Map<string, { mode: number; dir: boolean }>();
  const visit = (path: string): void => {
    const stat = lstatSync(path);
    out.set(path, { mode: stat.mode & 0o777, dir: stat.isDirectory() });
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return out;
}

function expectPrivate(dir: string): void {
  for (const [path, { mode, dir: isDir }] of modesUnder(dir)) {
    expect(mode.toString(8), path).toBe(isDir ? '700' : '600');
  }
}

/**
 * Runs the real `mailroom` under a permissive umask (022, as most shells have), so only the
 * CLI's own umask and modes can make its files private. `untilLine` ends a long-running command.
 */
function mailroom(args: readonly string[], env: Record<string, string>, untilLine?: (line: string) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('/bin/sh', ['-c', 'umask 022 && exec "$0" "$@"', process.execPath, entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let handled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (untilLine && !handled && stdout.includes('\n')) {
        handled = true;
        untilLine(stdout.split('\n')[0]!).then(() => child.kill('SIGTERM'), (error: unknown) => (child.kill('SIGKILL'), fail(error)));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('the data folder is private to the user', () => {
  let base: string;
  const env = { MAILROOM_KEYCHAIN_SERVICE: `Mailroom-perms-${randomUUID()}` };

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'mailroom-perms-'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('creates a fresh data folder, its database, WAL and side files, --state files and exports 0700/0600', async () => {
    const dataDir = join(base, 'fresh', 'data');
    // While `serve` runs, the cache is open in WAL mode: the -wal and -shm files exist.
    let whileOpen = new Map<string, { mode: number; dir: boolean }>();
    const served = await mailroom(['--data-dir', dataDir, 'serve', '--json', '--renderer', join(base, 'no-renderer')], env, async (line) => {
      const { origin } = JSON.parse(line) as { origin?: string };
      if (!origin) throw new Error(`serve did not start: ${line}`);
      expect((await fetch(`${origin}/`)).status).toBe(503);
      whileOpen = modesUnder(dataDir);
    });
    expect(served.code, served.stderr).toBe(0);
    expect([...whileOpen.keys()]).toEqual(expect.arrayContaining([join(dataDir, 'mailroom.db'), join(dataDir, 'mailroom.db-wal'), join(dataDir, 'mailroom.db-shm')]));
    for (const [path, { mode, dir }] of whileOpen) expect(mode.toString(8), path).toBe(dir ? '700' : '600');
    // The parent the CLI had to create is private too.
    expect((lstatSync(join(base, 'fresh')).mode & 0o777).toString(8)).toBe('700');

    // A plan kept in a --state file and exported to CSV, both inside the data folder here.
    const servers = testServers();
    const user = servers.users[0]!;
    const plan = await mailroom(
      ['plan', '--source', `imaps://${encodeURIComponent(user.user)}@127.0.0.1:${servers.imap.imapsPort}`, '--target-preset', 'gmail', '--ca', servers.ca,
        '--state', join(dataDir, 'plans', 'state.db'), '--csv', join(dataDir, 'plan.csv'), '--json'],
      { ...env, MAILROOM_SOURCE_PASSWORD: user.password },
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(existsSync(join(dataDir, 'plan.csv'))).toBe(true);
    expect(existsSync(join(dataDir, 'plans', 'state.db'))).toBe(true);
    expectPrivate(dataDir);
  });

  it('tightens a data folder an older version left readable by others', async () => {
    const dataDir = join(base, 'old');
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    const db = new Database(join(dataDir, 'mailroom.db'));
    db.exec('CREATE TABLE leftover (x)');
    db.close();
    writeFileSync(join(dataDir, 'logs', 'mailroom.log'), '{"level":"info"}\n');
    for (const dir of [dataDir, join(dataDir, 'logs')]) chmodSync(dir, 0o755);
    for (const file of [join(dataDir, 'mailroom.db'), join(dataDir, 'logs', 'mailroom.log')]) chmodSync(file, 0o644);

    const list = await mailroom(['--data-dir', dataDir, 'connections', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expectPrivate(dataDir);
  });
});
