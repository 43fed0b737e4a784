/**
 * Migration plans, batches and reports as the console sees them (the `migration` IPC area).
 * Endpoints are `imaps://USER@HOST:PORT` (implicit TLS), `imap://…` (STARTTLS) or `imap+plain://…`
 * (loopback testing). Passwords go in (to the keychain, or for one run) and never come back out.
 */
import type { AppError } from '../errors/result.ts';
import type { DavCopyReport } from './dav.ts';
import type { FleetTarget } from './fleet.ts';

/** Provider presets the planner and executor know. */
export type MigrationPresetName = 'gmail' | 'microsoft' | 'exchange' | 'dovecot';

/** One folder of a mailbox inventory. */
export interface MigrationFolderInventory {
  readonly path: string;
  readonly messages: number;
  readonly bytes: number;
  readonly largest: number;
  readonly oversize: readonly number[];
  readonly keywords: readonly string[];
  readonly labelCopies: number;
  readonly labelCopyBytes: number;
  /** Its namespace (RFC 2342): this user's own folders, another user's, or a shared one; absent (older plans): personal. */
  readonly namespace?: MigrationNamespaceKind;
  /** Another user's or a shared folder the account sees but may not read: the server's refusal; its messages are unknown. */
  readonly refused?: string;
}

/** The namespace a source folder is in: copied only when personal, unless the plan includes shared folders. */
export type MigrationNamespaceKind = 'personal' | 'other' | 'shared';

/** What an inventory's other users' and shared folders hold, apart from the personal figures. */
export interface MigrationSharedFigures {
  readonly folders: number;
  readonly messages: number;
  readonly bytes: number;
  /** True when the plan includes shared folders: the estimate's figures then count them too. */
  readonly counted: boolean;
}

/** Planner output for one mailbox pair. */
export interface MigrationEstimate {
  readonly messages: number;
  readonly bytes: number;
  readonly uploadMessages: number;
  readonly uploadBytes: number;
  readonly labelOverheadBytes: number;
  readonly oversize: number;
  readonly seconds: number;
  readonly limitedBy: string;
  readonly warnings: readonly string[];
  /** Other users' and shared folders (absent in older plans, and where the source has none). */
  readonly shared?: MigrationSharedFigures;
}

/** One mailbox pair of a plan. */
export interface MigrationPlanRow {
  /** Position in the plan, stable: batches and reports refer to it. */
  readonly seq: number;
  readonly source: string;
  readonly target: string;
  /** Connection whose host, TLS settings and (when the user matches) password the side uses. */
  readonly sourceConnectionId: string | null;
  readonly targetConnectionId: string | null;
  /** True when a password for the side is in the keychain (from the CSV or the connection). */
  readonly hasSourceSecret: boolean;
  readonly hasTargetSecret: boolean;
  /** Null until an inventory was taken (offline plans, or the source was unreachable). */
  readonly inventory: readonly MigrationFolderInventory[] | null;
  readonly estimate: MigrationEstimate | null;
  readonly warnings: readonly string[];
  /** The pair's DAV sides: CalDAV/CardDAV base URLs (`https://[USER@]HOST/`) or `google:CONNECTION/user` / `m365:CONNECTION/user`; null or absent: mail only. */
  readonly sourceDav?: string | null;
  readonly targetDav?: string | null;
  /** The source account's calendars and address books as the planner found them; null until discovered. */
  readonly dav?: MigrationDavInventory | null;
}

/** One calendar or address book of a plan row's source, with its item count. */
export interface MigrationDavCollection {
  readonly kind: 'calendar' | 'addressbook';
  readonly displayName: string;
  readonly url: string;
  readonly items: number;
  /** The items' iCalendar/vCard text in bytes, as the source serves it (older plans: absent). */
  readonly bytes?: number;
}

/** What DAV discovery found for a plan row: its collections, or why it could not look. */
export interface MigrationDavInventory {
  readonly collections: readonly MigrationDavCollection[];
  /** Null when discovery worked; else the reason (the mail part of the row is planned regardless). */
  readonly error: string | null;
}

/** One step of the DNS cut-over timeline. */
export interface MigrationCutoverStep {
  readonly at: string;
  readonly step: string;
}

