import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type {
  ChangesSince,
  CheckProgress,
  CheckRequest,
  CheckRunSummary,
  DkimExport,
  DkimKeyInfo,
  DomainProfile,
  DomainReport,
  Finding,
  FindingChange,
  FindingsChanged,
  GeneratedRecords,
  RecentChange,
  RecordPlan,
  ResolverSettings,
  Severity,
} from '../../shared/domain/dns.ts';
import type { DnsRunsRepo, MonitoredDomain } from '../db/dns-runs-repo.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import { exportDkimKey, type DkimExportInput } from './dkim-export.ts';
import { dkimPublicValue, dkimVaultAccount, generateDkimKey } from './dkim-keys.ts';
import { normalizeDomain } from './domain-name.ts';
import { DnsClient, nodeResolver } from './resolver.ts';
import type { RunSettings } from './run.ts';

// The checks and the generator pull in mailauth (seconds of start-up on a slow machine); they
// load with the first check, so the window and the CLI start without them.
const loadRun = (): Promise<typeof import('./run.ts')> => import('./run.ts');
const loadGenerator = (): Promise<typeof import('./generator.ts')> => import('./generator.ts');

/** Wiring of the deliverability service. */
export interface DnsServiceDeps {
  readonly repo: DnsRunsRepo;
  readonly vault: CredentialVault;
  readonly clock: Clock;
  /** Run settings (DNS servers, timeouts, SMTP); the same for every run. */
  readonly settings: Omit<RunSettings, 'signal' | 'onProgress' | 'onQuery'>;
  /** Called when a finding appears or worsens; the composition root turns it into an event, an audit entry and a notification. */
  readonly onChanges: (changes: FindingsChanged) => void;
  readonly onProgress?: (progress: CheckProgress) => void;
  readonly logger?: Logger;
  /** Where the "last seen" marker of `changesSince` is kept; in memory without it. */
  readonly prefs?: { get<T>(key: string): T | null; put(key: string, value: unknown): void };
}

const LAST_SEEN_KEY = 'dns.lastSeen';
const RESOLVER_KEY = 'dns.servers';
// Without a marker, "since your last look" means the last week.
const DEFAULT_LOOKBACK_MS = 7 * 24 * 3600_000;

const RANK: Record<Severity, number> = { critical: 4, error: 3, warning: 2, info: 1, unknown: 0 };

/** New or worsened findings (warning and above) of `current` compared with `previous`. */
export function diffFindings(domain: string, previous: readonly Finding[] | null, current: readonly Finding[]): FindingChange[] {
  const before = new Map<string, Severity>();
  for (const f of previous ?? []) if (RANK[f.severity] > RANK[before.get(f.id) ?? 'unknown']) before.set(f.id, f.severity);
  const out = new Map<string, FindingChange>();
  for (const f of current) {
    if (RANK[f.severity] < RANK.warning) continue;
    const was = before.get(f.id) ?? null;
    if (was !== null && RANK[was] >= RANK[f.severity]) continue;
    const seen = out.get(f.id);
    if (!seen || RANK[seen.severity] < RANK[f.severity]) out.set(f.id, { domain, id: f.id, severity: f.severity, previous: was, message: f.message });
  }
  return [...out.values()];
}

/** Deliverability checks, history, record generation, DKIM keys and scheduled monitoring. */
export class DnsService {
  private readonly deps: DnsServiceDeps;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly runs = new Map<string, AbortController>();
  private lastSeen: string | null = null;

  constructor(deps: DnsServiceDeps) {
    this.deps = deps;
  }

  /**
   * Checks domains, storing each report as soon as it is ready and reporting what broke since its previous run.
   *
   * Aborting (the caller's signal or `cancel(runId)`) answers `cancelled` at once; domains already
   * checked stay stored, domains still in flight are dropped.
   */
  async check(request: CheckRequest, signal?: AbortSignal): Promise<Result<DomainReport[]>> {
    const domains = request.domains.map((d) => normalizeDomain(d) ?? d);
    const profile: DomainProfile = request.profile ?? 'hosted';
    const runId = request.runId ?? randomUUID();
    if (this.runs.has(runId)) return err('input.invalid', `A check with run id ${runId} is already running.`);
    const controller = new AbortController();
    this.runs.set(runId, controller);
    const stop = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    let stored = 0;
    try {
      const { runChecks } = await loadRun();
      const work = runChecks({ ...request, domains, profile }, {
        ...this.deps.settings,
        servers: this.servers(),
        options: { ...this.deps.settings.options, dkimKeySource: this.signingKeys() },
        signal: stop,
        onProgress: (done, total, report) => {
          if (stop.aborted) return;
          this.store(report, profile);
          stored++;
          this.deps.onProgress?.({ runId, done, total, domain: report.domain });
        },
      });
      const aborted = new Promise<null>((resolve) => {
        if (stop.aborted) resolve(null);
        else stop.addEventListener('abort', () => resolve(null), { once: true });
      });
      const outcome = await Promise.race([work, aborted]);
      if (outcome === null || stop.aborted) {
        // In-flight lookups finish in the background; their results are dropped by the check above.
        work.catch((error: unknown) => this.deps.logger?.error('cancelled deliverability check failed', { error }));
        return err('cancelled', 'The check was cancelled.', { detail: { checked: stored, total: domains.length } });
      }
      return ok(outcome.reports);
    } finally {
      this.runs.delete(runId);
    }
  }

