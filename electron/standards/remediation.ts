import type { SpamThreshold, TenantSettings } from '../../shared/domain/provisioning.ts';
import type { Deviation, StandardRule } from '../../shared/domain/standards.ts';
import { looksLikeDmarc, parseDmarc } from '../dns/checks/dmarc-parse.ts';
import { isSpfRecord, parseSpf } from '../dns/checks/spf-parse.ts';
import { dmarcRecord, splitTxt } from '../dns/generator.ts';
import type { DnsClient } from '../dns/resolver.ts';
import { factRemedy, type RemedyFacts } from './fact-remedies.ts';

/** A platform change a remedy makes: the object (`address`; the domain for tenant-wide settings) and what it becomes. */
export type AdapterAction = 'alias.remove' | 'forward.clear' | 'forward.set' | 'alias.set' | 'spam-threshold.set' | 'tenant.set';

/** How one deviation is fixed: a platform call Mailroom makes, a DNS record to publish, or a manual step. */
export type Remedy =
  | {
      readonly kind: 'adapter';
      readonly rule: string;
      readonly target: string;
      readonly connectionId: string;
      readonly action: AdapterAction;
      readonly address: string;
      /** forward.set and alias.set: the targets that stay. */
      readonly targets?: readonly string[];
      readonly keepCopy?: boolean;
      readonly threshold?: SpamThreshold;
      readonly settings?: TenantSettings;
    }
  | { readonly kind: 'dns'; readonly rule: string; readonly target: string; readonly record: { readonly name: string; readonly type: 'TXT'; readonly value: string }; readonly zoneLine: string }
  | { readonly kind: 'manual'; readonly rule: string; readonly target: string; readonly how: string };

/** The fix for one deviation; DNS fixes are the exact record the record generator writes, read against what DNS holds now. */
export async function remedyFor(deviation: Deviation, rule: StandardRule | undefined, dns: DnsClient, cache?: RemedyFacts): Promise<Remedy> {
  const base = { rule: deviation.rule, target: deviation.target };
  const manual = (how: string): Remedy => ({ ...base, kind: 'manual', how });
  if (!deviation.supported) return manual(deviation.current);
  const fromFacts = factRemedy(deviation, rule, cache, manual);
  if (fromFacts) return fromFacts;
  switch (deviation.rule) {
    case 'provisioning.catch-all':
      return deviation.connectionId ? { ...base, kind: 'adapter', connectionId: deviation.connectionId, action: 'alias.remove', address: deviation.target } : manual('Remove the catch-all on its platform.');
    case 'provisioning.suspended-forward':
      return deviation.connectionId ? { ...base, kind: 'adapter', connectionId: deviation.connectionId, action: 'forward.clear', address: deviation.target } : manual('Clear the forward on its platform.');
    case 'dmarc.policy-none':
      return dmarcFix(deviation, rule, dns, manual);
    case 'spf.all-neutral':
      return spfFix(deviation, dns, manual);
    default:
      return manual(`Change it by hand: ${deviation.expected} (run \`mailroom check ${deviation.target}\` for each finding's fix).`);
  }
}

function txtRemedy(deviation: Deviation, name: string, value: string): Remedy {
  return { kind: 'dns', rule: deviation.rule, target: deviation.target, record: { name, type: 'TXT', value }, zoneLine: `${name}. 3600 IN TXT ${splitTxt(value)}` };
}

async function dmarcFix(deviation: Deviation, rule: StandardRule | undefined, dns: DnsClient, manual: (how: string) => Remedy): Promise<Remedy> {
  const domain = deviation.target;
  const answer = await dns.txt(`_dmarc.${domain}`);
  if (answer.status === 'failed') return manual(`DNS did not answer for _dmarc.${domain}; check again before changing it.`);
  const current = answer.status === 'ok' ? answer.records.find(looksLikeDmarc) : undefined;
  const parsed = current ? parseDmarc(current) : null;
  // Keep a reject policy where there is one; the standard asks for at least quarantine.
  const policy = parsed?.tags.get('p') === 'reject' ? 'reject' : 'quarantine';
  const wanted = typeof rule?.params?.['rua'] === 'string' ? `mailto:${rule.params['rua']}` : undefined;
  const kept = parsed?.rua.map((u) => u.raw) ?? [];
  const rua = wanted ? [wanted, ...kept.filter((u) => u.toLowerCase() !== wanted.toLowerCase())].slice(0, 2).join(',') : kept.length ? kept.join(',') : undefined;
  return txtRemedy(deviation, `_dmarc.${domain}`, dmarcRecord(domain, policy, rua));
}

async function spfFix(deviation: Deviation, dns: DnsClient, manual: (how: string) => Remedy): Promise<Remedy> {
  const domain = deviation.target;
  const answer = await dns.txt(domain);
  if (answer.status === 'failed') return manual(`DNS did not answer for ${domain}; check again before changing it.`);
  const current = answer.status === 'ok' ? answer.records.filter(isSpfRecord) : [];
  if (current.length !== 1) return manual(current.length === 0 ? `Publish one SPF record listing every sender of ${domain}, ending in -all.` : 'Merge the SPF records into one, ending in -all.');
  const terms = parseSpf(current[0]!).terms;
  if (terms.some((t) => t.kind === 'modifier' && t.name === 'redirect') && !terms.some((t) => t.name === 'all')) return manual('The record redirects; end the target record in -all.');
  const kept = terms.filter((t) => !(t.kind === 'mechanism' && t.name === 'all')).map((t) => t.raw);
  return txtRemedy(deviation, domain, ['v=spf1', ...kept, '-all'].join(' '));
}
