import { Resolver } from 'node:dns/promises';

/** A raw lookup with the contract of `dns.promises.resolve`: rejects with `err.code` (ENOTFOUND, ENODATA, ETIMEOUT...). */
export type RawResolve = (name: string, rrtype: string) => Promise<unknown>;

/** The outcome of one query, classified once: a timeout or SERVFAIL is never read as "no record". */
export type Lookup<T> =
  | { readonly status: 'ok'; readonly records: T }
  | { readonly status: 'absent'; readonly reason: 'nxdomain' | 'nodata' }
  | { readonly status: 'failed'; readonly code: string };

/** MX answer row. */
export interface MxRecord {
  readonly exchange: string;
  readonly priority: number;
}

/** SRV answer row. */
export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** TLSA answer row as Node returns it. */
export interface TlsaRecord {
  readonly certUsage: number;
  readonly selector: number;
  readonly match: number;
  readonly data: ArrayBuffer | Uint8Array;
}

/** SOA answer as Node returns it. */
export interface SoaRecord {
  readonly nsname: string;
  readonly hostmaster: string;
  readonly serial: number;
  readonly expire: number;
}

/** Options of the Node adapter. */
export interface NodeResolverOptions {
  /** `host` or `host:port`; empty means the system resolvers. */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
  readonly tries?: number;
  /** Cancels every query in flight, and refuses new ones, once aborted. */
  readonly signal?: AbortSignal;
}

/** Builds a raw resolver on Node's c-ares `Resolver` with chosen servers and timeouts. */
export function nodeResolver(options: NodeResolverOptions = {}): RawResolve {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers]);
  const resolve = resolver.resolve.bind(resolver) as unknown as (n: string, t: string) => Promise<unknown>;
  const signal = options.signal;
  // Aborting ends every query in flight at once (Node answers them ECANCELLED) instead of waiting out their timeouts.
  signal?.addEventListener('abort', () => resolver.cancel(), { once: true });
  return (name, rrtype) => (signal?.aborted ? Promise.reject(Object.assign(new Error(`query ${name} ${rrtype} cancelled`), { code: 'ECANCELLED' })) : resolve(name, rrtype));
}

/** Options of a DnsClient. */
export interface DnsClientOptions {
  /** Queries in flight at once, across every domain of the run. */
  readonly concurrency?: number;
  /** Called once per query actually sent (not for cache hits); used by the benchmark. */
  readonly onQuery?: (name: string, rrtype: string) => void;
}

// Negative answers are most of a bulk run's (DKIM's selectors): one shared, frozen outcome each instead of an object per answer.
const NXDOMAIN: Lookup<never> = Object.freeze({ status: 'absent', reason: 'nxdomain' });
const NODATA: Lookup<never> = Object.freeze({ status: 'absent', reason: 'nodata' });
const ABSENT: ReadonlyMap<string, Lookup<never>> = new Map([
  ['ENOTFOUND', NXDOMAIN],
  ['ENODATA', NODATA],
]);

// TXT records with each record's character-strings joined.
function joinTxt(answer: Lookup<string[][]>): Lookup<string[]> {
  return answer.status === 'ok' ? { status: 'ok', records: answer.records.map((chunks) => chunks.join('')) } : answer;
}

/**
 * Per-run DNS access: caches every answer for the run, bounds concurrency, classifies errors.
 *
 * One client serves Mailroom's own checks and, through `mailauth`, every mailauth call.
 */
export class DnsClient {
  private readonly raw: RawResolve;
  // By record type, then lower-case name: no key string is built per lookup.
  private readonly cache = new Map<string, Map<string, Promise<Lookup<unknown>>>>();
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly joined = new Map<string, Promise<Lookup<string[]>>>();
  private readonly limit: number;
  private readonly onQuery: ((name: string, rrtype: string) => void) | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Queries sent so far. */
  queries = 0;

  constructor(raw: RawResolve, options: DnsClientOptions = {}) {
    this.raw = raw;
    this.limit = Math.max(1, options.concurrency ?? 32);
    this.onQuery = options.onQuery;
  }

  /** One classified lookup; never rejects. */
  lookup<T>(name: string, rrtype: string): Promise<Lookup<T>> {
    const bare = name.endsWith('.') ? name.slice(0, -1) : name;
    let byName = this.cache.get(rrtype);
    if (!byName) {
      byName = new Map();
      this.cache.set(rrtype, byName);
    }
    const key = bare.toLowerCase();
    let hit = byName.get(key);
    if (!hit) {
      hit = this.send(bare, rrtype);
      byName.set(key, hit);
    }
    return hit as Promise<Lookup<T>>;
  }

