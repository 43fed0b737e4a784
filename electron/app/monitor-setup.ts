import { dnsEvaluator, type StoredDomain } from '../alerts/dns-evaluator.ts';
import { reportsEvaluator } from '../alerts/reports-evaluator.ts';
import { DEFAULT_INTERVAL_MS, Monitor, type EvaluationReport } from '../alerts/monitor.ts';
import type { RunSettings } from '../dns/run.ts';
import { systemClock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { Services } from './compose.ts';

/** How the scheduled DNS evaluation checks: run settings (servers empty = the system resolvers), extra sending IPs and selectors, interval. */
export interface MonitorOptions {
  readonly dns?: { readonly settings?: Omit<RunSettings, 'servers'> & { readonly servers?: readonly string[] }; readonly sendingIps?: readonly string[]; readonly dkimSelectors?: readonly string[] };
  readonly everyMs?: number;
  readonly logger: Logger;
  readonly onEvaluated?: (report: EvaluationReport) => void;
}

/** Every domain Mailroom stores: the monitored ones with their settings, then every other checked domain. */
function storedDomains(services: Services): StoredDomain[] {
  const monitored = services.dns.monitored();
  const out = new Map<string, StoredDomain>();
  for (const m of monitored.ok ? monitored.value : []) out.set(m.domain, m);
  const checked = services.dns.domains();
  for (const c of checked.ok ? checked.value : []) if (!out.has(c.domain)) out.set(c.domain, { domain: c.domain, profile: c.profile, dkimSelectors: [], sendingIps: [] });
  return [...out.values()];
}

/**
 * The scheduled evaluations of the desktop app, `mailroom serve` and `mailroom monitor`: each source
 * on its own interval, fed to the alert engine. The standards evaluation registers here as `standard:<name>`.
 */
export function createMonitor(services: Services, options: MonitorOptions): { monitor: Monitor; resolvers: readonly string[] } {
  const monitor = new Monitor({ observe: (e) => services.alerts.observe(e), lastEvaluatedAt: (source) => services.alerts.lastEvaluatedAt(source), clock: systemClock, logger: options.logger, ...(options.onEvaluated ? { onEvaluated: options.onEvaluated } : {}) });
  const extraIps = options.dns?.sendingIps ?? [];
  const extraSelectors = options.dns?.dkimSelectors ?? [];
  const given = options.dns?.settings?.servers ?? [];
  const settings: RunSettings = { ...options.dns?.settings, servers: given.length > 0 ? given : services.dns.servers() };
  monitor.registerEvaluator(
    'dns:stored-domains',
    options.everyMs ?? DEFAULT_INTERVAL_MS,
    dnsEvaluator({
      domains: () => storedDomains(services).map((d) => ({ ...d, sendingIps: [...new Set([...d.sendingIps, ...extraIps])], dkimSelectors: [...new Set([...d.dkimSelectors, ...extraSelectors])] })),
      settings,
      record: (report, profile) => services.dns.record(report, profile),
    }),
  );
  // What receivers reported: new unknown senders, a falling pass rate, TLS failures per MX.
  monitor.registerEvaluator(
    'reports:stored',
    options.everyMs ?? DEFAULT_INTERVAL_MS,
    reportsEvaluator({
      domains: (since) => services.reports.summary({ since }).domains.map((d) => d.domain),
      sources: (domain, since) => services.reports.sources(domain, since),
      days: (domain, since) => services.reportInsights.days(domain, since),
      tlsFailures: (since) => services.reportInsights.tlsFailures(null, since),
      now: () => Math.floor(systemClock.now().getTime() / 1000),
    }),
  );
  // Every stored standard on the same interval, as `standard:<name>`: its alert-mode deviations, DNS ones
  // counted per resolver, go to the engine like the DNS evaluator's findings.
  for (const standard of services.standards.list()) {
    monitor.registerEvaluator(`standard:${standard.name}`, options.everyMs ?? DEFAULT_INTERVAL_MS, async (signal) => {
      const done = await services.standards.evaluateWithCandidates(standard.name, { run: settings, alerts: false, signal });
      if (!done.ok) throw new Error(done.error.message);
      return done.value.candidates;
    });
  }
  return { monitor, resolvers: settings.servers };
}
