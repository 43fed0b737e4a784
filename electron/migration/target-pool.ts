import type { AppError } from '../../shared/errors/result.ts';
import { AppendConnection, type AppendItem, type AppendOutcome } from './append-connection.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import type { ConnectionCap } from './connection-cap.ts';
import { onSide } from './run-clients.ts';

/** One command's answer and how many of the submitted items it covered, in order. */
export interface GroupOutcome {
  readonly count: number;
  readonly outcome: AppendOutcome;
}

/** Raised when the target cannot be used at all (wrong password, untrusted certificate, unreachable). */
export class TargetUnavailable extends Error {
  override readonly name = 'TargetUnavailable';
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.message);
    this.error = error;
  }
}

interface Slot {
  conn: AppendConnection | null;
  opening: Promise<AppendConnection | null> | null;
  busy: number;
  /** Mailboxes with commands in flight on this connection. */
  bound: number;
  /** Given up: the target had no room for its connection while others served (connection-cap.ts). */
  retired: boolean;
}

/**
 * Several upload connections to one target, each carrying up to `depth` pipelined commands.
 * A dropped connection is replaced on the next submit (reconnects back off); authentication and
 * certificate failures are final and never retried, so an account is not locked out. Connections
 * beyond the first open only while the target's cap has room; a slot that finds none is retired
 * and its mailboxes go to the others.
 */
export class TargetPool {
  private readonly endpoint: ImapEndpoint;
  private readonly slots: Slot[];
  private readonly depth: number;
  private readonly waiters: (() => void)[] = [];
  private fatal: AppError | null = null;
  private reconnects = 0;
  private readonly owners = new Map<string, { slot: Slot; users: number }>();
  private readonly cap: ConnectionCap;

