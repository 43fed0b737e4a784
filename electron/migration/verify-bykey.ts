import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { coveringWindows } from './folder-scan.ts';
import { KeyClaims } from './key-claims.ts';
import { runUidWindow } from './memory-budget.ts';
import type { StateStore } from './state-store.ts';
import type { FolderMatch, TargetView } from './verify-window.ts';

// The deep check's slow path, a UID window at a time: rows without a claim and target messages no
// row claims (a target that held mail before, a server without APPENDUID) are matched by identity
// key. The target's unclaimed UIDs and the rows' keys wait in temporary tables of the job's
// database, not in the process, so a folder of any size is matched in the memory of a window.

/**
 * Matches the landed rows of a folder with the target's messages: a row's APPENDUID (same target
 * UIDVALIDITY) claims that message if no earlier row did; the rest match by key (key-claims.ts).
 */
export async function matchByKey(store: StateStore, sourcePath: string, uidValidity: number, view: TargetView): Promise<FolderMatch> {
  const window = runUidWindow();
  const unclaimed = new UidSet(store.database);
  const claims = new KeyClaims(store.database);
  try {
    if (view.exists > 0) await readUids(view, window, unclaimed);
    let landed = 0;
    let byKey = 0;
    for (let after = 0; ; ) {
      const page = store.landedPage(sourcePath, uidValidity, after, window);
      if (page.length === 0) break;
      after = page.at(-1)!.uid;
      landed += page.length;
      const wanted = unclaimed.inOneTransaction(() => page.filter((r) => !(r.targetUid !== null && r.targetUidValidity === view.uidValidity && unclaimed.take(r.targetUid))));
      claims.want(wanted.map((r) => ({ key: r.key, uid: r.uid })));
      byKey += wanted.length;
    }
    const left = unclaimed.size;
    if (byKey === 0 || left === 0) return { landed, missing: byKey, extra: left };
    for (let after = 0; ; ) {
      const uids = unclaimed.page(after, window);
      if (uids.length === 0) break;
      after = uids.at(-1)!;
      claims.add(await view.keys(uids));
    }
    const missing = claims.claimQueued(window);
    return { landed, missing, extra: claims.size };
  } finally {
    claims.close();
    unclaimed.close();
  }
}

// UID windows searched at once: a sparse target (UIDNEXT in the millions, a few thousand messages) is
// thousands of windows, and one round trip each cost minutes where one `1:*` SEARCH took one.
const SEARCHES_IN_FLIGHT = 8;

// Every UID of the target folder into `into`, a window per SEARCH, several SEARCHes in flight. A
// connection may hand a SEARCH line to another waiting command than the one it answers, so nothing
// depends on which window an answer came back for: every UID any SEARCH names is in the folder.
async function readUids(view: TargetView, window: number, into: UidSet): Promise<void> {
  const windows = coveringWindows(view.uidNext > 0 ? view.uidNext - 1 : Infinity, window);
  let failed = false;
  const lane = async (): Promise<void> => {
    for (let w = windows.next(); !w.done && !failed; w = windows.next()) {
      try {
        into.add([...(await view.uidsIn(w.value.range))]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  // Every lane settles before this returns, so none writes to the table after the caller drops it.
  const lanes = await Promise.allSettled(Array.from({ length: SEARCHES_IN_FLIGHT }, lane));
  const failure = lanes.find((l) => l.status === 'rejected');
  if (failure) throw failure.reason;
}

let tables = 0;

// A set of target UIDs in a temporary table.
class UidSet {
  private readonly db: Db;
  private readonly table: string;
  private readonly s: Record<'add' | 'take' | 'count' | 'page', Database.Statement<unknown[]>>;

  constructor(db: Db) {
    this.db = db;
    this.table = `temp.target_uids_${++tables}`;
    db.exec(`CREATE TABLE ${this.table} (uid INTEGER PRIMARY KEY)`);
    this.s = {
      add: db.prepare(`INSERT OR IGNORE INTO ${this.table} (uid) VALUES (?)`),
      take: db.prepare(`DELETE FROM ${this.table} WHERE uid = ?`),
      count: db.prepare(`SELECT COUNT(*) FROM ${this.table}`).pluck(),
      page: db.prepare(`SELECT uid FROM ${this.table} WHERE uid > ? ORDER BY uid LIMIT ?`).pluck(),
    };
  }

  add(uids: readonly number[]): void {
    this.db.transaction(() => {
      for (const uid of uids) this.s.add.run(uid);
    })();
  }

  // Runs a page's takes in one transaction: one commit, not one per row.
  inOneTransaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  // Removes a UID; true when it was there.
  take(uid: number): boolean {
    return this.s.take.run(uid).changes > 0;
  }

  get size(): number {
    return this.s.count.get() as number;
  }

  page(after: number, limit: number): number[] {
    return this.s.page.all(after, limit) as number[];
  }

  close(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
