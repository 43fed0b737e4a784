import type { ReverseName } from '../../shared/domain/reports-insights.ts';
import { reverseName } from '../dns/addresses.ts';
import { DnsClient, nodeResolver } from '../dns/resolver.ts';

// PTR records change rarely; an hour keeps a re-opened source table from asking again for every row.
const TTL_MS = 3_600_000;
const MAX_CACHED = 20_000;

/** PTR names of sending IPs, asked of the resolver the deliverability checks use, cached for an hour. */
export class ReverseDns {
  private readonly servers: () => readonly string[];
  private readonly now: () => number;
  private readonly cache = new Map<string, { readonly at: number; readonly name: ReverseName }>();

  constructor(servers: () => readonly string[], now: () => number = Date.now) {
    this.servers = servers;
    this.now = now;
  }

  /** One answer per IP, in the order given; a timeout or refusal is `failed` (and not cached), never `none`. */
  async names(ips: readonly string[]): Promise<ReverseName[]> {
    const dns = new DnsClient(nodeResolver({ servers: this.servers(), timeoutMs: 2000, tries: 1 }), { concurrency: 16 });
    return Promise.all(ips.map((ip) => this.lookup(dns, ip)));
  }

  private async lookup(dns: DnsClient, ip: string): Promise<ReverseName> {
    const hit = this.cache.get(ip);
    if (hit && this.now() - hit.at < TTL_MS) return hit.name;
    const answer = await dns.lookup<string[]>(reverseName(ip), 'PTR');
    const name: ReverseName =
      answer.status === 'ok'
        ? { ip, status: 'ok', names: answer.records.map((n) => n.toLowerCase().replace(/\.$/, '')) }
        : { ip, status: answer.status === 'absent' ? 'none' : 'failed', names: [] };
    if (name.status !== 'failed') {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(ip, { at: this.now(), name });
    }
    return name;
  }
}
