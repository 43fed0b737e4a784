/** How bad a finding is; `unknown` means the check could not be carried out. */
export type Severity = 'critical' | 'error' | 'warning' | 'info' | 'unknown';

/** Severities from worst to mildest; `unknown` sorts last because it proves nothing. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'error', 'warning', 'info', 'unknown'];

/** What a domain is for; selects which records are expected. */
export type DomainProfile = 'hosted' | 'parked' | 'bulk-sender';

/** One result of one check: its id is the stable dotted finding id (e.g. `spf.lookup-limit`). */
export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  readonly records: readonly string[];
  readonly fix: string;
}

/** Every finding for one domain, with its 0-100 health score. */
export interface DomainReport {
  readonly domain: string;
  readonly score: number;
  readonly findings: readonly Finding[];
  /** The DNS servers that answered (`host:port, …`, or `system (…)`); absent on runs stored before it was recorded. */
  readonly resolver?: string;
  /** The DMARC policy that applies to the domain (its p=, or the sp= it inherits); absent on runs stored before it was recorded. */
  readonly dmarcPolicy?: AppliedDmarcPolicy;
}

/** What DMARC asks receivers to do with the domain's failing mail: 'none' also when no record applies; 'unknown' when DNS did not answer. */
export type AppliedDmarcPolicy = 'none' | 'quarantine' | 'reject' | 'unknown';

/** Which DNS servers deliverability checks ask. */
export interface ResolverSettings {
  /** Saved in Settings; empty means the system resolvers. */
  readonly servers: readonly string[];
  /** What runs actually use now, as shown on every result. */
  readonly effective: string;
  /** Set when the servers were fixed at start (`--dns`), which overrides the saved choice. */
  readonly fixedAtStart: boolean;
}

/** Options of one check run; everything is optional. */
export interface CheckRequest {
  readonly domains: readonly string[];
  readonly profile?: DomainProfile;
  readonly dkimSelectors?: readonly string[];
  readonly sendingIps?: readonly string[];
  /** Caller-chosen id of this run, so `dns.cancel(runId)` can stop it and progress events can be told apart. */
  readonly runId?: string;
}

/** Payload of the `dns.checkProgress` event. */
export interface CheckProgress {
  readonly runId: string;
  readonly done: number;
  readonly total: number;
  readonly domain: string;
}

/** A stored check run, as listed in the history. */
export interface CheckRunSummary {
  readonly id: number;
  readonly domain: string;
  readonly at: string;
  readonly profile: DomainProfile;
  readonly score: number;
  readonly counts: Readonly<Record<Severity, number>>;
}

/** A finding that appeared or got worse since the previous run of the same domain. */
export interface FindingChange {
  readonly domain: string;
  readonly id: string;
  readonly severity: Severity;
  readonly previous: Severity | null;
  readonly message: string;
}

/** Payload of the `dns.findingsChanged` event. */
export interface FindingsChanged {
  readonly domain: string;
  readonly at: string;
  readonly score: number;
  readonly changes: readonly FindingChange[];
}

/** A stored finding change, for "what broke since your last look". */
export interface RecentChange extends FindingChange {
  readonly at: string;
  readonly score: number;
}

/** Answer of `dns.changesSince`: changes after `since` (the stored last-seen marker when none is given), newest first. */
export interface ChangesSince {
  readonly since: string | null;
  readonly changes: readonly RecentChange[];
}

/** The mail platform a generated record set is for. */
export interface RecordPlan {
  readonly domain: string;
  readonly mailHost: string;
  readonly mxHosts?: readonly string[];
  readonly spfIncludes?: readonly string[];
  readonly sendingIps?: readonly string[];
  readonly dkim?: readonly { readonly selector: string; readonly publicKeyRecord: string }[];
  readonly dmarcRua?: string;
  readonly tlsRptRua?: string;
  readonly mtaStsMode?: 'enforce' | 'testing' | 'none';
  /** Web host that serves the MTA-STS policy (the `mta-sts` CNAME target); the mail host by default. */
  readonly policyHost?: string;
  /** The DNS provider's name servers (at least two, RFC 2182); the current NS set by default. */
  readonly nameServers?: readonly string[];
  readonly profile?: DomainProfile;
}

/** One record of the expected set, next to what DNS holds now. */
export interface ExpectedRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  /** The value as written in a zone file (TXT split into quoted 255-octet strings). */
  readonly zoneValue: string;
  readonly actual: readonly string[] | null;
  readonly status: 'match' | 'missing' | 'different' | 'unknown';
}

/** The generated record set for one domain. */
export interface GeneratedRecords {
  readonly domain: string;
  readonly records: readonly ExpectedRecord[];
  readonly mtaStsPolicy: string | null;
  readonly zoneFile: string;
  readonly notes: readonly string[];
}

/** Public half of a generated DKIM key; the private key is in the keychain under `vaultAccount`. */
export interface DkimKeyInfo {
  readonly domain: string;
  readonly selector: string;
  readonly algorithm: 'rsa-2048' | 'ed25519';
  readonly record: string;
  readonly vaultAccount: string;
}

/** A DKIM key written out of the keychain for a signer Mailroom cannot install it on; the key is only in the file. */
export interface DkimExport {
  readonly domain: string;
  readonly selector: string;
  readonly algorithm: 'rsa' | 'ed25519';
  /** The file that now holds the private key (mode 0600). */
  readonly path: string;
  /** The TXT record to publish at `selector._domainkey.domain`. */
  readonly record: string;
  readonly opendkim: { readonly keyTable: string; readonly signingTable: string };
  /** A local.d/dkim_signing.conf block. */
  readonly rspamd: string;
  readonly warning: string;
}

/** A domain under scheduled re-checks. */
export interface MonitoredDomainInfo {
  readonly domain: string;
  readonly profile: DomainProfile;
  readonly dkimSelectors: readonly string[];
  readonly sendingIps: readonly string[];
  readonly intervalMinutes: number;
  readonly addedAt: string;
  readonly lastRunAt: string | null;
}
