// The Dovecot pair's helpers shared by delta.ts and size.ts: doveadm, users, a Maildir written
// directly (far faster than APPEND for large folders), and a whole process timed with its peak RSS.
import { execFileSync, spawnSync, type SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pair's directory (dovecot-pair.sh) and its IMAPS ports. */
export const PAIR = process.env['PAIR_DIR'] ?? '/tmp/mailroom-pair';
export const SRC_IMAPS = Number(process.env['SRC_PORT'] ?? 21143) + 1;
export const DST_IMAPS = Number(process.env['DST_PORT'] ?? 22143) + 1;
/** Every bench user's password. */
export const PASSWORD = 'bench';
const svc = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];
const tag = Date.now().toString(36);

/** Runs doveadm against one side's configuration. */
export function dove(side: 'src' | 'dst', ...args: string[]): string {
  const argv = [...svc, 'doveadm', '-c', join(PAIR, side, 'dovecot.conf'), ...args];
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
}

/** Messages in a user's INBOX on one side. */
export function inboxCount(side: 'src' | 'dst', user: string): number {
  return Number(/messages=(\d+)/.exec(dove(side, 'mailbox', 'status', '-u', user, 'messages', 'INBOX'))?.[1] ?? -1);
}

/** The pair's Maildir sync setting, for every result line: 'default' (Dovecot's) or 'very-dirty-syncs' (dovecot-pair.sh). */
export function maildirSyncs(): 'default' | 'very-dirty-syncs' {
  return /^maildir_very_dirty_syncs = yes$/m.test(readFileSync(join(PAIR, 'src', 'dovecot.conf'), 'utf8')) ? 'very-dirty-syncs' : 'default';
}

/** The target side's mail storage (dovecot-pair.sh's DST_MAIL_FORMAT), for every result line: 'maildir', 'mdbox' or 'sdbox'. */
export function targetFormat(): string {
  return /^mail_location = (\w+):/m.exec(readFileSync(join(PAIR, 'dst', 'dovecot.conf'), 'utf8'))?.[1] ?? 'unknown';
}

/** CPU seconds (user + system) of one process from /proc, with its reaped children's when `reaped`. */
export function processCpu(pid: number, reaped: boolean): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // Fields 14-17 of stat (utime stime cutime cstime) are 11-14 after the command name.
  return (f[11]! + f[12]! + (reaped ? f[13]! + f[14]! : 0)) / 100;
}

/**
 * CPU seconds (user + system) of one side's Dovecot: its master's own and its reaped children's
 * (imap processes end with their connection and are counted once reaped), plus the live children's.
 */
export function dovecotCpu(side: 'src' | 'dst'): number {
  const master = Number(readFileSync(join(PAIR, side, 'run', 'master.pid'), 'utf8').trim());
  const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  const alive = children.reduce((n, pid) => {
    try {
      return n + processCpu(pid, true);
    } catch {
      return n; // ended meanwhile: counted in the master's reaped time once reaped
    }
  }, 0);
  return processCpu(master, true) + alive;
}

/** Adds a passwd-file user and waits for it: Dovecot re-reads the file by mtime (one-second granularity). */
export function newUser(side: 'src' | 'dst', user: string): void {
  appendFileSync(join(PAIR, side, 'users'), `${user}:{PLAIN}${PASSWORD}::::::\n`);
  for (let tries = 0; ; tries++) {
    try {
      dove(side, 'auth', 'test', user, PASSWORD);
      return;
    } catch (error) {
      if (tries > 50) throw error;
      execFileSync('sleep', ['0.1']);
    }
  }
}

