/** One target that breaks a rule: what the rule expects there, and what is there now. */
export interface RuleMiss {
  readonly target: string;
  readonly expected: string;
  readonly current: string;
}

/** How one rule fares on one domain. */
export type RuleCheck =
  | { readonly status: 'pass' }
  /** The facts could not be read (a DNS timeout, a check that did not run): neither aligned nor deviating. */
  | { readonly status: 'unknown'; readonly why: string }
  | { readonly status: 'fail'; readonly misses: readonly RuleMiss[] }
  /** The domain's platform cannot support the rule; counted in the full score, left out of the supported one. */
  | { readonly status: 'unsupported'; readonly miss: RuleMiss };

/** A rule check from the misses found: pass when there are none. */
export function fromMisses(misses: readonly RuleMiss[]): RuleCheck {
  return misses.length === 0 ? { status: 'pass' } : { status: 'fail', misses };
}
