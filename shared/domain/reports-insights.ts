import type { PublishedPolicy, SourceClass } from './reports.ts';

/** One day of a domain's aggregate reports: messages reported and how many passed DMARC. */
export interface ReportDay {
  /** The day the report period ended, YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly messages: number;
  readonly dmarcPass: number;
}

/** TLS failures reported for one receiving MX and failure type. */
export interface TlsFailureRow {
  readonly policyDomain: string;
  readonly receivingMx: string;
  readonly resultType: string;
  readonly sessions: number;
}

/** A source that stands between a domain and p=reject. */
export interface VerdictBlocker {
  readonly sourceIp: string;
  readonly messages: number;
  readonly classification: SourceClass;
  readonly knownSender: string | null;
  /** What to do about it, in words. */
  readonly advice: string;
}

/** "Ready for p=reject?" for one domain, from the last 30 days of aggregate reports. */
export interface DmarcVerdict {
  readonly domain: string;
  /** Start of the window, ISO. */
  readonly since: string;
  readonly ready: boolean;
  readonly messages: number;
  readonly dmarcPass: number;
  /** dmarcPass / messages, or null with no messages. */
  readonly passRate: number | null;
  /** Why not, one sentence each; empty when ready. */
  readonly reasons: readonly string[];
  readonly blockers: readonly VerdictBlocker[];
  /** The policy the latest report says is published, or null when no report is stored. */
  readonly published: PublishedPolicy | null;
  /** The DMARC record to publish for p=reject, from the record generator. */
  readonly record: { readonly name: string; readonly type: 'TXT'; readonly value: string; readonly zoneValue: string };
}

/** The reverse DNS (PTR) names of one sending IP: found, none published, or the lookup failed (timeout, refused). */
export interface ReverseName {
  readonly ip: string;
  readonly status: 'ok' | 'none' | 'failed';
  readonly names: readonly string[];
}
