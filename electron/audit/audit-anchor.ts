import type { CredentialVault } from '../platform/credential-vault.ts';

/** The newest journal entry as recorded outside the database: its sequence number and chain MAC. */
export interface Anchor {
  readonly seq: number;
  readonly mac: string;
}

/** Reads an anchor; null when none was ever written, 'unreadable' when the keychain holds something else. */
export async function readAnchor(vault: CredentialVault, account: string): Promise<Anchor | null | 'unreadable'> {
  const text = await vault.get(account);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Anchor;
    if (Number.isInteger(value.seq) && value.seq >= 0 && typeof value.mac === 'string' && /^[0-9a-f]{64}$/.test(value.mac)) {
      return { seq: value.seq, mac: value.mac };
    }
  } catch {
    // Falls through to 'unreadable'.
  }
  return 'unreadable';
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Keeps the keychain anchor up with the journal. A keychain write takes milliseconds while an append
 * takes a tenth of one, so writes run one at a time in the background and a write always carries the
 * newest entry asked for: a burst of appends costs one or two writes, and the anchor never goes back.
 */
export class AnchorWriter {
  private readonly vault: CredentialVault;
  private readonly account: string;
  private readonly onError: (error: unknown) => void;
  private target: Anchor | null = null;
  private written = -1;
  private draining = false;
  private waiters: Waiter[] = [];

  constructor(vault: CredentialVault, account: string, onError: (error: unknown) => void) {
    this.vault = vault;
    this.account = account;
    this.onError = onError;
  }

  /** Asks for `anchor` to be written; returns at once. */
  request(anchor: Anchor): void {
    if (this.target === null || anchor.seq > this.target.seq) this.target = anchor;
    if (!this.draining) {
      this.draining = true;
      void this.drain();
    }
  }

  /** Resolves once every anchor asked for so far is written; rejects with the keychain's error when a write failed. */
  flush(): Promise<void> {
    const seq = this.target?.seq ?? -1;
    if (seq <= this.written) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      if (!this.draining) this.request(this.target!);
    });
  }

  private async drain(): Promise<void> {
    let failure: unknown = null;
    while (this.target !== null && this.target.seq > this.written) {
      const next = this.target;
      try {
        await this.vault.set(this.account, JSON.stringify({ seq: next.seq, mac: next.mac }));
        this.written = Math.max(this.written, next.seq);
        this.settle(null);
      } catch (error) {
        failure = error;
        this.onError(error);
        break;
      }
    }
    // Set synchronously after the loop's last check, so a request arriving later starts a new drain.
    this.draining = false;
    if (failure !== null) this.settle(failure);
  }

  private settle(failure: unknown): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (w.seq <= this.written) w.resolve();
      else if (failure !== null) w.reject(failure);
      else this.waiters.push(w);
    }
  }
}
