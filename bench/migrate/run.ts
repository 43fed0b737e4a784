// Mailroom vs mbsync: whole SpamAssassin corpus, one Dovecot pair, fresh target each run.
// Prints JSON lines. See bench/migrate/README.md. Run: node bench/migrate/run.ts [--skip-loopback] [--skip-proxy] [--skip-fifo] [--serial] [--nagle] [--skip-memory] [--only-memory] [--cyrus] [--reruns N]
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addCyrusUser, countCyrusMessages, startCyrusTarget, stopCyrusTarget } from './cyrus-target.ts';
import { buildAsInstalled } from './build.ts';

const PAIR = process.env['PAIR_DIR'] ?? '/tmp/mailroom-pair';
const SRC_IMAPS = Number(process.env['SRC_PORT'] ?? 21143) + 1;
const DST_IMAPS = Number(process.env['DST_PORT'] ?? 22143) + 1;
const REPO = join(import.meta.dirname, '..', '..');
const SOURCE_USER = 'corpus@example.test';
const PASSWORD = 'bench';
const run = Date.now().toString(36);
const asSvc = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];
// No-change re-runs per tool; the median is reported (one run of ~0.1 s is mostly noise).
const RERUNS = Number(process.argv[process.argv.indexOf('--reruns') + 1]) || 5;
// The CLI as installed (package.json "bin": tsc's output), not the TypeScript sources. MAILROOM_BENCH_DIST: another
// build's `dist` (beside its package.json and node_modules), run the same way, through its launcher; nothing is built.
const DIST = process.env['MAILROOM_BENCH_DIST'];
const ENTRY = process.env['MAILROOM_BENCH_ENTRY'] ?? join(DIST ?? join(REPO, 'dist'), 'electron/cli/main.js');

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

// GNU time reports the peak resident set of the command it runs (its own few hundred KB included).
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Timed {
  seconds: number;
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size, MB (null without GNU time). */
  maxRssMb: number | null;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const rss = join('/tmp', `mailroom-bench-rss-${run}`);
  // A run whose figure GNU time failed to write must not report the previous run's.
  rmSync(rss, { force: true });
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rss, cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(c, a, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t) / 1000;
  const maxRssMb = GNU_TIME && existsSync(rss) ? Math.round(Number(readFileSync(rss, 'utf8').trim().split('\n').at(-1)) / 1024) : null;
  return { seconds, status: r.status, stdout: r.stdout, stderr: r.stderr, maxRssMb };
}

interface ToolRun {
  first: number;
  rerun: number;
  ok: boolean;
  maxRssMb: number | null;
  report?: unknown;
}

