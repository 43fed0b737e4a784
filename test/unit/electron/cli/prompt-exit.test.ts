import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitWhenIdle, type Exitable } from '../../../../electron/cli/prompt-exit.ts';
import { commands } from '../../../../electron/cli/main.ts';

/** A process that records what exitWhenIdle asks of it; `idle()` plays the event loop emptying. */
function fakeProcess(): Exitable & { steps: string[]; idle(): void } {
  const steps: string[] = [];
  let listener: (() => void) | null = null;
  return {
    steps,
    once(event: string, fn: () => void) {
      steps.push(`once ${event}`);
      listener = fn;
    },
    exit(): never {
      steps.push('exit');
      return undefined as never;
    },
    idle: () => listener?.(),
  };
}

describe('exiting once the event loop is idle', () => {
  it('waits for the loop to empty, writes the compile cache, then exits with the code already set', () => {
    const proc = fakeProcess();
    exitWhenIdle(proc, () => proc.steps.push('flush'));
    expect(proc.steps).toEqual(['once beforeExit']);
    proc.idle();
    expect(proc.steps).toEqual(['once beforeExit', 'flush', 'exit']);
  });

  it('still exits when the compile cache cannot be written', () => {
    const proc = fakeProcess();
    exitWhenIdle(proc, () => {
      throw new Error('EACCES');
    });
    proc.idle();
    expect(proc.steps).toEqual(['once beforeExit', 'exit']);
  });

  it('is asked for by migrate only, never by the commands that keep serving', () => {
    const asking = commands.filter((c) => c.exitsWhenDone?.([])).map((c) => c.name);
    expect(asking).toEqual(['migrate']);
  });
});

describe.skipIf(process.platform === 'win32')('the CLI after a finished migrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mr-prompt-exit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A preload whose beforeExit listener schedules one more turn: it prints only if Node's ordinary exit path ran on.
  const preload = join(dir, 'turn.mjs');
  writeFileSync(preload, "process.once('beforeExit', () => setImmediate(() => process.stdout.write('turn after idle\\n')));\n");
  const cli = (...args: string[]): { code: number | null; stdout: string } => {
    const env = { ...process.env, MAILROOM_HOME: join(dir, 'home'), XDG_CACHE_HOME: join(dir, 'cache'), MAILROOM_SOURCE_PASSWORD: 'x', MAILROOM_TARGET_PASSWORD: 'x' };
    const r = spawnSync(process.execPath, ['--import', preload, resolve('electron/cli/main.ts'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout };
  };

  it('ends as soon as the loop is idle, with its exit code and its whole report written', () => {
    // Nothing listens on port 1: the run returns its failure (exit 1) after its report.
    const run = cli('migrate', '--json', '--source', 'imaps://u@127.0.0.1:1', '--target', 'imaps://u@127.0.0.1:1', '--state', join(dir, 'job.db'));
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'report', complete: false, error: { code: 'imap.connection' } });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ copied: 0, failed: 0 });
    expect(run.stdout).not.toContain('turn after idle');
  }, 60_000);

  it('exits the ordinary way when the command did not run to its end (--help)', () => {
    const help = cli('migrate', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('turn after idle');
  }, 60_000);
});
