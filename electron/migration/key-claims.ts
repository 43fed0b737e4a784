import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { keyParts } from './message-key.ts';

// KeyMatcher (message-key.ts) with both sides in temporary tables of the job's SQLite database
// (TEMP_STORE=1: a file, its page cache bounded), so a folder of any size is matched without a list
// of its messages in the process. The matching is KeyMatcher's exactly: exact keys first over all
// the keys of one claim, then, in the same order, the same identity with the same date, else the
// same size, else any, each time the candidate the folder listed first.

type Statement = Database.Statement<unknown[]>;

/** One key to claim, with the source UID it stands for (0 when it stands for none). */
export interface WantedKey {
  readonly key: string;
  readonly uid: number;
}

/** A key that took a message: `matched` is the key of the message it took (itself, or a loose match's). */
export interface ClaimedKey extends WantedKey {
  readonly matched: string;
}

let tables = 0;

/** A folder's messages by identity key, claimed a page at a time in SQL; close() drops its tables. */
export class KeyClaims {
  private readonly db: Db;
  private readonly keys: string;
  private readonly queue: string;
  private added = 0;
  private readonly s: Record<'add' | 'takeExact' | 'pickLoose' | 'left' | 'enqueue' | 'waiting' | 'queued' | 'hit' | 'clear', Statement>;

  constructor(db: Db) {
    this.db = db;
    // Several folders reconcile at once on one connection: each matcher has tables of its own.
    const n = ++tables;
    this.keys = `temp.claim_keys_${n}`;
    this.queue = `temp.claim_queue_${n}`;
    db.exec(`CREATE TABLE ${this.keys} (key TEXT PRIMARY KEY, identity TEXT NOT NULL, date TEXT, size TEXT, first INTEGER NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX temp.claim_keys_${n}_identity ON claim_keys_${n} (identity, first);
      CREATE TABLE ${this.queue} (ord INTEGER PRIMARY KEY, key TEXT NOT NULL, uid INTEGER NOT NULL, hit INTEGER NOT NULL DEFAULT 0);`);
    this.s = {
      add: db.prepare(`INSERT INTO ${this.keys} (key, identity, date, size, first, n) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1`),
      takeExact: db.prepare(`UPDATE ${this.keys} SET n = n - 1 WHERE key = ? AND n > 0`),
      // KeyMatcher's pick: the first listed candidate with the same date, else with the same size, else the first.
      pickLoose: db.prepare(`SELECT key FROM ${this.keys} WHERE identity = ? AND n > 0 ORDER BY CASE WHEN date = ? THEN 0 WHEN size = ? THEN 1 ELSE 2 END, first LIMIT 1`).pluck(),
      left: db.prepare(`SELECT COALESCE(SUM(n), 0) FROM ${this.keys}`).pluck(),
      enqueue: db.prepare(`INSERT INTO ${this.queue} (key, uid) VALUES (?, ?)`),
      queued: db.prepare(`SELECT ord, key, uid FROM ${this.queue} WHERE ord > ? ORDER BY ord LIMIT ?`),
      waiting: db.prepare(`SELECT ord, key, uid FROM ${this.queue} WHERE ord > ? AND hit = 0 ORDER BY ord LIMIT ?`),
      hit: db.prepare(`UPDATE ${this.queue} SET hit = 1 WHERE ord = ?`),
      clear: db.prepare(`DELETE FROM ${this.queue}`),
    };
  }

  /** Adds messages of the folder, in the order it lists them (a loose match takes the first listed). */
  add(keys: readonly string[]): void {
    this.db.transaction(() => {
      for (const key of keys) {
        const { identity, date, size } = keyParts(key);
        this.s.add.run(key, identity, date, size, this.added++);
      }
    })();
  }

  /** Queues keys for the next claim, in claim order. */
  want(items: readonly WantedKey[]): void {
    this.db.transaction(() => {
      for (const w of items) this.s.enqueue.run(w.key, w.uid);
    })();
  }

  /**
   * Claims one message for each queued key (KeyMatcher.claim over the queue) and empties the queue.
   * `found` gets the keys that took a message, a page of at most `page` at a time, as they are
   * matched; returns how many found none.
   */
  claimQueued(page: number, found: (hits: readonly ClaimedKey[]) => void = () => undefined): number {
    this.pages(this.s.queued, page, (rows) => rows.flatMap((r) => (this.s.takeExact.run(r.key).changes > 0 ? (this.s.hit.run(r.ord), [{ key: r.key, uid: r.uid, matched: r.key }]) : [])), found);
    let missed = 0;
    this.pages(
      this.s.waiting,
      page,
      (rows) =>
        rows.flatMap((r) => {
          const matched = this.takeLoose(r.key);
          if (matched === null) missed++;
          return matched === null ? [] : [{ key: r.key, uid: r.uid, matched }];
        }),
      found,
    );
    this.s.clear.run();
    return missed;
  }

  /** Messages no claim has taken. */
  get size(): number {
    return this.s.left.get() as number;
  }

  /** Drops the tables. */
  close(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${this.keys}; DROP TABLE IF EXISTS ${this.queue};`);
  }

  // Walks the queue a page at a time (by position), each page matched in one transaction.
  private pages(read: Statement, page: number, match: (rows: { ord: number; key: string; uid: number }[]) => ClaimedKey[], found: (hits: readonly ClaimedKey[]) => void): void {
    for (let after = 0; ; ) {
      const rows = read.all(after, page) as { ord: number; key: string; uid: number }[];
      if (rows.length === 0) return;
      after = rows.at(-1)!.ord;
      const hits = this.db.transaction(() => match(rows))();
      if (hits.length > 0) found(hits);
    }
  }

  // The key of the message a loose match took, or null when none is left for this identity.
  private takeLoose(key: string): string | null {
    const want = keyParts(key);
    if (want.date === null) return null;
    const pick = this.s.pickLoose.get(want.identity, want.date, want.size) as string | undefined;
    return pick !== undefined && this.s.takeExact.run(pick).changes > 0 ? pick : null;
  }
}
