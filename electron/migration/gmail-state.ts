import type { Db } from '../db/database.ts';

/** One place a Gmail message goes (migration_gmail_copies). */
export interface GmailCopyRow {
  readonly msgid: string;
  readonly targetPath: string;
  readonly step: 'append' | 'labels';
  readonly state: 'pending' | 'appending' | 'done' | 'failed';
  readonly key: string | null;
  readonly targetUid: number | null;
  /** "code: message" of a failed row. */
  readonly error: string | null;
}

/** Write-ahead state of a Gmail source, by X-GM-MSGID: each message is uploaded once per place, whatever the re-runs and kills. */
export class GmailState {
  private readonly db: Db;
  private readonly jobId: string;

  constructor(db: Db, jobId: string) {
    this.db = db;
    this.jobId = jobId;
  }

  /** Adds places not yet recorded as pending; existing rows keep their state. */
  plan(rows: readonly { msgid: string; targetPath: string; step: 'append' | 'labels' }[]): void {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO migration_gmail_copies (job_id, gm_msgid, target_path, step, state) VALUES (?, ?, ?, ?, 'pending')`);
    this.db.transaction(() => {
      for (const r of rows) insert.run(this.jobId, r.msgid, r.targetPath, r.step);
    })();
  }

  /** Every row of the job. */
  rows(): GmailCopyRow[] {
    return this.db
      .prepare(`SELECT gm_msgid AS msgid, target_path AS targetPath, step, state, msg_key AS key, target_uid AS targetUid, error FROM migration_gmail_copies WHERE job_id = ?`)
      .all(this.jobId) as GmailCopyRow[];
  }

  /** Moves a row to a state (with the key before an APPEND, the target UID after). */
  set(msgid: string, targetPath: string, state: GmailCopyRow['state'], extra: { key?: string; targetUid?: number | null; error?: string } = {}): void {
    this.db
      .prepare(`UPDATE migration_gmail_copies SET state = ?, msg_key = COALESCE(?, msg_key), target_uid = COALESCE(?, target_uid), error = ? WHERE job_id = ? AND gm_msgid = ? AND target_path = ?`)
      .run(state, extra.key ?? null, extra.targetUid ?? null, extra.error ?? null, this.jobId, msgid, targetPath);
  }

  /** Puts failed rows back to pending (a re-run tries them again). */
  retryFailed(): void {
    this.db.prepare(`UPDATE migration_gmail_copies SET state = 'pending', error = NULL WHERE job_id = ? AND state = 'failed'`).run(this.jobId);
  }
}
