import type { CheckRequest, DomainReport } from '../../shared/domain/dns.ts';
import type { Capabilities } from '../../shared/domain/provisioning.ts';
import { ruleDefinition } from '../../shared/domain/standard-rules.ts';
import type { AlignmentScore, Deviation, Standard, StandardEvaluation } from '../../shared/domain/standards.ts';
import type { DomainFacts } from '../db/provisioning-facts-repo.ts';
import type { Acceptance, CustomerDomain, StandardsRepo } from '../db/standards-repo.ts';
import { runChecks, runClient, type RunSettings } from '../dns/run.ts';
import { evaluateDnsRule } from './dns-rules.ts';
import { evaluateProvisioningRule } from './provisioning-rules.ts';
import { evaluateSecurityRule, isSecurityRule } from './security-rules.ts';
import type { RuleCheck, RuleMiss } from './rule-check.ts';
import { shardable, type DnsShard } from './dns-shard.ts';

/** A domain to evaluate: from the inventory cache (with its connection), or named on the command line (DNS rules only). */
export type EvaluationTarget = Omit<CustomerDomain, 'connectionId' | 'connectionKind'> & { readonly connectionId: string | null; readonly connectionKind: string | null };

/** Everything one evaluation reads. */
export interface EvaluationInput {
  readonly standard: Standard;
  readonly targets: readonly EvaluationTarget[];
  readonly at: Date;
  /** The check options (`mailroom check`'s) the DNS rules run with. */
  readonly request: Omit<CheckRequest, 'domains'>;
  readonly run: RunSettings;
  readonly facts: (connectionId: string, domain: string) => DomainFacts;
  readonly capabilities: (connectionId: string) => Capabilities | null;
  /** `rule target` → when that deviation was first seen, for the ones that held at the previous evaluation. */
  readonly heldSince: ReadonlyMap<string, string>;
  readonly acceptances: readonly Acceptance[];
  /** Checks part of the domains in another thread (the CLI's evaluation, which has two cores to itself). */
  readonly shard?: DnsShard;
}

// Below this many domains a second thread's start-up (~0.15–0.2 s of CPU, measured) outweighs what it takes off.
const SHARD_FROM = 200;

const percent = (passed: number, checks: number): number => (checks === 0 ? 100 : Math.round((passed / checks) * 100));

/** Evaluates a standard over its targets: deviations with their `since`, and alignment scores per domain and per customer. */
export async function evaluateStandard(input: EvaluationInput): Promise<StandardEvaluation> {
  const now = input.at.toISOString();
  const { standard } = input;
  const dnsRules = standard.rules.filter((r) => ruleDefinition(r.rule)?.family === 'dns');
  const client = runClient(input.run);
  // A connection's capabilities read (and parsed) once per evaluation, not once per rule and domain; facts once per domain below.
  const capabilities = memoize(input.capabilities);
  const names = [...new Set(input.targets.map((t) => t.name))];
  const reports = new Map<string, DomainReport>();
  // The DNS rules' verdicts of the domains a shard checked, by rule (its place in dnsRules).
  const judged = new Map<string, RuleCheck[]>();
  if (dnsRules.length > 0 && names.length > 0) {
    const shard = input.shard && names.length >= SHARD_FROM && shardable(input.run) ? input.shard : null;
    // The shard takes the second half: its thread starts while this one already checks the first.
    const own = shard ? names.slice(0, Math.ceil(names.length / 2)) : names;
    const other = names.slice(own.length);
    let done = 0;
    const onProgress = input.run.onProgress;
    const counted = onProgress && shard ? { onProgress: (_d: number, _t: number, report: DomainReport) => onProgress(++done, names.length, report) } : {};
    // A failure of either thread's checks ends the other's: no domain is started for an evaluation that has failed.
    const failed = new AbortController();
    const fail = (error: unknown): never => {
      failed.abort(error);
      throw error;
    };
    const signal = input.run.signal ? AbortSignal.any([input.run.signal, failed.signal]) : failed.signal;
    const mine = runChecks({ ...input.request, domains: own }, { ...input.run, client, ...counted, ...(shard ? { signal } : {}) }).catch(fail);
    const theirs = shard ? shard(other, dnsRules, input.request, { ...input.run, ...counted, signal }).catch(fail) : Promise.resolve([]);
    const [{ reports: list }, checks] = await Promise.all([mine, theirs]);
    list.forEach((r, i) => reports.set(own[i]!, r));
    checks.forEach((c, i) => judged.set(other[i]!, c));
  }
  const dnsIndex = new Map(dnsRules.map((r, i) => [r, i]));
  const orgs = organisations(input.targets);
  const deviations: Deviation[] = [];
  const accepted: Deviation[] = [];
  const domains: Record<string, AlignmentScore & { customer: string }> = {};
  const tally = new Map<string, { checks: number; passed: number; supportedChecks: number; supportedPassed: number }>();
  const seen = new Set<string>();
  for (const target of input.targets) {
    // A domain on two connections is judged once, on the first (its DNS is the same).
    if (seen.has(target.name)) continue;
    seen.add(target.name);
    const t = { checks: 0, passed: 0, supportedChecks: 0, supportedPassed: 0 };
    // Read once per domain, for every provisioning and platform rule.
    let facts: DomainFacts | undefined;
    const cachedFacts = (connectionId: string): DomainFacts => (facts ??= input.facts(connectionId, target.name));
    for (const rule of standard.rules) {
      const check = judged.get(target.name)?.[dnsIndex.get(rule) ?? -1] ?? (await checkRule(rule, target, { ...input, capabilities }, reports, orgs, client, cachedFacts));
      if (check.status === 'unknown') continue;
      const misses: readonly RuleMiss[] = check.status === 'pass' ? [] : check.status === 'fail' ? check.misses : [check.miss];
      const supported = check.status !== 'unsupported';
      let counting = 0;
      for (const m of misses) {
        const since = input.heldSince.get(`${rule.rule} ${m.target}`) ?? now;
        const acceptance = input.acceptances.find((a) => a.rule === rule.rule && (a.target === '*' || a.target === m.target));
        const origin = target.connectionId !== null && ruleDefinition(rule.rule)?.family !== 'dns' ? { connectionId: target.connectionId } : {};
        const deviation: Deviation = { rule: rule.rule, target: m.target, customer: target.customer, ...origin, expected: m.expected, current: m.current, mode: rule.mode, since, supported };
        if (acceptance) accepted.push({ ...deviation, accepted: { by: acceptance.by, reason: acceptance.reason, at: acceptance.at } });
        else {
          deviations.push(deviation);
          counting++;
        }
      }
      const pass = counting === 0 ? 1 : 0;
      t.checks++;
      t.passed += pass;
      if (supported) {
        t.supportedChecks++;
        t.supportedPassed += pass;
      }
    }
    domains[target.name] = { customer: target.customer, score: percent(t.passed, t.checks), supportedScore: percent(t.supportedPassed, t.supportedChecks), checks: t.checks, passed: t.passed, supportedChecks: t.supportedChecks, supportedPassed: t.supportedPassed };
    const c = tally.get(target.customer) ?? { checks: 0, passed: 0, supportedChecks: 0, supportedPassed: 0 };
    tally.set(target.customer, { checks: c.checks + t.checks, passed: c.passed + t.passed, supportedChecks: c.supportedChecks + t.supportedChecks, supportedPassed: c.supportedPassed + t.supportedPassed });
  }
  const score = Object.fromEntries([...tally].map(([c, t]) => [c, percent(t.passed, t.checks)]));
  const supportedScore = Object.fromEntries([...tally].map(([c, t]) => [c, percent(t.supportedPassed, t.supportedChecks)]));
  return { standard: standard.name, version: standard.version, at: now, evaluated: seen.size, score, supportedScore, domains, deviations, accepted, alerts: [] };
}

