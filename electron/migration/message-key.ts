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

// Every spelling of "message-id:" ends in one of these; each hit is checked for the rest of the name and a line start.
const ID_COLON = ['id:', 'iD:', 'Id:', 'ID:'].map((s) => Buffer.from(s, 'latin1'));
const NAME_HEAD = 'message-';
const FIELD_NAME_LENGTH = 'message-id:'.length;
const FOLD = /\r?\n[ \t]+/g;

/**
 * Extracts the Message-ID value from a `HEADER.FIELDS (MESSAGE-ID)` block (or a whole header section); null when absent or empty.
 * A string is read as latin1 bytes. The first line (after a CR or LF) that starts "message-id:" in any case is the field.
 */
export function parseMessageIdHeader(block: Buffer | string | undefined | null): string | null {
  if (!block) return null;
  const bytes = typeof block === 'string' ? Buffer.from(block, 'latin1') : block;
  // Keys computed from bodies parse every message's header: only the field's own logical line is decoded and unfolded.
  const start = messageIdFieldStart(bytes);
  if (start < 0) return null;
  const rest = bytes.toString('latin1', start + FIELD_NAME_LENGTH, logicalLineEnd(bytes, start + FIELD_NAME_LENGTH));
  const unfolded = rest.includes('\n') ? rest.replace(FOLD, ' ') : rest;
  // A lone CR ends the value, as it ended a line for the pattern this replaced.
  const cr = unfolded.indexOf('\r');
  const value = (cr < 0 ? unfolded : unfolded.slice(0, cr)).trim();
  return usableMessageId(value) ? value : null;
}

// Where the first "message-id:" at a line start (the block's start, or after CR or LF) begins; -1 when none.
function messageIdFieldStart(bytes: Buffer): number {
  let first = -1;
  // An index loop: for...of makes an iterator object per call, in a function run for every message.
  for (let n = 0; n < ID_COLON.length; n++) {
    const needle = ID_COLON[n]!;
    for (let at = bytes.indexOf(needle, NAME_HEAD.length); at >= 0 && (first < 0 || at < first); at = bytes.indexOf(needle, at + 1)) {
      if (startsFieldName(bytes, at - NAME_HEAD.length)) {
        first = at - NAME_HEAD.length;
        break;
      }
    }
  }
  return first;
}

// True when "message-" (any case) starts a line at `start`.
function startsFieldName(bytes: Buffer, start: number): boolean {
  if (start > 0 && bytes[start - 1] !== 10 && bytes[start - 1] !== 13) return false;
  for (let i = 0; i < NAME_HEAD.length; i++) {
    const want = NAME_HEAD.charCodeAt(i);
    const got = bytes[start + i]!;
    // Only letters fold case: CR | 0x20 is "-".
    if (want === 0x2d ? got !== want : (got | 0x20) !== want) return false;
  }
  return true;
}

// The end of the logical line going on at `from`: its first LF not followed by folding white space (before that LF's CR).
function logicalLineEnd(bytes: Buffer, from: number): number {
  for (let lf = bytes.indexOf(10, from); lf >= 0; lf = bytes.indexOf(10, lf + 1)) {
    const next = bytes[lf + 1];
    if (next !== 32 && next !== 9) return bytes[lf - 1] === 13 ? lf - 1 : lf;
  }
  return bytes.length;
}

/** False for Message-IDs that identify nothing: empty, "<>", or without an "@"-less id part. */
export function usableMessageId(value: string | null | undefined): value is string {
  if (!value) return false;
  const inner = value.replace(/^<|>$/g, '').trim();
  return inner.length > 0;
}

/**
 * The identity key as the metadata fetch computes it, from a fetched body: Message-ID from the
 * header section, else the header section's hash (BODY[HEADER] ends with the blank line). Null
 * when the message has no header/body separator: its key then comes from the server.
 */
export function keyFromBody(content: Buffer, internalDate: number | null, size: number): string | null {
  const end = content.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const header = content.subarray(0, end + 4);
  return messageKey({ messageId: parseMessageIdHeader(header), internalDate: internalDate === null ? null : new Date(internalDate), size, header });
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

/** Placeholder key of a row whose identity is computed from its body just before it is uploaded. */
export function provisionalKey(uid: number): string {
  return `new:${uid}`;
}

/** True for a placeholder key (see provisionalKey). */
export function isProvisionalKey(key: string): boolean {
  return key.startsWith('new:');
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

/** Splits a key into its identity (Message-ID or header hash), date and size; Gmail keys have neither. */
export function keyParts(key: string): { readonly identity: string; readonly date: string | null; readonly size: string | null } {
  if (key.startsWith('gm:')) return { identity: key, date: null, size: null };
  const last = key.lastIndexOf('|');
  const mid = last > 0 ? key.lastIndexOf('|', last - 1) : -1;
  if (mid < 0) return { identity: key, date: null, size: null };
  return { identity: key.slice(0, mid), date: key.slice(mid + 1, last), size: key.slice(last + 1) };
}

/**
 * The messages of one folder, matched by key with the tolerance servers force on us: a target
 * may store a message with a different size (Dovecot drops the lone CR of "\r\r\n" on APPEND) or
 * a different internal date (dates in the future reset to "now"). Exact keys are matched first,
 * over the whole list, so a loose match never takes the copy that belongs to another message;
 * then the same identity with the same date, then with the same size, then the identity alone.
 */
export class KeyMatcher {
  private readonly exact = new KeyCounts();
  private readonly byIdentity = new Map<string, Map<string, number>>();

  constructor(keys: Iterable<string> = []) {
    for (const k of keys) this.add(k);
  }

  /** Adds one message with this key. */
  add(key: string): void {
    this.exact.add(key);
    const { identity } = keyParts(key);
    const m = this.byIdentity.get(identity) ?? new Map<string, number>();
    m.set(key, (m.get(key) ?? 0) + 1);
    this.byIdentity.set(identity, m);
  }

  /** Matches `wanted` keys (one message each) in two passes; returns per key whether a message was taken. */
  claim(wanted: readonly string[]): boolean[] {
    const out = wanted.map((k) => this.takeKey(k));
    for (let i = 0; i < wanted.length; i++) if (!out[i]) out[i] = this.takeLoose(wanted[i]!);
    return out;
  }

  /** Messages left unclaimed. */
  get size(): number {
    return this.exact.size;
  }

  private takeKey(key: string): boolean {
    if (!this.exact.take(key)) return false;
    const m = this.byIdentity.get(keyParts(key).identity)!;
    m.set(key, m.get(key)! - 1);
    return true;
  }

  private takeLoose(key: string): boolean {
    const want = keyParts(key);
    if (want.date === null) return false;
    const candidates = [...(this.byIdentity.get(want.identity) ?? new Map<string, number>())].filter(([, n]) => n > 0).map(([k]) => k);
    if (candidates.length === 0) return false;
    const parts = candidates.map((k) => ({ k, p: keyParts(k) }));
    const pick = parts.find((c) => c.p.date === want.date) ?? parts.find((c) => c.p.size === want.size) ?? parts[0]!;
    return this.takeKey(pick.k);
  }
}
