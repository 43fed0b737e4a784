import { getServers } from 'node:dns';
import type { AlertCandidate } from '../../shared/domain/alerts.ts';
import type { DomainProfile, DomainReport } from '../../shared/domain/dns.ts';
import type { RunSettings } from '../dns/run.ts';

/** A stored domain with what its checks need. */
export interface StoredDomain {
  readonly domain: string;
  readonly profile: DomainProfile;
  readonly dkimSelectors: readonly string[];
  readonly sendingIps: readonly string[];
}

/** What the DNS evaluator needs: the domains, the run settings and a place to keep each report in the history. */
export interface DnsEvaluatorDeps {
  readonly domains: () => StoredDomain[];
  readonly settings: Omit<RunSettings, 'signal' | 'onProgress' | 'onQuery'>;
  readonly record?: (report: DomainReport, profile: DomainProfile) => void;
}

const ALERTING = new Set(['critical', 'error']);

/** The resolvers that vote: each configured server on its own, or each system resolver when none is configured. */
export function votingResolvers(servers: readonly string[]): string[] {
  return servers.length > 0 ? [...servers] : getServers().map((s) => (s.includes(':') && !s.startsWith('[') ? `[${s}]` : s));
}

/**
 * Checks every stored domain through each resolver separately; a critical or error finding becomes
 * a candidate whose `dnsConfirmedByResolvers` counts the resolvers that saw it (an `unknown` one
 * counts none, so a timeout neither raises nor resolves).
 */
export function dnsEvaluator(deps: DnsEvaluatorDeps): (signal?: AbortSignal) => Promise<AlertCandidate[]> {
  return async (signal) => {
    const domains = deps.domains();
    // The checks pull in mailauth (seconds on a slow machine): not loaded while there is nothing to check.
    if (domains.length === 0) return [];
    const { runChecks } = await import('../dns/run.ts');
    const resolvers = votingResolvers(deps.settings.servers);
    const candidates: AlertCandidate[] = [];
    for (const d of domains) {
      // A stop (serve's SIGTERM) ends the run between domains; the monitor counts a stopped run for nothing.
      if (signal?.aborted) break;
      const request = { domains: [d.domain], profile: d.profile, dkimSelectors: d.dkimSelectors, sendingIps: d.sendingIps };
      const found = await Promise.all(resolvers.map(async (server) => (await runChecks(request, { ...deps.settings, servers: [server], ...(signal ? { signal } : {}) })).reports[0]));
      const reports = found.filter((r) => r !== undefined);
      if (reports.length < found.length) break;
      deps.record?.(reports[0]!, d.profile);
      const seen = new Map<string, { candidate: AlertCandidate; votes: number }>();
      for (const report of reports) {
        for (const id of new Set(report.findings.filter((f) => ALERTING.has(f.severity)).map((f) => f.id))) {
          const f = report.findings.find((x) => x.id === id && ALERTING.has(x.severity))!;
          const entry = seen.get(id) ?? { candidate: { rule: id, target: d.domain, expected: f.fix || `no ${id} finding`, current: f.message }, votes: 0 };
          entry.votes++;
          seen.set(id, entry);
        }
      }
      // A check that could not finish (a timeout, a refused query) is `unknown`: not a vote, but not a
      // fix either, so it is passed on with no votes, which keeps an open alert open and raises nothing.
      for (const report of reports) {
        for (const f of report.findings) {
          if (f.severity === 'unknown' && !seen.has(f.id)) seen.set(f.id, { candidate: { rule: f.id, target: d.domain, expected: f.fix || `no ${f.id} finding`, current: f.message }, votes: 0 });
        }
      }
      for (const { candidate, votes } of seen.values()) candidates.push({ ...candidate, dnsConfirmedByResolvers: votes });
    }
    return candidates;
  };
}
