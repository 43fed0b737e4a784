// Standards evaluation benchmark: 1,000 domains of 3 customers (3 real PostfixAdmin sqlite databases, cached by Mailroom)
// on a loopback Knot. `mailroom standards evaluate` (default standard) as a whole process versus a bare replay of the
// same DNS queries with the same concurrency, and the console's IPC latency while `mailroom serve` evaluates. JSON lines.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { isServing, startServe } from '../../test/support/serve-process.ts';
import { questionName, questionType, startCountingProxy } from './dns-proxy.ts';

const count = Number(process.env['BENCH_DOMAINS'] ?? 1000);
const port = Number(process.env['BENCH_DNS_PORT'] ?? 25399);
const proxyPort = port + 1;
const concurrency = 32; // the evaluation's default (RunSettings.concurrency ?? 32); the replay uses the same
const consoleWindowMs = Number(process.env['BENCH_CONSOLE_WINDOW_MS'] ?? 120_000);
const roundCount = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const fixtures = process.env['MAILROOM_FIXTURES'] ?? '/tmp/mailroom-bench-standards';
const REPO = join(import.meta.dirname, '../..');
const cliEntry = join(REPO, 'electron/cli/main.ts');
// What the timed evaluations run (BENCH_CLI): `sources`, Node stripping the TypeScript as the tests run it (default);
// `dist`, tsc's output (`tsc -b` first) under plain `node`; `installed`, that output as package.json "bin" installs it:
// through `bin/mailroom`, which picks node's heap flags by command, or in a checkout without it (before std-speed)
// through main.js's shebang (`--max-semi-space-size=1 --max-old-space-size=256`, then a relaunch without the first).
const cliMode = process.env['BENCH_CLI'] ?? 'sources';
if (!['sources', 'dist', 'installed'].includes(cliMode)) throw new Error(`BENCH_CLI=${cliMode}: sources, dist or installed`);
const entryOf = (checkout: string): string => join(checkout, cliMode === 'sources' ? 'electron/cli/main.ts' : 'dist/electron/cli/main.js');
const timedEntry = entryOf(REPO);
const baselineEntry = process.env['BENCH_BASELINE'] ? entryOf(process.env['BENCH_BASELINE']) : null;
/** The command and leading arguments that run `entry` in the chosen mode (installed: as the kernel runs its `#!` line). */
function launch(entry: string, nodeFlags: readonly string[] = []): [string, string[]] {
  if (cliMode !== 'installed' || nodeFlags.length > 0) return [process.execPath, [...nodeFlags, entry]];
  const launcher = join(entry, '../../../../bin/mailroom');
  if (existsSync(launcher)) return [launcher, []];
  const shebang = readFileSync(entry, 'utf8').split('\n', 1)[0]!.slice(2).trim();
  const space = shebang.indexOf(' ');
  return space < 0 ? [shebang, [entry]] : [shebang.slice(0, space), [shebang.slice(space + 1), entry]];
}
const knot = join(REPO, 'test/servers/knot.sh');
const pfa = join(REPO, 'test/servers/postfixadmin.sh');
const knotEnv = { ...process.env, MAILROOM_FIXTURES: fixtures, DNS_PORT: String(port), DNS_IPV6: '0' };
const CUSTOMERS = ['Acme Hosting', 'Birch Legal', 'Cobalt Retail'];
const SUFFIX = 'stdbench.test';
// The OS keychain when a Secret Service is on the session bus (a desktop, or `test/servers/keyring.sh node …`);
// otherwise a passphrase-sealed vault file in the bench's own data folder, whose scrypt unlock every command pays.
const keychain = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']) && process.env['BENCH_VAULT'] !== 'file';
process.env['MAILROOM_VAULT'] = keychain ? 'keychain' : 'file';
process.env['MAILROOM_KEYCHAIN_SERVICE'] ??= `Mailroom-bench-${process.pid}`;
process.env['BENCH_VAULT_PASSPHRASE'] ??= 'bench-standards-vault';
const vaultArgs = keychain ? [] : ['--passphrase-env', 'BENCH_VAULT_PASSPHRASE'];

