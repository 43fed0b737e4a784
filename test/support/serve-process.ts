import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../electron/cli/main.ts', import.meta.url));

/** A `mailroom serve --json` process, running until stop(). */
export interface ServeProcess {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** Calls an operation over the loopback host, as the console does. */
  call<T = unknown>(channel: string, ...args: unknown[]): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }>;
  /** Sends SIGTERM and resolves to the exit code; SIGKILL after `killAfterMs` when given. */
  stop(killAfterMs?: number): Promise<number | null>;
}

/** What a serve that ended before it listened printed, and its exit code. */
export interface ServeFailure {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `mailroom <args> serve --json <serveArgs>` (Node 24 strips the types; `cli` another checkout's entry) and waits for its address, or for it to exit. */
export function startServe(args: readonly string[], env: Record<string, string>, serveArgs: readonly string[] = [], timeoutMs = 60_000, cli = entry): Promise<ServeProcess | ServeFailure> {
  const child = spawn(process.execPath, [cli, ...args, 'serve', '--json', ...serveArgs], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`mailroom serve printed no address in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      // The first complete JSON line is the address; an {"error":…} line means serve is about to exit.
      const line = stdout.split('\n').slice(0, -1).find((l) => l.startsWith('{"url"'));
      if (!line) return;
      clearTimeout(timer);
      const { url, origin } = JSON.parse(line) as { url: string; origin: string };
      done(served(child, url, origin, () => stderr));
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** True when startServe got a running console. */
export function isServing(value: ServeProcess | ServeFailure): value is ServeProcess {
  return 'url' in value;
}

function served(child: ChildProcess, url: string, origin: string, stderr: () => string): ServeProcess {
  const token = new URL(url).hash.replace(/^#token=/, '');
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    url,
    origin,
    token,
    stderr,
    call: async (channel, ...args) => {
      const response = await fetch(`${origin}/api/${channel}`, {
        method: 'POST',
        headers: { origin, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      return (await response.json()) as never;
    },
    stop: async (killAfterMs) => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