async function checkRule(
  rule: Standard['rules'][number],
  target: EvaluationTarget,
  input: EvaluationInput,
  reports: ReadonlyMap<string, DomainReport>,
  orgs: ReadonlyMap<string, ReadonlySet<string>>,
  client: ReturnType<typeof runClient>,
  cachedFacts: (connectionId: string) => DomainFacts,
): Promise<RuleCheck> {
  if (ruleDefinition(rule.rule)?.family === 'dns') {
    const report = reports.get(target.name);
    if (!report) return { status: 'unknown', why: 'not checked' };
    return evaluateDnsRule(rule, report, { dns: client, dnssecChecked: input.run.servers.length > 0 });
  }
  // A domain named only on the command line has no cached provisioning facts to judge.
  if (target.connectionId === null) return { status: 'unknown', why: 'not in the inventory cache' };
  const facts = cachedFacts(target.connectionId);
  const kind = target.connectionKind ?? 'unknown';
  if (isSecurityRule(rule.rule)) return evaluateSecurityRule({ ...rule, rule: rule.rule }, target.name, facts, input.capabilities(target.connectionId), kind, input.at);
  const org = { domains: orgs.get(target.customer) ?? new Set<string>() };
  return evaluateProvisioningRule(rule, target.name, facts, org, input.capabilities(target.connectionId), kind);
}

// The organisation of a customer is every domain it owns; domains with no customer form one organisation together.
function organisations(targets: readonly EvaluationTarget[]): Map<string, Set<string>> {
  const orgs = new Map<string, Set<string>>();
  for (const t of targets) {
    const set = orgs.get(t.customer) ?? new Set<string>();
    set.add(t.name.toLowerCase());
    orgs.set(t.customer, set);
  }
  return orgs;
}

/** Stores an evaluation over `targets`: held deviations of other targets (another customer's) are kept. */
export function storeEvaluation(repo: Pick<StandardsRepo, 'record'>, evaluation: StandardEvaluation, targets: readonly EvaluationTarget[]): void {
  const covered = new Set(targets.map((t) => t.name));
  repo.record(evaluation, [...evaluation.deviations, ...evaluation.accepted], (target) => covered.has(target.slice(target.lastIndexOf('@') + 1)));
}

// Answers kept by connection id for the span of one evaluation.
function memoize<R>(read: (id: string) => R): (id: string) => R {
  const seen = new Map<string, R>();
  return (id) => {
    if (!seen.has(id)) seen.set(id, read(id));
    return seen.get(id)!;
  };
}

/** The deviations in alert mode that count (not accepted): what the alert engine is handed after each evaluation. */
export function deviationsForAlerts(evaluation: StandardEvaluation): Deviation[] {
  return evaluation.deviations.filter((d) => d.mode === 'alert');
}

/** Whether a customer falls under a standard's targets. */
export function standardCovers(standard: Standard, customer: string): boolean {
  const t = standard.targets;
  if (t.kind === 'all') return true;
  const listed = t.customers.some((c) => c.toLowerCase() === customer.toLowerCase());
  return t.kind === 'only' ? listed : !listed;
}

