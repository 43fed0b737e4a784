import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';

// When a resumed run finds an uncertain copy (its APPEND sent, the answer lost to a kill) on the target
// by key, it also needs that copy's target UID, or the content check cannot compare it. The target's
// UIDs wait by key in a temporary table of the job's database (as key-claims.ts's keys do), so a
// folder of any size is matched in the memory of a window.

type Statement = Database.Statement<unknown[]>;

let tables = 0;

/** A target folder's UIDs by identity key; each handed out once, never one a row of the job already names. */
export class TargetUids {
  private readonly db: Db;
  private readonly table: string;
  private readonly s: Record<'add' | 'first' | 'remove', Statement>;

  constructor(db: Db) {
    this.db = db;
    const n = ++tables;
    this.table = `temp.target_uids_${n}`;
    db.exec(`CREATE TABLE ${this.table} (uid INTEGER PRIMARY KEY, key TEXT NOT NULL);
      CREATE INDEX temp.target_uids_${n}_key ON target_uids_${n} (key, uid);`);
    this.s = {
      add: db.prepare(`INSERT OR IGNORE INTO ${this.table} (uid, key) VALUES (?, ?)`),
      first: db.prepare(`SELECT uid FROM ${this.table} WHERE key = ? ORDER BY uid LIMIT 1`).pluck(),
      remove: db.prepare(`DELETE FROM ${this.table} WHERE uid = ?`),
    };
  }

  /** Adds target messages as the folder lists them. */
  add(messages: readonly { readonly uid: number; readonly key: string }[]): void {
    this.db.transaction(() => {
      for (const m of messages) this.s.add.run(m.uid, m.key);
    })();
  }

  /** Drops the UIDs the job's rows already name in this target folder (copies it knows by APPENDUID). */
  dropNamed(jobId: string, targetPath: string, uidValidity: number): void {
    this.db
      .prepare(
        `DELETE FROM ${this.table} WHERE uid IN (SELECT target_uid FROM migration_messages
          WHERE job_id = ? AND target_path = ? AND target_uidvalidity = ? AND target_uid IS NOT NULL)`,
      )
      .run(jobId, targetPath, uidValidity);
  }

  /** The lowest UID left with exactly this key (a target message's key), handed out once; null when none is left. */
  take(key: string): number | null {
    const uid = this.s.first.get(key) as number | undefined;
    if (uid === undefined) return null;
    this.s.remove.run(uid);
    return uid;
  }

  /** Drops the table. */
  close(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
