/** What a rule does when its target deviates: list it, raise an alert, or fix it. */
export type RuleMode = 'report' | 'alert' | 'remediate';

/** Which customers a standard applies to. */
export type StandardTargets =
  | { readonly kind: 'all' }
  | { readonly kind: 'except'; readonly customers: readonly string[] }
  | { readonly kind: 'only'; readonly customers: readonly string[] };

/**
 * One rule. DNS rules are named by the check catalogue's finding id they forbid (e.g. `dmarc.policy-none`),
 * so a deviation's `rule` can be looked up there; provisioning rules are named `provisioning.*`.
 */
export interface StandardRule {
  readonly rule: string;
  readonly mode: RuleMode;
  /** Rule parameters (e.g. `rua` for DMARC, `minBytes`/`maxBytes` for quotas, `allow` for forwards). */
  readonly params?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/** A named, versioned template of rules with its targets; the form it is imported and exported in. */
export interface Standard {
  readonly name: string;
  readonly version: number;
  readonly description?: string;
  readonly targets: StandardTargets;
  readonly rules: readonly StandardRule[];
}

/** A stored standard as listed. */
export interface StandardSummary {
  readonly name: string;
  readonly version: number;
  readonly description: string | null;
  readonly rules: number;
  readonly updatedAt: string;
  readonly lastEvaluatedAt: string | null;
}

/** One rule that does not hold for one target (a domain, a mailbox or an alias address). */
export interface Deviation {
  readonly rule: string;
  readonly target: string;
  readonly customer: string;
  /** The connection whose cache the deviation was read from (provisioning rules), for remediation. */
  readonly connectionId?: string;
  readonly expected: string;
  readonly current: string;
  readonly mode: RuleMode;
  /** When this deviation was first seen in an unbroken run of evaluations. */
  readonly since: string;
  /** False when the target's platform cannot support the rule (left out of the supported score). */
  readonly supported: boolean;
  /** Set when the deviation was accepted: it is listed but no longer counts. */
  readonly accepted?: { readonly by: string; readonly reason: string; readonly at: string };
}

/** Alignment scores, 0-100: all rules, and only the rules the target's platform can support. */
export interface AlignmentScore {
  readonly score: number;
  readonly supportedScore: number;
  readonly checks: number;
  readonly passed: number;
  /** The counts behind `supportedScore` (absent in evaluations stored before they were kept). */
  readonly supportedChecks?: number;
  readonly supportedPassed?: number;
}

/** The outcome of one evaluation of one standard, as stored and printed. */
export interface StandardEvaluation {
  readonly standard: string;
  readonly version: number;
  readonly at: string;
  /** Domains evaluated. */
  readonly evaluated: number;
  /** Alignment score (all rules) per customer; domains without a customer count under "unassigned". */
  readonly score: Readonly<Record<string, number>>;
  /** The same, leaving out rules the platform cannot support. */
  readonly supportedScore: Readonly<Record<string, number>>;
  readonly domains: Readonly<Record<string, AlignmentScore & { readonly customer: string }>>;
  /** Deviations that count (accepted ones are in `accepted`). */
  readonly deviations: readonly Deviation[];
  readonly accepted: readonly Deviation[];
  /** Alerts this evaluation raised or resolved (alert-mode deviations held twice in a row; DNS ones seen by two resolvers). */
  readonly alerts: readonly { readonly rule: string; readonly target: string; readonly state: 'raised' | 'resolved' }[];
}

/** Input of `standards.accept`: one rule for one target, or for every target (`*`). */
export interface AcceptDeviation {
  readonly standard: string;
  readonly rule: string;
  readonly target: string;
  readonly reason: string;
}

/** How one deviation is fixed: a platform call Mailroom can make, the exact DNS record to publish, or a manual step. */
export type DeviationRemedy =
  | { readonly kind: 'adapter'; readonly rule: string; readonly target: string; readonly connectionId: string; readonly action: string; readonly address: string }
  | { readonly kind: 'dns'; readonly rule: string; readonly target: string; readonly record: { readonly name: string; readonly type: 'TXT'; readonly value: string }; readonly zoneLine: string }
  | { readonly kind: 'manual'; readonly rule: string; readonly target: string; readonly how: string };

/** A customer with what is grouped under it. */
export interface CustomerSummary {
  readonly name: string;
  readonly connections: readonly string[];
  readonly domains: number;
}

/** The customer name shown for connections and domains that have none. */
export const UNASSIGNED_CUSTOMER = 'unassigned';