  /** A resolver function with the mailauth contract, backed by the same cache. */
  readonly mailauth = async (name: string, rrtype: string): Promise<never> => {
    const answer = await this.lookup<unknown>(name, rrtype);
    if (answer.status === 'ok') return answer.records as never;
    const code = answer.status === 'absent' ? (answer.reason === 'nxdomain' ? 'ENOTFOUND' : 'ENODATA') : answer.code;
    // mailauth reads only err.code; skipping the stack trace matters when thousands of absent records are asked for
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const error = Object.assign(new Error(`${rrtype} ${name}: ${code}`), { code });
    Error.stackTraceLimit = limit;
    throw error;
  };

  /** TXT records, each joined from its character-strings; the joined answer is shared for the run (do not mutate it). */
  txt(name: string): Promise<Lookup<string[]>> {
    const key = name.toLowerCase();
    let hit = this.joined.get(key);
    if (!hit) {
      hit = this.lookup<string[][]>(name, 'TXT').then(joinTxt);
      this.joined.set(key, hit);
    }
    return hit;
  }

  /** A and AAAA together: ok when either has addresses; failed when either failed and none answered. Shared for the run (do not mutate). */
  addresses(name: string): Promise<Lookup<string[]>> {
    return this.memo(`addresses ${name.toLowerCase()}`, () => this.resolveAddresses(name, 0));
  }

  private async resolveAddresses(name: string, hops: number): Promise<Lookup<string[]>> {
    const [a, aaaa] = await Promise.all([this.lookup<string[]>(name, 'A'), this.lookup<string[]>(name, 'AAAA')]);
    const records = [...(a.status === 'ok' ? a.records : []), ...(aaaa.status === 'ok' ? aaaa.records : [])];
    if (records.length > 0) return { status: 'ok', records };
    if (a.status === 'failed') return a;
    if (aaaa.status === 'failed') return aaaa;
    if (a.status === 'absent' && a.reason === 'nodata' && hops < 8) {
      // An authoritative server answers a CNAME into another zone without chasing it (RFC 1034 §4.3.2).
      const cname = await this.lookup<string[]>(name, 'CNAME');
      if (cname.status === 'ok' && cname.records[0]) return this.resolveAddresses(cname.records[0], hops + 1);
    }
    return a.status === 'absent' ? a : NODATA;
  }

  /** Runs `probe` once per run for `key` and shares the outcome (facts about a server rather than a zone). */
  memo<T>(key: string, probe: () => Promise<T>): Promise<T> {
    let hit = this.memos.get(key);
    if (!hit) {
      hit = probe();
      this.memos.set(key, hit);
    }
    return hit as Promise<T>;
  }

  /** Runs a query the c-ares resolver cannot make (raw DNSSEC queries) under the same concurrency limit and accounting. */
  async rawQuery<T>(name: string, rrtype: string, query: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      this.queries++;
      this.onQuery?.(name, rrtype);
      return await query();
    } finally {
      this.release();
    }
  }

  // No await on a free slot: a bulk run sends thousands of queries and every extra promise hop is CPU.
  private send(name: string, rrtype: string): Promise<Lookup<unknown>> {
    if (this.active < this.limit) {
      this.active++;
      return this.exchange(name, rrtype);
    }
    // Settled from the answer's own promise: resolving with a promise would add a job and a promise to every waiting query.
    return new Promise((resolve) => this.waiting.push(() => void this.exchange(name, rrtype).then(resolve)));
  }

  private exchange(name: string, rrtype: string): Promise<Lookup<unknown>> {
    this.queries++;
    this.onQuery?.(name, rrtype);
    let pending: Promise<unknown>;
    try {
      pending = this.raw(name, rrtype);
    } catch (error) {
      pending = Promise.reject(error as Error);
    }
    return pending.then(this.answered, this.refused);
  }

  // Shared by every query (two closures fewer per query).
  private readonly answered = (records: unknown): Lookup<unknown> => {
    this.release();
    return Array.isArray(records) && records.length === 0 ? NODATA : { status: 'ok', records };
  };

  private readonly refused = (error: unknown): Lookup<unknown> => {
    this.release();
    const code = String((error as NodeJS.ErrnoException).code ?? 'EUNKNOWN');
    return ABSENT.get(code) ?? { status: 'failed', code };
  };

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** A person-readable reason for a failed lookup. */
export function failureText(code: string): string {
  switch (code) {
    case 'ETIMEOUT':
      return 'the DNS server did not answer in time';
    case 'EREFUSED':
      return 'the DNS server refused the query';
    case 'ESERVFAIL':
      return 'the DNS server failed (SERVFAIL)';
    case 'ECONNREFUSED':
      return 'the DNS server could not be reached';
    case 'EBADNAME':
      return 'the name is not a valid DNS name';
    default:
      return `the lookup failed (${code})`;
  }
}