function mbsync(scenario: string, srcPort: number, dstPort: number, target: string, source = SOURCE_USER, reruns = RERUNS, dstCert = join(PAIR, 'dst', 'ssl', 'cert.pem')): ToolRun {
  const dir = join('/tmp', `mailroom-bench-mbsync-${run}-${scenario}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'state'), { recursive: true });
  const account = (name: string, port: number, user: string, cert: string): string =>
    [`IMAPAccount ${name}`, 'Host localhost', `Port ${port}`, `User ${user}`, `Pass ${PASSWORD}`, 'SSLType IMAPS', `CertificateFile ${cert}`, 'PipelineDepth 50', '', `IMAPStore ${name}-store`, `Account ${name}`, ''].join('\n');
  writeFileSync(
    join(dir, 'rc'),
    [account('src', srcPort, source, join(PAIR, 'src', 'ssl', 'cert.pem')), account('dst', dstPort, target, dstCert), 'Channel push', 'Far :dst-store:', 'Near :src-store:', 'Patterns *', 'Sync Push', 'Create Far', 'Expunge None', 'CopyArrivalDate yes', `SyncState ${dir}/state/`, ''].join('\n'),
  );
  const first = timed('mbsync', ['-q', '-c', join(dir, 'rc'), 'push']);
  const again = Array.from({ length: reruns }, () => timed('mbsync', ['-q', '-c', join(dir, 'rc'), 'push']));
  return { first: first.seconds, rerun: median(again.map((r) => r.seconds)), ok: first.status === 0 && again.every((r) => r.status === 0), maxRssMb: first.maxRssMb };
}

function mailroom(scenario: string, srcPort: number, dstPort: number, target: string, extra: string[], source = SOURCE_USER, reruns = RERUNS, nodeArgs: string[] = []): ToolRun {
  const state = join('/tmp', `mailroom-bench-${run}-${scenario}-${target}-${extra.join('')}.db`);
  const args = [
    ...nodeArgs,
    // MAILROOM_BENCH_ENTRY: an alternative entry file taking the same arguments (e.g. electron/cli/main.ts).
    ENTRY,
    'migrate',
    '--json',
    '--source', `imaps://${encodeURIComponent(source)}@localhost:${srcPort}`,
    '--target', `imaps://${encodeURIComponent(target)}@localhost:${dstPort}`,
    '--ca', join(PAIR, 'ca.pem'),
    '--state', state,
    ...extra,
  ];
  const env = { ...process.env, MAILROOM_SOURCE_PASSWORD: PASSWORD, MAILROOM_TARGET_PASSWORD: PASSWORD };
  // Without node flags of its own the CLI runs as installed: through its shebang, the launcher
  // that sets the memory bound (MAILROOM_MEMORY_MB, V8 heap sizes, glibc arenas).
  const [cmd, argv] = nodeArgs.length === 0 && !process.env['MAILROOM_BENCH_ENTRY'] ? [ENTRY, args.slice(1)] : [process.execPath, args];
  if (cmd === ENTRY) chmodSync(ENTRY, 0o755);
  const first = timed(cmd, argv, env);
  const again = Array.from({ length: reruns }, () => timed(cmd, argv, env));
  const last = (s: string | undefined): unknown => JSON.parse(s?.trim().split('\n').at(-1) || '{}');
  // What verification by content did on the first pass (how many copies, by digest or re-read).
  const content = (s: string): unknown => (s.split('\n').map((l) => (l.startsWith('{"event":"report"') ? (JSON.parse(l) as { content?: unknown }).content : undefined)).find((c) => c !== undefined) ?? null);
  return {
    first: first.seconds,
    rerun: median(again.map((r) => r.seconds)),
    ok: first.status === 0 && again.every((r) => r.status === 0),
    maxRssMb: first.maxRssMb,
    report: { first: last(first.stdout), rerun: last(again.at(-1)?.stdout), contentCheck: content(first.stdout) },
  };
}

