import type { ConnectionsService } from '../accounts/connections-service.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { CapabilitiesRepo } from '../db/capabilities-repo.ts';
import type { ProvisioningFactsRepo } from '../db/provisioning-facts-repo.ts';
import type { StandardsRepo } from '../db/standards-repo.ts';
import { runClient, type RunSettings } from '../dns/run.ts';
import type { Clock } from '../platform/clock.ts';
import type { CheckRequest } from '../../shared/domain/dns.ts';
import type { ConnectionSummary } from '../../shared/domain/connection.ts';
import { UNASSIGNED_CUSTOMER, type AcceptDeviation, type CustomerSummary, type Standard, type StandardEvaluation, type StandardSummary } from '../../shared/domain/standards.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { EMAIL_BASELINE } from './email-baseline.ts';
import type { AlertCandidate, AlertEvaluation, AlertTransition } from '../../shared/domain/alerts.ts';
import { alertCandidates } from './alert-candidates.ts';
import { evaluateStandard, standardCovers, storeEvaluation, type EvaluationTarget } from './evaluate.ts';
import type { EvaluationThread } from './evaluate-thread.ts';
import type { DnsShard } from './dns-shard.ts';
import { remedyFor, type Remedy } from './remediation.ts';
import { domainOfTarget, mergeRecheck } from './merge-evaluation.ts';

/** What an evaluation is asked to cover and how DNS is reached. */
export interface EvaluateOptions {
  /** Only this customer's domains. */
  readonly customer?: string;
  /** Domains to evaluate besides the cached ones (DNS rules only; customer "unassigned"). */
  readonly domains?: readonly string[];
  readonly request?: Omit<CheckRequest, 'domains'>;
  /** Overrides of the service's run settings (the CLI's --dns, --test-nets, …). */
  readonly run?: RunSettings;
  /** False when the caller feeds the alert engine itself (the monitor); otherwise alert-mode deviations go to it here. */
  readonly alerts?: boolean;
  /** Stops the evaluation: it answers `cancelled` at once and stores nothing (no half evaluation, no alert). */
  readonly signal?: AbortSignal;
  /** Lets `cancel(runId)` stop this evaluation (the console's Cancel button). */
  readonly runId?: string;
  /** Checks a large evaluation's domains on two threads, this one and the shard's (the CLI; not off-thread evaluations). */
  readonly spread?: boolean;
}

/** The alert engine as the standards see it. */
export interface AlertSink {
  observe(evaluation: AlertEvaluation): Promise<AlertTransition[]>;
}

/** Standards, their evaluation and drift, and customers: a thin layer over the repos and the evaluator. */
export class StandardsService {
  private readonly deps: {
    repo: StandardsRepo;
    facts: ProvisioningFactsRepo;
    capabilities: CapabilitiesRepo;
    connections: ConnectionsService;
    clock: Clock;
    run: () => RunSettings;
    alerts?: AlertSink;
    /** Evaluates in a worker thread on the database file; absent for a database in memory. */
    thread?: EvaluationThread;
    /** Checks part of a spread evaluation's domains in another thread. */
    shard?: DnsShard;
  };

  private offThread = false;

  private readonly running = new Map<string, AbortController>();

  constructor(deps: StandardsService['deps']) {
    this.deps = deps;
  }

