import type { ReportAlignment, ReportDrift } from '../../shared/domain/monthly-report.ts';
import type { StandardEvaluation } from '../../shared/domain/standards.ts';

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

// Only evaluations that covered the customer speak about it: a run for another customer says nothing of this one's drift.
function covering(evaluations: readonly StandardEvaluation[], customer: string): Map<string, StandardEvaluation[]> {
  const byStandard = new Map<string, StandardEvaluation[]>();
  for (const e of evaluations) {
    if (!Object.keys(e.score).some((c) => same(c, customer))) continue;
    byStandard.set(e.standard, [...(byStandard.get(e.standard) ?? []), e]);
  }
  return byStandard;
}

/** Per standard: the customer's alignment score at the month's first and last evaluation, and the lowest in between. */
export function alignmentOver(evaluations: readonly StandardEvaluation[], customer: string): ReportAlignment[] {
  return [...covering(evaluations, customer)].map(([standard, list]) => {
    const scores = list.map((e) => Object.entries(e.score).find(([c]) => same(c, customer))![1]);
    const last = list[list.length - 1]!;
    return {
      standard,
      evaluations: list.length,
      first: scores[0] ?? null,
      last: scores[scores.length - 1] ?? null,
      lowest: scores.length ? Math.min(...scores) : null,
      lastSupported: Object.entries(last.supportedScore).find(([c]) => same(c, customer))?.[1] ?? null,
    };
  });
}

/**
 * Every deviation of the customer that counted in an evaluation of the month, with when it stopped holding: the first
 * later evaluation of the same standard without it. Opened: began in the month; open: held at the month's last evaluation.
 */
export function driftOver(evaluations: readonly StandardEvaluation[], customer: string, monthStart: string): { opened: number; resolved: number; open: number; items: ReportDrift[] } {
  const items: ReportDrift[] = [];
  for (const [standard, list] of covering(evaluations, customer)) {
    const seen = new Map<string, { item: ReportDrift; lastIndex: number }>();
    list.forEach((e, i) => {
      for (const d of e.deviations) {
        if (!same(d.customer, customer)) continue;
        const key = `${d.rule} ${d.target}`;
        const held = seen.get(key);
        if (held && held.lastIndex === i - 1) {
          held.lastIndex = i;
          continue;
        }
        // A deviation that went away and came back is a new one (its `since` says so); the earlier one ended when it went.
        if (held) items.push({ ...held.item, resolvedAt: list[held.lastIndex + 1]!.at });
        seen.set(key, { item: { standard, rule: d.rule, target: d.target, mode: d.mode, since: d.since, resolvedAt: null }, lastIndex: i });
      }
    });
    for (const { item, lastIndex } of seen.values()) items.push(lastIndex === list.length - 1 ? item : { ...item, resolvedAt: list[lastIndex + 1]!.at });
  }
  items.sort((a, b) => a.since.localeCompare(b.since) || a.rule.localeCompare(b.rule) || a.target.localeCompare(b.target));
  return {
    opened: items.filter((i) => i.since >= monthStart).length,
    resolved: items.filter((i) => i.resolvedAt !== null).length,
    open: items.filter((i) => i.resolvedAt === null).length,
    items,
  };
}
