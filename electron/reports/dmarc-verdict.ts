import type { DmarcVerdict, VerdictBlocker } from '../../shared/domain/reports-insights.ts';
import type { PublishedPolicy, ReportSource } from '../../shared/domain/reports.ts';
import { dmarcRecord, splitTxt } from '../dns/generator.ts';

/** Share of volume that must pass DMARC before p=reject is advised. */
export const READY_PASS_RATE = 0.98;
/** A source sending at least this share of a domain's volume must be aligned (or a forwarder) first. */
export const MEANINGFUL_SHARE = 0.01;

function advice(source: ReportSource): string {
  const who = source.knownSender ? `${source.knownSender} (${source.sourceIp})` : source.sourceIp;
  if (source.classification === 'authorised-unaligned') {
    return `${who} sends ${source.messages} messages that pass SPF or DKIM for another domain: sign with your own domain's DKIM key there (or use a custom return path) so they align.`;
  }
  return `${who} sends ${source.messages} messages that fail DMARC and match no known service: if it is yours, authorise and align it; if not, p=reject is what will stop it, but confirm first.`;
}

/** Judges whether a domain is ready for p=reject from its sources over the window, and gives the record to publish. */
export function dmarcVerdict(domain: string, since: number, sources: readonly ReportSource[], published: PublishedPolicy | null): DmarcVerdict {
  const messages = sources.reduce((n, s) => n + s.messages, 0);
  const dmarcPass = sources.reduce((n, s) => n + s.dmarcPass, 0);
  const passRate = messages > 0 ? dmarcPass / messages : null;
  const blockers: VerdictBlocker[] = sources
    .filter((s) => s.messages / Math.max(messages, 1) >= MEANINGFUL_SHARE && s.classification !== 'aligned' && s.classification !== 'forwarded')
    .map((s) => ({ sourceIp: s.sourceIp, messages: s.messages, classification: s.classification, knownSender: s.knownSender, advice: advice(s) }));
  const reasons: string[] = [];
  if (passRate === null) reasons.push(`No aggregate report for ${domain} in the last 30 days: ask receivers for reports (rua) and wait for some to arrive.`);
  else if (passRate < READY_PASS_RATE) {
    reasons.push(`${(passRate * 100).toFixed(1)}% of ${messages} messages passed DMARC; p=reject needs at least ${READY_PASS_RATE * 100}%.`);
  }
  if (blockers.length > 0) reasons.push(`${blockers.length} source${blockers.length === 1 ? '' : 's'} with at least ${MEANINGFUL_SHARE * 100}% of the volume ${blockers.length === 1 ? 'is' : 'are'} not aligned.`);
  const value = dmarcRecord(domain, 'reject');
  return {
    domain,
    since: new Date(since * 1000).toISOString(),
    ready: reasons.length === 0,
    messages,
    dmarcPass,
    passRate,
    reasons,
    blockers,
    published,
    record: { name: `_dmarc.${domain}`, type: 'TXT', value, zoneValue: splitTxt(value) },
  };
}
