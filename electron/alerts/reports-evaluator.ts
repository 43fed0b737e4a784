import type { AlertCandidate } from '../../shared/domain/alerts.ts';
import type { ReportDay, TlsFailureRow } from '../../shared/domain/reports-insights.ts';
import type { ReportSource } from '../../shared/domain/reports.ts';

/** When stored reports become alert candidates. */
export interface ReportsAlertThresholds {
  /** The sliding window every rule looks at. */
  readonly windowDays: number;
  /** An unknown source first seen in the window raises at this many messages. */
  readonly unknownSourceMessages: number;
  /** A domain's DMARC pass rate under this share raises … */
  readonly passRateBelow: number;
  /** … once the window holds at least this many of its messages (a few messages say little). */
  readonly minMessagesForRate: number;
  /** Failed TLS sessions on one receiving MX in the window that raise. */
  readonly tlsFailedSessions: number;
}

/** The shipped thresholds: a week's reports, 100 messages, 90 % pass, any TLS failure. */
export const DEFAULT_REPORT_THRESHOLDS: ReportsAlertThresholds = { windowDays: 7, unknownSourceMessages: 100, passRateBelow: 0.9, minMessagesForRate: 100, tlsFailedSessions: 1 };

/** What the evaluator reads: the stored reports' views (times in Unix seconds). */
export interface ReportsEvaluatorDeps {
  readonly domains: (since: number) => readonly string[];
  readonly sources: (domain: string, since: number) => readonly ReportSource[];
  readonly days: (domain: string, since: number) => readonly ReportDay[];
  readonly tlsFailures: (since: number) => readonly TlsFailureRow[];
  readonly now: () => number;
  readonly thresholds?: ReportsAlertThresholds;
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/**
 * Alert candidates from the reports receivers sent: a new unknown source sending as a domain at
 * volume, a domain's DMARC pass rate under the threshold, TLS failures on a receiving MX. The window
 * slides, so a candidate holds from one evaluation to the next while the reports say so; the engine's
 * two-evaluations rule keeps one odd report from raising anything.
 */
export function reportsEvaluator(deps: ReportsEvaluatorDeps): () => Promise<AlertCandidate[]> {
  const t = deps.thresholds ?? DEFAULT_REPORT_THRESHOLDS;
  return async () => {
    const since = deps.now() - t.windowDays * 86_400;
    const candidates: AlertCandidate[] = [];
    for (const domain of deps.domains(since)) {
      for (const s of deps.sources(domain, since)) {
        if (s.classification !== 'unknown' || s.messages < t.unknownSourceMessages || s.firstSeen < since) continue;
        candidates.push({
          rule: 'reports.unknown-source',
          target: `${domain} ${s.sourceIp}`,
          expected: `no unknown source sending ${t.unknownSourceMessages}+ messages as ${domain}`,
          current: `${s.sourceIp} sent ${s.messages} messages as ${domain} since ${new Date(s.firstSeen * 1000).toISOString().slice(0, 10)}, ${s.dmarcPass} passing DMARC`,
        });
      }
      const days = deps.days(domain, since);
      const messages = days.reduce((n, d) => n + d.messages, 0);
      const passed = days.reduce((n, d) => n + d.dmarcPass, 0);
      if (messages >= t.minMessagesForRate && passed / messages < t.passRateBelow) {
        candidates.push({ rule: 'reports.pass-rate', target: domain, expected: `at least ${percent(t.passRateBelow)} of messages pass DMARC`, current: `${percent(passed / messages)} of ${messages} messages passed in ${t.windowDays} days` });
      }
    }
    const perMx = new Map<string, { sessions: number; types: Set<string> }>();
    for (const row of deps.tlsFailures(since)) {
      const key = `${row.policyDomain} ${row.receivingMx}`;
      const entry = perMx.get(key) ?? { sessions: 0, types: new Set<string>() };
      entry.sessions += row.sessions;
      entry.types.add(row.resultType);
      perMx.set(key, entry);
    }
    for (const [target, { sessions, types }] of perMx) {
      if (sessions < t.tlsFailedSessions) continue;
      candidates.push({ rule: 'reports.tls-failures', target, expected: 'no failed TLS sessions to this MX', current: `${sessions} failed session(s): ${[...types].sort().join(', ')}` });
    }
    return candidates;
  };
}
