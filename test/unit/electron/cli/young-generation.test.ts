import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/cli/main.ts';
import { relaunchWithDefaultYoungGeneration, withDefaultYoungGeneration, type Relaunchable } from '../../../../electron/cli/young-generation.ts';

// The installed launcher's node flags (main.ts's `#!` line).
const LAUNCHER = ['--max-semi-space-size=1', '--max-old-space-size=256'];

describe("the launcher's young-generation cap", () => {
  it('is dropped from node\'s arguments, in each spelling, and everything else is kept in order', () => {
    expect(withDefaultYoungGeneration(LAUNCHER)).toEqual(['--max-old-space-size=256']);
    expect(withDefaultYoungGeneration(['--max_semi_space_size=4', '--inspect'])).toEqual(['--inspect']);
    expect(withDefaultYoungGeneration(['--trace-gc', '--max-semi-space-size', '1', '--max-old-space-size=96'])).toEqual(['--trace-gc', '--max-old-space-size=96']);
  });

  it('leaves nothing to relaunch for when it is absent', () => {
    expect(withDefaultYoungGeneration([])).toBeNull();
    expect(withDefaultYoungGeneration(['--max-old-space-size=256', '--max-semi-space-sizes'])).toBeNull();
  });
});

/** A process as the launcher starts it, recording the execve it is asked for. */
function launched(execArgv: string[], execve: boolean | 'fails' = true): Relaunchable & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const proc = { execArgv, execPath: '/opt/node/bin/node', argv: ['/opt/node/bin/node', '/opt/mailroom/main.js', 'standards', 'evaluate', '--json'], env: { HOME: '/home/op' }, calls };
  if (!execve) return proc;
  return Object.assign(proc, {
    execve: (...args: unknown[]): never => {
      calls.push(args);
      throw new Error(execve === 'fails' ? 'ENOENT' : 'replaced');
    },
  });
}

describe('relaunching with the default young generation', () => {
  it('replaces the process by the same script and arguments without the cap, with the same environment', () => {
    const proc = launched(LAUNCHER);
    relaunchWithDefaultYoungGeneration(proc);
    expect(proc.calls).toEqual([['/opt/node/bin/node', ['/opt/node/bin/node', '--max-old-space-size=256', '/opt/mailroom/main.js', 'standards', 'evaluate', '--json'], { HOME: '/home/op' }]]);
  });

  it('does nothing without a cap (so a relaunched process never relaunches again), or without execve, and runs on when execve fails', () => {
    const bare = launched(['--max-old-space-size=256']);
    relaunchWithDefaultYoungGeneration(bare);
    expect(bare.calls).toEqual([]);
    expect(() => relaunchWithDefaultYoungGeneration(launched(LAUNCHER, false))).not.toThrow();
    const failing = launched(LAUNCHER, 'fails');
    expect(() => relaunchWithDefaultYoungGeneration(failing)).not.toThrow();
    expect(failing.calls).toHaveLength(1);
  });
});

// --help answers before anything is loaded, after the command is known: enough to see whether it asks to relaunch.
const asks = async (...argv: string[]): Promise<boolean> => {
  let asked = false;
  const code = await runCli([...argv, '--help', '--data-dir', '/nonexistent'], { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]), env: {} }, { relaunch: () => (asked = true) });
  expect(code).toBe(0);
  return asked;
};

describe('which invocations relaunch', () => {

  it('standards evaluate and monitor ask for it; migrate (whose memory the cap keeps flat) and the other standards commands do not', async () => {
    expect(await asks('standards', 'evaluate')).toBe(true);
    expect(await asks('monitor')).toBe(true);
    expect(await asks('migrate')).toBe(false);
    expect(await asks('migrate', 'dav')).toBe(false);
    expect(await asks('standards', 'list')).toBe(false);
    expect(await asks('serve')).toBe(false);
  });
});

describe('the installed launcher (bin/mailroom)', () => {
  // A `node` first on PATH that prints the malloc settings and the arguments it is started with, one a line.
  const fake = mkdtempSync(join(tmpdir(), 'mr-launcher-'));
  writeFileSync(join(fake, 'node'), '#!/bin/sh\nprintf "%s\\n" "$MALLOC_ARENA_MAX $MALLOC_TRIM_THRESHOLD_" "$@"\n');
  chmodSync(join(fake, 'node'), 0o755);
  const launcher = resolve('bin/mailroom');
  const main = `${resolve('bin')}/../dist/electron/cli/main.js`;
  const launch = (argv: string[], via = launcher): string[] => execFileSync(via, argv, { env: { PATH: `${fake}:/usr/bin:/bin` }, encoding: 'utf8' }).trimEnd().split('\n');

  it("starts node once, with main.js's heap and malloc settings, and the young generation by command", () => {
    expect(launch(['--json', 'migrate', '--state', 's.db'])).toEqual(['2 131072', '--max-semi-space-size=1', '--max-old-space-size=256', main, '--json', 'migrate', '--state', 's.db']);
    expect(launch(['--data-dir', 'evaluate', 'standards', '--vault', 'file', 'evaluate', '--json'])).toEqual(['2 131072', '--max-old-space-size=256', main, '--data-dir', 'evaluate', 'standards', '--vault', 'file', 'evaluate', '--json']);
  });

  it('finds main.js through the symlinks npm installs it under', () => {
    const bin = mkdtempSync(join(tmpdir(), 'mr-bin-'));
    symlinkSync(launcher, join(bin, 'mailroom'));
    symlinkSync(join(bin, 'mailroom'), join(bin, 'mr'));
    expect(launch(['monitor'], join(bin, 'mr'))).toEqual(['2 131072', '--max-old-space-size=256', main, 'monitor']);
  });

  it("gives V8's default young generation to exactly the invocations that relaunch for it", async () => {
    const invocations = [['standards', 'evaluate'], ['monitor'], ['monitor', 'run'], ['migrate'], ['migrate', 'dav'], ['standards', 'list'], ['standards'], ['serve'], ['--vault=file', 'standards', 'evaluate'], ['standards', '--json', 'evaluate'], ['check', 'evaluate']];
    for (const argv of invocations) {
      const capped = launch(argv).includes('--max-semi-space-size=1');
      expect({ argv, capped }).toEqual({ argv, capped: !(await asks(...argv)) });
    }
  });
});
