import type { AppError } from '../errors/result.ts';

/** A CSV import: checked against the cache (dry run), or applied through the adapters. */
export interface ImportRequest {
  /** Columns: type (domain|mailbox|alias|group|forward, default mailbox), address, name|display_name,
   *  quota (a size, e.g. 2GB)|quota_mb, active (yes/no), password, targets|forward_to (a;b), keep_copy. A blank
   *  cell leaves the value as it is; `-` or `none` clears it (no name, unlimited quota, no forwarding). */
  readonly csv: string;
  /** The connection every row goes to; without it each row goes to the connection holding its domain. */
  readonly connectionId?: string;
  readonly dryRun: boolean;
}

/** What one CSV line would do. */
export type ImportStepKind = 'create' | 'update' | 'unchanged' | 'error';

/** Object types a CSV line can describe. */
export type ImportRowType = 'domain' | 'mailbox' | 'alias' | 'group' | 'forward';

/** One line of the dry-run diff. */
export interface ImportStep {
  /** The CSV line (the header is line 1). */
  readonly line: number;
  readonly kind: ImportStepKind;
  readonly type: ImportRowType;
  readonly address: string;
  readonly connectionId: string | null;
  /** What changes, in words ("quota 1 GB → 2 GB"); the error for kind 'error'. */
  readonly detail: string;
}

/** The outcome of one applied step; a generated password is shown once, here only. */
export interface ImportApplied {
  readonly line: number;
  readonly address: string;
  readonly ok: boolean;
  readonly error?: AppError;
  readonly generatedPassword?: string;
}

/** The diff and, when not a dry run, what applying it did. */
export interface ImportReport {
  readonly dryRun: boolean;
  readonly steps: readonly ImportStep[];
  readonly counts: Readonly<Record<ImportStepKind, number>>;
  readonly applied: readonly ImportApplied[];
}
