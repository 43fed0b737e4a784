import type { IngestResult } from './reports.ts';

/** What happens to a report message once its reports are stored: moved to a folder, or marked with a keyword. */
export type AfterIngest = 'processed' | 'flag';

/** Keyword set on a message whose reports were stored, when `after` is 'flag'. */
export const STORED_KEYWORD = '$MailroomReportStored';
/** Keyword set on a message that could not be read; it stays in place and later runs skip it. */
export const ERROR_KEYWORD = '$MailroomReportError';
/** Folder stored report messages move to unless another is named. */
export const DEFAULT_PROCESSED_FOLDER = 'Processed reports';

/** A run over a saved connection's reports mailbox: IMAP, Google Workspace (Gmail API) or Microsoft 365 (Graph). */
export interface MailboxIngestRequest {
  /** Saved connection, by id or name. */
  readonly connection: string;
  /** Google and Microsoft 365: the mailbox receiving the reports (Google defaults to the connection's admin). */
  readonly mailbox?: string;
  /** Folder (IMAP, Graph: display name, a/b path or well-known name) or Gmail label to read; the inbox when not given. */
  readonly folder?: string;
  readonly after?: AfterIngest;
  /** Folder for stored messages when `after` is 'processed' (created if missing). */
  readonly processedFolder?: string;
  readonly keepRaw?: boolean;
  /** Names the run so `reports.cancelIngest` can stop it. */
  readonly runId?: string;
}

/** A message that could not be read: marked (IMAP keyword, Gmail label, Graph category) and left where it was. */
export interface UnreadableMessage {
  /** IMAP UID. */
  readonly uid?: number;
  /** Gmail or Graph message id. */
  readonly id?: string;
  readonly subject: string | null;
  readonly reason: string;
}

/** What one mailbox run did: the ingest totals, plus what happened to the messages. */
export interface MailboxIngestResult extends IngestResult {
  readonly connection: string;
  /** Google and Microsoft 365: the mailbox read. */
  readonly mailbox?: string;
  readonly folder: string;
  readonly after: AfterIngest;
  readonly processedFolder: string | null;
  /** New messages found (not yet stored and not marked unreadable). */
  readonly messages: number;
  /** Messages moved to the processed folder or marked stored. */
  readonly handled: number;
  readonly unreadable: readonly UnreadableMessage[];
}

/** Payload of the `reports.ingestProgress` event: messages done out of those found. */
export interface ReportsIngestProgress {
  readonly connection: string;
  readonly done: number;
  readonly total: number;
}
