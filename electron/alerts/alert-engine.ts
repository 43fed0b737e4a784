import type { Alert, AlertCandidate, AlertEvaluation, AlertTransition } from '../../shared/domain/alerts.ts';
import type { AlertsRepo, StreakRow } from '../db/alerts-repo.ts';

/** A state change with the alert it concerns. */
export interface AlertChange extends AlertTransition {
  readonly alert: Alert;
}

/** Evaluations in a row a candidate must hold on before it raises. */
export const RAISE_AFTER = 2;
/** Resolvers that must agree before a DNS candidate counts. */
export const DNS_QUORUM = 2;

const key = (c: { rule: string; target: string }): string => `${c.rule}\u0000${c.target}`;

/** True when a candidate counts towards raising: any non-DNS candidate, a DNS one only when enough resolvers agree. */
export function confirmed(c: AlertCandidate): boolean {
  return c.dnsConfirmedByResolvers === undefined || c.dnsConfirmedByResolvers >= DNS_QUORUM;
}

/**
 * Turns evaluations into alerts that do not cry wolf, persisted so a restart keeps every streak.
 *
 * A candidate raises once it has held (confirmed) on RAISE_AFTER consecutive evaluations of its
 * source; an open alert stays open, silently, while its candidate is present, and resolves in the
 * first evaluation without it. A candidate that comes and goes every evaluation never raises.
 */
export class AlertEngine {
  private readonly repo: AlertsRepo;

  constructor(repo: AlertsRepo) {
    this.repo = repo;
  }

  /** Records one evaluation and returns the alerts it raised and resolved. */
  observe(evaluation: AlertEvaluation): AlertChange[] {
    return this.repo.transaction(() => this.step(evaluation));
  }

  private step({ source, at, candidates }: AlertEvaluation): AlertChange[] {
    const n = this.repo.nextEvaluation(source, at);
    const previous = new Map(this.repo.streaks(source).map((s) => [key(s), s]));
    const open = new Map(this.repo.openAlerts(source).map((a) => [key(a), a]));
    const present = new Set(candidates.map(key));
    const streaks = new Map<string, StreakRow>();
    const changes: AlertChange[] = [];
    for (const c of candidates) {
      const k = key(c);
      if (!confirmed(c) || streaks.has(k)) continue;
      const before = previous.get(k);
      const streak = before && before.seenEval === n - 1 ? before.streak + 1 : 1;
      streaks.set(k, { rule: c.rule, target: c.target, streak, seenEval: n });
      if (streak >= RAISE_AFTER && !open.has(k)) {
        const alert = this.repo.raise(source, c, at);
        open.set(k, alert);
        changes.push({ rule: c.rule, target: c.target, state: 'raised', alert });
      }
    }
    for (const [k, alert] of open) {
      if (present.has(k)) continue;
      changes.push({ rule: alert.rule, target: alert.target, state: 'resolved', alert: this.repo.resolve(alert.id, at) });
    }
    this.repo.replaceStreaks(source, [...streaks.values()]);
    return changes;
  }
}
