import { execFileSync } from 'node:child_process';
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
