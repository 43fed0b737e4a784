import type { Result } from '../../shared/errors/result.ts';
import { isConnectionLimit } from '../imap/connection-limit.ts';

/**
 * Connections one user may hold on a server by default: Dovecot's mail_max_userip_connections
 * (per user and client IP) is 10 unless the administrator raised it.
 */
export const CONNECTIONS_PER_SIDE = 10;

/** A connection as the cap sees it: counted until it is no longer alive. */
interface Held {
  readonly alive: boolean;
}

/**
 * Every connection a run holds on one side (raw, imapflow, uploads, content check), kept within the
 * server's per-user limit: a connection the run can do without is opened only while there is room
 * (`open`), one it cannot do without always (`force`). A login the server refuses as over its limit
 * (other clients of the account hold connections too) lowers the cap to what the run holds, with one
 * warning; the run goes on with those.
 */
export class ConnectionCap {
  private readonly side: 'source' | 'target';
  private readonly warnings: string[];
  private readonly held = new Set<Held>();
  private opening = 0;
  private limit: number;
  private warned = false;

  constructor(side: 'source' | 'target', warnings: string[], limit = CONNECTIONS_PER_SIDE) {
    this.side = side;
    this.warnings = warnings;
    this.limit = Math.max(1, limit);
  }

  /** Connections open or being opened now. */
  get count(): number {
    for (const c of this.held) if (!c.alive) this.held.delete(c);
    return this.held.size + this.opening;
  }

  /** True while one more connection fits. */
  get room(): boolean {
    return this.count < this.limit;
  }

  /**
   * Opens one connection through `opener` when it fits (always with `force`), and counts it until it
   * closes; null when it does not fit, or (without `force`) the server refused it as over its limit.
   */
  async open<T extends Held>(opener: () => Promise<Result<T>>, force = false): Promise<Result<T> | null> {
    if (!force && !this.room) return null;
    const opened = await this.track(opener());
    return !force && !opened.ok && isConnectionLimit(opened.error) ? null : opened;
  }

  /** Counts a connection being opened (also one started before the run) from now until it closes. */
  async track<T extends Held>(opening: Promise<Result<T>>): Promise<Result<T>> {
    this.opening++;
    let opened: Result<T>;
    try {
      opened = await opening;
    } finally {
      this.opening--;
    }
    if (opened.ok) this.held.add(opened.value);
    else if (isConnectionLimit(opened.error)) this.refused(opened.error.message);
    return opened;
  }

  /** Counts an open connection made elsewhere (imapflow's) until `alive` turns false. */
  hold(conn: Held): void {
    this.held.add(conn);
  }

  // The server's own count includes the account's other clients: open no more than this run holds now.
  private refused(reason: string): void {
    this.limit = Math.max(1, Math.min(this.limit, this.count - this.opening));
    if (this.warned) return;
    this.warned = true;
    this.warnings.push(`${this.side} ${reason}; this run goes on with the ${this.side} connections it has`);
  }
}
