import { createHash } from 'node:crypto';

/** What identifies a message across servers without trusting UIDs. */
export interface KeyInput {
  /** X-GM-MSGID when the source is Gmail (stable across label folders). */
  readonly gmailId?: string | null;
  /** Raw Message-ID header value, possibly empty or "<>". */
  readonly messageId: string | null;
  readonly internalDate: Date | null;
  readonly size: number;
  /** The header section, used only when there is no usable Message-ID. */
  readonly header?: Buffer | null;
}

/** Extracts the Message-ID value from a `HEADER.FIELDS (MESSAGE-ID)` block; null when absent or empty. */
export function parseMessageIdHeader(block: Buffer | string | undefined | null): string | null {
  if (!block) return null;
  const text = (typeof block === 'string' ? block : block.toString('latin1')).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:[ \t]*(.*)$/im.exec(text);
  const value = m?.[1]?.trim() ?? '';
  return usableMessageId(value) ? value : null;
}

/** False for Message-IDs that identify nothing: empty, "<>", or without an "@"-less id part. */
export function usableMessageId(value: string | null | undefined): value is string {
  if (!value) return false;
  const inner = value.replace(/^<|>$/g, '').trim();
  return inner.length > 0;
}

/**
 * The dedupe/reconciliation key. Gmail: X-GM-MSGID. Else Message-ID + internal date (seconds) +
 * size; without a Message-ID, a SHA-256 of the header section + size + date, so messages with an
 * empty or "<>" Message-ID (drafts, some Sent items, spam) are neither skipped nor merged.
 */
export function messageKey(input: KeyInput): string {
  if (input.gmailId) return `gm:${input.gmailId}`;
  const date = input.internalDate ? Math.floor(input.internalDate.getTime() / 1000) : 0;
  if (usableMessageId(input.messageId)) return `mid:${input.messageId.trim()}|${date}|${input.size}`;
  if (!input.header) throw new Error('messageKey needs the header section when there is no Message-ID');
  return `hdr:${createHash('sha256').update(input.header).digest('base64url').slice(0, 32)}|${date}|${input.size}`;
}

/** True when a key needs the full header section to be computed. */
export function needsHeader(messageId: string | null): boolean {
  return !usableMessageId(messageId);
}

/** A multiset of keys: how many copies of each message a folder holds. */
export class KeyCounts {
  private readonly counts = new Map<string, number>();

  /** Adds one occurrence. */
  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  /** Takes one occurrence if any is left; true when it did. */
  take(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n <= 0) return false;
    this.counts.set(key, n - 1);
    return true;
  }

  /** Remaining occurrences of a key. */
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Total remaining occurrences. */
  get size(): number {
    let total = 0;
    for (const n of this.counts.values()) total += Math.max(0, n);
    return total;
  }
}