  constructor(endpoint: ImapEndpoint, size: number, cap: ConnectionCap, depth = 4) {
    this.endpoint = endpoint;
    this.depth = depth;
    this.cap = cap;
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ conn: null, opening: null, busy: 0, bound: 0, retired: false }));
  }

  /** Times a connection had to be re-opened after it dropped. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  /**
   * Opens the first connection so login and certificate problems surface before any work; with
   * `all`, every connection at once (only once the credentials are known to work, so a wrong
   * password is tried once, not once per connection).
   */
  async warmUp(all = false): Promise<{ multiAppend: boolean; literalPlus: boolean; uidPlus: boolean; appendLimit: number | null }> {
    const [conn] = (await Promise.all((all ? this.slots : this.slots.slice(0, 1)).map((s) => this.connection(s)))).filter((c) => c !== null);
    if (!conn) throw new Error('no upload connection');
    return {
      multiAppend: conn.multiAppend,
      literalPlus: conn.capabilities.has('LITERAL+'),
      uidPlus: conn.capabilities.has('UIDPLUS'),
      appendLimit: appendLimitOf(conn.capabilities),
    };
  }

  /** Uploads items to a mailbox on the least busy connection; resolves with one outcome per command. */
  async submit(mailbox: string, items: readonly AppendItem[]): Promise<GroupOutcome[]> {
    for (;;) {
      const sent = await this.submitOnce(mailbox, items);
      if (sent) return sent;
    }
  }

  // One try on the mailbox's slot; null when that slot was retired meanwhile (the caller tries another).
  private async submitOnce(mailbox: string, items: readonly AppendItem[]): Promise<GroupOutcome[] | null> {
    const slot = await this.acquire(mailbox);
    try {
      const conn = await this.connection(slot);
      if (!conn) return null;
      const outcomes = await conn.append(mailbox, items);
      if (outcomes.length === 1) return [{ count: items.length, outcome: outcomes[0]! }];
      return outcomes.map((outcome) => ({ count: 1, outcome }));
    } finally {
      slot.busy--;
      const owner = this.owners.get(mailbox)!;
      if (--owner.users === 0) {
        this.owners.delete(mailbox);
        slot.bound--;
      }
      // Wake everyone: a freed slot may suit a waiter of another mailbox better than the first in line.
      for (const w of this.waiters.splice(0)) w();
    }
  }

  /**
   * Stops at once (pause, cancel): every connection is dropped, so the commands on them are answered
   * DROPPED (uncertain, re-checked on resume), and every later or waiting submit fails with `error`.
   */
  abort(error: AppError): void {
    this.fatal ??= error;
    for (const s of this.slots) s.conn?.destroy();
    for (const w of this.waiters.splice(0)) w();
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    // A connection still opening (the run failed meanwhile) is closed once it has opened.
    await Promise.all(this.slots.map(async (s) => (s.conn ?? (await s.opening?.catch(() => null)))?.close()));
  }

  // Mailbox affinity: every command for one mailbox goes to the connection already serving it, so
  // two connections never append into the same folder at once (Dovecot, Cyrus and most servers
  // serialise appends per folder on a lock; contending for it costs more than it gains). A new
  // mailbox takes the connection serving the fewest mailboxes.
  private async acquire(mailbox: string): Promise<Slot> {
    for (;;) {
      if (this.fatal) throw new TargetUnavailable(this.fatal);
      const owner = this.owners.get(mailbox);
      // A retired slot's users all leave it at once; the mailbox then takes another.
      if (owner?.slot.retired) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      if (owner) {
        if (owner.slot.busy < this.depth) {
          owner.slot.busy++;
          owner.users++;
          return owner.slot;
        }
      } else {
        const slot = this.slots.filter((s) => !s.retired).sort((a, b) => a.bound - b.bound || a.busy - b.busy || Number(!a.conn) - Number(!b.conn))[0]!;
        if (slot.busy < this.depth) {
          slot.busy++;
          slot.bound++;
          this.owners.set(mailbox, { slot, users: 1 });
          return slot;
        }
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  // The slot's connection, opened (again) if need be; null once the slot is retired.
  private async connection(slot: Slot): Promise<AppendConnection | null> {
    if (slot.retired) return null;
    if (slot.conn?.alive) return slot.conn;
    if (slot.conn) this.reconnects++;
    slot.conn = null;
    slot.opening ??= this.open(slot).finally(() => {
      slot.opening = null;
    });
    slot.conn = await slot.opening;
    if (!slot.conn) return null;
    // Aborted while it opened: it must not start uploading.
    if (this.fatal) {
      slot.conn.destroy();
      throw new TargetUnavailable(this.fatal);
    }
    return slot.conn;
  }

  // True when another slot has a connection, or is opening one.
  private othersServe(slot: Slot): boolean {
    return this.slots.some((s) => s !== slot && !s.retired && (s.conn?.alive === true || s.opening !== null));
  }

  private async open(slot: Slot): Promise<AppendConnection | null> {
    let delay = 200;
    for (let attempt = 1; ; attempt++) {
      if (this.fatal) throw new TargetUnavailable(this.fatal);
      // The only slot with a connection is always tried (over the server's limit: retried as below).
      const r = await this.cap.open(() => AppendConnection.open(this.endpoint), !this.othersServe(slot));
      if (r === null && this.othersServe(slot)) {
        slot.retired = true;
        for (const w of this.waiters.splice(0)) w();
        return null;
      }
      if (r?.ok) return r.value;
      if (r && (!r.error.retryable || attempt >= 6)) {
        this.fatal = onSide('target', r.error);
        for (const w of this.waiters.splice(0)) w();
        throw new TargetUnavailable(this.fatal);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/** The largest message a server takes, from its APPENDLIMIT capability (RFC 7889); null when it names none. */
export function appendLimitOf(capabilities: ReadonlySet<string>): number | null {
  const limit = [...capabilities].find((c) => c.startsWith('APPENDLIMIT='));
  return limit ? Number(limit.slice('APPENDLIMIT='.length)) : null;
}
