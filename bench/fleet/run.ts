// 300 small mailboxes (the corpus split into pieces) copied by one process, then by a fleet of 1, 2
// and 4 `mailroom worker` processes through BullMQ. Prints JSON lines. See bench/fleet/README.md.
// Run: node bench/fleet/run.ts [--mailboxes N] [--workers 1,2,4] [--skip-seed]
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadCorpus, seedMailbox } from '../../test/support/migration-corpus.ts';

const PAIR = process.env['PAIR_DIR'] ?? '/tmp/mailroom-pair';
const SRC_IMAPS = Number(process.env['SRC_PORT'] ?? 21143) + 1;
const DST_IMAPS = Number(process.env['DST_PORT'] ?? 22143) + 1;
const REDIS = process.env['FLEET_REDIS'] ?? 'redis://127.0.0.1:6379/9';
const PG = process.env['FLEET_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REPO = join(import.meta.dirname, '..', '..');
const ENTRY = process.env['MAILROOM_BENCH_ENTRY'] ?? join(REPO, 'dist/electron/cli/main.js');
const PASSWORD = 'bench';
const arg = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const MAILBOXES = Number(arg('--mailboxes') ?? 300);
const WORKERS = (arg('--workers') ?? '1,2,4').split(',').map(Number);
const run = Date.now().toString(36);
const dir = join('/tmp', `mailroom-bench-fleet-${run}`);
// The fleet key's passphrase, for keygen and the workers (an environment variable: never argv).
const FLEET_ENV = { ...process.env, MAILROOM_FLEET_PASSPHRASE: 'bench-fleet-passphrase' };
// Queues of this run only, so a run never meets another's jobs in the shared Redis.
const PREFIX = `bench-fleet-${run}`;
const asSvc = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];

function out(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function doveadm(side: 'src' | 'dst', ...args: string[]): string {
  const [cmd, ...rest] = [...asSvc, 'doveadm', '-c', join(PAIR, side, 'dovecot.conf'), ...args];
  return execFileSync(cmd!, rest, { encoding: 'utf8' });
}

function addUsers(side: 'src' | 'dst', users: readonly string[]): void {
  appendFileSync(join(PAIR, side, 'users'), users.map((u) => `${u}:{PLAIN}${PASSWORD}::::::\n`).join(''));
  // Dovecot re-reads the passwd-file by mtime (one-second granularity): wait until the last user logs in.
  for (let i = 0; i < 50; i++) {
    try {
      doveadm(side, 'auth', 'test', users.at(-1)!, PASSWORD);
      return;
    } catch {
      execFileSync('sleep', ['0.2']);
    }
  }
  throw new Error(`Dovecot (${side}) never accepted ${users.at(-1)}`);
}

function countMessages(side: 'src' | 'dst', user: string): number {
  return doveadm(side, 'mailbox', 'status', '-u', user, 'messages', '*')
    .split('\n')
    .reduce((n, l) => n + Number(/messages=(\d+)/.exec(l)?.[1] ?? 0), 0);
}

const sourceUser = (i: number): string => `fleet-${String(i).padStart(4, '0')}@example.test`;

// The corpus in MAILBOXES contiguous pieces (each keeps a few folders), one source user each.
async function seed(): Promise<number> {
  const corpus = loadCorpus();
  const per = Math.ceil(corpus.length / MAILBOXES);
  const users = Array.from({ length: MAILBOXES }, (_, i) => sourceUser(i));
  if (process.argv.includes('--skip-seed')) return users.reduce((n, u) => n + countMessages('src', u), 0);
  addUsers('src', users);
  const ca = readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8');
  for (const [i, user] of users.entries()) {
    await seedMailbox({ host: '127.0.0.1', port: SRC_IMAPS, tls: 'implicit', user, auth: { password: PASSWORD }, ca, servername: 'localhost' }, corpus.slice(i * per, (i + 1) * per));
  }
  return corpus.length;
}

// A plan of MAILBOXES pairs into fresh target users, passwords in 0600 files named by the CSV.
function plan(scenario: string): { csv: string; targets: string[] } {
  const pw = join(dir, 'password');
  writeFileSync(pw, PASSWORD, { mode: 0o600 });
  const targets = Array.from({ length: MAILBOXES }, (_, i) => `fleet-${scenario}-${run}-${i}@example.test`);
  addUsers('dst', targets);
  const rows = targets.map((t, i) => `imaps://${encodeURIComponent(sourceUser(i))}@localhost:${SRC_IMAPS},imaps://${encodeURIComponent(t)}@localhost:${DST_IMAPS},${pw},${pw}`);
  const csv = join(dir, `${scenario}.csv`);
  writeFileSync(csv, ['source,target,source_password_file,target_password_file', ...rows].join('\n') + '\n', { mode: 0o600 });
  return { csv, targets };
}

function mailroom(args: readonly string[]): { seconds: number; status: number | null; stdout: string; stderr: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [ENTRY, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: FLEET_ENV });
  return { seconds: (performance.now() - t) / 1000, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A fresh schema of the shared state per fleet scenario: nothing one run left is resumed by the next.
async function freshState(scenario: string): Promise<string> {
  const schema = `bench_fleet_${scenario.replaceAll('-', '_')}_${run}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return `${PG}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

// Each job's phases as its worker logs them (MAILROOM_FLEET_TIMINGS=1): where a mailbox's time goes.
const PHASES = / phases (\{.*\})$/;

function startWorkers(n: number, state: string, key: string, phases: Record<string, number>[]): ChildProcess[] {
  return Array.from({ length: n }, (_, i) => {
    const w = spawn(process.execPath, [ENTRY, 'worker', '--redis', REDIS, '--state', state, '--concurrency', '1', '--key', key, '--queue-prefix', PREFIX], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...FLEET_ENV, MAILROOM_FLEET_TIMINGS: '1' } });
    let rest = '';
    w.stderr?.on('data', (c: Buffer) => {
      const lines = (rest + c.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const m = PHASES.exec(line);
        if (m) phases.push(JSON.parse(m[1]!) as Record<string, number>);
        else process.stderr.write(`[worker ${i}] ${line}\n`);
      }
    });
    return w;
  });
}

// Mean ms per job of each phase.
function meanPhases(workers: number, phases: readonly Record<string, number>[]): Record<string, unknown> {
  const sums: Record<string, number> = {};
  for (const p of phases) for (const [k, v] of Object.entries(p)) sums[k] = (sums[k] ?? 0) + v;
  return { event: 'phases', workers, jobs: phases.length, meanMs: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Math.round((v / phases.length) * 10) / 10])) };
}

