import type { DomainProfile, Finding, Severity } from '../../shared/domain/dns.ts';
import type { DnsServer } from './raw-dns.ts';
import { failureText, type DnsClient, type Lookup } from './resolver.ts';

/** DNSBL zones to query: IP lists (reversed-octet names) and domain lists. */
export interface DnsblOptions {
  readonly ipZones: readonly string[];
  readonly domainZones: readonly string[];
}

/** Everything a check run may be configured with. */
export interface CheckOptions {
  readonly profile: DomainProfile;
  readonly dkimSelectors: readonly string[];
  readonly sendingIps: readonly string[];
  readonly dnsbl: DnsblOptions;
  /** Active SMTP probing of the MX hosts (STARTTLS, certificate, DANE); `relayTest` opts in to the intrusive open-relay test. */
  readonly smtp: { readonly enabled: boolean; readonly port: number; readonly timeoutMs: number; readonly relayTest?: boolean };
  /** Extra trusted CA certificates (PEM) for SMTP and MTA-STS certificate checks. */
  readonly ca?: string | undefined;
  readonly httpsTimeoutMs: number;
  /** Treat the RFC 5737 / RFC 3849 documentation ranges as public addresses (test fixtures). */
  readonly testNets: boolean;
  readonly now: () => Date;
  /** The p= value of the key the platform signs with for a selector (Mailroom-generated keys, from the keychain); null when unknown. */
  readonly dkimKeySource?: ((domain: string, selector: string) => Promise<string | null>) | undefined;
}

/** Defaults: hosted profile, SMTP on port 25 with a 10 s budget, no DNSBL zones. */
export function defaultCheckOptions(partial: Partial<CheckOptions> = {}): CheckOptions {
  return {
    profile: 'hosted',
    dkimSelectors: [],
    sendingIps: [],
    dnsbl: { ipZones: [], domainZones: [] },
    smtp: { enabled: true, port: 25, timeoutMs: 10_000 },
    httpsTimeoutMs: 10_000,
    testNets: false,
    now: () => new Date(),
    ...partial,
  };
}

/** What one check family gets for one domain. */
export interface CheckContext {
  readonly domain: string;
  readonly dns: DnsClient;
  readonly options: CheckOptions;
  /** Server for raw DNSSEC queries; absent when the run uses the system resolvers. */
  readonly rawServer?: DnsServer | undefined;
  /** Port the domain's name servers are queried on directly; 53 except in tests. Without it the NS probes are skipped. */
  readonly nsPort?: number | undefined;
  add(finding: Finding): void;
}

/** Builds a finding. */
export function finding(id: string, severity: Severity, message: string, records: readonly string[], fix: string): Finding {
  return { id, severity, message, records: [...records], fix };
}

/** Records an `unknown` finding for a lookup that failed; returns true when it did. */
export function unknownIfFailed<T>(ctx: CheckContext, id: string, what: string, lookup: Lookup<T>): lookup is Extract<Lookup<T>, { status: 'failed' }> {
  if (lookup.status !== 'failed') return false;
  ctx.add(
    finding(id, 'unknown', `Could not check ${what}: ${failureText(lookup.code)}.`, [], 'Run the check again; if it persists, check the DNS servers of the domain.'),
  );
  return true;
}

/** True for the parked profile. */
export function isParked(ctx: CheckContext): boolean {
  return ctx.options.profile === 'parked';
}

/** Quotes a TXT value for display in `records`. */
export function rr(name: string, type: string, value: string): string {
  return `${name}. ${type} ${type === 'TXT' ? JSON.stringify(value) : value}`;
}
