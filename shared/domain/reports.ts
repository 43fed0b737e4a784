/** DMARC aggregate, TLS and failure reports as Mailroom stores and shows them. */

/** The policy a domain published, as the aggregate report's `policy_published` states it. */
export interface PublishedPolicy {
  readonly p: string | null;
  readonly sp: string | null;
  readonly np: string | null;
  readonly pct: number | null;
  readonly adkim: string | null;
  readonly aspf: string | null;
}

/** One `<record>`: a source IP's messages with one set of results. */
export interface AggregateRecord {
  readonly sourceIp: string;
  readonly count: number;
  readonly disposition: string;
  /** DMARC's own DKIM and SPF verdicts (aligned pass or not). */
  readonly dkim: 'pass' | 'fail';
  readonly spf: 'pass' | 'fail';
  readonly headerFrom: string;
  readonly envelopeFrom: string | null;
  readonly dkimDomains: readonly { readonly domain: string; readonly selector: string | null; readonly result: string }[];
  readonly spfDomains: readonly { readonly domain: string; readonly scope: string | null; readonly result: string }[];
  readonly reasons: readonly { readonly type: string; readonly comment: string | null }[];
}

/** A DMARC aggregate report (RFC 7489 appendix C, or the DMARCbis aggregate-reporting schema). */
export interface AggregateReport {
  readonly kind: 'aggregate';
  readonly schema: 'rfc7489' | 'dmarcbis';
  readonly orgName: string;
  readonly reportId: string;
  readonly email: string | null;
  /** Unix seconds. */
  readonly begin: number;
  readonly end: number;
  readonly domain: string;
  readonly policy: PublishedPolicy;
  readonly records: readonly AggregateRecord[];
}

/** One failure detail of an SMTP TLS report (RFC 8460 section 4.3). */
export interface TlsFailureDetail {
  readonly resultType: string;
  readonly sendingMtaIp: string | null;
  readonly receivingMx: string | null;
  readonly receivingIp: string | null;
  readonly sessions: number;
}

/** One policy block of an SMTP TLS report. */
export interface TlsPolicyResult {
  readonly policyType: string;
  readonly policyDomain: string;
  readonly mxHosts: readonly string[];
  readonly successful: number;
  readonly failed: number;
  readonly failures: readonly TlsFailureDetail[];
}

/** An SMTP TLS report (RFC 8460 JSON). */
export interface TlsReport {
  readonly kind: 'tls';
  readonly orgName: string;
  readonly reportId: string;
  readonly begin: number;
  readonly end: number;
  readonly policies: readonly TlsPolicyResult[];
}

/** A DMARC failure report (RFC 6591 ARF, or a plain-text one). */
export interface FailureReport {
  readonly kind: 'failure';
  /** Stable identity for de-duplication: the reporter's Message-ID, else a hash of the report. */
  readonly key: string;
  readonly reporter: string | null;
  readonly domain: string;
  readonly sourceIp: string | null;
  readonly arrival: number | null;
  readonly authFailure: string | null;
  readonly originalFrom: string | null;
  readonly originalSubject: string | null;
  readonly format: 'arf' | 'text';
}

/** Any report one source yields. */
export type ParsedReport = AggregateReport | TlsReport | FailureReport;

/** A source that could not be read, and why, in words. */
export interface ReportError {
  readonly source: string;
  readonly reason: string;
}

/** What one ingest run did. */
export interface IngestResult {
  readonly stored: { readonly aggregate: number; readonly tls: number; readonly failure: number };
  readonly duplicates: number;
  readonly errors: readonly ReportError[];
  /** Messages or files looked at. */
  readonly sources: number;
}

/** Totals over stored reports, as `reports summary --json` prints them. */
export interface ReportsSummary {
  readonly aggregate: { readonly reports: number; readonly messages: number };
  readonly tls: { readonly reports: number; readonly sessions: number };
  readonly failure: { readonly reports: number };
  readonly domains: readonly { readonly domain: string; readonly messages: number; readonly dmarcPass: number }[];
  readonly errors: readonly ReportError[];
}

/** How a sending source relates to the domain it sends as. */
export type SourceClass = 'aligned' | 'authorised-unaligned' | 'forwarded' | 'unknown';

/** One sending IP for a domain over the period. */
export interface ReportSource {
  readonly sourceIp: string;
  readonly messages: number;
  readonly dmarcPass: number;
  readonly dkimAligned: number;
  readonly spfAligned: number;
  readonly reporters: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly classification: SourceClass;
  /** Known sender matched by the DKIM/SPF domains seen, e.g. "Google", or null. */
  readonly knownSender: string | null;
}
