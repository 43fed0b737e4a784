import type { Client } from 'pg';

/**
 * PostgreSQL sessions a long-lived process (a fleet worker) keeps between its jobs: a job's state
 * opened through them reuses an idle session (its advisory lock released) instead of connecting
 * anew, and the shared tables are surveyed once per URL. A connection and that survey cost about
 * 60 and 100 ms on a loaded machine; a 20-message mailbox copies in a few hundred.
 */
export class PgSessions {
  private readonly idle = new Map<string, Client[]>();
  // An idle session the server drops (a restart) leaves the pool instead of failing the next job.
  private readonly onIdleError = new WeakMap<Client, () => void>();
  private readonly ensured = new Map<string, Promise<void>>();
  private closed = false;

  /** An idle session of `url`, or null (the caller connects a new one). */
  take(url: string): Client | null {
    const client = this.idle.get(url)?.pop() ?? null;
    const handler = client && this.onIdleError.get(client);
    if (client && handler) client.off('error', handler);
    return client;
  }

  /** Keeps a session whose job is closed (its advisory lock released) for the next job; ends it once closed. */
  give(url: string, client: Client): void {
    if (this.closed) {
      void client.end().catch(() => undefined);
      return;
    }
    const drop = (): void => {
      this.idle.set(url, (this.idle.get(url) ?? []).filter((c) => c !== client));
      void client.end().catch(() => undefined);
    };
    this.onIdleError.set(client, drop);
    client.on('error', drop);
    this.idle.set(url, [...(this.idle.get(url) ?? []), client]);
  }

  /** Runs `ensure` once per URL while it succeeds (a failure is tried again by the next job). */
  ensureOnce(url: string, ensure: () => Promise<void>): Promise<void> {
    let done = this.ensured.get(url);
    if (!done) {
      done = ensure();
      this.ensured.set(url, done);
      done.catch(() => this.ensured.delete(url));
    }
    return done;
  }

  /** Ends every idle session; sessions given back later are ended at once. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((c) => c.end().catch(() => undefined)));
  }
}
