import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import type { DomainReport } from '../../../shared/domain/dns.ts';
import { runChecks } from '../../dns/run.ts';
import { parse } from '../args.ts';
import { CHECK_OPTIONS, CHECK_USAGE, checkRunFrom } from '../check-options.ts';
import { ExitCode, UsageError, type CliCommand } from '../cli-context.ts';
import { emit } from '../output.ts';

/** `mailroom check <domain...>`: DNS, authentication, TLS and reputation checks with findings and a score, stored in the history. */
export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'check the deliverability of one or more domains',
  usage: `mailroom check <domain...> [--from-file F] ${CHECK_USAGE} [--json]
         (exit 0: no critical or error finding; 1: at least one; 2: usage or I/O error)`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { ...CHECK_OPTIONS, 'from-file': { type: 'string' } });
    const domains = [...positionals];
    if (values['from-file']) domains.push(...domainsFromFile(await readFile(values['from-file'], 'utf8')));
    if (domains.length === 0) throw new UsageError('Give at least one domain, or --from-file.');
    const { request, settings } = await checkRunFrom(values);
    const profile = request.profile;
    const { reports } = await runChecks({ ...request, domains }, settings);
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