async function stopWorkers(workers: readonly ChildProcess[]): Promise<void> {
  await Promise.all(workers.map((w) => new Promise<void>((done) => (w.exitCode !== null ? done() : (w.once('exit', () => done()), w.kill('SIGTERM'))))));
}

function result(scenario: string, workers: number, r: ReturnType<typeof mailroom>, targets: readonly string[], messages: number): Record<string, unknown> {
  const landed = targets.reduce((n, u) => n + countMessages('dst', u), 0);
  const line = {
    event: 'result',
    scenario,
    workers,
    mailboxes: targets.length,
    messages: landed,
    ok: r.status === 0 && landed === messages,
    seconds: Math.round(r.seconds * 100) / 100,
    // The 1-minute load average as the scenario ends: the machine is shared.
    load: Math.round(loadavg()[0]! * 100) / 100,
    mailboxesPerMinute: Math.round((targets.length / r.seconds) * 60 * 10) / 10,
    messagesPerSecond: Math.round((landed / r.seconds) * 10) / 10,
  };
  out(line);
  return line;
}

async function main(): Promise<void> {
  if (!process.env['MAILROOM_BENCH_ENTRY']) execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-b'], { cwd: REPO, stdio: 'inherit' });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'ca.pem'), readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
  const messages = await seed();
  out({ event: 'corpus', mailboxes: MAILBOXES, messages });
  const local = plan('local');
  const baseline = result('one-process', 0, mailroom(['migrate', '--json', '--plan', local.csv, '--ca', join(dir, 'ca.pem'), '--state', join(dir, 'local.db')]), local.targets, messages);
  const key = join(dir, 'fleet.key');
  const keygen = mailroom(['fleet', 'keygen', '--out', key]);
  if (keygen.status !== 0) throw new Error(`mailroom fleet keygen: ${keygen.stderr.trim()}`);
  for (const n of WORKERS) {
    const scenario = `workers-${n}`;
    const state = await freshState(scenario);
    const p = plan(scenario);
    const phases: Record<string, number>[] = [];
    const workers = startWorkers(n, state, key, phases);
    try {
      const line = result(scenario, n, mailroom(['migrate', '--json', '--plan', p.csv, '--ca', join(dir, 'ca.pem'), '--fleet', REDIS, '--fleet-key', `${key}.pub`, '--queue-prefix', PREFIX, '--state', state]), p.targets, messages);
      // The queue's cost against today's in-process batch (goal: at most 10 % on one worker).
      if (n === 1) out({ event: 'overhead', workers: 1, queueOverhead: Math.round(((line['seconds'] as number) / (baseline['seconds'] as number) - 1) * 1000) / 1000 });
    } finally {
      await stopWorkers(workers);
    }
    out(meanPhases(n, phases));
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
