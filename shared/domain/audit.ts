/** One row of the append-only audit journal, chained with an HMAC whose key is in the OS keychain. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly operator: string;
  readonly action: string;
  readonly connectionId: string | null;
  readonly object: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly result: 'ok' | 'error';
  readonly errorCode: string | null;
  /** The link to the entry before it: HMAC-SHA-256 (plain SHA-256 for entries written before keying). */
  readonly hash: string;
}

/** A page of audit entries, newest first. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly total: number;
}

/** The kinds of damage `audit.verify` tells apart. */
export type AuditProblemKind =
  | 'invalid-seq'
  | 'missing'
  | 'edited'
  | 'moved'
  | 'replaced'
  | 'forged'
  | 'legacy-rewritten'
  | 'key-lost'
  | 'truncated'
  | 'emptied'
  | 'anchor-mismatch'
  | 'triggers'
  | 'checkpoint';

/** One kind of damage found in the journal; `seq` is the entry it concerns, null when none does. */
export interface AuditProblem {
  readonly kind: AuditProblemKind;
  readonly seq: number | null;
  readonly reason: string;
}

/** The outcome of checking the keyed chain, the keychain anchor, the guard triggers and optionally a checkpoint. */
export interface AuditVerification {
  readonly ok: boolean;
  /** Entries examined. */
  readonly checked: number;
  /** The first problem, the one to show when there is room for one only. */
  readonly firstProblem: AuditProblem | null;
  /** Every problem found (the first 50). */
  readonly problems: readonly AuditProblem[];
  /** The newest entry the keychain anchor vouches for; 0 when none. */
  readonly anchoredSeq: number;
  /** Sealed entries newer than the anchor: their removal could not be detected yet. */
  readonly unanchored: { readonly from: number; readonly to: number } | null;
  /** Entries up to this one were written before the journal was keyed and are checked under the old SHA-256 rule. */
  readonly legacyUpTo: number;
  /** The checkpoint checked against the journal, when one was given. */
  readonly checkpoint: { readonly seq: number; readonly at: string; readonly matched: boolean } | null;
}

/** A signed statement that the journal held `seq` entries ending in `mac` at `at`; written by `audit export`. */
export interface AuditCheckpoint {
  readonly format: 'mailroom-audit-checkpoint/1';
  readonly seq: number;
  /** The chain MAC (hex) of entry `seq`; 64 zeros for an empty journal. */
  readonly mac: string;
  readonly at: string;
  /** SHA-256 (hex) of the Ed25519 public key below, in SPKI DER form. */
  readonly keyFingerprint: string;
  /** The Ed25519 public key (SPKI DER, base64), so the signature can be checked without Mailroom. */
  readonly publicKey: string;
  /** Ed25519 signature (base64) over the format, seq, mac, at and keyFingerprint. */
  readonly signature: string;
}

/** Filter and paging for the audit journal. */
export interface AuditQuery {
  readonly limit?: number;
  readonly beforeSeq?: number;
  readonly action?: string;
  readonly connectionId?: string;
}