/** A plan as listed. */
export interface MigrationPlanSummary {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly targetPreset: MigrationPresetName;
  readonly sourcePreset: MigrationPresetName | null;
  readonly mailboxes: number;
  readonly messages: number;
  readonly bytes: number;
  readonly batchSeconds: number;
  readonly parallel: number;
  readonly warnings: number;
}

/** Gmail source: each message once with labels as folders ('once'), or as keywords; or once per label folder. */
export type GmailLabelsChoice = 'once' | 'keywords' | 'per-label';

/** A whole plan: summary, rows and the cut-over timeline. */
export interface MigrationPlan extends MigrationPlanSummary {
  readonly timeline: readonly MigrationCutoverStep[];
  /** Gmail labels: each message once with labels as folders (default) or keywords, or once per label folder. */
  readonly gmailLabels: GmailLabelsChoice;
  /** Copy other users' and shared folders too (default false: the personal namespace only). */
  readonly includeShared?: boolean;
  readonly rows: readonly MigrationPlanRow[];
}

/** Input of migration.createPlanFromCsv. CSV columns: `source,target[,source_password,target_password,source_dav,target_dav,include_shared]`. */
export interface NewPlanFromCsv {
  readonly name?: string;
  /** With a connection, `source` may be just the user (`alice@example.com`); host and TLS come from it. */
  readonly csv: string;
  readonly sourceConnectionId?: string;
  readonly targetConnectionId?: string;
  readonly preset: MigrationPresetName;
  readonly sourcePreset?: MigrationPresetName;
  readonly parallel?: number;
  /** Take the inventory now (network); false stores the plan without estimates (offline). Default true. */
  readonly inventory?: boolean;
  /** ISO date of the first pass, for the cut-over timeline (default: in two days). */
  readonly start?: string;
  /** Copy other users' and shared folders too (default: the CSV's include_shared column, else false). */
  readonly includeShared?: boolean;
}

/** Input of migration.createPlanFromConnections: pairs of users on two IMAP connections. */
export interface NewPlanFromConnections {
  readonly name?: string;
  readonly sourceConnectionId: string;
  readonly targetConnectionId: string;
  /** Users to pair; omitted: the one pair of the connections' own users. */
  readonly pairs?: readonly { readonly source: string; readonly target: string }[];
  readonly preset: MigrationPresetName;
  readonly sourcePreset?: MigrationPresetName;
  readonly parallel?: number;
  readonly inventory?: boolean;
  readonly start?: string;
  /** Copy other users' and shared folders too, and count them in the estimates (default false). */
  readonly includeShared?: boolean;
}

/** Input of migration.updatePlan. Rows replace the plan's rows when given (seq is renumbered). */
export interface MigrationPlanPatch {
  readonly name?: string;
  readonly targetPreset?: MigrationPresetName;
  readonly parallel?: number;
  readonly gmailLabels?: GmailLabelsChoice;
  readonly includeShared?: boolean;
  readonly start?: string;
  /** Rows to keep, by seq, in the new order; rows not listed are removed. */
  readonly keepRows?: readonly number[];
  readonly addRows?: readonly { readonly source: string; readonly target: string; readonly sourcePassword?: string; readonly targetPassword?: string }[];
}

/** Status of a batch. `interrupted`: it was running when the app stopped; resume continues it. */
export type MigrationBatchStatus = 'running' | 'pausing' | 'paused' | 'interrupted' | 'cancelled' | 'done' | 'failed';

/** Status of one mailbox pair within a batch. */
export type MigrationPairStatus = 'queued' | 'running' | 'paused' | 'done' | 'incomplete' | 'failed' | 'cancelled';

/** Input of migration.startBatch. */
export interface StartBatchOptions {
  /** Mailboxes migrated at the same time (default: the plan's parallel). */
  readonly concurrency?: number;
  /** Upload connections per mailbox (default 4, capped by the preset). */
  readonly connectionsPerMailbox?: number;
  readonly dryRun?: boolean;
  /** Deep verification (message by message) at the end of each mailbox; default true. */
  readonly verify?: boolean;
  /** Only these plan rows (by seq); default every row. */
  readonly rows?: readonly number[];
  /** Run on the fleet at this Redis instead of this machine (the recipient and Redis password from the fleet settings). */
  readonly fleet?: FleetTarget;
}

