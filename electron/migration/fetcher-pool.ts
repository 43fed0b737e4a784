import type { AppError, Result } from '../../shared/errors/result.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import type { ConnectionCap } from './connection-cap.ts';
import type { EarlySessions } from './early-sessions.ts';
import { FetchConnection } from './fetch-connection.ts';
import { Fatal, onSide } from './run-clients.ts';

/**
 * A run's raw connections (fetch-connection.ts): source connections that stream metadata and
 * bodies, each lent to one folder pass at a time, one target connection for pipelined
 * bookkeeping (CREATE, SELECT of the tree, verification UID lists), opened on first use, and
 * target connections lent to the content check (content-verify.ts), one folder at a time each.
 * Each side's connections stay within that side's cap (connection-cap.ts): a source borrow waits for
 * one given back when there is no room for another, a target borrow gets none, and one given back
 * while the run holds more than its share of an account other runs share is closed.
 */
export class FetcherPool {
  private readonly source: ImapEndpoint;
  private readonly target: ImapEndpoint;
  private readonly idle: FetchConnection[] = [];
  private readonly idleTargets: FetchConnection[] = [];
  private readonly all: FetchConnection[] = [];
  private targetConn: Promise<FetchConnection | null> | null = null;
  private targetRefusal: AppError | null = null;
  private readonly caps: { readonly source: ConnectionCap; readonly target: ConnectionCap };
  // Borrows waiting for a source connection to be given back (the source is at its cap).
  private readonly waiting: (() => void)[] = [];
  private closed = false;
  // Sessions started before the run (early-sessions.ts), each taken by its first use instead of a new login.
  private early: { source?: EarlySessions['source']; target?: EarlySessions['target'] };

  constructor(source: ImapEndpoint, target: ImapEndpoint, early: EarlySessions | undefined, caps: { readonly source: ConnectionCap; readonly target: ConnectionCap }) {
    this.source = source;
    this.target = target;
    this.caps = caps;
    // Counted from the start: they hold a login of the account's whether the run takes them or not.
    this.early = early ? { source: caps.source.track(early.source), target: caps.target.track(early.target) } : {};
  }

  /**
   * The raw source login, kept as the first body-stream connection. A refused login or certificate
   * is final (Fatal), and imapflow's login waits for this one, so a wrong password is tried once;
   * a retryable failure gives null.
   */
  async openFirst(): Promise<FetchConnection | null> {
    const started = this.early.source;
    delete this.early.source;
    const opened = await (started ?? this.caps.source.open(() => FetchConnection.open(this.source), true).then((r) => r!));
    if (!opened.ok) {
      if (!opened.error.retryable) throw new Fatal(onSide('source', opened.error));
      return null;
    }
    if (this.closed) return (void opened.value.close(), null);
    this.all.push(opened.value);
    this.idle.push(opened.value);
    return opened.value;
  }

