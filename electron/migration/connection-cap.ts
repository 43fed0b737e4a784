import type { Result } from '../../shared/errors/result.ts';
import { isConnectionLimit } from '../imap/connection-limit.ts';
import { AccountCount, type AccountShare } from './account-connections.ts';

/**
 * Connections one user may hold on a server by default: Dovecot's mail_max_userip_connections
 * (per user and client IP) is 10 unless the administrator raised it.
 */
export const CONNECTIONS_PER_SIDE = 10;

// How long a connection the run cannot do without waits for the account's other runs to make room; then it is tried anyway.
const ADMIT_WAIT_MS = 30_000;
// How often a run sharing its account tells the others what it holds (a connection that closed frees its place within this).
const PUBLISH_MS = 100;

/** A connection as the cap sees it: counted until it is no longer alive. */
interface Held {
  readonly alive: boolean;
}

/**
 * Every connection a run holds on one side (raw, imapflow, uploads, content check), kept within the
 * server's per-user limit: a connection the run can do without is opened only while there is room
 * (`open`), one it cannot do without always (`force`). A login the server refuses as over its limit
 * (other clients of the account hold connections too) lowers the cap to what the run holds, with one
 * warning; the run goes on with those. Runs of the same account in this process (a batch's
 * parallel pairs, account-connections.ts) share one count: each opens what it can do without only
 * within its fair share and while the account has room, waits (bounded, and not past an abort)
 * for room before one it cannot do without, and gives back what it holds over its share (`over`).
 */
export class ConnectionCap {
  private readonly side: 'source' | 'target';
  private readonly warnings: string[];
  private readonly held = new Set<Held>();
  private opening = 0;
  private limit: number;
  private warned = false;
  private readonly account: AccountCount | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly publisher: NodeJS.Timeout | undefined;

  constructor(side: 'source' | 'target', warnings: string[], limit = CONNECTIONS_PER_SIDE, shared: { readonly account?: AccountShare | undefined; readonly signal?: AbortSignal | undefined } = {}) {
    this.side = side;
    this.warnings = warnings;
    this.limit = Math.max(1, limit);
    this.account = shared.account ? new AccountCount(shared.account) : undefined;
    this.signal = shared.signal;
    if (this.account) this.publisher = setInterval(() => this.count, PUBLISH_MS).unref();
  }

  /** Connections open or being opened now. */
  get count(): number {
    for (const c of this.held) if (!c.alive) this.held.delete(c);
    const count = this.held.size + this.opening;
    this.account?.publish(count);
    return count;
  }

  /** True while one more connection fits (within the run's fair share of its account, when other runs share it). */
  get room(): boolean {
    const count = this.count;
    if (count >= this.limit) return false;
    return !this.account || (count < this.account.fairShare && this.account.total < this.account.limit);
  }

  /** True while the run holds more than its fair share of an account other runs share: a connection given back should close. */
  get over(): boolean {
    if (!this.account) return false;
    const share = this.account.fairShare;
    // A run alone keeps what it opened, even past the limit (a connection it could not do without).
    return share < this.account.limit && this.count > share;
  }

  /**
   * Resolves once the connections counted already (`reserved` of them the caller's own, not open yet)
   * fit the account's limit, when other runs of the account hold the rest; at once for a run alone.
   * Waits at most ADMIT_WAIT_MS, and never past an abort.
   */
  async admit(reserved = 0): Promise<void> {
    const since = performance.now();
    while (!this.admitted(reserved, since)) await new Promise((resolve) => setTimeout(resolve, PUBLISH_MS));
  }

  private admitted(reserved: number, since: number): boolean {
    if (!this.account) return true;
    const own = this.count;
    const total = this.account.total;
    return total - reserved < this.account.limit || total === own || this.signal?.aborted === true || performance.now() - since > ADMIT_WAIT_MS;
  }

  /** Stops telling the account's other runs what this one holds (the run is over). */
  dispose(): void {
    clearInterval(this.publisher);
    this.account?.publish(0);
  }

  /**
   * Opens one connection through `opener` when it fits (always with `force`), and counts it until it
   * closes; null when it does not fit, or (without `force`) the server refused it as over its limit.
   */
  async open<T extends Held>(opener: () => Promise<Result<T>>, force = false): Promise<Result<T> | null> {
    if (!force && !this.room) return null;
    // Counted before any wait: another opener of this run must not take the place meanwhile.
    if (force && !this.admitted(0, performance.now())) {
      this.opening++;
      this.publishNow();
      try {
        await this.admit(1);
      } finally {
        this.opening--;
      }
    }
    const opened = await this.track(opener());
    return !force && !opened.ok && isConnectionLimit(opened.error) ? null : opened;
  }

  /** Counts a connection being opened (also one started before the run) from now until it closes. */
  async track<T extends Held>(opening: Promise<Result<T>>): Promise<Result<T>> {
    this.opening++;
    // Other runs of the account see it at once: two cannot both take the last place.
    this.publishNow();
    let opened: Result<T>;
    try {
      opened = await opening;
    } finally {
      this.opening--;
    }
    if (opened.ok) this.held.add(opened.value);
    this.publishNow();
    if (opened.ok) return opened;
    if (isConnectionLimit(opened.error)) this.refused(opened.error.message);
    return opened;
  }

  /** Counts an open connection made elsewhere (imapflow's) until `alive` turns false. */
  hold(conn: Held): void {
    this.held.add(conn);
    this.publishNow();
  }

  private publishNow(): void {
    if (this.account) void this.count;
  }

  // The server's own count includes the account's other clients: open no more than this run holds now.
  private refused(reason: string): void {
    this.limit = Math.max(1, Math.min(this.limit, this.count - this.opening));
    if (this.warned) return;
    this.warned = true;
    this.warnings.push(`${this.side} ${reason}; this run goes on with the ${this.side} connections it has`);
  }
}
