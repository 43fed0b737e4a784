import type { Db } from '../db/database.ts';
import type { AuditProblem, AuditProblemKind, AuditVerification } from '../../shared/domain/audit.ts';
import type { Anchor } from './audit-anchor.ts';
import type { JournalKeys } from './audit-keys.ts';
import { GENESIS, contentMac, legacyHash, linkMac, type JournalRow } from './audit-seal.ts';
import { checkTriggers } from './audit-triggers.ts';

const MAX_PROBLEMS = 50;

/** The outcome of a chain check, with the newest entry found (seq 0 and GENESIS when there is none). */
export interface ChainCheck extends Omit<AuditVerification, 'checkpoint'> {
  readonly last: { readonly seq: number; readonly hash: string };
}

const span = (from: number, to: number): string => (from === to ? `entry ${from} is missing` : `entries ${from} to ${to} are missing`);

/**
 * Checks every entry against the key, the keychain anchor and the guard triggers. Someone who can
 * write the database but not read the keychain can neither seal a changed entry nor move the anchor,
 * so each kind of damage shows up here, named.
 */
export function verifyChain(db: Db, keys: JournalKeys, anchor: Anchor | null | 'unreadable'): ChainCheck {
  const problems: AuditProblem[] = [];
  const add = (kind: AuditProblemKind, seq: number | null, reason: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ kind, seq, reason });
  };
  const anchorSeq = anchor !== null && anchor !== 'unreadable' ? anchor.seq : 0;
  const legacy = keys.legacy;

  for (const seq of db.prepare('SELECT seq FROM audit_journal WHERE seq < 1 ORDER BY seq').pluck().all() as number[]) {
    add('invalid-seq', seq, `an entry has sequence number ${seq}: entries are numbered from 1, so it was inserted outside Mailroom`);
  }

  let expected = 1;
  let prev: string | null = GENESIS;
  let checked = 0;
  let last = { seq: 0, hash: GENESIS };
  let anchoredRow: string | null = null;
  let keyLost = false;
  const rows = db.prepare('SELECT * FROM audit_journal WHERE seq >= 1 ORDER BY seq').iterate() as IterableIterator<JournalRow>;
  for (const row of rows) {
    checked += 1;
    const seq = row.seq;
    if (seq > expected) {
      add('missing', expected, span(expected, seq - 1));
      // What the missing entry linked to is unknown; the next link is judged by its seal alone.
      prev = null;
    }
    if (seq <= legacy.seq) {
      if (row.content_mac !== null) {
        if (!keyLost) add('key-lost', seq, `entry ${seq} was sealed with a journal key this keychain does not hold (the keychain entry was lost or the data folder moved), so it cannot be verified`);
        keyLost = true;
      } else if (legacyHash(row) !== row.hash) {
        add('edited', seq, `entry ${seq} was edited: its content no longer matches its hash (it predates the journal key)`);
      } else if (prev !== null && row.prev_hash !== prev) {
        add('replaced', seq - 1, `entry ${seq - 1} was replaced: entry ${seq} was chained to a different entry ${seq - 1}`);
      }
      prev = row.hash;
      if (seq === legacy.seq && row.hash !== legacy.hash) {
        add('legacy-rewritten', seq, `entries 1 to ${seq}, written before the journal was keyed, were rewritten: entry ${seq} is not the one the keychain recorded when the journal was keyed`);
        prev = legacy.hash;
      }
    } else {
      const sealed = row.content_mac !== null && contentMac(keys.macKey, row) === row.content_mac;
      if (!sealed) {
        if (seq > anchorSeq) add('forged', seq, `entry ${seq} is forged: it is newer than the keychain anchor (entry ${anchorSeq}) and was not sealed with the journal key`);
        else add('edited', seq, `entry ${seq} was edited: its content no longer matches its seal`);
      } else if (linkMac(keys.macKey, seq, row.prev_hash, row.content_mac!) !== row.hash) {
        add('moved', seq, `entry ${seq} was moved: its content is genuine but its sequence number or link was changed (an entry before it was removed, or the entries were renumbered)`);
      } else if (prev !== null && row.prev_hash !== prev) {
        add('replaced', seq - 1, `entry ${seq - 1} was replaced: entry ${seq} was chained to a different entry ${seq - 1}`);
      }
      prev = row.hash;
    }
    if (seq === anchorSeq) anchoredRow = row.hash;
    last = { seq, hash: row.hash };
    expected = seq + 1;
  }

  const floor = Math.max(anchorSeq, legacy.seq);
  if (anchor === 'unreadable') {
    add('anchor-mismatch', null, 'the keychain anchor cannot be read: it was not written by Mailroom');
  } else if (checked === 0 && floor > 0) {
    add('emptied', null, `the journal is empty, but the keychain records ${floor} entries: the table was emptied`);
  } else if (floor > last.seq) {
    add('truncated', last.seq + 1, `entries after ${last.seq} were deleted: the keychain anchor records entry ${floor}`);
  } else if (anchor !== null && anchor.seq > 0 && anchoredRow !== null && anchoredRow !== anchor.mac) {
    add('anchor-mismatch', anchor.seq, `entry ${anchor.seq} is not the entry the keychain anchored: the journal was replaced or rolled back`);
  }

  const triggers = checkTriggers(db);
  if (triggers.missing.length > 0) {
    add('triggers', null, `the append-only guard triggers are missing (${triggers.missing.join(', ')}): the database was changed outside Mailroom`);
  }
  for (const name of triggers.altered) add('triggers', null, `the guard trigger ${name} was changed outside Mailroom`);

  return {
    ok: problems.length === 0,
    checked,
    firstProblem: problems[0] ?? null,
    problems,
    anchoredSeq: anchorSeq,
    unanchored: last.seq > anchorSeq && last.seq > legacy.seq ? { from: Math.max(anchorSeq, legacy.seq) + 1, to: last.seq } : null,
    legacyUpTo: legacy.seq,
    last,
  };
}