/** Counters of a mailbox pair or a whole batch. */
export interface MigrationCounters {
  readonly total: number;
  readonly copied: number;
  readonly skipped: number;
  readonly failed: number;
  readonly bytes: number;
  /** Rolling rates over the last few seconds. */
  readonly messagesPerSecond: number;
  readonly bytesPerSecond: number;
  /** Seconds left at the current rate; null when unknown. */
  readonly etaSeconds: number | null;
}

/** One mailbox pair of a batch. */
export interface MigrationBatchPair extends MigrationCounters {
  readonly seq: number;
  readonly source: string;
  readonly target: string;
  readonly status: MigrationPairStatus;
  readonly folder: string | null;
  readonly foldersDone: number;
  readonly foldersTotal: number;
  readonly passes: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Verification at the end of the last pass: folders with missing or extra messages. */
  readonly verified: { readonly clean: boolean; readonly missing: number; readonly extra: number } | null;
  /** Fleet batches: the pair's lane (BullMQ queue) and the worker (host:pid) that ran it last. */
  readonly lane?: string;
  readonly worker?: string | null;
}

/** A batch as listed. */
export interface MigrationBatchSummary extends MigrationCounters {
  readonly id: string;
  readonly planId: string;
  readonly planName: string;
  readonly status: MigrationBatchStatus;
  readonly dryRun: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly pairsTotal: number;
  readonly pairsDone: number;
  readonly pairsFailed: number;
}

/** A batch with its mailbox pairs. */
export interface MigrationBatch extends MigrationBatchSummary {
  readonly options: StartBatchOptions;
  readonly pairs: readonly MigrationBatchPair[];
}

/** Verification of one folder of a mailbox. */
export interface MigrationFolderReport {
  readonly sourcePath: string;
  readonly targetPath: string;
  readonly sourceCount: number;
  readonly targetCount: number;
  readonly copied: number;
  readonly failed: number;
  /** Source messages not on the target (failed ones included). */
  readonly missing: number;
  /** Target messages that no source message of the job accounts for (e.g. mail that was there before). */
  readonly extra: number;
  /** True when missing/extra come from comparing message keys, not just counts. */
  readonly deep: boolean;
}

/** The verification report of one mailbox pair. */
export interface MigrationMailboxReport {
  readonly batchId: string;
  readonly seq: number;
  readonly source: string;
  readonly target: string;
  readonly verifiedAt: string | null;
  readonly clean: boolean;
  readonly folders: readonly MigrationFolderReport[];
  readonly failures: readonly { readonly sourcePath: string; readonly uid: number; readonly size: number; readonly errorCode: string; readonly errorMessage: string }[];
  readonly warnings: readonly string[];
  /** The calendar and contact copy after the mail, when the pair has DAV URLs on both sides. */
  readonly dav?: DavCopyReport | null;
}

/** Payload of the `migration.progress` event, at most ~4 a second per batch. */
export interface MigrationProgress {
  readonly batch: MigrationBatchSummary;
  /** Pairs that changed since the previous event. */
  readonly pairs: readonly MigrationBatchPair[];
}

/** Input of migration.createPlanFromUrls: each source's password serves its inventory and is not kept. */
export interface NewPlanFromUrls {
  /** Planning again under the same name replaces that plan. */
  readonly name?: string;
  /** `sourceDav`/`targetDav`: CalDAV/CardDAV base URLs; discovery logs in with the source's password. */
  readonly pairs: readonly { readonly source: string; readonly target: string; readonly sourcePassword: string; readonly sourceDav?: string; readonly targetDav?: string }[];
  readonly preset: MigrationPresetName;
  readonly sourcePreset?: MigrationPresetName;
  readonly parallel?: number;
  /** ISO date of the first pass, for the cut-over timeline (default: in two days). */
  readonly start?: string;
  /** Extra trusted CA certificates (PEM) for the inventory. */
  readonly ca?: string;
  /** Copy other users' and shared folders too, and count them in the estimates (default false). */
  readonly includeShared?: boolean;
}

/** The outcome of migration.createPlanFromUrls: the saved plan, and the sources left out because their inventory failed. */
export interface PlanFromUrls {
  readonly plan: MigrationPlan;
  readonly failures: readonly { readonly source: string; readonly error: AppError }[];
}
