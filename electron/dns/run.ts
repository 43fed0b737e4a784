import type { CheckRequest, DomainReport } from '../../shared/domain/dns.ts';
import { defaultCheckOptions, type CheckOptions } from './context.ts';
import { checkDomains, type EngineEnv } from './engine.ts';
import type { DnsServer } from './raw-dns.ts';
import { getServers } from 'node:dns';
import { DnsClient, nodeResolver } from './resolver.ts';

/** Where and how a run talks to the network. */
export interface RunSettings {
  /** `host:port` DNS servers; empty means the system resolvers. */
  readonly servers: readonly string[];
  readonly dnsTimeoutMs?: number;
  readonly concurrency?: number;
  readonly parallelDomains?: number;
  readonly mtaStsPort?: number;
  /** Port for direct queries to each domain's name servers; the first server's port, else 53. */
  readonly nsPort?: number;
  readonly options?: Partial<CheckOptions>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, report: DomainReport) => void;
  readonly onQuery?: (name: string, rrtype: string) => void;
  /** A client to run through instead of a fresh one, so a caller's later lookups reuse this run's answers. */
  readonly client?: DnsClient;
}

/** Parses `host`, `host:port`, `[v6]:port` into a server address (port 53 by default). */
export function parseServer(text: string): DnsServer | null {
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(text);
  const v4 = /^([^:\s]+)(?::(\d+))?$/.exec(text);
  const m = v6 ?? v4;
  if (!m) return null;
  const port = m[2] === undefined ? 53 : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

/** How a run's resolver is shown beside its results: the servers given, or the system's. */
export function resolverLabel(servers: readonly string[]): string {
  return servers.length > 0 ? servers.join(', ') : `system (${getServers().join(', ') || 'none configured'})`;
}

/** A DNS client with a fresh per-run cache over the run's servers. */
export function runClient(settings: RunSettings): DnsClient {
  return new DnsClient(nodeResolver({ servers: settings.servers, timeoutMs: settings.dnsTimeoutMs ?? 2000, tries: 2, ...(settings.signal ? { signal: settings.signal } : {}) }), {
    concurrency: settings.concurrency ?? 32,
    ...(settings.onQuery ? { onQuery: settings.onQuery } : {}),
  });
}

/** Runs one check request end to end with a fresh per-run cache (or the given client's). */
export async function runChecks(request: CheckRequest, settings: RunSettings): Promise<{ reports: DomainReport[]; queries: number }> {
  const dns = settings.client ?? runClient(settings);
  const options = defaultCheckOptions({
    ...settings.options,
    ...(request.profile ? { profile: request.profile } : {}),
    ...(request.dkimSelectors ? { dkimSelectors: request.dkimSelectors } : {}),
    ...(request.sendingIps ? { sendingIps: request.sendingIps } : {}),
  });
  const first = settings.servers[0] ? parseServer(settings.servers[0]) : null;
  // A non-standard DNS port only happens against a test server, whose NS hosts listen on the same port.
  const env: EngineEnv = { rawServer: first ?? undefined, mtaStsPort: settings.mtaStsPort, nsPort: settings.nsPort ?? first?.port ?? 53 };
  const resolver = resolverLabel(settings.servers);
  const onProgress = settings.onProgress;
  const reports = await checkDomains(request.domains, dns, options, env, {
    parallel: settings.parallelDomains ?? 16,
    ...(settings.signal ? { signal: settings.signal } : {}),
    ...(onProgress ? { onProgress: (done: number, total: number, report: DomainReport) => onProgress(done, total, { ...report, resolver }) } : {}),
  });
  return { reports: reports.map((r) => ({ ...r, resolver })), queries: dns.queries };
}
