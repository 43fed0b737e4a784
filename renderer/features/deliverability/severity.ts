import type { BadgeTone } from '../../components/badge.tsx';
import type { Severity } from '../../../shared/domain/dns.ts';

/** Badge colour of each severity. */
export const SEVERITY_TONE: Record<Severity, BadgeTone> = { critical: 'danger', error: 'danger', warning: 'warning', info: 'info', unknown: 'neutral' };

/** Badge text of each severity; `unknown` reads as what it means. */
export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', error: 'Error', warning: 'Warning', info: 'Info', unknown: 'Could not test' };

/** Badge colour of a 0-100 health score. */
export function scoreTone(score: number): BadgeTone {
  return score >= 90 ? 'success' : score >= 60 ? 'warning' : 'danger';
}

/** Display names of the catalogue families. */
export const FAMILY_LABEL: Readonly<Record<string, string>> = {
  dns: 'DNS foundation',
  mx: 'MX',
  spf: 'SPF',
  dkim: 'DKIM',
  dmarc: 'DMARC',
  'mta-sts': 'MTA-STS',
  tlsrpt: 'TLS reporting',
  tls: 'TLS on the MX',
  bimi: 'BIMI',
  dane: 'DANE',
  ptr: 'Reverse DNS',
  dnsbl: 'Blocklists',
  cfg: 'Client configuration',
};
