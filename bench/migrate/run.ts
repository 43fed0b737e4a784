// Mailroom vs mbsync: whole SpamAssassin corpus, one Dovecot pair, fresh target each run.
// Prints JSON lines. See bench/migrate/README.md. Run: node bench/migrate/run.ts [--skip-proxy]
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PAIR = process.env['PAIR_DIR'] ?? '/tmp/mailroom-pair';
const SRC_IMAPS = Number(process.env['SRC_PORT'] ?? 21143) + 1;
const DST_IMAPS = Number(process.env['DST_PORT'] ?? 22143) + 1;
const REPO = join(import.meta.dirname, '..', '..');
const SOURCE_USER = 'corpus@example.test';
const PASSWORD = 'bench';
const run = Date.now().toString(36);
const asSvc = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];

function out(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function addUser(side: 'src' | 'dst', user: string): void {
  appendFileSync(join(PAIR, side, 'users'), `${user}:{PLAIN}${PASSWORD}::::::\n`);
  // Dovecot notices a changed passwd-file by its mtime, which has one-second granularity: a user
  // appended in the same second as the previous lookup stays unknown, and the timed run would
  // measure a failed login. Wait until the user authenticates.
  for (let i = 0; i < 50; i++) {
    try {
      doveadm(side, 'auth', 'test', user, PASSWORD);
      return;
    } catch {
      execFileSync('sleep', ['0.1']);
    }
  }
  throw new Error(`Dovecot (${side}) never accepted the new user ${user}`);
}

function doveadm(side: 'src' | 'dst', ...args: string[]): string {
  const [cmd, ...rest] = [...asSvc, 'doveadm', '-c', join(PAIR, side, 'dovecot.conf'), ...args];
  return execFileSync(cmd!, rest, { encoding: 'utf8' });
}

function countMessages(side: 'src' | 'dst', user: string): number {
  return doveadm(side, 'mailbox', 'status', '-u', user, 'messages', '*')
    .split('\n')
    .reduce((n, l) => n + Number(/messages=(\d+)/.exec(l)?.[1] ?? 0), 0);
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { seconds: number; status: number | null; stdout: string; stderr: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { seconds: (performance.now() - t) / 1000, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mbsync(scenario: string, srcPort: number, dstPort: number, target: string): { first: number; rerun: number; ok: boolean } {
  const dir = join('/tmp', `mailroom-bench-mbsync-${run}-${scenario}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'state'), { recursive: true });
  const account = (name: string, port: number, user: string, side: string): string =>
    [`IMAPAccount ${name}`, 'Host localhost', `Port ${port}`, `User ${user}`, `Pass ${PASSWORD}`, 'SSLType IMAPS', `CertificateFile ${join(PAIR, side, 'ssl', 'cert.pem')}`, 'PipelineDepth 50', '', `IMAPStore ${name}-store`, `Account ${name}`, ''].join('\n');
  writeFileSync(
    join(dir, 'rc'),
    [account('src', srcPort, SOURCE_USER, 'src'), account('dst', dstPort, target, 'dst'), 'Channel push', 'Far :dst-store:', 'Near :src-store:', 'Patterns *', 'Sync Push', 'Create Far', 'Expunge None', 'CopyArrivalDate yes', `SyncState ${dir}/state/`, ''].join('\n'),
  );
  const first = timed('mbsync', ['-q', '-c', join(dir, 'rc'), 'push']);
  const rerun = timed('mbsync', ['-q', '-c', join(dir, 'rc'), 'push']);
  return { first: first.seconds, rerun: rerun.seconds, ok: first.status === 0 && rerun.status === 0 };
}

function mailroom(scenario: string, srcPort: number, dstPort: number, target: string, extra: string[]): { first: number; rerun: number; ok: boolean; report: unknown } {
  const state = join('/tmp', `mailroom-bench-${run}-${scenario}-${extra.join('')}.db`);
  const args = [
    // MAILROOM_BENCH_ENTRY: an alternative entry file taking the same arguments (e.g. a built CLI).
    process.env['MAILROOM_BENCH_ENTRY'] ?? join(REPO, 'electron/cli/main.ts'),
    'migrate',
    '--json',
    '--source', `imaps://${encodeURIComponent(SOURCE_USER)}@localhost:${srcPort}`,
    '--target', `imaps://${encodeURIComponent(target)}@localhost:${dstPort}`,
    '--ca', join(PAIR, 'ca.pem'),
    '--state', state,
    ...extra,
  ];
  const env = { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD };
  const first = timed(process.execPath, args, env);
  const rerun = timed(process.execPath, args, env);
  const last = (s: string): unknown => JSON.parse(s.trim().split('\n').at(-1) ?? '{}');
  return { first: first.seconds, rerun: rerun.seconds, ok: first.status === 0 && rerun.status === 0, report: { first: last(first.stdout), rerun: last(rerun.stdout) } };
}

async function main(): Promise<void> {
  writeFileSync(join(PAIR, 'ca.pem'), readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
  addUser('src', SOURCE_USER);
  let messages = countMessages('src', SOURCE_USER);
  if (messages === 0) {
    const seeded = timed(process.execPath, [join(REPO, 'bench/migrate/seed.ts'), `imaps://${encodeURIComponent(SOURCE_USER)}@localhost:${SRC_IMAPS}`], {
      ...process.env,
      MAILROOM_SEED_PASSWORD: PASSWORD,
      MAILROOM_SEED_CA: join(PAIR, 'ca.pem'),
    });
    if (seeded.status !== 0) throw new Error(seeded.stderr);
    messages = countMessages('src', SOURCE_USER);
  }
  const bytes = sumVsize();
  out({ event: 'corpus', messages, bytes, folders: doveadm('src', 'mailbox', 'list', '-u', SOURCE_USER).trim().split('\n').length });

  const scenarios: { name: string; delayMs: number }[] = [{ name: 'loopback', delayMs: 0 }];
  if (!process.argv.includes('--skip-proxy')) scenarios.push({ name: 'proxy-10ms', delayMs: 10 });
  for (const sc of scenarios) {
    let sp: Proxy | null = null;
    let tp: Proxy | null = null;
    if (sc.delayMs > 0) {
      sp = await startProxy(SRC_IMAPS, sc.delayMs);
      tp = await startProxy(DST_IMAPS, sc.delayMs);
    }
    const srcPort = sp?.port ?? SRC_IMAPS;
    const dstPort = tp?.port ?? DST_IMAPS;
    const results: Record<string, { first: number; rerun: number }> = {};
    for (const tool of ['mbsync', 'mailroom', 'mailroom-no-verify'] as const) {
      const target = `${tool}-${sc.name}-${run}@example.test`;
      addUser('dst', target);
      const r = tool === 'mbsync' ? mbsync(sc.name, srcPort, dstPort, target) : mailroom(sc.name, srcPort, dstPort, target, tool === 'mailroom' ? [] : ['--no-verify']);
      const copied = countMessages('dst', target);
      results[tool] = r;
      out({
        event: 'result',
        scenario: sc.name,
        tool,
        ok: r.ok && copied === messages,
        messagesOnTarget: copied,
        firstSeconds: round(r.first),
        messagesPerSecond: Math.round(messages / r.first),
        mbPerSecond: round(bytes / 1e6 / r.first),
        rerunSeconds: round(r.rerun),
        ...('report' in r ? { cli: r.report } : {}),
      });
    }
    for (const tool of ['mailroom', 'mailroom-no-verify']) {
      out({
        event: 'ratio',
        scenario: sc.name,
        tool,
        throughputVsMbsync: round(results['mbsync']!.first / results[tool]!.first),
        rerunVsMbsync: round(results['mbsync']!.rerun / results[tool]!.rerun),
      });
    }
    sp?.child.kill();
    tp?.child.kill();
  }
}

interface Proxy {
  readonly port: number;
  readonly child: ChildProcess;
}

// The proxy runs in its own process: spawnSync below blocks this one.
function startProxy(targetPort: number, delayMs: number): Promise<Proxy> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bench/migrate/proxy.ts'), String(targetPort), String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.once('data', (chunk: Buffer) => resolve({ port: (JSON.parse(chunk.toString()) as { port: number }).port, child }));
    child.once('error', reject);
  });
}

function sumVsize(): number {
  return doveadm('src', 'mailbox', 'status', '-u', SOURCE_USER, 'vsize', '*')
    .split('\n')
    .reduce((n, l) => n + Number(/vsize=(\d+)/.exec(l)?.[1] ?? 0), 0);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

await main();