function line(value: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'standards', ...value }) + '\n');
}

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

// DKIM public keys as published (p= of SPKI DER); a TXT string holds at most 255 characters.
const dkimKey = (bits: number): string => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const txt = (value: string): string => (value.match(/.{1,250}/g) ?? []).map((s) => `"${s}"`).join(' ');
const RSA2048 = dkimKey(2048);
const RSA1024 = dkimKey(1024);

const domainName = (i: number): string => `s${String(i).padStart(4, '0')}.${SUFFIX}`;

// Mostly aligned domains with the deviations an MSP sees: ~all/?all, p=none, a 1024-bit key, MTA-STS missing.
function zone(i: number): string {
  const d = domainName(i);
  const spf = i % 10 < 6 ? 'v=spf1 mx include:spf.vendor.dlv.test -all' : i % 10 < 8 ? 'v=spf1 mx include:spf.vendor.dlv.test ~all' : i % 10 < 9 ? 'v=spf1 ip4:203.0.113.10 -all' : 'v=spf1 a mx ?all';
  const dmarc = i % 10 < 7 ? `v=DMARC1; p=reject; rua=mailto:dmarc@${d}` : i % 10 < 9 ? 'v=DMARC1; p=quarantine; rua=mailto:agg@reports.dlv.test' : `v=DMARC1; p=none; rua=mailto:dmarc@${d}`;
  return [
    `$ORIGIN ${d}.`,
    '$TTL 300',
    '@ SOA ns1.dlv.test. hostmaster.dlv.test. 1 3600 600 1209600 300',
    '@ NS ns1.dlv.test.',
    '@ NS ns2.dlv.test.',
    '@ MX 10 mx',
    i % 7 === 0 ? '@ MX 20 mx2' : '',
    'mx A 203.0.113.25',
    'mx2 A 203.0.113.26',
    `@ TXT "${spf}"`,
    `_dmarc TXT "${dmarc}"`,
    `selector1._domainkey TXT ${txt(`v=DKIM1; k=rsa; p=${i % 25 === 0 ? RSA1024 : RSA2048}`)}`,
    i % 2 === 0 ? `selector2._domainkey TXT ${txt(`v=DKIM1; k=rsa; p=${RSA2048}`)}` : '',
    i % 5 === 0 ? 'google._domainkey TXT "v=DKIM1; k=ed25519; p=637f1q0PtwTJeiep7SnTc9lnhAWPsq//j5USG/RiWpo="' : '',
    i % 4 !== 3 ? '_mta-sts TXT "v=STSv1; id=20260101T000000"' : '',
    i % 4 !== 3 ? `_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@${d}"` : '',
    '',
  ].join('\n');
}

