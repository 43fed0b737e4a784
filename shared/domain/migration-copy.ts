/**
 * One mailbox pair copied now (the `migration.copyMailbox` call and `mailroom migrate`): its options, progress and
 * report; plans and batches are in migration.ts.
 */
import type { AppError } from '../errors/result.ts';
import type { MigrationFolderReport, MigrationMailboxReport, MigrationPresetName } from './migration.ts';

/** One side of migration.copyMailbox: a URL with its secret (used for this run, not kept), or a saved IMAP connection (password from the keychain). */
export type CopyMailboxSide =
  | { readonly url: string; readonly secret: string; readonly auth?: 'password' | 'xoauth2'; readonly pin?: string }
  | { readonly connectionId: string; readonly pin?: string };

/** How migration.copyMailbox copies: the options of `mailroom migrate`. */
export interface CopyMailboxOptions {
  /** Upload connections to the target (default 4). */
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  /** Compare message by message at the end, by key and by content (default true). */
  readonly verify?: boolean;
  /** Copy nothing: verify an earlier run's copies again, every one by content. */
  readonly verifyOnly?: boolean;
  /** Copy other users' and shared folders too (default: the personal namespace only, RFC 2342). */
  readonly includeShared?: boolean;
  /** Folder renames, source path to target path. */
  readonly rules?: readonly { readonly from: string; readonly to: string }[];
  /** Regular expressions over source folder paths. */
  readonly include?: string;
  readonly exclude?: string;
  /** The target's provider: its folder layout and message size limit. */
  readonly targetPreset?: MigrationPresetName;
  /** The source's provider, when it has one: a fleet charges its daily download volume per user. */
  readonly sourcePreset?: MigrationPresetName;
  /** Largest message the target takes, when known better than the preset (APPENDLIMIT still wins). */
  readonly maxMessageBytes?: number;
  /** Gmail source: each message once with its labels as folders (default) or keywords; or once per label folder. */
  readonly gmailLabels?: 'folders' | 'keywords' | 'per-label';
  /** Expunge on the target the copies of messages expunged on the source since the last pass (default false). */
  readonly syncDeletions?: boolean;
}

/** How a run looked at one source folder: the CONDSTORE/QRESYNC delta (RFC 7162), the UID scan, or nothing to do. */
export interface MigrationFolderPass {
  readonly sourcePath: string;
  /** 'delta': changes since the last pass's HIGHESTMODSEQ; 'uid-scan': new UIDs only (flags and expunges not followed); 'unchanged': STATUS showed nothing new. */
  readonly path: 'delta' | 'uid-scan' | 'unchanged';
  /** Why the UID scan was taken ("the source offers no QRESYNC", "UIDVALIDITY changed", …); null otherwise. */
  readonly reason: string | null;
  /** Target copies whose flags or keywords were set to the source's. */
  readonly flagsUpdated: number;
  /** Copied messages the source expunged since the last pass. */
  readonly vanished: number;
  /** Of those, copies expunged on the target (only with syncDeletions). */
  readonly expunged: number;
  /** Changes not applied because no target UID is known for the copy (found there by key, not appended by this job). */
  readonly unmatched: number;
}

/** Input of migration.copyMailbox: one mailbox pair copied now, its state kept under the pair's job id. */
export interface CopyMailboxInput extends CopyMailboxOptions {
  readonly source: CopyMailboxSide;
  readonly target: CopyMailboxSide;
  /** Extra trusted CA certificates (PEM). */
  readonly ca?: string;
}

/** The totals every run ends with, the engine's and the copy call's alike. `complete` only when every source message is on the target. */
export interface MigrationRunTotals {
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly pending: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly complete: boolean;
  readonly dryRun: boolean;
  readonly error: AppError | null;
}

/** The outcome of migration.copyMailbox. `complete` only when every source message is on the target. */
export interface CopyMailboxReport extends MigrationRunTotals {
  /** The pair's job: the same id for a console batch of the same two mailboxes, so they share their write-ahead state. */
  readonly jobId: string;
  /** `user@host:port` of each side. */
  readonly source: string;
  readonly target: string;
  readonly folders: readonly MigrationFolderReport[];
  readonly skippedFolders: readonly { readonly sourcePath: string; readonly reason: string }[];
  readonly failures: MigrationMailboxReport['failures'];
  readonly warnings: readonly string[];
  readonly reconnects: number;
  /** True when the run only confirmed that nothing changed since the last complete run. */
  readonly quiet: boolean;
  /** Per folder worked on: which path the run took and what a delta changed (absent on a quiet run). */
  readonly passes?: readonly MigrationFolderPass[];
  /** Verification by content: copies that matched, differed (reported as failures) or could not be compared; null when not run. */
  readonly content?: MigrationContentCheck | null;
}

/** The outcome of verification by content (a server digest, or the target's copies streamed back). */
export interface MigrationContentCheck {
  readonly checked: number;
  readonly differed: number;
  readonly unchecked: number;
  readonly method: 'digest' | 'reread' | null;
}

/** Payload of the `migration.copyProgress` event: totals of one migration.copyMailbox run so far. */
export interface CopyMailboxProgress {
  readonly jobId: string;
  /** 'checking': copies being compared by content (checked of checkTotal); 'verifying': the per-folder report. */
  readonly phase: 'listing' | 'copying' | 'checking' | 'verifying' | 'done';
  /** Copies compared by content so far, while checking. */
  readonly checked?: number;
  readonly checkTotal?: number;
  readonly folder: string | null;
  readonly foldersDone: number;
  readonly foldersTotal: number;
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly bytes: number;
  readonly total: number;
  readonly elapsedMs: number;
}
