/** One row of the append-only, hash-chained audit journal. */
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
  readonly hash: string;
}

/** A page of audit entries, newest first. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly total: number;
}

/** The outcome of re-computing the audit hash chain. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly checked: number;
  /** The first sequence number where the chain breaks, with the reason. */
  readonly firstProblem: { readonly seq: number; readonly reason: string } | null;
}

/** Filter and paging for the audit journal. */
export interface AuditQuery {
  readonly limit?: number;
  readonly beforeSeq?: number;
  readonly action?: string;
  readonly connectionId?: string;
}