function cli(dataDir: string, ...args: string[]): string {
  const run = spawnSync(process.execPath, [cliEntry, ...args, '--data-dir', dataDir, ...vaultArgs], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`mailroom ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

// Three PostfixAdmin sites (Debian's package, real schema), one per customer, their domains written straight into the tables.
function seedPostfixAdmin(work: string, dataDir: string): void {
  for (const [c, customer] of CUSTOMERS.entries()) {
    const dir = join(work, `pfa-${c}`);
    mkdirSync(dir);
    const site = JSON.parse(execFileSync('sh', [pfa, 'create', 'sqlite', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!) as { site: string; database: string };
    const db = new Database(site.database);
    const addDomain = db.prepare("INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, backupmx, created, modified, active) VALUES (?, ?, 50, 50, 2048, 20480, 'virtual', 0, datetime('now'), datetime('now'), 1)");
    const addAlias = db.prepare("INSERT INTO alias (address, goto, domain, created, modified, active) VALUES (?, ?, ?, datetime('now'), datetime('now'), 1)");
    db.transaction(() => {
      for (let i = c; i < count; i += CUSTOMERS.length) {
        const d = domainName(i);
        addDomain.run(d, `${customer} ${i}`);
        addAlias.run(`postmaster@${d}`, `admin@${d}`, d);
        if (i % 17 === 0) addAlias.run(`@${d}`, `admin@${d}`, d);
        if (i % 23 === 0) addAlias.run(`sales@${d}`, 'someone@gmail.test', d);
      }
    })();
    db.close();
    cli(dataDir, 'connections', 'add-postfixadmin', '--name', `pfa-${c}`, '--dialect', 'sqlite', '--path', site.database, '--site-config', join(site.site, 'config.local.php'));
    cli(dataDir, 'customers', 'assign', `pfa-${c}`, customer);
  }
  cli(dataDir, 'domains', 'list', '--refresh', '--json');
}

/** Runs a command under GNU time (asynchronously: the counting proxy lives in this process): wall and CPU ms, and its stdout. */
function timed(command: string, args: readonly string[]): Promise<{ wallMs: number; cpuMs: number; stdout: string; code: number | null }> {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'BENCHTIME %e %U %S', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const t = /BENCHTIME (\S+) (\S+) (\S+)/.exec(stderr);
      if (!t) fail(new Error(`no timing from ${command}: ${stderr.slice(-500)}`));
      else done({ wallMs, cpuMs: (Number(t[2]) + Number(t[3])) * 1000, stdout, code });
    });
  });
}

const evaluateArgs = (dataDir: string, dnsPort: number): string[] => ['standards', 'evaluate', '--json', '--dns', `127.0.0.1:${dnsPort}`, '--no-smtp', '--test-nets', '--timeout', '3000', '--data-dir', dataDir, ...vaultArgs];
/** One `mailroom standards evaluate` of `entry` under GNU time. */
function evaluate(entry: string, dnsPort: number, extra: readonly string[] = [], nodeFlags: readonly string[] = []): ReturnType<typeof timed> {
  const [command, lead] = launch(entry, nodeFlags);
  return timed(command, [...lead, ...evaluateArgs(dataDir, dnsPort), ...extra]);
}

const work = mkdtempSync(join(tmpdir(), 'mr-bench-standards-'));
const dataDir = join(work, 'data');
mkdirSync(dataDir, { mode: 0o700 });
const extra = join(fixtures, 'dns', 'extra-zones');
mkdirSync(extra, { recursive: true });
for (const f of readdirSync(extra)) if (f.endsWith(`.${SUFFIX}.zone`)) rmSync(join(extra, f));
for (let i = 0; i < count; i++) writeFileSync(join(extra, `${domainName(i)}.zone`), zone(i));
execFileSync('sh', [knot, 'start'], { env: knotEnv, stdio: ['ignore', 'ignore', 'inherit'] });
const proxy = await startCountingProxy(proxyPort, port);
try {
  seedPostfixAdmin(work, dataDir);
  const customers = JSON.parse(cli(dataDir, 'customers', 'list', '--json')) as { customers: { name: string; domains: number }[] };
  line({ phase: 'setup', vault: process.env['MAILROOM_VAULT'], cli: cliMode, domains: count, customers: customers.customers.map((c) => [c.name, c.domains]), load: load() });

  // Recording run through the counting proxy: which queries one evaluation sends.
  // BENCH_PROFILE=DIR: a V8 CPU profile of the recorded evaluation, written into DIR.
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROFILE']] : [];
  const recorded = await evaluate(timedEntry, proxyPort, [], profile);
  const evaluation = JSON.parse(recorded.stdout) as { evaluated: number; score: Record<string, number>; deviations: { rule: string }[] };
  const queries = [...proxy.queries];
  const byType: Record<string, number> = {};
  for (const q of queries) {
    const key = `${questionType(q.packet)}${q.tcp ? '/tcp' : ''}`;
    byType[key] = (byType[key] ?? 0) + 1;
  }
  // The same question (name, type, transport) sent twice in one evaluation, by type code: the per-run cache leaves only
  // the SOA asked of each name server directly (in this bench every NS host is this one Knot).
  const asked = new Set<string>();
  const duplicateQueries: Record<string, number> = {};
  for (const q of queries) {
    const key = `${questionName(q.packet).toLowerCase()} ${questionType(q.packet)} ${q.tcp}`;
    if (asked.has(key)) duplicateQueries[questionType(q.packet)] = (duplicateQueries[questionType(q.packet)] ?? 0) + 1;
    asked.add(key);
  }
  const deviationsByRule: Record<string, number> = {};
  for (const d of evaluation.deviations) deviationsByRule[d.rule] = (deviationsByRule[d.rule] ?? 0) + 1;
  line({ phase: 'recording', viaProxy: true, wallMs: Math.round(recorded.wallMs), cpuMs: Math.round(recorded.cpuMs), exit: recorded.code, queries: queries.length, duplicateQueries, queriesByTypeCode: byType, evaluated: evaluation.evaluated, score: evaluation.score, deviationsByRule });
  const file = join(work, 'queries.jsonl');
  writeFileSync(file, queries.map((q) => JSON.stringify({ p: q.packet.toString('base64'), t: q.tcp })).join('\n') + '\n');

  // Every timed evaluation starts from the same data folder: the recording's, its alert streaks cleared by an evaluation
  // over no domain. Run one after another on one folder, an evaluation that follows another raises the alerts held twice
  // (44 here), and journaling them unseals the vault file (scrypt, ~1 s CPU) while the evaluation after a reset does not:
  // the first round paid that, and with a baseline every round of this checkout did and none of the baseline's.
  const noDomain = ['--customer', 'bench: no such customer'];
  cli(dataDir, 'standards', 'evaluate', '--json', ...noDomain);
  const snapshot = join(work, 'data-snapshot');
  cpSync(dataDir, snapshot, { recursive: true });
  const fromSnapshot = (): void => {
    rmSync(dataDir, { recursive: true, force: true });
    cpSync(snapshot, dataDir, { recursive: true });
  };
  // Paired rounds straight to Knot (no proxy): the evaluation process, then the bare replay process.
  const rounds = [];
  for (let r = 0; r < roundCount; r++) {
    const before = load();
    fromSnapshot();
    const full = await evaluate(timedEntry, port);
    // The same command over no domain (a customer with none): start-up, the vault and the module graph, stored empty.
    fromSnapshot();
    const startup = await evaluate(timedEntry, port, noDomain);
    // BENCH_BASELINE=DIR: the same evaluation by another checkout's CLI (the code before a change), in the same round.
    fromSnapshot();
    const baseline = baselineEntry ? await evaluate(baselineEntry, port) : null;
    const bare = await timed(process.execPath, [join(import.meta.dirname, 'replay.ts'), file, String(port), String(concurrency), 'raw']);
    const resolver = await timed(process.execPath, [join(import.meta.dirname, 'replay.ts'), file, String(port), String(concurrency), 'node']);
    const replay = JSON.parse(bare.stdout) as { ms: number; timeouts: number };
    const nodeReplay = JSON.parse(resolver.stdout) as { ms: number; timeouts: number };
    rounds.push({ full, startup, baseline, bare, replay, resolver, nodeReplay });
    // Alerts raised or resolved by the evaluation (none from the snapshot: each would add to its work).
    const transitions = (run: { stdout: string }): number => (JSON.parse(run.stdout) as { alerts: unknown[] }).alerts.length;
    line({ phase: 'round', round: r + 1, load: before, evaluateWallMs: Math.round(full.wallMs), evaluateCpuMs: Math.round(full.cpuMs), evaluateExit: full.code, evaluateAlerts: transitions(full), ...(baseline ? { baselineAlerts: transitions(baseline) } : {}), bareWallMs: Math.round(bare.wallMs), bareCpuMs: Math.round(bare.cpuMs), bareQueryLoopMs: Math.round(replay.ms), bareTimeouts: replay.timeouts, ratio: Number((full.wallMs / bare.wallMs).toFixed(2)), nodeResolverWallMs: Math.round(resolver.wallMs), nodeResolverCpuMs: Math.round(resolver.cpuMs), nodeResolverLoopMs: Math.round(nodeReplay.ms), nodeResolverRatio: Number((full.wallMs / resolver.wallMs).toFixed(2)), startupWallMs: Math.round(startup.wallMs), startupCpuMs: Math.round(startup.cpuMs), startupExit: startup.code, ...(baseline ? { baselineWallMs: Math.round(baseline.wallMs), baselineCpuMs: Math.round(baseline.cpuMs), baselineExit: baseline.code } : {}), withoutStartupOverNodeLoop: Number(((full.wallMs - startup.wallMs) / nodeReplay.ms).toFixed(2)), withoutStartupOverRawLoop: Number(((full.wallMs - startup.wallMs) / replay.ms).toFixed(2)) });
  }
  const fullWall = median(rounds.map((x) => x.full.wallMs));
  const bareWall = median(rounds.map((x) => x.bare.wallMs));
  line({ phase: 'evaluate', domains: count, rounds: roundCount, wallMsMedian: Math.round(fullWall), cpuMsMedian: Math.round(median(rounds.map((x) => x.full.cpuMs))), queries: queries.length, qps: Math.round(queries.length / (fullWall / 1000)) });
  line({ phase: 'bare', domains: count, rounds: roundCount, concurrency, wallMsMedian: Math.round(bareWall), cpuMsMedian: Math.round(median(rounds.map((x) => x.bare.cpuMs))), queryLoopMsMedian: Math.round(median(rounds.map((x) => x.replay.ms))), queries: queries.length, qps: Math.round(queries.length / (bareWall / 1000)) });
  const ratios = rounds.map((x) => x.full.wallMs / x.bare.wallMs);
  const resolverWall = median(rounds.map((x) => x.resolver.wallMs));
  line({ phase: 'bare-node-resolver', domains: count, rounds: roundCount, concurrency, wallMsMedian: Math.round(resolverWall), cpuMsMedian: Math.round(median(rounds.map((x) => x.resolver.cpuMs))), queryLoopMsMedian: Math.round(median(rounds.map((x) => x.nodeReplay.ms))), queries: queries.length, qps: Math.round(queries.length / (resolverWall / 1000)) });
  line({ phase: 'startup', rounds: roundCount, wallMsMedian: Math.round(median(rounds.map((x) => x.startup.wallMs))), cpuMsMedian: Math.round(median(rounds.map((x) => x.startup.cpuMs))), evaluateCpuWithoutStartupMsMedian: Math.round(median(rounds.map((x) => x.full.cpuMs - x.startup.cpuMs))) });
  line({ phase: 'ratio', withoutStartupOverNodeLoopMedian: Number(median(rounds.map((x) => (x.full.wallMs - x.startup.wallMs) / x.nodeReplay.ms)).toFixed(2)), withoutStartupOverRawLoopMedian: Number(median(rounds.map((x) => (x.full.wallMs - x.startup.wallMs) / x.replay.ms)).toFixed(2)), evaluateOverNodeResolverMedian: Number(median(rounds.map((x) => x.full.wallMs / x.resolver.wallMs)).toFixed(2)), evaluateOverBareMedian: Number(median(ratios).toFixed(2)), min: Number(Math.min(...ratios).toFixed(2)), max: Number(Math.max(...ratios).toFixed(2)), goal: 1.5, load: load() });

  if (process.env['BENCH_CONSOLE'] !== '0') {
    await measureConsole(null);
    // The baseline checkout's serve (evaluating on its main thread before std-perf), right after, on the same data.
    if (process.env['BENCH_BASELINE']) await measureConsole(join(process.env['BENCH_BASELINE'], 'electron/cli/main.ts'));
  }
} finally {
  await proxy.close();
  if (!process.env['BENCH_KEEP_KNOT']) execFileSync('sh', [knot, 'stop'], { env: knotEnv, stdio: 'ignore' });
  // BENCH_KEEP_WORK=1 keeps the data folder and recorded queries, to profile single commands on them afterwards.
  if (process.env['BENCH_KEEP_WORK']) line({ phase: 'kept', work, dataDir });
  else rmSync(work, { recursive: true, force: true });
}

/** One IPC call over the loopback host without fetch's 300 s header timeout (an evaluation of 1,000 domains may take longer). */
function longCall(origin: string, token: string, channel: string, args: unknown[]): Promise<{ ok: boolean; value?: { evaluated: number } }> {
  return new Promise((done, fail) => {
    const body = JSON.stringify(args);
    const req = request(`${origin}/api/${channel}`, { method: 'POST', headers: { origin, authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => done(JSON.parse(text) as never));
    });
    req.on('error', fail);
    req.end(body);
  });
}

// The console while it evaluates: a `mailroom serve` process, a cheap read over its loopback IPC every 20 ms, idle
// first (the peer), then while `standards.evaluate` runs in that same process.
async function measureConsole(baseline: string | null): Promise<void> {
  const serve = await (baseline ? startServe(['--data-dir', dataDir, ...vaultArgs], {}, [], 60_000, baseline) : startServe(['--data-dir', dataDir, ...vaultArgs], {}));
  if (!isServing(serve)) throw new Error(`mailroom serve did not start: ${serve.stderr}`);
  try {
    const set = await serve.call('dns.setResolver', [`127.0.0.1:${port}`]);
    if (!set.ok) throw new Error(`dns.setResolver: ${JSON.stringify(set.error)}`);
    let windowEnds = (): number => performance.now() + 60_000;
    const poll = async (until: () => boolean): Promise<number[]> => {
      const latencies: number[] = [];
      while (!until()) {
        const t0 = performance.now();
        // A call still unanswered when the window closes counts with the time it has waited (a lower bound).
        const answered = await Promise.race([serve.call('standards.customers').then(() => true), new Promise<false>((r) => setTimeout(() => r(false), Math.max(0, windowEnds() - t0)))]);
        latencies.push(performance.now() - t0);
        if (!answered) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      return latencies;
    };
    const summary = (l: number[]): Record<string, number> => ({ calls: l.length, maxMs: Math.round(Math.max(...l)), p99Ms: Math.round([...l].sort((a, b) => a - b)[Math.floor(l.length * 0.99)]!), medianMs: Number(median(l).toFixed(1)) });
    const idleUntil = performance.now() + 5000;
    windowEnds = () => idleUntil + 1000;
    const idle = await poll(() => performance.now() > idleUntil);
    let done = false;
    const started = performance.now();
    const evaluating = longCall(serve.origin, serve.token, 'standards.evaluate', ['email baseline', { runId: 'bench-console' }])
      .catch(() => null) // serve is stopped after the window; the call then ends with the connection
      .finally(() => (done = true));
    // The window is bounded: on this machine serve's evaluation of 1,000 domains has taken longer than fetch's 300 s.
    windowEnds = () => started + consoleWindowMs;
    const busy = await poll(() => done || performance.now() > windowEnds());
    const finished = done;
    // An evaluation still running at the window's end is cancelled, so serve stops cleanly instead of ignoring SIGTERM.
    const cancel = finished ? null : await Promise.race([serve.call('standards.cancel', 'bench-console').then((r) => r.ok), new Promise<false>((r) => setTimeout(() => r(false), 10_000))]);
    const cancelledWithinMs = finished ? null : await Promise.race([evaluating.then(() => Math.round(performance.now() - started - consoleWindowMs)), new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    const result = finished ? await evaluating : null;
    line({ phase: 'console', serve: baseline ? 'baseline' : 'this checkout', load: load(), finished, cancelAccepted: cancel, cancelledWithinMs, evaluateOk: result?.ok ?? null, evaluated: result?.value?.evaluated ?? null, evaluateMs: done ? Math.round(performance.now() - started) : null, windowMs: Math.round(performance.now() - started), idle: summary(idle), duringEvaluation: summary(busy), goalMaxMs: 50 });
  } finally {
    // A serve that ignores SIGTERM (the baseline's monitor may still be re-checking every stored domain) is killed.
    await serve.stop(20_000);
  }
}
