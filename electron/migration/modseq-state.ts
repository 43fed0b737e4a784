import type { Db } from '../db/database.ts';

/** A folder's CONDSTORE mark: the UIDVALIDITY and HIGHESTMODSEQ a complete pass started from. */
export interface ModseqMark {
  readonly uidValidity: number;
  readonly highestModseq: bigint;
}

/** A landed source message and where its copy is, from the write-ahead state (APPENDUID). */
export interface Counterpart {
  readonly uid: number;
  readonly targetPath: string;
  readonly targetUid: number | null;
  readonly targetUidValidity: number | null;
}

/**
 * Per-folder HIGHESTMODSEQ of one job (migration 014), and the counterpart lookups a delta pass
 * needs, each costing O(messages asked), never O(folder). A folder's mark is written only after a
 * pass left it complete, with the value its STATUS showed before the pass read anything, so every
 * change the pass might have missed has a higher mod-sequence and shows up in the next delta.
 */
export class ModseqState {
  private readonly jobId: string;
  private readonly db: Db;
  private readonly s;

  constructor(db: Db, jobId: string) {
    this.jobId = jobId;
    this.s = {
      get: db.prepare(`SELECT source_uidvalidity AS uidValidity, highest_modseq AS modseq FROM migration_folder_modseq WHERE job_id = ? AND source_path = ?`),
      save: db.prepare(`INSERT INTO migration_folder_modseq (job_id, source_path, source_uidvalidity, highest_modseq) VALUES (?, ?, ?, ?)
        ON CONFLICT (job_id, source_path) DO UPDATE SET source_uidvalidity = excluded.source_uidvalidity, highest_modseq = excluded.highest_modseq`),
      forget: db.prepare(`DELETE FROM migration_folder_modseq WHERE job_id = ? AND source_path = ?`),
      landed: db.prepare(`SELECT source_uid AS uid, target_path AS targetPath, target_uid AS targetUid, target_uidvalidity AS targetUidValidity
        FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid BETWEEN ? AND ? AND state IN ('done', 'skipped')`),
      countUpTo: db.prepare(`SELECT COUNT(*) AS n FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid <= ?`),
      drop: db.prepare(`DELETE FROM migration_messages WHERE job_id = ? AND source_path = ? AND source_uidvalidity = ? AND source_uid = ?`),
    };
    this.db = db;
  }

  /** The folder's mark, or null when no complete pass recorded one. */
  get(sourcePath: string): ModseqMark | null {
    const row = this.s.get.get(this.jobId, sourcePath) as { uidValidity: number; modseq: string } | undefined;
    return row ? { uidValidity: row.uidValidity, highestModseq: BigInt(row.modseq) } : null;
  }

  /** Records the folder's mark after a complete pass. */
  save(sourcePath: string, mark: ModseqMark): void {
    this.s.save.run(this.jobId, sourcePath, mark.uidValidity, mark.highestModseq.toString());
  }

  /** Forgets the folder's mark (the source no longer offers CONDSTORE, or the pass did not complete). */
  forget(sourcePath: string): void {
    this.s.forget.run(this.jobId, sourcePath);
  }

  /** Landed messages (done or skipped) of the folder whose source UID lies in one of `ranges`. */
  landed(sourcePath: string, uidValidity: number, ranges: readonly (readonly [number, number])[]): Counterpart[] {
    return ranges.flatMap(([lo, hi]) => this.s.landed.all(this.jobId, sourcePath, uidValidity, lo, hi) as Counterpart[]);
  }

  /** How many source messages of the folder up to UID `upTo` the job has a row for, in any state. */
  countUpTo(sourcePath: string, uidValidity: number, upTo: number): number {
    return (this.s.countUpTo.get(this.jobId, sourcePath, uidValidity, upTo) as { n: number }).n;
  }

  /** Forgets the rows of source messages whose copies were expunged on the target. */
  forgetMessages(sourcePath: string, uidValidity: number, uids: readonly number[]): void {
    this.db.transaction(() => {
      for (const uid of uids) this.s.drop.run(this.jobId, sourcePath, uidValidity, uid);
    })();
  }
}
