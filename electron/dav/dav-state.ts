import type { DavConversion } from '../../shared/domain/dav.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.ts';

/** A collection's mapping and the change tags seen when its last pass completed. */
export interface DavCollectionState {
  readonly targetUrl: string;
  readonly sourceTag: string | null;
  readonly targetTag: string | null;
  /** What the last complete pass converted, and how many items the target could not hold. */
  readonly conversions: readonly DavConversion[];
  readonly notCarried: number;
}

/** An item's write-ahead record. */
export interface DavItemState {
  readonly targetHref: string;
  readonly sourceEtag: string | null;
  readonly state: 'writing' | 'done' | 'failed';
}

/** The write-ahead state of one DAV job (one account pair) in the migration database. */
export class DavState {
  private readonly db: Db;
  private readonly job: string;
  private upsertStatement: Statement<unknown[]> | undefined;

  constructor(db: Db, jobId: string) {
    this.db = db;
    this.job = jobId;
  }

  /** The stored mapping of a source collection, or null on its first pass. */
  collection(sourceUrl: string): DavCollectionState | null {
    const row = this.db.prepare('SELECT target_url, source_tag, target_tag, conversions_json, not_carried FROM dav_collections WHERE job_id = ? AND source_url = ?').get(this.job, sourceUrl) as
      | { target_url: string; source_tag: string | null; target_tag: string | null; conversions_json: string | null; not_carried: number }
      | undefined;
    return row ? { targetUrl: row.target_url, sourceTag: row.source_tag, targetTag: row.target_tag, conversions: row.conversions_json ? (JSON.parse(row.conversions_json) as DavConversion[]) : [], notCarried: row.not_carried } : null;
  }

  /** Records where a source collection goes; tags (and what the pass converted) only once a pass over it completed cleanly. */
  saveCollection(sourceUrl: string, targetUrl: string, sourceTag: string | null, targetTag: string | null, converted: { conversions: readonly DavConversion[]; notCarried: number } = { conversions: [], notCarried: 0 }): void {
    this.db
      .prepare(
        `INSERT INTO dav_collections (job_id, source_url, target_url, source_tag, target_tag, conversions_json, not_carried) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (job_id, source_url) DO UPDATE SET target_url = excluded.target_url, source_tag = excluded.source_tag, target_tag = excluded.target_tag,
           conversions_json = excluded.conversions_json, not_carried = excluded.not_carried`,
      )
      .run(this.job, sourceUrl, targetUrl, sourceTag, targetTag, JSON.stringify(converted.conversions), converted.notCarried);
  }

  /** Every item record of a source collection, by key. */
  items(sourceUrl: string): Map<string, DavItemState> {
    const rows = this.db.prepare('SELECT uid, target_href, source_etag, state FROM dav_items WHERE job_id = ? AND source_url = ?').all(this.job, sourceUrl) as {
      uid: string;
      target_href: string;
      source_etag: string | null;
      state: DavItemState['state'];
    }[];
    return new Map(rows.map((r) => [r.uid, { targetHref: r.target_href, sourceEtag: r.source_etag, state: r.state }]));
  }

  /** Commits the intent to write an item at a fixed name before the write leaves. */
  writing(sourceUrl: string, key: string, targetHref: string, sourceEtag: string | null): void {
    this.upsert(sourceUrl, key, targetHref, sourceEtag, 'writing', null);
  }

  /** The item is on the target and read back equal. */
  done(sourceUrl: string, key: string, targetHref: string, sourceEtag: string | null): void {
    this.upsert(sourceUrl, key, targetHref, sourceEtag, 'done', null);
  }

  /** The item could not be written or came back different. */
  failed(sourceUrl: string, key: string, targetHref: string, sourceEtag: string | null, reason: string): void {
    this.upsert(sourceUrl, key, targetHref, sourceEtag, 'failed', reason);
  }

  /** Runs `records` as one transaction: its rows are committed together when it returns, and none of them if it throws. */
  batch<T>(records: () => T): T {
    return this.db.transaction(records)();
  }

  private upsert(sourceUrl: string, key: string, targetHref: string, sourceEtag: string | null, state: DavItemState['state'], error: string | null): void {
    this.upsertStatement ??= this.db.prepare(
      `INSERT INTO dav_items (job_id, source_url, uid, target_href, source_etag, state, error) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id, source_url, uid) DO UPDATE SET target_href = excluded.target_href, source_etag = excluded.source_etag, state = excluded.state, error = excluded.error`,
    );
    this.upsertStatement.run(this.job, sourceUrl, key, targetHref, sourceEtag, state, error);
  }
}
