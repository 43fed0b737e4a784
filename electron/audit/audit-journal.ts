import type { Db } from '../db/database.ts';
import { VaultUnavailableError, type CredentialVault } from '../platform/credential-vault.ts';
import type { AuditCheckpoint, AuditEntry, AuditPage, AuditQuery, AuditVerification } from '../../shared/domain/audit.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { AnchorWriter, readAnchor, type Anchor } from './audit-anchor.ts';
import { checkCheckpoint, signCheckpoint } from './audit-checkpoint.ts';
import { AuditKeyError, anchorAccount, loadOrCreateKeys, type JournalKeys, type LegacyMark } from './audit-keys.ts';
import { GENESIS, contentMac, linkMac, type JournalRow } from './audit-seal.ts';
import { verifyChain, type ChainCheck } from './audit-verify.ts';

/** What a caller supplies for one journal row; the journal adds seq, time and seals. */
export interface AuditRecord {
  readonly operator: string;
  readonly action: string;
  readonly connectionId: string | null;
  readonly object: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly result: 'ok' | 'error';
  readonly errorCode: string | null;
}

/** Where the journal keeps its secrets and how it tells time. */
export interface AuditJournalOptions {
  /** The OS keychain: holds the HMAC key, the checkpoint signing key and the anchor. */
  readonly vault: CredentialVault;
  /** Names this journal's keychain entries; `journalIdFor(database file)` in the app. */
  readonly journalId: string;
  readonly now?: () => Date;
  /** Who the journal's own entries (the note written when an older journal is keyed) are written as. */
  readonly operator?: string;
  /** Told when the keychain anchor could not be moved; the entry itself was written. */
  readonly onAnchorError?: (error: unknown) => void;
}

/** Raised instead of moving the anchor when the anchored entry is no longer in the database. */
export class AuditAnchorKeptError extends Error {
  override readonly name = 'AuditAnchorKeptError';
}

/**
 * Append-only journal of every change made through Mailroom, chained with an HMAC whose key is in the
 * keychain and anchored there too. The key is read on first use: an entry is never written unkeyed.
 */
export class AuditJournal {
  private readonly db: Db;
  private readonly options: AuditJournalOptions;
  private readonly now: () => Date;
  private readonly anchors: AnchorWriter;
  private readonly insert;
  private readonly newest;
  private readonly hashAt;
  private opening: Promise<JournalKeys> | null = null;
  /** The anchor this process last saw or asked for; null when the keychain has none. */
  private anchored: Anchor | null = null;
  private anchorKept = false;

  constructor(db: Db, options: AuditJournalOptions) {
    this.db = db;
    this.options = options;
    this.now = options.now ?? (() => new Date());
    const onError = options.onAnchorError ?? (() => undefined);
    this.anchors = new AnchorWriter(options.vault, anchorAccount(options.journalId), onError);
    this.insert = db.prepare(`INSERT INTO audit_journal
      (seq, at, operator, action, connection_id, object, before_json, after_json, result, error_code, prev_hash, hash, content_mac)
      VALUES (@seq, @at, @operator, @action, @connection_id, @object, @before_json, @after_json, @result, @error_code, @prev_hash, @hash, @content_mac)`);
    this.newest = db.prepare('SELECT seq, hash FROM audit_journal ORDER BY seq DESC LIMIT 1');
    this.hashAt = db.prepare('SELECT hash FROM audit_journal WHERE seq = ?').pluck();
  }

  /** Appends one entry, sealed with the keychain's key, and asks for the anchor to follow it. */
  async append(record: AuditRecord): Promise<AuditEntry> {
    const keys = await this.keys();
    return toEntry(this.write(keys, record));
  }

  /** Resolves once the keychain anchor covers every entry appended so far. */
  flush(): Promise<void> {
    return this.anchors.flush();
  }