  /** Stops a running evaluation started with this run id; true when one was running. */
  cancel(runId: string): { cancelled: boolean } {
    const controller = this.running.get(runId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  }

  /** Every stored standard (with a customer, those that cover it); the shipped baseline is stored on first use. */
  list(customer?: string): StandardSummary[] {
    this.ensureBaseline();
    const all = this.deps.repo.list();
    return customer === undefined ? all : all.filter((s) => standardCovers(this.deps.repo.get(s.name)!, customer));
  }

  /** One standard's document. */
  show(name: string): Result<Standard> {
    this.ensureBaseline();
    const standard = this.deps.repo.get(name);
    return standard ? ok(standard) : err('notFound', `No standard "${name}". Known: ${this.deps.repo.list().map((s) => s.name).join(', ')}.`);
  }

  /** Stores a validated standard; a stored one of the same name must be replaced by a higher version. */
  import(standard: Standard): Result<Change<StandardSummary>> {
    this.ensureBaseline();
    const before = this.deps.repo.get(standard.name);
    if (before && before.version >= standard.version) return err('conflict', `"${standard.name}" is stored at version ${before.version}; import version ${before.version + 1} or later to replace it.`);
    this.deps.repo.put(standard, this.deps.clock.now().toISOString());
    const summary = this.deps.repo.list().find((s) => s.name.toLowerCase() === standard.name.toLowerCase())!;
    return ok({ value: summary, before: before ? { version: before.version } : null, after: standard });
  }

  /** Customers with their connections and domain counts. */
  customers(): CustomerSummary[] {
    return this.deps.repo.customers();
  }

  /** Puts a connection (and its domains) under a customer, or under none. */
  assignCustomer(connection: string, customer: string | null): Result<Change<ConnectionSummary>> {
    if (customer !== null && customer.toLowerCase() === UNASSIGNED_CUSTOMER) return err('input.invalid', `"${UNASSIGNED_CUSTOMER}" is the name shown for no customer; give null to clear it.`);
    return this.deps.connections.setCustomer(connection, customer);
  }

  /** Evaluates a standard now, stores the evaluation and the deviations' `since`, and returns it. */
  async evaluate(name: string, options: EvaluateOptions = {}): Promise<Result<StandardEvaluation>> {
    const done = await this.evaluateWithCandidates(name, options);
    if (!done.ok) return done;
    const { evaluation, candidates } = done.value;
    const sink = this.deps.alerts;
    if (options.alerts === false || !sink) return ok(evaluation);
    const alerts = await sink.observe({ source: `standard:${evaluation.standard}`, at: new Date(evaluation.at), candidates });
    return ok({ ...evaluation, alerts });
  }

  /** Evaluates and stores like `evaluate`, and returns the alert candidates without observing them (for the monitor). */
  async evaluateWithCandidates(name: string, options: EvaluateOptions = {}): Promise<Result<{ evaluation: StandardEvaluation; candidates: AlertCandidate[] }>> {
    const { runId } = options;
    if (runId !== undefined && this.running.has(runId)) return err('input.invalid', `An evaluation with run id ${runId} is already running.`);
    const controller = new AbortController();
    if (runId !== undefined) this.running.set(runId, controller);
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    try {
      return await this.evaluateUntil(name, options, signal);
    } finally {
      if (runId !== undefined) this.running.delete(runId);
    }
  }

  private async evaluateUntil(name: string, options: EvaluateOptions, signal: AbortSignal): Promise<Result<{ evaluation: StandardEvaluation; candidates: AlertCandidate[] }>> {
    const found = this.show(name);
    if (!found.ok) return found;
    const standard = found.value;
    const customer = options.customer;
    const cached: EvaluationTarget[] = this.deps.repo.domains().filter((d) => standardCovers(standard, d.customer) && (customer === undefined || d.customer.toLowerCase() === customer.toLowerCase()));
    const named: EvaluationTarget[] = customer === undefined && standardCovers(standard, UNASSIGNED_CUSTOMER)
      ? (options.domains ?? []).filter((d) => !cached.some((c) => c.name === d.toLowerCase())).map((d) => ({ name: d.toLowerCase(), customer: UNASSIGNED_CUSTOMER, connectionId: null, connectionKind: null }))
      : [];
    const targets = [...cached, ...named];
    // The signal stops new domains from being checked; lookups in flight finish in the background and are dropped.
    const run = { ...(options.run ?? this.deps.run()), signal };
    const request = options.request ?? {};
    const evaluation = await this.evaluateOver(standard, targets, run, this.deps.repo.heldSince(standard.name), request, true, options.spread);
    if (evaluation === null) return err('cancelled', `The evaluation of "${standard.name}" was cancelled; nothing was stored.`);
    // Stored: a cancel from here on only cuts short the second resolver's look, so alerts wait for the next evaluation.
    const alertLook = (cut: Standard, domains: ReadonlySet<string>, settings: RunSettings): Promise<StandardEvaluation> =>
      this.evaluateOver(cut, targets.filter((t) => domains.has(t.name)), settings, new Map(), request, false).then((e) => e ?? { ...evaluation, deviations: [] });
    const candidates = signal.aborted ? [] : await alertCandidates(standard, evaluation, run, alertLook);
    return ok({ evaluation, candidates });
  }

  /**
   * Re-evaluates the domain of one deviation's target alone (not the whole standard) and stores the result merged into the
   * latest evaluation; no alert is raised or resolved by it (alerts follow whole evaluations, two in a row).
   */
  async recheck(name: string, target: string): Promise<Result<StandardEvaluation>> {
    const found = this.show(name);
    if (!found.ok) return found;
    const standard = found.value;
    const previous = this.deps.repo.latest(standard.name);
    if (!previous) return err('notFound', `"${standard.name}" has not been evaluated yet: evaluate it before re-checking one target.`);
    const domain = domainOfTarget(target);
    const cached: EvaluationTarget[] = this.deps.repo.domains().filter((d) => d.name.toLowerCase() === domain && standardCovers(standard, d.customer));
    const seen = previous.domains[domain];
    // A domain named only on the command line is not in the cache: it is re-checked as the evaluation saw it (DNS rules).
    const over: EvaluationTarget[] = cached.length > 0 ? cached : seen ? [{ name: domain, customer: seen.customer, connectionId: null, connectionKind: null }] : [];
    if (over.length === 0) return err('notFound', `${target} is not a target of "${standard.name}".`);
    const recheck = await this.run(standard, over, this.deps.run(), this.deps.repo.heldSince(standard.name), {});
    const merged = mergeRecheck(previous, recheck, domain);
    this.deps.repo.record(merged, [...recheck.deviations, ...recheck.accepted], (t) => domainOfTarget(t) === domain);
    return ok(merged);
  }

  /** The fix for one deviation of the latest evaluation. */
  async remedy(name: string, deviation: { rule: string; target: string }): Promise<Result<Remedy>> {
    const found = await this.remedies(name, deviation);
    if (!found.ok) return found;
    const remedy = found.value[0];
    return remedy ? ok(remedy) : err('notFound', `The latest evaluation of "${name}" has no deviation ${deviation.rule} on ${deviation.target}.`);
  }

  /** The latest stored evaluation, narrowed to one customer when asked. */
  latest(name: string, options: { customer?: string } = {}): Result<StandardEvaluation | null> {
    const found = this.show(name);
    if (!found.ok) return found;
    const evaluation = this.deps.repo.latest(found.value.name);
    if (!evaluation || options.customer === undefined) return ok(evaluation);
    const mine = (c: string): boolean => c.toLowerCase() === options.customer!.toLowerCase();
    const pick = <T>(record: Readonly<Record<string, T>>): Record<string, T> => Object.fromEntries(Object.entries(record).filter(([c]) => mine(c)));
    const domains = Object.fromEntries(Object.entries(evaluation.domains).filter(([, d]) => mine(d.customer)));
    return ok({
      ...evaluation,
      evaluated: Object.keys(domains).length,
      score: pick(evaluation.score),
      supportedScore: pick(evaluation.supportedScore),
      domains,
      deviations: evaluation.deviations.filter((d) => mine(d.customer)),
      accepted: evaluation.accepted.filter((d) => mine(d.customer)),
    });
  }

  /** The fixes for the latest evaluation's deviations: those in remediate mode, or those of one rule and/or target when named. */
  async remedies(name: string, filter: { rule?: string; target?: string; customer?: string } = {}, run?: RunSettings): Promise<Result<Remedy[]>> {
    const latest = this.latest(name, filter.customer === undefined ? {} : { customer: filter.customer });
    if (!latest.ok) return latest;
    if (latest.value === null) return err('notFound', `"${name}" has not been evaluated yet: run \`mailroom standards evaluate\` first.`);
    const standard = this.deps.repo.get(latest.value.standard);
    const named = filter.rule !== undefined || filter.target !== undefined;
    const chosen = latest.value.deviations.filter((d) => (named ? (filter.rule === undefined || d.rule === filter.rule) && (filter.target === undefined || d.target === filter.target) : d.mode === 'remediate'));
    const dns = runClient(run ?? this.deps.run());
    const domains = this.deps.repo.domains();
    const cache = {
      facts: (id: string, domain: string) => this.deps.facts.facts(id, domain),
      organisation: (c: string) => ({ domains: new Set(domains.filter((d) => d.customer === c).map((d) => d.name.toLowerCase())) }),
    };
    return ok(await Promise.all(chosen.map((d) => remedyFor(d, standard?.rules.find((r) => r.rule === d.rule), dns, cache))));
  }

  /** Records an accepted deviation (for one target, or `*` for all); it no longer counts from the next evaluation on. */
  accept(input: AcceptDeviation, operator: string): Result<Change<AcceptDeviation>> {
    const found = this.show(input.standard);
    if (!found.ok) return found;
    if (!found.value.rules.some((r) => r.rule === input.rule)) return err('input.invalid', `"${found.value.name}" has no rule "${input.rule}".`);
    const before = this.deps.repo.acceptances(found.value.name).find((a) => a.rule === input.rule && a.target === input.target) ?? null;
    this.deps.repo.accept(found.value.name, { rule: input.rule, target: input.target, reason: input.reason, by: operator, at: this.deps.clock.now().toISOString() });
    return ok({ value: { ...input, standard: found.value.name }, before, after: { rule: input.rule, target: input.target, reason: input.reason, by: operator } });
  }

  /** Runs evaluations in a worker thread from now on (the console's), so its event loop keeps answering; false runs them here. */
  evaluateOffThread(on: boolean): void {
    this.offThread = on;
  }

  // One evaluation, in the worker thread when one is set up and chosen, else here; stored when `record` (unless cancelled first).
  private async evaluateOver(standard: Standard, targets: readonly EvaluationTarget[], settings: RunSettings, held: ReadonlyMap<string, string>, request: Omit<CheckRequest, 'domains'>, record: boolean, spread = false): Promise<StandardEvaluation | null> {
    const signal = settings.signal ?? new AbortController().signal;
    const thread = this.offThread ? this.deps.thread : undefined;
    if (thread) {
      const job = { standard, targets, at: this.deps.clock.now().toISOString(), request, heldSince: [...held], acceptances: this.deps.repo.acceptances(standard.name), record };
      return thread(job, settings, signal);
    }
    const evaluation = await untilAborted(this.run(standard, targets, settings, held, request, spread), signal);
    if (evaluation !== null && record) storeEvaluation(this.deps.repo, evaluation, targets);
    return evaluation;
  }

  private run(standard: Standard, targets: readonly EvaluationTarget[], settings: RunSettings, held: ReadonlyMap<string, string>, request: Omit<CheckRequest, 'domains'>, spread = false): Promise<StandardEvaluation> {
    return evaluateStandard({
      standard,
      targets,
      at: this.deps.clock.now(),
      request,
      run: settings,
      facts: this.deps.facts.reader(),
      capabilities: (id) => this.deps.capabilities.get(id),
      heldSince: held,
      acceptances: this.deps.repo.acceptances(standard.name),
      ...(spread && this.deps.shard ? { shard: this.deps.shard } : {}),
    });
  }

  private ensureBaseline(): void {
    if (this.deps.repo.get(EMAIL_BASELINE.name) === null && this.deps.repo.list().length === 0) this.deps.repo.put(EMAIL_BASELINE, this.deps.clock.now().toISOString());
  }
}

// Resolves with the work's value, or null as soon as the signal aborts (the work's late failure is not left unhandled).
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.resolve(null);
  }
  return new Promise<T | null>((resolve, reject) => {
    const stop = (): void => {
      work.catch(() => undefined);
      resolve(null);
    };
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(signal.aborted ? null : value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
