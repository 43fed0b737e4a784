import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';

/** The slice of .fixtures/servers.json these tests use. */
export interface Servers {
  readonly ca: string;
  readonly imap: { host: string; port: number; imapsPort: number; usersFile: string };
}

const REPO = join(import.meta.dirname, '..', '..', '..');

/** The fixtures directory of the running test servers (MAILROOM_FIXTURES, else .fixtures). */
export function fixturesDir(): string {
  return process.env['MAILROOM_FIXTURES'] ?? join(REPO, '.fixtures');
}

/** Reads servers.json written by test/servers/with-servers.sh. */
export function servers(): Servers {
  return JSON.parse(readFileSync(join(fixturesDir(), 'servers.json'), 'utf8')) as Servers;
}

/** A fresh Dovecot user (appended to the passwd-file), so every test has its own empty mailbox. */
export function freshUser(prefix: string, extraFields = ''): { user: string; password: string } {
  return freshUsers([prefix], extraFields)[0]!;
}

/** Fresh Dovecot users, one per prefix, appended together: one wait for Dovecot to see them all, not one each. */
export function freshUsers(prefixes: readonly string[], extraFields = ''): { user: string; password: string }[] {
  const users = prefixes.map((prefix) => ({ user: `${prefix}-${randomBytes(4).toString('hex')}@example.test`, password: randomBytes(9).toString('base64url') }));
  appendFileSync(servers().imap.usersFile, users.map((u) => `${u.user}:{PLAIN}${u.password}::::::${extraFields}\n`).join(''));
  // Dovecot's passwd-file looks at the file at most once per wall-clock second (db-passwd-file.c,
  // last_sync_time == ioloop_time): a login later in the second of the append may not see the user.
  // Waiting for the next second makes the next lookup re-read the file.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1020 - (Date.now() % 1000));
  return users;
}

/** An implicit-TLS endpoint verified against the fixture CA. */
export function endpointFor(account: { user: string; password: string }, port = servers().imap.imapsPort): ImapEndpoint {
  const s = servers();
  return { host: s.imap.host, port, tls: 'implicit', user: account.user, auth: { password: account.password }, ca: readFileSync(s.ca, 'utf8'), servername: 'localhost' };
}

/**
 * Changes one letter near the end of the first message Dovecot stores for `user` in INBOX, on
 * disk (same size), as a target that alters mail after the copy would. Returns nothing to undo.
 */
export function alterStoredMessage(user: string): void {
  const maildir = join((servers().imap as unknown as { mailRoot: string }).mailRoot, user, 'Maildir');
  const file = ['cur', 'new'].flatMap((d) => readdirSync(join(maildir, d)).map((f) => join(maildir, d, f))).sort()[0]!;
  const bytes = readFileSync(file);
  let at = bytes.length - 1;
  while (!/[A-Za-z]/.test(String.fromCharCode(bytes[at]!))) at--;
  bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
  writeFileSync(file, bytes);
}

/** imaps:// URL of an account (optionally through another port, e.g. a proxy). */
export function urlFor(account: { user: string }, port = servers().imap.imapsPort): string {
  return `imaps://${encodeURIComponent(account.user)}@127.0.0.1:${port}`;
}

/** Result of a CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lines: unknown[];
  readonly stderr: string;
}

/**
 * Runs `node electron/cli/main.ts migrate …` as a child process with passwords in the environment.
 * `onLine` sees each JSON line as it arrives and may kill the child.
 */
export function runMigrateCli(
  args: readonly string[],
  passwords: { source: string; target: string },
  onLine?: (line: Record<string, unknown>, kill: () => void) => void,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'electron/cli/main.ts'), 'migrate', '--json', '--ca', servers().ca, ...args], {
      env: { ...process.env, MAILROOM_SOURCE_PASSWORD: passwords.source, MAILROOM_TARGET_PASSWORD: passwords.target, MAILROOM_HOME: join(fixturesDir(), 'migration-home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: unknown[] = [];
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      let nl: number;
      while ((nl = stdout.indexOf('\n')) >= 0) {
        const text = stdout.slice(0, nl);
        stdout = stdout.slice(nl + 1);
        try {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          lines.push(parsed);
          onLine?.(parsed, () => child.kill('SIGKILL'));
        } catch {
          lines.push(text);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code, signal) => resolve({ code, signal, lines, stderr }));
  });
}

/** Reads a run of test/support/run-cli.ts (any arguments and environment) line by line, for finalLine and reportLine. */
export function withLines(run: { code: number | null; stdout: string; stderr: string }): CliRun {
  const lines = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((text): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    });
  return { code: run.code, signal: null, lines, stderr: run.stderr };
}

/** The final `{"copied":…}` line of a run. */
export function finalLine(run: CliRun): { copied: number; skipped: number; failed: number; bytes: number; seconds: number } {
  return run.lines.at(-1) as never;
}

/** The `{"event":"report"}` line of a run. */
export function reportLine(run: CliRun): Record<string, unknown> & { folders: { sourcePath: string; missing: number; extra: number; sourceCount: number; targetCount: number }[]; error: { code: string } | null; failures: { errorCode: string }[] } {
  return run.lines.find((l) => (l as { event?: string }).event === 'report') as never;
}
