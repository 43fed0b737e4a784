import { isIP } from 'node:net';
import type { AggregateRecord, AggregateReport, PublishedPolicy } from '../../shared/domain/reports.ts';
import { DecodeError } from './report-decode.ts';
import { child, children, text, type XmlNode } from './xml-document.ts';

const lower = (value: string | null): string | null => (value === null ? null : value.toLowerCase());

function whole(name: string, value: string | null, what: string): number {
  if (value === null || !/^\d{1,15}$/.test(value)) throw new DecodeError(`${name}: ${what} is ${value === null ? 'missing' : `"${value.slice(0, 40)}", not a whole number`}`);
  return Number(value);
}

function verdict(name: string, value: string | null, what: string): 'pass' | 'fail' {
  // Receivers differ in case ("Pass", "FAIL"); the schema's values are lower-case.
  const v = lower(value);
  if (v === 'pass' || v === 'fail') return v;
  throw new DecodeError(`${name}: ${what} is ${value === null ? 'missing' : `"${value.slice(0, 40)}", not pass or fail`}`);
}

function policy(node: XmlNode | null, name: string): { domain: string; policy: PublishedPolicy } {
  const domain = lower(text(node ?? undefined, 'domain'));
  if (!node || !domain) throw new DecodeError(`${name}: policy_published has no domain`);
  const pct = text(node, 'pct');
  return {
    domain: domain.replace(/\.$/, ''),
    policy: {
      p: lower(text(node, 'p')),
      sp: lower(text(node, 'sp')),
      np: lower(text(node, 'np')),
      pct: pct !== null && /^\d{1,3}$/.test(pct) ? Number(pct) : null,
      adkim: lower(text(node, 'adkim')),
      aspf: lower(text(node, 'aspf')),
    },
  };
}

function record(node: XmlNode, at: number, name: string): AggregateRecord {
  const where = `${name}: record ${at + 1}`;
  const row = child(node, 'row');
  const evaluated = child(row ?? undefined, 'policy_evaluated');
  const sourceIp = text(row ?? undefined, 'source_ip');
  if (!sourceIp || isIP(sourceIp) === 0) throw new DecodeError(`${where} has ${sourceIp ? `"${sourceIp.slice(0, 60)}", not an IP address,` : 'no source_ip'} as its source`);
  const identifiers = child(node, 'identifiers');
  const headerFrom = lower(text(identifiers ?? undefined, 'header_from'));
  if (!headerFrom) throw new DecodeError(`${where} has no header_from`);
  const auth = child(node, 'auth_results');
  return {
    sourceIp,
    count: whole(where, text(row ?? undefined, 'count'), 'count'),
    disposition: lower(text(evaluated ?? undefined, 'disposition')) ?? 'none',
    dkim: verdict(where, text(evaluated ?? undefined, 'dkim'), 'the DMARC DKIM result'),
    spf: verdict(where, text(evaluated ?? undefined, 'spf'), 'the DMARC SPF result'),
    headerFrom,
    envelopeFrom: lower(text(identifiers ?? undefined, 'envelope_from')),
    dkimDomains: children(auth ?? undefined, 'dkim').flatMap((d) => {
      const domain = lower(text(d, 'domain'));
      return domain ? [{ domain, selector: text(d, 'selector'), result: lower(text(d, 'result')) ?? 'none' }] : [];
    }),
    spfDomains: children(auth ?? undefined, 'spf').flatMap((s) => {
      const domain = lower(text(s, 'domain'));
      return domain ? [{ domain, scope: lower(text(s, 'scope')), result: lower(text(s, 'result')) ?? 'none' }] : [];
    }),
    // An empty <reason/> (seen from some receivers) says nothing; it is skipped, not an error.
    reasons: children(evaluated ?? undefined, 'reason').flatMap((r) => {
      const type = lower(text(r, 'type'));
      return type ? [{ type, comment: text(r, 'comment') }] : [];
    }),
  };
}

/** True when a parsed document is a DMARC aggregate report (root element `feedback`). */
export function isAggregateDocument(doc: XmlNode): boolean {
  return child(doc, 'feedback') !== null;
}

/** Reads a DMARC aggregate report in RFC 7489's schema or DMARCbis's, or throws DecodeError saying what is wrong. */
export function parseAggregate(name: string, doc: XmlNode): AggregateReport {
  const feedback = child(doc, 'feedback');
  if (!feedback) throw new DecodeError(`${name} is XML but not a DMARC aggregate report (no <feedback> root)`);
  const meta = child(feedback, 'report_metadata');
  const orgName = text(meta ?? undefined, 'org_name');
  const reportId = text(meta ?? undefined, 'report_id');
  if (!orgName || !reportId) throw new DecodeError(`${name}: report_metadata lacks ${orgName ? 'report_id' : 'org_name'}`);
  const range = child(meta ?? undefined, 'date_range');
  const begin = whole(name, text(range ?? undefined, 'begin'), 'date_range begin');
  const end = whole(name, text(range ?? undefined, 'end'), 'date_range end');
  const published = child(feedback, 'policy_published');
  const { domain, policy: p } = policy(published, name);
  const namespace = typeof feedback['@xmlns'] === 'string' ? feedback['@xmlns'] : '';
  const bis = /dmarc-2\.0/.test(namespace) || text(published ?? undefined, 'discovery_method') !== null || text(meta ?? undefined, 'generator') !== null || p.np !== null;
  return {
    kind: 'aggregate',
    schema: bis ? 'dmarcbis' : 'rfc7489',
    orgName,
    reportId,
    email: text(meta ?? undefined, 'email'),
    begin,
    end,
    domain,
    policy: p,
    records: children(feedback, 'record').map((r, i) => record(r, i, name)),
  };
}