  /** Stops a running check; true when a run with that id was running. */
  cancel(runId: string): Result<{ cancelled: boolean }> {
    const controller = this.runs.get(runId);
    controller?.abort();
    return ok({ cancelled: controller !== undefined });
  }

  /** Stores a run checked outside this service (the CLI's `check`, with its own DNS options) exactly as its own runs are stored. */
  record(report: DomainReport, profile: DomainProfile): void {
    this.store(report, profile);
  }

  /** Stores many runs like `record`, in one transaction (a bulk evaluation's checks, one commit instead of one per domain). */
  recordAll(reports: readonly DomainReport[], profile: DomainProfile): void {
    this.deps.repo.inTransaction(() => {
      for (const report of reports) this.store(report, profile);
    });
  }

  private store(report: DomainReport, profile: DomainProfile): void {
    const at = this.deps.clock.now().toISOString();
    const findings = JSON.stringify(report.findings);
    const previous = this.deps.repo.latestFindingsJson(report.domain);
    this.deps.repo.insert(report, at, profile, findings);
    // Unchanged findings (the usual re-check) cannot differ: the previous run is parsed only when its text differs.
    if (previous === null || previous === findings) return;
    const changes = diffFindings(report.domain, JSON.parse(previous) as Finding[], report.findings);
    if (changes.length > 0) this.deps.onChanges({ domain: report.domain, at, score: report.score, changes });
  }

  /** The newest stored run of every checked domain. */
  domains(): Result<CheckRunSummary[]> {
    return ok(this.deps.repo.latestPerDomain());
  }

  /** Findings that appeared or worsened after `since` (default: the last-seen marker, or a week ago), newest first. */
  changesSince(since?: string): Result<ChangesSince> {
    const marker = since ?? this.deps.prefs?.get<string>(LAST_SEEN_KEY) ?? this.lastSeen;
    const from = marker ?? new Date(this.deps.clock.now().getTime() - DEFAULT_LOOKBACK_MS).toISOString();
    const changes: RecentChange[] = [];
    for (const run of this.deps.repo.runsAfter(from, 5000)) {
      const previous = this.deps.repo.latest(run.domain, run.id);
      if (previous === null) continue;
      for (const c of diffFindings(run.domain, previous.findings, run.findings)) changes.push({ ...c, at: run.at, score: run.score });
    }
    return ok({ since: marker, changes: changes.reverse().slice(0, 500) });
  }

  /** Moves the last-seen marker to now. */
  markSeen(): Result<{ at: string }> {
    const at = this.deps.clock.now().toISOString();
    this.lastSeen = at;
    this.deps.prefs?.put(LAST_SEEN_KEY, at);
    return ok({ at });
  }

  /** The settings a run outside this service (a standard's evaluation) uses to check like the console does. */
  runSettings(): RunSettings {
    return { ...this.deps.settings, servers: this.servers(), options: { ...this.deps.settings.options, dkimKeySource: this.signingKeys() } };
  }

  /** The DNS servers checks ask: fixed at start (`--dns`), else the saved choice, else the system's. */
  servers(): readonly string[] {
    if (this.deps.settings.servers.length > 0) return this.deps.settings.servers;
    return this.deps.prefs?.get<string[]>(RESOLVER_KEY) ?? [];
  }

  /** The saved resolver choice and what runs use now. */
  async resolver(): Promise<Result<ResolverSettings>> {
    const { resolverLabel } = await loadRun();
    return ok({ servers: this.deps.prefs?.get<string[]>(RESOLVER_KEY) ?? [], effective: resolverLabel(this.servers()), fixedAtStart: this.deps.settings.servers.length > 0 });
  }

  /** Saves the DNS servers to ask (`host`, `host:port`, `[v6]:port`); an empty list means the system resolvers. */
  async setResolver(servers: readonly string[]): Promise<Result<ResolverSettings>> {
    const { parseServer } = await loadRun();
    const bad = servers.find((s) => parseServer(s) === null || !isIP(parseServer(s)!.host));
    if (bad !== undefined) return err('input.invalid', `"${bad}" is not a DNS server: give an IP address, optionally with a port (192.0.2.53, 192.0.2.53:5300, [2001:db8::53]:53).`);
    if (!this.deps.prefs) return err('backend.unsupported', 'This Mailroom keeps no settings.');
    this.deps.prefs.put(RESOLVER_KEY, [...servers]);
    return this.resolver();
  }

  /** Stored runs of a domain, newest first. */
  history(domain: string, limit = 100): Result<CheckRunSummary[]> {
    return ok(this.deps.repo.history(normalizeDomain(domain) ?? domain, limit));
  }