  /** A source connection for one pass: an idle one, else a new one, else (at the cap) the next one given back. Give it back when done. */
  readonly borrow = async (): Promise<FetchConnection> => {
    const since = performance.now();
    for (;;) {
      if (this.closed) throw stopped();
      const f = await this.tryBorrow();
      if (f) return f;
      // With none of the pool's own connections alive, only another client's logout can make room: not waited for forever.
      if (!this.all.some((c) => c.alive) && performance.now() - since > ORPHAN_WAIT_MS) throw noneFree();
      // Also looked at again after a while: a connection that dropped while idle makes room unannounced,
      // and the account's other clients may log out.
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, 500).unref();
      });
    }
  };

  /** A new source connection for the caller to keep (the QRESYNC reader's), only while the source has room; null otherwise. Closed with the pool. */
  readonly spare = async (): Promise<FetchConnection | null> => {
    const opened = await this.caps.source.open(() => FetchConnection.open(this.source));
    if (!opened?.ok) return null;
    return this.closed ? (void opened.value.close(), null) : this.adopt(opened.value);
  };

  /** Takes a borrowed connection back; one that dropped is not lent again (but makes room for a new one). */
  readonly giveBack = (f: FetchConnection): void => {
    // Over its share of an account other runs share: the place goes back to the account.
    if (f.alive && this.caps.source.over) void f.close();
    else if (f.alive) this.idle.push(f);
    // Every waiter looks (one woken by its timer may still be listed): those that find none wait again.
    for (const w of this.waiting.splice(0)) w();
  };

  // An idle connection, else a new one while the source has room; null at the cap.
  private async tryBorrow(): Promise<FetchConnection | null> {
    for (let f = this.idle.pop(); f; f = this.idle.pop()) if (f.alive) return f;
    const opened = await this.caps.source.open(() => FetchConnection.open(this.source));
    if (!opened) return null;
    if (!opened.ok) throw !opened.error.retryable ? new Fatal(onSide('source', opened.error)) : Object.assign(new Error(opened.error.message), { code: 'ECONNRESET' });
    return this.adopt(opened.value);
  }

  // A connection that opened after the run closed the pool is closed at once: it would keep the process alive.
  private adopt(f: FetchConnection): FetchConnection {
    if (this.closed) {
      void f.close();
      throw stopped();
    }
    this.all.push(f);
    return f;
  }

  /**
   * Has up to `n` source connections ready at once, one per worker, as many as the source's cap
   * leaves room for; a server's connection limit may refuse some, and the run goes on with those
   * that opened. Never rejects: it tells how many did not open (`refused`: failed, not over a limit),
   * and the final refusal (login, certificate) among them for the caller to end the run with.
   */
  async warm(n: number): Promise<{ ready: number; refused: number; fatal: Fatal | undefined }> {
    const opened = await Promise.allSettled(Array.from({ length: n }, () => this.tryBorrow()));
    const ready = opened.filter((f) => f.status === 'fulfilled' && f.value).map((f) => (f as PromiseFulfilledResult<FetchConnection>).value);
    for (const f of ready) this.giveBack(f);
    const refused = opened.filter((f) => f.status === 'rejected').map((f) => (f as PromiseRejectedResult).reason as unknown);
    return { ready: ready.length, refused: refused.length, fatal: refused.find((e): e is Fatal => e instanceof Fatal) };
  }

  /** The raw target connection, opened on first use; null when it cannot be opened or has dropped. */
  readonly targetRaw = (): Promise<FetchConnection | null> => {
    const started = this.early.target;
    delete this.early.target;
    this.targetConn ??= (started ?? this.caps.target.open(() => FetchConnection.open(this.target), true).then((r) => r!)).then((r) => {
      if (!r.ok) {
        this.targetRefusal = onSide('target', r.error);
        return null;
      }
      return this.closed ? (void r.value.close(), null) : this.adopt(r.value);
    });
    return this.targetConn.then((c) => (c?.alive ? c : null));
  };

  /**
   * A raw target connection of its own (verification by content checks folders on these while the
   * copy goes on, and several at once at the end): an idle one, else a new one; null when it cannot be opened.
   */
  readonly borrowTarget = async (): Promise<FetchConnection | null> => {
    for (let t = this.idleTargets.pop(); t; t = this.idleTargets.pop()) if (t.alive) return t;
    const opened = await this.caps.target.open(() => FetchConnection.open(this.target));
    if (!opened?.ok) return null;
    return this.closed ? (void opened.value.close(), null) : this.adopt(opened.value);
  };

  /** Takes a borrowed target connection back; one that dropped is not lent again. */
  readonly giveBackTarget = (t: FetchConnection): void => {
    if (t.alive && this.caps.target.over) void t.close();
    else if (t.alive) this.idleTargets.push(t);
  };

  /** Throws when the target refused the raw login for good: it is reported, not tried again through imapflow. */
  assertTargetUsable(): void {
    if (this.targetRefusal && !this.targetRefusal.retryable) throw new Fatal(this.targetRefusal);
  }

  /** Drops every connection the pool opened at once (pause, cancel): what waits on one fails. */
  destroy(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w();
    for (const f of this.all) f.destroy();
    for (const p of this.untaken()) void p.then((r) => r.ok && r.value.destroy(), () => undefined);
  }

  /** Closes every connection the pool opened, and early sessions the run never took (a dry run). */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w();
    await Promise.all([...this.all.map((f) => f.close()), ...this.untaken().map((p) => p.then((r) => (r.ok ? r.value.close() : undefined), () => undefined))]);
  }

  private untaken(): Promise<Result<FetchConnection>>[] {
    const left = [this.early.source, this.early.target].filter((p) => p !== undefined);
    this.early = {};
    return left;
  }
}

// How long a borrow waits at the cap when the pool holds no live connection (only sessions outside it hold the slots).
const ORPHAN_WAIT_MS = 30_000;

function noneFree(): Error {
  const waited = 'a free source connection (every slot the server allows is held by sessions outside the copy)';
  return Object.assign(new Error(`no source connection became free in ${ORPHAN_WAIT_MS / 1000} s: the server's connection limit is taken`), { code: 'ETIMEDOUT', stalled: waited });
}

function stopped(): Error {
  return Object.assign(new Error('the run closed its connections'), { code: 'ECONNRESET' });
}
