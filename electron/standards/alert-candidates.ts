import type { AlertCandidate } from '../../shared/domain/alerts.ts';
import { ruleDefinition } from '../../shared/domain/standard-rules.ts';
import type { Standard, StandardEvaluation } from '../../shared/domain/standards.ts';
import type { RunSettings } from '../dns/run.ts';
import { deviationsForAlerts } from './evaluate.ts';

/** Re-evaluates a cut-down standard over some domains through one resolver: the votes for DNS deviations. */
export type ResolverEvaluation = (standard: Standard, domains: ReadonlySet<string>, run: RunSettings) => Promise<StandardEvaluation>;

const isDns = (rule: string): boolean => ruleDefinition(rule)?.family === 'dns';
const keyOf = (d: { rule: string; target: string }): string => `${d.rule} ${d.target}`;

/**
 * The alert candidates of an evaluation: its deviations in alert mode. A DNS deviation carries how many
 * of the configured resolvers, each asked on its own, see it too, so a single resolver's bad answer
 * (or a record that differs between them) never raises an alert; with one resolver it cannot.
 */
export async function alertCandidates(standard: Standard, evaluation: StandardEvaluation, run: RunSettings, evaluateThrough: ResolverEvaluation): Promise<AlertCandidate[]> {
  const alerting = deviationsForAlerts(evaluation);
  const dnsDomains = new Set(alerting.filter((d) => isDns(d.rule)).map((d) => d.target));
  const votes = new Map<string, number>();
  if (dnsDomains.size > 0 && run.servers.length > 1) {
    const cut: Standard = { ...standard, rules: standard.rules.filter((r) => r.mode === 'alert' && isDns(r.rule)) };
    for (const server of run.servers) {
      const seen = await evaluateThrough(cut, dnsDomains, { ...run, servers: [server] });
      for (const d of seen.deviations) votes.set(keyOf(d), (votes.get(keyOf(d)) ?? 0) + 1);
    }
  }
  return alerting.map((d) => ({
    rule: d.rule,
    target: d.target,
    expected: d.expected,
    current: d.current,
    customer: d.customer,
    ...(isDns(d.rule) ? { dnsConfirmedByResolvers: run.servers.length > 1 ? (votes.get(keyOf(d)) ?? 0) : 1 } : {}),
  }));
}