  /** Lists entries newest first, with optional filters. */
  list(query: AuditQuery = {}): AuditPage {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.beforeSeq !== undefined) {
      where.push('seq < @beforeSeq');
      params['beforeSeq'] = query.beforeSeq;
    }
    if (query.action !== undefined) {
      where.push('action = @action');
      params['action'] = query.action;
    }
    if (query.connectionId !== undefined) {
      where.push('connection_id = @connectionId');
      params['connectionId'] = query.connectionId;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM audit_journal ${clause} ORDER BY seq DESC LIMIT @limit`)
      .all({ ...params, limit: query.limit ?? 100 }) as JournalRow[];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM audit_journal ${clause}`).get(params) as { n: number }).n;
    return { entries: rows.map(toEntry), total };
  }

  /** Iterates every entry oldest first without loading the table into memory. */
  *entries(): IterableIterator<AuditEntry> {
    for (const row of this.db.prepare('SELECT * FROM audit_journal ORDER BY seq').iterate() as IterableIterator<JournalRow>) {
      yield toEntry(row);
    }
  }

  /** Checks every seal, the keychain anchor, the guard triggers and, when given, a checkpoint. */
  async verify(checkpoint?: AuditCheckpoint): Promise<Result<AuditVerification>> {
    return this.guard(async (keys): Promise<Result<AuditVerification>> => {
      const { last: head, ...chain } = await this.check(keys);
      if (checkpoint === undefined) return ok({ ...chain, checkpoint: null });
      const problem = checkCheckpoint(this.db, keys, checkpoint, head.seq);
      const problems = problem === null ? chain.problems : [...chain.problems, problem];
      return ok({
        ...chain,
        ok: problems.length === 0,
        problems,
        firstProblem: problems[0] ?? null,
        checkpoint: { seq: checkpoint.seq, at: checkpoint.at, matched: problem === null },
      });
    });
  }

  /** Signs a checkpoint of the newest entry, only for a journal that passes its check. */
  async checkpoint(): Promise<Result<AuditCheckpoint>> {
    return this.guard(async (keys) => {
      const { last, ...chain } = await this.check(keys);
      if (!chain.ok) return err('audit.damaged', `The journal is damaged (${chain.firstProblem!.reason}); no checkpoint was signed.`);
      return ok(signCheckpoint(keys, last, this.now().toISOString()));
    });
  }

  private async check(keys: JournalKeys): Promise<ChainCheck> {
    // An anchor still on its way would show this process's own newest entries as unanchored.
    await this.anchors.flush().catch(() => undefined);
    return verifyChain(this.db, keys, await readAnchor(this.options.vault, anchorAccount(this.options.journalId)));
  }

  /** Runs `task` with the keys; a keychain that cannot be reached or holds an unreadable key becomes an error value. */
  private async guard<T>(task: (keys: JournalKeys) => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await task(await this.keys());
    } catch (error) {
      if (error instanceof VaultUnavailableError) return err('vault.unavailable', error.message);
      if (error instanceof AuditKeyError) return err('audit.damaged', error.message);
      throw error;
    }
  }

  private keys(): Promise<JournalKeys> {
    // A failed read (keychain locked) is retried on the next call rather than remembered.
    this.opening ??= this.load().catch((error: unknown) => {
      this.opening = null;
      throw error;
    });
    return this.opening;
  }

  private async load(): Promise<JournalKeys> {
    const { vault, journalId } = this.options;
    const [{ keys, created }, anchor] = await Promise.all([
      loadOrCreateKeys(vault, journalId, () => this.legacyMark(), this.now),
      readAnchor(vault, anchorAccount(journalId)),
    ]);
    if (anchor === 'unreadable') this.anchorKept = true;
    else this.anchored = anchor;
    if (created && this.anchored === null) {
      this.anchored = { seq: keys.legacy.seq, mac: keys.legacy.hash };
      this.anchors.request(this.anchored);
    }
    if (created && keys.legacy.seq > 0) this.write(keys, this.keyingNote(keys));
    return keys;
  }

  private legacyMark(): LegacyMark {
    const head = this.newest.get() as { seq: number; hash: string } | undefined;
    return head && head.seq > 0 ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: GENESIS };
  }

  /** The entry that says an older, plain-hash journal was keyed, and what its own check found then. */
  private keyingNote(keys: JournalKeys): AuditRecord {
    const found = verifyChain(this.db, keys, { seq: keys.legacy.seq, mac: keys.legacy.hash });
    const head = this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    const headMatches = head !== undefined && head.seq === keys.legacy.seq && head.hash === keys.legacy.hash;
    const reasons = found.problems.filter((p) => p.kind !== 'triggers').map((p) => p.reason);
    if (!headMatches) reasons.push(`the old chain head records entry ${head?.seq ?? 0}, not ${keys.legacy.seq}: its newest entries were removed before keying`);
    return {
      operator: this.options.operator ?? 'mailroom',
      action: 'audit.keyed',
      connectionId: null,
      object: null,
      before: null,
      after: { olderEntries: keys.legacy.seq, olderEntriesCheck: reasons.length === 0 ? 'intact' : reasons, keyFingerprint: keys.fingerprint },
      result: 'ok',
      errorCode: null,
    };
  }

  private write(keys: JournalKeys, record: AuditRecord): JournalRow {
    const row = this.db.transaction((): JournalRow => {
      const head = this.newest.get() as { seq: number; hash: string } | undefined;
      const content = {
        at: this.now().toISOString(),
        operator: record.operator,
        action: record.action,
        connection_id: record.connectionId,
        object: record.object,
        before_json: record.before === undefined ? null : JSON.stringify(record.before),
        after_json: record.after === undefined ? null : JSON.stringify(record.after),
        result: record.result,
        error_code: record.errorCode,
      };
      const seq = Math.max(head?.seq ?? 0, 0) + 1;
      const prev = head?.hash ?? GENESIS;
      const seal = contentMac(keys.macKey, content);
      const written: JournalRow = { seq, ...content, prev_hash: prev, content_mac: seal, hash: linkMac(keys.macKey, seq, prev, seal) };
      this.insert.run(written);
      return written;
    }).immediate();
    this.follow({ seq: row.seq, mac: row.hash });
    return row;
  }

  /** Moves the anchor to `next`, unless the entry it anchors now is gone or changed: that evidence is kept. */
  private follow(next: Anchor): void {
    if (this.anchorKept) return;
    const current = this.anchored;
    if (current !== null && current.seq > 0 && this.hashAt.get(current.seq) !== current.mac) {
      this.anchorKept = true;
      this.options.onAnchorError?.(
        new AuditAnchorKeptError(`Entry ${current.seq} no longer matches the keychain anchor; the anchor is kept there so \`audit verify\` can show the damage.`),
      );
      return;
    }
    if (current !== null && next.seq <= current.seq) return;
    this.anchored = next;
    this.anchors.request(next);
  }
}

function toEntry(row: JournalRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    operator: row.operator,
    action: row.action,
    connectionId: row.connection_id,
    object: row.object,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
    result: row.result,
    errorCode: row.error_code,
    hash: row.hash,
  };
}