async function main(): Promise<void> {
  if (!process.env['MAILROOM_BENCH_ENTRY'] && !DIST) buildAsInstalled();
  writeFileSync(join(PAIR, 'ca.pem'), readFileSync(join(PAIR, 'src/ssl/cert.pem'), 'utf8') + readFileSync(join(PAIR, 'dst/ssl/cert.pem'), 'utf8'));
  const messages = seeded(SOURCE_USER, 1);
  if (process.argv.includes('--only-memory')) return memory();
  const bytes = sumVsize(SOURCE_USER);
  out({ event: 'corpus', messages, bytes, folders: doveadm('src', 'mailbox', 'list', '-u', SOURCE_USER).trim().split('\n').length });

  const scenarios: { name: string; delayMs: number; proxy: ProxyKind }[] = [];
  if (!process.argv.includes('--skip-loopback')) scenarios.push({ name: 'loopback', delayMs: 0, proxy: 'node' });
  if (!process.argv.includes('--skip-proxy')) scenarios.push({ name: 'proxy-10ms', delayMs: 10, proxy: 'node' });
  // The second, independent proxy (fifo-proxy.py): per-direction FIFO, bounded like a TCP window.
  if (!process.argv.includes('--skip-proxy') && !process.argv.includes('--skip-fifo')) scenarios.push({ name: 'fifo-10ms', delayMs: 10, proxy: 'fifo' });
  // --serial: the naive read-sleep-write proxy (one 64 KiB read per 10 ms per connection and direction).
  if (process.argv.includes('--serial')) scenarios.push({ name: 'serial-10ms', delayMs: 10, proxy: 'serial' });
  // --nagle: the bench proxy as it was before 2026-12-06 (Nagle on both legs).
  if (process.argv.includes('--nagle')) scenarios.push({ name: 'proxy-10ms-nagle', delayMs: 10, proxy: 'nagle' });
  for (const sc of scenarios) {
    let sp: Proxy | null = null;
    let tp: Proxy | null = null;
    if (sc.delayMs > 0) {
      sp = await startProxy(SRC_IMAPS, sc.delayMs, sc.proxy);
      tp = await startProxy(DST_IMAPS, sc.delayMs, sc.proxy);
    }
    const srcPort = sp?.port ?? SRC_IMAPS;
    const dstPort = tp?.port ?? DST_IMAPS;
    const results: Record<string, ToolRun> = {};
    for (const tool of ['mbsync', 'mailroom', 'mailroom-no-verify'] as const) {
      const target = `${tool}-${sc.name}-${run}@example.test`;
      addUser('dst', target);
      const r = tool === 'mbsync' ? mbsync(sc.name, srcPort, dstPort, target) : mailroom(sc.name, srcPort, dstPort, target, tool === 'mailroom' ? [] : ['--no-verify']);
      const copied = countMessages('dst', target);
      results[tool] = r;
      out(resultLine(sc.name, tool, r, copied, messages, bytes));
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
    // The cost of verification (keys and content) on the first pass: with it over without it.
    out({ event: 'verify-cost', scenario: sc.name, verifySeconds: round(results['mailroom']!.first - results['mailroom-no-verify']!.first), firstPassRatio: round(results['mailroom']!.first / results['mailroom-no-verify']!.first) });
    // The proxies' own CPU time over the scenario: they share the 2 cores with both tools.
    if (sp && tp) out({ event: 'proxy-cpu', scenario: sc.name, proxy: sc.proxy, cpuSeconds: round(cpuSeconds(sp.child) + cpuSeconds(tp.child)) });
    sp?.child.kill();
    tp?.child.kill();
  }
  if (process.argv.includes('--cyrus')) await cyrusScenario(messages, bytes);
  if (!process.argv.includes('--skip-memory')) memory();
}

function resultLine(scenario: string, tool: string, r: ToolRun, copied: number, messages: number, bytes: number): Record<string, unknown> {
  return {
    event: 'result',
    scenario,
    tool,
    ok: r.ok && copied === messages,
    messagesOnTarget: copied,
    firstSeconds: round(r.first),
    messagesPerSecond: Math.round(messages / r.first),
    mbPerSecond: round(bytes / 1e6 / r.first),
    rerunSeconds: round(r.rerun),
    maxRssMb: r.maxRssMb,
    ...('report' in r ? { cli: r.report } : {}),
  };
}

// Dovecot → Cyrus IMAP 3.6 on loopback (--cyrus), Cyrus as Debian ships it (munge8bit on): a second
// server implementation as target, fresh sasldb user per tool, messages counted on Cyrus with STATUS.
async function cyrusScenario(messages: number, bytes: number): Promise<void> {
  const cyrus = startCyrusTarget(PAIR);
  // the CLI trusts the bench's ca.pem: add the CA that issued Cyrus's certificate
  appendFileSync(join(PAIR, 'ca.pem'), readFileSync(cyrus.ca, 'utf8'));
  try {
    const results: Record<string, ToolRun> = {};
    for (const tool of ['mbsync', 'mailroom'] as const) {
      const target = `${tool}-cyrus-${run}`;
      addCyrusUser(cyrus, target, PASSWORD);
      const r = tool === 'mbsync' ? mbsync('cyrus', SRC_IMAPS, cyrus.imapsPort, target, SOURCE_USER, RERUNS, cyrus.cert) : mailroom('cyrus', SRC_IMAPS, cyrus.imapsPort, target, []);
      results[tool] = r;
      out(resultLine('cyrus', tool, r, await countCyrusMessages(cyrus, target, PASSWORD), messages, bytes));
    }
    out({ event: 'ratio', scenario: 'cyrus', tool: 'mailroom', throughputVsMbsync: round(results['mbsync']!.first / results['mailroom']!.first), rerunVsMbsync: round(results['mbsync']!.rerun / results['mailroom']!.rerun) });
  } finally {
    stopCyrusTarget(cyrus);
  }
}

// Memory against mailbox size: the corpus once (6,046 messages) and three times over (18,138,
// ~99 MB) in one source account, each copied once by each tool; "growth" is the ratio of the peaks.
// "mailroom-heap-96mb" caps V8's heap (--max-old-space-size=96 --max-semi-space-size=4): with
// memory to spare V8 lets garbage (read bodies) pile up, so this variant shows the live set.
function memory(): void {
  const sizes = [
    { user: SOURCE_USER, copies: 1 },
    { user: 'corpus3@example.test', copies: 3 },
  ].map((x) => ({ ...x, messages: seeded(x.user, x.copies) }));
  for (const x of sizes.slice(1)) out({ event: 'corpus', user: x.user, messages: x.messages, bytes: sumVsize(x.user) });
  for (const tool of ['mbsync', 'mailroom', 'mailroom-heap-96mb'] as const) {
    const peaks = sizes.map((x) => {
      const target = `${tool}-memory${x.copies}-${run}@example.test`;
      addUser('dst', target);
      const capped = tool === 'mailroom-heap-96mb' ? ['--max-old-space-size=96', '--max-semi-space-size=4'] : [];
      const r = tool === 'mbsync' ? mbsync(`memory${x.copies}`, SRC_IMAPS, DST_IMAPS, target, x.user, 0) : mailroom(`memory${x.copies}`, SRC_IMAPS, DST_IMAPS, target, [], x.user, 0, capped);
      return { ...x, ok: r.ok && countMessages('dst', target) === x.messages, seconds: round(r.first), maxRssMb: r.maxRssMb };
    });
    const [one, three] = peaks as [(typeof peaks)[0], (typeof peaks)[0]];
    out({ event: 'memory', tool, ok: one.ok && three.ok, runs: peaks.map(({ messages, seconds, maxRssMb }) => ({ messages, seconds, maxRssMb })), growth: one.maxRssMb && three.maxRssMb ? round(three.maxRssMb / one.maxRssMb) : null });
  }
}

// The account's message count, after seeding it with `copies` of the corpus if it is empty.
function seeded(user: string, copies: number): number {
  addUser('src', user);
  if (countMessages('src', user) === 0) {
    const r = timed(process.execPath, [join(REPO, 'bench/migrate/seed.ts'), `imaps://${encodeURIComponent(user)}@localhost:${SRC_IMAPS}`, '', String(copies)], {
      ...process.env,
      MAILROOM_SEED_PASSWORD: PASSWORD,
      MAILROOM_SEED_CA: join(PAIR, 'ca.pem'),
    });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  return countMessages('src', user);
}

interface Proxy {
  readonly port: number;
  readonly child: ChildProcess;
}

type ProxyKind = 'node' | 'nagle' | 'fifo' | 'serial';

// The proxy runs in its own process: spawnSync below blocks this one.
function startProxy(targetPort: number, delayMs: number, kind: ProxyKind): Promise<Proxy> {
  return new Promise((resolve, reject) => {
    const [cmd, script] = kind === 'node' || kind === 'nagle' ? [process.execPath, 'bench/migrate/proxy.ts'] : ['python3', 'bench/migrate/fifo-proxy.py'];
    const extra = kind === 'serial' ? ['0'] : kind === 'nagle' ? ['--nagle'] : [];
    const child = spawn(cmd, [join(REPO, script), String(targetPort), String(delayMs), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.once('data', (chunk: Buffer) => resolve({ port: (JSON.parse(chunk.toString()) as { port: number }).port, child }));
    child.once('error', reject);
  });
}

// User + system CPU seconds a running child has used (/proc/PID/stat, clock ticks of 1/100 s).
function cpuSeconds(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function sumVsize(user: string): number {
  return doveadm('src', 'mailbox', 'status', '-u', user, 'vsize', '*')
    .split('\n')
    .reduce((n, l) => n + Number(/vsize=(\d+)/.exec(l)?.[1] ?? 0), 0);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

await main();
