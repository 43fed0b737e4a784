import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/db/database.ts';
import { DnsRunsRepo } from '../../../../electron/db/dns-runs-repo.ts';
import { StandardsRepo } from '../../../../electron/db/standards-repo.ts';
import { EMAIL_BASELINE } from '../../../../electron/standards/email-baseline.ts';
import type { StandardEvaluation } from '../../../../shared/domain/standards.ts';
import type { DomainReport } from '../../../../shared/domain/dns.ts';

const evaluation = (at: string): StandardEvaluation => ({ standard: EMAIL_BASELINE.name, version: EMAIL_BASELINE.version, at, evaluated: 0, score: {}, supportedScore: {}, domains: {}, deviations: [], accepted: [], alerts: [] });

function rows(db: Db): [string, string, string, string][] {
  return (db.prepare('SELECT rule, target, since, last_seen FROM standard_deviations ORDER BY rule, target').all() as { rule: string; target: string; since: string; last_seen: string }[]).map((r) => [r.rule, r.target, r.since, r.last_seen]);
}

describe('held deviations', () => {
  it('keep, change, drop and add rows as an evaluation finds them, leave other targets held, and mark every held row seen', () => {
    const db = openDatabase(':memory:');
    const repo = new StandardsRepo(db);
    repo.put(EMAIL_BASELINE, 't0');
    const covered = (target: string): boolean => target.endsWith('a.test');
    repo.record(evaluation('t1'), [
      { rule: 'spf.all-neutral', target: 'a.test', since: 't1' },
      { rule: 'dmarc.policy-none', target: 'a.test', since: 't1' },
      { rule: 'dmarc.policy-none', target: 'b.test', since: 't1' },
    ], () => true);
    // a.test only: its SPF deviation holds (since kept), its DMARC one is gone, a new one appears; b.test was not evaluated.
    repo.record(evaluation('t2'), [
      { rule: 'spf.all-neutral', target: 'a.test', since: 't1' },
      { rule: 'dkim.key-too-short', target: 'a.test', since: 't2' },
    ], covered);
    expect(rows(db)).toEqual([
      ['dkim.key-too-short', 'a.test', 't2', 't2'],
      ['dmarc.policy-none', 'b.test', 't1', 't2'],
      ['spf.all-neutral', 'a.test', 't1', 't2'],
    ]);
    // A deviation handed back with another `since` (it went away and came back) takes the new one.
    repo.record(evaluation('t3'), [{ rule: 'spf.all-neutral', target: 'a.test', since: 't3' }], covered);
    expect(rows(db)).toEqual([
      ['dmarc.policy-none', 'b.test', 't1', 't3'],
      ['spf.all-neutral', 'a.test', 't3', 't3'],
    ]);
    expect(repo.heldSince(EMAIL_BASELINE.name)).toEqual(new Map([['dmarc.policy-none b.test', 't1'], ['spf.all-neutral a.test', 't3']]));
    expect(repo.latest(EMAIL_BASELINE.name)?.at).toBe('t3');
  });

  it('refuses the same deviation twice in one evaluation, storing nothing of it', () => {
    const db = openDatabase(':memory:');
    const repo = new StandardsRepo(db);
    repo.put(EMAIL_BASELINE, 't0');
    repo.record(evaluation('t1'), [{ rule: 'spf.all-neutral', target: 'a.test', since: 't1' }], () => true);
    const twice = [{ rule: 'spf.all-neutral', target: 'a.test', since: 't1' }, { rule: 'spf.all-neutral', target: 'a.test', since: 't1' }];
    expect(() => repo.record(evaluation('t2'), twice, () => true)).toThrow(/UNIQUE/);
    expect(rows(db)).toEqual([['spf.all-neutral', 'a.test', 't1', 't1']]);
  });
});

describe('newest stored check run', () => {
  const report = (domain: string, message: string): DomainReport => ({ domain, score: 90, findings: [{ id: 'spf.all-neutral', severity: 'warning', message, records: [], fix: '' }] });

  it('is the highest id of the domain, whatever the times say, and the one before a given id', () => {
    const db = openDatabase(':memory:');
    const repo = new DnsRunsRepo(db);
    const first = repo.insert(report('a.test', 'one'), '2026-12-02T00:00:00Z', 'hosted');
    repo.insert(report('b.test', 'other domain'), '2026-12-03T00:00:00Z', 'hosted');
    // Stored later with an earlier time (a clock set back): the newest run is still the last stored.
    const last = repo.insert(report('a.test', 'two'), '2026-12-01T00:00:00Z', 'hosted');
    expect(repo.latest('a.test')?.id).toBe(last);
    expect(repo.latest('a.test', last)?.id).toBe(first);
    expect(repo.latest('a.test', first)).toBeNull();
    expect(repo.latest('c.test')).toBeNull();
    expect(JSON.parse(repo.latestFindingsJson('a.test')!)).toEqual(report('a.test', 'two').findings);
    expect(repo.latestFindingsJson('c.test')).toBeNull();
  });
});
