import type { SourceClass } from '../../shared/domain/reports.ts';

/** Sending services recognised by the DKIM or SPF domains their mail authenticates with. */
const KNOWN: readonly { readonly name: string; readonly domains: RegExp }[] = [
  { name: 'Google', domains: /(^|\.)(google\.com|googlemail\.com|gappssmtp\.com|1e100\.net)$/ },
  { name: 'Microsoft 365', domains: /(^|\.)(outlook\.com|onmicrosoft\.com|protection\.outlook\.com|hotmail\.com)$/ },
  { name: 'Amazon SES', domains: /(^|\.)amazonses\.com$/ },
  { name: 'SendGrid', domains: /(^|\.)sendgrid\.(net|info)$/ },
  { name: 'Mailchimp', domains: /(^|\.)(mcsv\.net|mcdlv\.net|mailchimpapp\.net|rsgsv\.net|mandrillapp\.com)$/ },
  { name: 'Mailgun', domains: /(^|\.)mailgun\.(org|net)$/ },
  { name: 'Postmark', domains: /(^|\.)(postmarkapp\.com|mtasv\.net)$/ },
  { name: 'SparkPost', domains: /(^|\.)sparkpostmail\.com$/ },
  { name: 'Salesforce', domains: /(^|\.)(salesforce\.com|exacttarget\.com)$/ },
  { name: 'HubSpot', domains: /(^|\.)(hubspotemail\.net|hubspot\.com)$/ },
  { name: 'Zendesk', domains: /(^|\.)zendesk\.com$/ },
];

interface StoredAuth {
  readonly d: readonly { readonly domain: string; readonly result: string }[];
  readonly s: readonly { readonly domain: string; readonly result: string }[];
  readonly r: readonly { readonly type: string }[];
}

/** The known service whose domains a source's records authenticate with, or null. */
export function knownSender(auth: readonly StoredAuth[]): string | null {
  const domains = auth.flatMap((a) => [...a.d, ...a.s].map((x) => x.domain));
  return KNOWN.find((k) => domains.some((d) => k.domains.test(d)))?.name ?? null;
}

const aligned = (domain: string, target: string): boolean => domain === target || domain.endsWith(`.${target}`) || target.endsWith(`.${domain}`);

/**
 * Sorts a source into aligned (DMARC passes for most of its mail), authorised but failing alignment
 * (raw SPF or DKIM passes, for another domain), forwarded (a receiver said so, or DKIM survived for the
 * domain itself without SPF) or unknown.
 */
export function classifySource(domain: string, counts: { messages: number; dmarcPass: number }, authJson: readonly string[]): { classification: SourceClass; knownSender: string | null } {
  const auth = authJson.map((a) => JSON.parse(a) as StoredAuth);
  const sender = knownSender(auth);
  if (counts.messages > 0 && counts.dmarcPass / counts.messages >= 0.9) return { classification: 'aligned', knownSender: sender };
  if (auth.some((a) => a.r.some((r) => r.type === 'forwarded' || r.type === 'mailing_list' || r.type === 'trusted_forwarder'))) return { classification: 'forwarded', knownSender: sender };
  const rawPassElsewhere = auth.some((a) => [...a.d, ...a.s].some((x) => x.result === 'pass' && !aligned(x.domain, domain)));
  if (rawPassElsewhere || sender !== null) return { classification: 'authorised-unaligned', knownSender: sender };
  return { classification: 'unknown', knownSender: sender };
}
