import type { StandardEvaluation } from '../../shared/domain/standards.ts';

/** The domain a deviation's target belongs to: the domain itself, a catch-all `@domain`, or an address's domain. */
export function domainOfTarget(target: string): string {
  return target.slice(target.lastIndexOf('@') + 1).toLowerCase();
}

const percent = (passed: number, checks: number): number => (checks === 0 ? 100 : Math.round((passed / checks) * 100));

/**
 * The previous evaluation with one domain's results replaced by a re-check of that domain alone: its deviations, accepted
 * ones and alignment entry; the customer scores summed again over the domains. A supported score is kept as it was for a
 * customer whose domains do not all carry their supported counts (evaluations stored before they did).
 */
export function mergeRecheck(previous: StandardEvaluation, recheck: StandardEvaluation, domain: string): StandardEvaluation {
  const other = <T extends { target: string }>(list: readonly T[]): T[] => list.filter((d) => domainOfTarget(d.target) !== domain);
  const domains = { ...Object.fromEntries(Object.entries(previous.domains).filter(([name]) => name !== domain)), ...recheck.domains };
  const score: Record<string, number> = { ...previous.score };
  const supportedScore: Record<string, number> = { ...previous.supportedScore };
  const customers = new Set(Object.values(recheck.domains).map((d) => d.customer));
  for (const customer of customers) {
    const mine = Object.values(domains).filter((d) => d.customer === customer);
    score[customer] = percent(mine.reduce((n, d) => n + d.passed, 0), mine.reduce((n, d) => n + d.checks, 0));
    if (mine.every((d) => d.supportedChecks !== undefined && d.supportedPassed !== undefined)) {
      supportedScore[customer] = percent(mine.reduce((n, d) => n + d.supportedPassed!, 0), mine.reduce((n, d) => n + d.supportedChecks!, 0));
    }
  }
  return {
    ...previous,
    at: recheck.at,
    evaluated: Object.keys(domains).length,
    score,
    supportedScore,
    domains,
    deviations: [...other(previous.deviations), ...recheck.deviations],
    accepted: [...other(previous.accepted), ...recheck.accepted],
    alerts: [],
  };
}