  /** The newest stored report of a domain. */
  latest(domain: string): Result<DomainReport | null> {
    const run = this.deps.repo.latest(normalizeDomain(domain) ?? domain);
    return ok(run ? { domain: run.domain, score: run.score, findings: run.findings, ...(run.resolver ? { resolver: run.resolver } : {}) } : null);
  }

  /** The record set a domain should publish for a plan, next to what DNS holds. */
  async generateRecords(plan: RecordPlan): Promise<Result<GeneratedRecords>> {
    const domain = normalizeDomain(plan.domain);
    if (!domain) return err('input.invalid', `"${plan.domain}" is not a valid domain name.`);
    const dns = new DnsClient(nodeResolver({ servers: this.servers(), timeoutMs: this.deps.settings.dnsTimeoutMs ?? 2000 }));
    const { generateRecords } = await loadGenerator();
    return ok(await generateRecords({ ...plan, domain }, dns));
  }

  // One run's signing-key reads: the vault's accounts are listed once and only the selectors Mailroom holds a key for are
  // read (a bulk run asks for thousands, and each read of the vault file unseals it on the calling thread).
  private signingKeys(): (domain: string, selector: string) => Promise<string | null> {
    let held: Promise<ReadonlySet<string> | null> | undefined;
    return async (domain, selector) => {
      held ??= this.deps.vault.list().then(
        (accounts) => new Set(accounts),
        () => null,
      );
      const accounts = await held;
      return accounts && !accounts.has(dkimVaultAccount(domain, selector)) ? null : this.signingKey(domain, selector);
    };
  }

  // dkim.key-mismatch: for keys Mailroom generated, the keychain holds the signing key to compare with DNS.
  private async signingKey(domain: string, selector: string): Promise<string | null> {
    const pem = await this.deps.vault.get(dkimVaultAccount(domain, selector));
    return pem ? dkimPublicValue(pem) : null;
  }

  /** Generates a DKIM key; the private key goes to the keychain only. */
  async generateDkimKey(domain: string, selector: string, algorithm: 'rsa-2048' | 'ed25519'): Promise<Result<DkimKeyInfo>> {
    const d = normalizeDomain(domain);
    if (!d || !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(selector)) return err('input.invalid', 'Give a valid domain and selector.');
    try {
      return ok(await generateDkimKey(this.deps.vault, d, selector, algorithm));
    } catch (error) {
      return err('vault.unavailable', `The keychain did not accept the DKIM key: ${(error as Error).message}`);
    }
  }

  /** Writes the keychain's DKIM key to a new file (0600) with the signer configuration; the key leaves the keychain. */
  exportDkimKey(input: DkimExportInput): Promise<Result<DkimExport>> {
    return exportDkimKey(this.deps.vault, input);
  }

  /** Every monitored domain. */
  monitored(): Result<MonitoredDomain[]> {
    return ok(this.deps.repo.monitored());
  }

  /** Adds a domain to scheduled monitoring. */
  monitor(input: { domain: string; profile?: DomainProfile; dkimSelectors?: readonly string[]; sendingIps?: readonly string[]; intervalMinutes?: number }): Result<MonitoredDomain> {
    const domain = normalizeDomain(input.domain);
    if (!domain) return err('input.invalid', `"${input.domain}" is not a valid domain name.`);
    this.deps.repo.upsertMonitored({
      domain,
      profile: input.profile ?? 'hosted',
      dkimSelectors: input.dkimSelectors ?? [],
      sendingIps: input.sendingIps ?? [],
      intervalMinutes: input.intervalMinutes ?? 360,
      addedAt: this.deps.clock.now().toISOString(),
    });
    return ok(this.deps.repo.monitored().find((m) => m.domain === domain)!);
  }

  /** Removes a domain from monitoring. */
  unmonitor(domain: string): Result<{ domain: string }> {
    const d = normalizeDomain(domain) ?? domain;
    return this.deps.repo.removeMonitored(d) ? ok({ domain: d }) : err('notFound', `${d} is not monitored.`);
  }

  /** Re-checks every monitored domain whose interval has passed; returns how many were checked. */
  async runDue(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    const due = this.deps.repo.monitored().filter((m) => m.lastRunAt === null || now - Date.parse(m.lastRunAt) >= m.intervalMinutes * 60_000);
    for (const m of due) {
      await this.check({ domains: [m.domain], profile: m.profile, dkimSelectors: m.dkimSelectors, sendingIps: m.sendingIps });
      this.deps.repo.markRun(m.domain, this.deps.clock.now().toISOString());
    }
    return due.length;
  }

  /** Starts scheduled re-checks, looking for due domains every `everyMs`. */
  start(everyMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.runDue()
        .then(
          () => undefined,
          (error: unknown) => this.deps.logger?.error('scheduled deliverability check failed', { error }),
        )
        .finally(() => (this.running = null));
    }, everyMs);
    this.timer.unref();
  }

  /** Stops scheduled re-checks. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
