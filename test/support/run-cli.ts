import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a CLI run printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const entry = fileURLToPath(new URL('../../electron/cli/main.ts', import.meta.url));

/** Runs `mailroom` as a separate process (Node 24 strips the types), with extra env and optional stdin. */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [entry, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** Parses the last JSON line of a --json run. */
export function lastJson<T = Record<string, unknown>>(run: CliRun): T {
  const lines = run.stdout.trim().split('\n').filter(Boolean);
  return JSON.parse(lines.at(-1) ?? 'null') as T;
}
