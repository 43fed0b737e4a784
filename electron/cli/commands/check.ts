import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { parse as parseCsv } from 'csv-parse/sync';
import type { DomainProfile, DomainReport } from '../../../shared/domain/dns.ts';
import { parseServer, runChecks } from '../../dns/run.ts';
import { parse, parsePort } from '../args.ts';
import { ExitCode, UsageError, type CliCommand } from '../cli-context.ts';
import { emit } from '../output.ts';

const PROFILES: readonly DomainProfile[] = ['hosted', 'parked', 'bulk-sender'];

/** `mailroom check <domain...>`: DNS, authentication, TLS and reputation checks with findings and a score, stored in the history. */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'check the deliverability of one or more domains',
  usage: `mailroom check <domain...> [--dns HOST:PORT]... [--from-file F] [--profile hosted|parked|bulk-sender]
                [--dkim-selector S]... [--sending-ip IP]... [--dnsbl ZONE]... [--dbl ZONE]...
                [--smtp-port N | --no-smtp] [--relay-test] [--mta-sts-port N] [--ca-file PEM] [--timeout MS] [--test-nets] [--json]
         (exit 0: no critical or error finding; 1: at least one; 2: usage or I/O error)`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, {
      dns: { type: 'string', multiple: true },
      'from-file': { type: 'string' },
      profile: { type: 'string' },
      'dkim-selector': { type: 'string', multiple: true },
      'sending-ip': { type: 'string', multiple: true },
      dnsbl: { type: 'string', multiple: true },
      dbl: { type: 'string', multiple: true },
      'smtp-port': { type: 'string' },
      'no-smtp': { type: 'boolean' },
      'relay-test': { type: 'boolean' },
      'mta-sts-port': { type: 'string' },
      'ca-file': { type: 'string' },
      timeout: { type: 'string' },
      'test-nets': { type: 'boolean' },
    });
    const domains = [...positionals];
    if (values['from-file']) domains.push(...domainsFromFile(await readFile(values['from-file'], 'utf8')));
    if (domains.length === 0) throw new UsageError('Give at least one domain, or --from-file.');
    const profile = (values.profile ?? 'hosted') as DomainProfile;
    if (!PROFILES.includes(profile)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}.`);
    const servers = values.dns ?? [];
    for (const s of servers) if (!parseServer(s)) throw new UsageError(`--dns must be HOST or HOST:PORT, not "${s}".`);
    const ips = values['sending-ip'] ?? [];
    for (const ip of ips) if (!isIP(ip)) throw new UsageError(`--sending-ip must be an IP address, not "${ip}".`);
    const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000) throw new UsageError('--timeout must be 100-120000 milliseconds.');
    const ca = values['ca-file'] ? await readFile(values['ca-file'], 'utf8') : undefined;
    const { reports } = await runChecks(
      { domains, profile, dkimSelectors: values['dkim-selector'] ?? [], sendingIps: ips },
      {
        servers,
        dnsTimeoutMs: Math.min(timeout, 2000),
        mtaStsPort: parsePort(values['mta-sts-port'], 'mta-sts-port') ?? 443,
        options: {
          smtp: { enabled: !values['no-smtp'], port: parsePort(values['smtp-port'], 'smtp-port') ?? 25, timeoutMs: timeout, relayTest: values['relay-test'] ?? false },
          httpsTimeoutMs: timeout,
          ca,
          testNets: values['test-nets'] ?? false,
          dnsbl: { ipZones: values.dnsbl ?? [], domainZones: values.dbl ?? [] },
        },
      },
    );
    // Stored like the console's runs, so history, monitoring alerts and the routing view's DMARC judgement see it.
    const dns = ctx.services().dns;
    for (const report of reports) dns.record(report, profile);
    emit(ctx, { domains: reports }, () => reports.map(human).join('\n\n'));
    const failing = reports.some((r) => r.findings.some((f) => f.severity === 'critical' || f.severity === 'error'));
    return failing ? ExitCode.failed : ExitCode.ok;
  },
};

/** Domains from a list or CSV file: the first column of each row; blank lines, `#` comments and a `domain` header are skipped. */
export function domainsFromFile(text: string): string[] {
  const rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#' }) as string[][];
  return rows.map((r) => r[0] ?? '').filter((d, i) => d !== '' && !(i === 0 && /^domains?$/i.test(d)));
}

function human(report: DomainReport): string {
  const head = `${report.domain}  score ${report.score}/100`;
  if (report.findings.length === 0) return `${head}\n  no findings`;
  return [head, ...report.findings.map((f) => `  ${f.severity.toUpperCase().padEnd(8)} ${f.id}: ${f.message}${f.fix ? `\n           fix: ${f.fix}` : ''}`)].join('\n');
}
