import type { ImapEndpoint } from '../imap/imap-endpoint.ts';

// Runs of one account at once in a process (a batch's parallel pairs); a run past this shares no count.
const MAX_MEMBERS = 64;
const FREE = -1;

/**
 * One run's place in the process-wide count of one account's connections. The count lives in
 * shared memory, so runs in pair threads (pair-thread.ts) count together: cell 0 holds the
 * account's limit, cell 1 + `member` what this run holds (FREE when no run has the place).
 */
export interface AccountShare {
  readonly buffer: SharedArrayBuffer;
  readonly member: number;
}

/** Who the server counts connections for: the same user at the same host and port (case-insensitive host and user). */
export function accountKey(endpoint: Pick<ImapEndpoint, 'host' | 'port' | 'user'>): string {
  return `${endpoint.user.toLowerCase()}@${endpoint.host.toLowerCase()}:${endpoint.port}`;
}

/** The account's count as one run sees it: its own, every run's, and the fair share of one run. */
export class AccountCount {
  private readonly cells: Int32Array;
  private readonly own: number;

  constructor(share: AccountShare) {
    this.cells = new Int32Array(share.buffer);
    this.own = share.member + 1;
  }

  /** Connections the server allows the account (the lowest limit of the runs that share it). */
  get limit(): number {
    return Atomics.load(this.cells, 0);
  }

  /** Publishes what this run holds now. */
  publish(count: number): void {
    Atomics.store(this.cells, this.own, count);
  }

  /** Connections every run of the account holds now, as each last published. */
  get total(): number {
    let sum = 0;
    for (let i = 1; i < this.cells.length; i++) sum += Math.max(0, Atomics.load(this.cells, i));
    return sum;
  }

  /** What one run may open without taking another's room: the limit split evenly between the runs of the account. */
  get fairShare(): number {
    let runs = 0;
    for (let i = 1; i < this.cells.length; i++) if (Atomics.load(this.cells, i) !== FREE) runs++;
    return Math.max(1, Math.floor(this.limit / Math.max(1, runs)));
  }
}

/**
 * The process-wide count of every account's connections, kept by the thread that starts runs:
 * `join` before a run, `leave` once it ended (whatever it held is then free, even if its thread
 * was terminated). Runs that share an account share its limit, each within a fair share.
 */
export class AccountConnections {
  private readonly accounts = new Map<string, { buffer: SharedArrayBuffer; runs: number }>();

  /** A place for one run in the account's count, under `limit` connections (the lowest of the account's runs wins). */
  join(endpoint: Pick<ImapEndpoint, 'host' | 'port' | 'user'>, limit: number): AccountShare | undefined {
    const key = accountKey(endpoint);
    let account = this.accounts.get(key);
    if (!account) {
      const buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + MAX_MEMBERS));
      const cells = new Int32Array(buffer);
      cells.fill(FREE);
      cells[0] = limit;
      account = { buffer, runs: 0 };
      this.accounts.set(key, account);
    }
    const cells = new Int32Array(account.buffer);
    const free = cells.indexOf(FREE, 1);
    if (free < 0) return undefined;
    Atomics.store(cells, 0, account.runs === 0 ? limit : Math.min(Atomics.load(cells, 0), limit));
    Atomics.store(cells, free, 0);
    account.runs++;
    return { buffer: account.buffer, member: free - 1 };
  }

  /** Gives the run's place back: what it held no longer counts. */
  leave(share: AccountShare | undefined): void {
    if (!share) return;
    Atomics.store(new Int32Array(share.buffer), share.member + 1, FREE);
    for (const [key, account] of this.accounts) {
      if (account.buffer !== share.buffer) continue;
      if (--account.runs === 0) this.accounts.delete(key);
      return;
    }
  }
}

/** This thread's count of every account's connections. */
export const accountConnections = new AccountConnections();
