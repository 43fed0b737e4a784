import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openStateDatabase, STATE_CACHE_KIB, type Db } from '../../../../electron/db/database.ts';
import { KeyClaims } from '../../../../electron/migration/key-claims.ts';
import { KeyMatcher, messageKey } from '../../../../electron/migration/message-key.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

const date = new Date(Date.UTC(2001, 6, 28, 15, 5, 59));
const k = (id: string, size: number, at: Date = date): string => messageKey({ messageId: `<${id}@x>`, internalDate: at, size });

// KeyClaims answers one claim as KeyMatcher.claim does: which wanted keys took a message.
function claim(c: KeyClaims, wanted: readonly string[], page: number): boolean[] {
  c.want(wanted.map((key, i) => ({ key, uid: i + 1 })));
  const hit = new Array<boolean>(wanted.length).fill(false);
  c.claimQueued(page, (hits) => hits.forEach((h) => (hit[h.uid - 1] = true)));
  return hit;
}

describe('KeyClaims: KeyMatcher in temporary tables, a page at a time', () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-claims-')), 'state.db'));
  });
  afterEach(() => db.close());

  it('matches a copy whose size or date the target changed, and never a copy of another identity', () => {
    const c = new KeyClaims(db);
    c.add([k('a', 3119), k('b', 500, new Date())]);
    expect(claim(c, [k('a', 3144), k('b', 500, new Date(Date.UTC(2037, 0, 1))), k('c', 10)], 1)).toEqual([true, true, false]);
    expect(c.size).toBe(0);
    c.close();
  });

  it('names the message each claim took: its own key when exact, the target message\'s key when loose', () => {
    const c = new KeyClaims(db);
    const changed = k('a', 3119);
    c.add([changed, k('b', 500)]);
    c.want([{ key: k('b', 500), uid: 2 }, { key: k('a', 3144), uid: 1 }]);
    const taken: { uid: number; matched: string }[] = [];
    c.claimQueued(5, (hits) => taken.push(...hits.map((h) => ({ uid: h.uid, matched: h.matched }))));
    expect(taken).toEqual([
      { uid: 2, matched: k('b', 500) },
      { uid: 1, matched: changed },
    ]);
    c.close();
  });

  it('claims exact keys over the whole claim before any loose match, across pages', () => {
    const c = new KeyClaims(db);
    c.add([k('dup', 120), k('dup', 99)]);
    // With a page of one, 100's loose match comes after 99's exact one on the next page.
    expect(claim(c, [k('dup', 100), k('dup', 99)], 1)).toEqual([true, true]);
    expect(c.size).toBe(0);
    c.close();
  });

  it('gives a key the target holds once to the first of two claims, and a second copy to the second', () => {
    const c = new KeyClaims(db);
    c.add([k('once', 10)]);
    expect(claim(c, [k('once', 10), k('once', 10)], 1)).toEqual([true, false]);
    const twice = new KeyClaims(db);
    twice.add([k('twice', 10), k('twice', 10), k('twice', 10)]);
    expect(claim(twice, [k('twice', 10), k('twice', 10)], 5)).toEqual([true, true]);
    expect(twice.size).toBe(1);
    expect(claim(twice, [k('twice', 10)], 5)).toEqual([true]);
    expect(claim(twice, [k('twice', 10)], 5)).toEqual([false]);
    c.close();
    twice.close();
  });

  it('prefers the first listed candidate with the same date, then the same size', () => {
    const c = new KeyClaims(db);
    const later = new Date(date.getTime() + 3_600_000);
    c.add([k('p', 7, later), k('p', 8, later), k('p', 9), k('p', 10)]);
    // Same date (the first of 9 and 10 listed), then same size (8), then the first left (7).
    expect(claim(c, [k('p', 1), k('p', 8, new Date(0)), k('p', 2, new Date(0))], 2)).toEqual([true, true, true]);
    expect(claim(c, [k('p', 10)], 2)).toEqual([true]);
    expect(c.size).toBe(0);
    c.close();
  });

  it('does not match Gmail keys or placeholder keys loosely', () => {
    const c = new KeyClaims(db);
    c.add(['gm:1', 'new:5']);
    expect(claim(c, ['gm:2', 'new:6', 'gm:1'], 2)).toEqual([false, false, true]);
    c.close();
  });

  it('settles every claim exactly as KeyMatcher does (random folders, pages of 1 to 7)', () => {
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const randomKey = (): string => (rand(10) === 0 ? `gm:${rand(4)}` : k(`id${rand(5)}`, 100 + rand(3), new Date(date.getTime() + rand(3) * 1000)));
    for (let round = 0; round < 60; round++) {
      const target = Array.from({ length: rand(25) }, randomKey);
      const claims = Array.from({ length: 3 }, () => Array.from({ length: rand(20) }, randomKey));
      const matcher = new KeyMatcher(target);
      const c = new KeyClaims(db);
      c.add(target);
      for (const wanted of claims) expect(claim(c, wanted, 1 + rand(7))).toEqual(matcher.claim(wanted));
      expect(c.size).toBe(matcher.size);
      c.close();
    }
  });
});

describe('the --state database', () => {
  it('bounds the page cache of the temporary tables claims are matched in as it bounds its own', () => {
    const db = openStateDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-temp-cache-')), 'state.db'));
    const c = new KeyClaims(db);
    expect(db.pragma('temp.cache_size', { simple: true })).toBe(-STATE_CACHE_KIB);
    c.close();
    db.close();
  });
});

describe('StateStore.landedInTarget', () => {
  it('pages the landed rows of a target folder in the order the whole-folder read returned them', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-landed-')), 'state.db'));
    const store = new StateStore(db, 'job');
    const rows = ['B', 'A', 'C'].flatMap((sourcePath) => Array.from({ length: 7 }, (_, i) => ({ sourcePath, uidValidity: 1 + (i % 2), uid: 20 - i, key: `${sourcePath}${i}`, size: 1, internalDate: null, targetPath: 'T' })));
    store.insertPending(rows);
    rows.forEach((r, i) => (i % 3 === 0 ? store.settle([r], 'skipped', null, null) : i % 3 === 1 ? store.settle([r], 'done', null, null) : undefined));
    const whole = db.prepare(`SELECT msg_key FROM migration_messages WHERE job_id = ? AND target_path = ? AND state IN ('done', 'skipped')`).pluck().all('job', 'T');
    const paged: string[] = [];
    for (let after = null as ReturnType<typeof store.landedInTarget>[number] | null; ; ) {
      const page = store.landedInTarget('T', after, 2);
      if (page.length === 0) break;
      after = page.at(-1)!;
      paged.push(...page.map((r) => r.key));
    }
    expect(paged).toEqual(whole);
    expect(paged).toHaveLength(14);
    db.close();
  });
});
