import { execFileSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, testServers } from '../../support/servers.ts';
import { lastJson, runCli, type CliRun } from '../../support/run-cli.ts';
import type { DomainReport, Finding } from '../../../shared/domain/dns.ts';

/** `host:port` of the Knot instance serving test/fixtures/zones. */
export function dnsServer(): string {
  const dns = testServers().dns;
  if (!dns) throw new Error('servers.json has no dns entry: start Knot with test/servers/knot.sh start');
  return `${dns.host}:${dns.port}`;
}

/** Runs `mailroom check --json` against the fixture server and returns the exit code and reports by domain. */
export async function check(domains: readonly string[], args: readonly string[] = []): Promise<{ run: CliRun; reports: Map<string, DomainReport> }> {
  const run = await runCli(['check', ...domains, '--dns', dnsServer(), '--json', '--data-dir', join(fixturesDir(), 'dlv-cli-home'), ...args], { timeoutMs: 90_000 });
  const parsed = lastJson<{ domains?: DomainReport[] }>(run);
  if (!parsed.domains) throw new Error(`mailroom check printed no report: ${run.stdout} ${run.stderr}`);
  return { run, reports: new Map(parsed.domains.map((d) => [d.domain, d])) };
}

/** The findings of one report with the given id. */
export function withId(report: DomainReport | undefined, id: string): Finding[] {
  return (report?.findings ?? []).filter((f) => f.id === id);
}

/** Issues a leaf certificate from the test CA; returns cert, key and CA PEM paths. */
export function issueCert(name: string, sans: readonly string[]): { cert: string; key: string; ca: string } {
  const out = execFileSync('sh', [join(import.meta.dirname, '../../servers/ca.sh'), 'issue', name, ...sans], { env: { ...process.env, MAILROOM_FIXTURES: fixturesDir() }, encoding: 'utf8' });
  const [cert, key] = out.trim().split('\n');
  return { cert: cert!, key: key!, ca: join(fixturesDir(), 'ca', 'ca.pem') };
}

let serial = Math.floor(Date.now() / 1000) % 2_000_000_000;

/** Publishes a zone at runtime through Knot's extra-zones directory (NS ns1 and ns2 unless told) and waits until Knot serves the new serial. */
export async function publishZone(name: string, body: string, options: { readonly nameServers?: readonly string[] } = {}): Promise<void> {
  const dns = testServers().dns as unknown as { extraZonesDir: string; reload: readonly string[] };
  const mine = ++serial;
  const ns = (options.nameServers ?? ['ns1.dlv.test', 'ns2.dlv.test']).map((host) => `@ NS ${host}.\n`).join('');
  mkdirSync(dns.extraZonesDir, { recursive: true });
  writeFileSync(join(dns.extraZonesDir, `${name}.zone`), `$ORIGIN ${name}.\n$TTL 300\n@ SOA ns1.dlv.test. hostmaster.dlv.test. ${mine} 3600 600 1209600 300\n${ns}${body}\n`);
  // knot.sh reload rewrites its config from DNS_PORT; keep the port the running instance listens on
  execFileSync(dns.reload[0]!, dns.reload.slice(1), { stdio: 'ignore', env: { ...process.env, DNS_PORT: dnsServer().split(':')[1] } });
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([dnsServer()]);
  for (let i = 0; i < 200; i++) {
    const soa = await resolver.resolveSoa(name).catch(() => null);
    if (soa?.serial === mine) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`Knot did not load ${name} serial ${mine}`);
}