/** Writes the INBOX as Maildir files directly (seconds for 100,000), then lets Dovecot index it once. */
export function seedMaildir(user: string, count: number): void {
  const box = join(PAIR, 'src', 'mail', user, 'Maildir');
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(box, d), { recursive: true });
  const base = Math.floor(Date.UTC(2020, 0, 1) / 1000);
  for (let i = 1; i <= count; i++) {
    const body = `Message-ID: <m${i}.${tag}@delta.bench>\r\nDate: ${new Date((base + i * 60) * 1000).toUTCString()}\r\nFrom: a${i % 97}@example.test\r\nSubject: delta bench ${i}\r\n\r\n${'lorem ipsum dolor sit amet '.repeat(8)}\r\n`;
    writeFileSync(join(box, 'cur', `${base + i}.M${i}P1.bench,S=${Buffer.byteLength(body)}:2,${i % 3 === 0 ? '' : 'S'}`), body);
  }
  if (svc.length) execFileSync('chown', ['-R', 'nobody:nogroup', join(PAIR, 'src', 'mail', user)]);
  dove('src', 'index', '-u', user, 'INBOX');
}

/** Writes an mbsync config pushing the source user's INBOX to the target user (state under `dir`); returns its path. */
export function mbsyncRc(dir: string, source: string, target: string): string {
  mkdirSync(join(dir, 'state'), { recursive: true });
  const store = (name: string, port: number, user: string, side: string): string[] => [`IMAPAccount ${name}`, 'Host localhost', `Port ${port}`, `User ${user}`, `Pass ${PASSWORD}`, 'SSLType IMAPS', `CertificateFile ${join(PAIR, side, 'ssl', 'cert.pem')}`, 'PipelineDepth 50', '', `IMAPStore ${name}-store`, `Account ${name}`, ''];
  const lines = [...store('src', SRC_IMAPS, source, 'src'), ...store('dst', DST_IMAPS, target, 'dst'), 'Channel push', 'Far :dst-store:', 'Near :src-store:', 'Patterns INBOX', 'Sync Push', 'Create Far', 'Expunge None', 'CopyArrivalDate yes', `SyncState ${dir}/state/`, ''];
  writeFileSync(join(dir, 'rc'), lines.join('\n'));
  return join(dir, 'rc');
}

/** A whole process's wall time, exit, output and peak resident set. */
export interface Timed {
  readonly seconds: number;
  readonly ok: boolean;
  readonly stdout: string;
  readonly maxRssMb: number | null;
  /** User + system CPU seconds of the tool's process (GNU time): on a shared machine, what wall time hides. */
  readonly cpuSeconds: number | null;
}

/** Runs a command under GNU time (when present) for its peak RSS; its stdout goes to `stdoutFile` as it runs when one is given. */
export function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, stdoutFile?: string): Timed {
  const rss = `/tmp/mailroom-delta-rss-${tag}`;
  rmSync(rss, { force: true });
  const gnu = existsSync('/usr/bin/time');
  const out = stdoutFile === undefined ? 'pipe' : openSync(stdoutFile, 'w');
  const options: SpawnSyncOptionsWithStringEncoding = { env, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['pipe', out, 'pipe'] };
  const started = performance.now();
  const r = gnu ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rss, cmd, ...args], options) : spawnSync(cmd, args, options);
  const seconds = (performance.now() - started) / 1000;
  if (typeof out === 'number') closeSync(out);
  if (r.status !== 0) process.stderr.write(r.stderr);
  const [peak, user, system] = gnu && existsSync(rss) ? readFileSync(rss, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) : [];
  const cpu = (user ?? NaN) + (system ?? NaN);
  const stdout = stdoutFile === undefined ? r.stdout : readFileSync(stdoutFile, 'utf8');
  return { seconds, ok: r.status === 0, stdout, maxRssMb: Number.isFinite(peak) ? Math.round(peak! / 1024) : null, cpuSeconds: Number.isFinite(cpu) ? Math.round(cpu * 1000) / 1000 : null };
}

/** When each phase of a `migrate --json` run was first reported, ms from its start (its progress lines). */
export function phaseStarts(stdout: string): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{"event":"progress"'))) {
    const p = JSON.parse(line) as { phase: string; elapsedMs: number };
    phases[p.phase] ??= p.elapsedMs;
  }
  return phases;
}
