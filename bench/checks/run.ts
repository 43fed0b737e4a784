// Deliverability check benchmark: N generated domains on a loopback Knot; the full check suite versus a
// baseline that sends the same DNS queries with the same concurrency and does no checking. Prints JSON lines.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { rawQuery, RR } from '../../electron/dns/raw-dns.ts';
import { nodeResolver } from '../../electron/dns/resolver.ts';
import { nsQuery, NS_RR } from '../../electron/dns/ns-probe.ts';
import { runChecks } from '../../electron/dns/run.ts';

const count = Number(process.env['BENCH_DOMAINS'] ?? 500);
const port = Number(process.env['BENCH_DNS_PORT'] ?? 5399);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
const roundCount = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 5));
const fixtures = process.env['MAILROOM_FIXTURES'] ?? '/tmp/mailroom-bench';
const server = `127.0.0.1:${port}`;
const knot = join(import.meta.dirname, '../../test/servers/knot.sh');
const env = { ...process.env, MAILROOM_FIXTURES: fixtures, DNS_PORT: String(port), DNS_IPV6: '0' };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function line(value: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'checks', ...value }) + '\n');
}

// Mostly healthy domains with the usual mix of problems, so every check family does real work.
function zone(i: number): string {
  const d = `d${String(i).padStart(4, '0')}.bench.test`;
  const spf = ['v=spf1 mx include:spf.vendor.dlv.test ~all', 'v=spf1 include:n9.vendor.dlv.test ~all', 'v=spf1 ip4:203.0.113.10 -all', 'v=spf1 a mx ?all'][i % 4];
  const dmarc = ['v=DMARC1; p=reject; rua=mailto:d@' + d, 'v=DMARC1; p=none', 'v=DMARC1; p=quarantine; rua=mailto:agg@reports.dlv.test'][i % 3];
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
    i % 2 === 0 ? `_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@${d}"` : '',
    i % 3 === 0 ? 'autoconfig CNAME mx' : '',
    'sel._domainkey TXT "v=DKIM1; k=ed25519; p=637f1q0PtwTJeiep7SnTc9lnhAWPsq//j5USG/RiWpo="',
    '',
  ].join('\n');
}

async function replay(queries: readonly (readonly [string, string])[]): Promise<{ ms: number; maxStallMs: number }> {
  const raw = nodeResolver({ servers: [server], timeoutMs: 2000, tries: 2 });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const [name, type] = queries[next++]!;
      // direct name server probes are logged as "SOA/udp@<address>" and "TXT/tcp@<address>"
      const direct = /^(SOA|TXT)\/(udp|tcp)@(.+)$/.exec(type);
      if (type === 'DNSKEY') await rawQuery({ host: '127.0.0.1', port }, name, RR.DNSKEY);
      else if (direct) await nsQuery({ host: direct[3]!, port }, name, NS_RR[direct[1] as 'SOA' | 'TXT'], direct[2] as 'udp' | 'tcp');
      else await raw(name, type).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  delay.disable();
  return { ms, maxStallMs: delay.max / 1e6 };
}

async function fullRun(domains: readonly string[]): Promise<{ ms: number; queries: [string, string][]; maxStallMs: number; findings: number }> {
  const queries: [string, string][] = [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const { reports } = await runChecks(
    { domains, profile: 'hosted', dkimSelectors: ['sel'] },
    {
      servers: [server],
      concurrency,
      // more domains than query slots, so dependent lookups of one domain never leave a slot idle
      parallelDomains: concurrency * 4,
      options: { smtp: { enabled: false, port: 25, timeoutMs: 1000 }, testNets: true, httpsTimeoutMs: 1000 },
      onQuery: (name, type) => queries.push([name, type]),
    },
  );
  const ms = performance.now() - started;
  delay.disable();
  return { ms, queries, maxStallMs: delay.max / 1e6, findings: reports.reduce((n, r) => n + r.findings.length, 0) };
}

const extra = join(fixtures, 'dns', 'extra-zones');
mkdirSync(extra, { recursive: true });
for (const f of readdirSync(extra)) if (f.endsWith('.bench.test.zone')) rmSync(join(extra, f));
const domains = Array.from({ length: count }, (_, i) => `d${String(i).padStart(4, '0')}.bench.test`);
domains.forEach((d, i) => writeFileSync(join(extra, `${d}.zone`), zone(i)));
execFileSync('sh', [knot, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  await fullRun(domains.slice(0, 20)); // warm-up: module loading, JIT
  // Paired rounds (full, then baseline replaying the first run's queries) so load from other processes
  // hits both sides alike; medians over the rounds, stall as the worst seen in any full run.
  const rounds = [];
  let recorded: [string, string][] = [];
  for (let r = 0; r < roundCount; r++) {
    const cpu0 = process.cpuUsage();
    const full = await fullRun(domains);
    const cpu1 = process.cpuUsage(cpu0);
    if (r === 0) recorded = full.queries;
    const base = await replay(recorded);
    const baselineMs = base.ms;
    const cpu2 = process.cpuUsage(cpu0);
    rounds.push({ fullMs: full.ms, baselineMs, ratio: full.ms / baselineMs, stall: full.maxStallMs, baseStall: base.maxStallMs, fullCpuMs: (cpu1.user + cpu1.system) / 1000, baseCpuMs: (cpu2.user + cpu2.system - cpu1.user - cpu1.system) / 1000, findings: full.findings });
    line({ phase: 'round', round: r + 1, fullMs: Math.round(full.ms), baselineMs: Math.round(baselineMs), ratio: Number((full.ms / baselineMs).toFixed(2)), maxEventLoopStallMs: Math.round(full.maxStallMs), baselineStallMs: Math.round(base.maxStallMs) });
  }
  const fullMs = median(rounds.map((x) => x.fullMs));
  const baselineMs = median(rounds.map((x) => x.baselineMs));
  const q = recorded.length;
  line({ phase: 'full', domains: count, concurrency, rounds: roundCount, wallMsMedian: Math.round(fullMs), queries: q, qps: Math.round(q / (fullMs / 1000)), cpuMsMedian: Math.round(median(rounds.map((x) => x.fullCpuMs))), findings: rounds[0]!.findings, maxEventLoopStallMs: Math.round(Math.max(...rounds.map((x) => x.stall))), medianEventLoopStallMs: Math.round(median(rounds.map((x) => x.stall))) });
  line({ phase: 'baseline', domains: count, concurrency, rounds: roundCount, wallMsMedian: Math.round(baselineMs), queries: q, qps: Math.round(q / (baselineMs / 1000)), cpuMsMedian: Math.round(median(rounds.map((x) => x.baseCpuMs))), maxEventLoopStallMs: Math.round(Math.max(...rounds.map((x) => x.baseStall))), medianEventLoopStallMs: Math.round(median(rounds.map((x) => x.baseStall))) });
  line({ phase: 'ratio', fullOverBaselineMedian: Number(median(rounds.map((x) => x.ratio)).toFixed(2)), min: Number(Math.min(...rounds.map((x) => x.ratio)).toFixed(2)), max: Number(Math.max(...rounds.map((x) => x.ratio)).toFixed(2)), goal: 1.5 });
} finally {
  if (!process.env['BENCH_KEEP_KNOT']) execFileSync('sh', [knot, 'stop'], { env, stdio: 'ignore' });
}
