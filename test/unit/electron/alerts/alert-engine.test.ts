import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertCandidate } from '../../../../shared/domain/alerts.ts';
import { openDatabase } from '../../../../electron/db/database.ts';
import { AlertsRepo } from '../../../../electron/db/alerts-repo.ts';
import { AlertEngine } from '../../../../electron/alerts/alert-engine.ts';

// Each run opens a fresh migrated database; 60 runs a property keep the file quick on a shared machine.

const spf: AlertCandidate = { rule: 'spf.all-pass', target: 'a.test', expected: 'SPF ends -all', current: '+all' };
const dns = (resolvers: number): AlertCandidate => ({ ...spf, dnsConfirmedByResolvers: resolvers });
const at = (i: number): Date => new Date(Date.UTC(2026, 0, 1, i * 3));

function engine(): { engine: AlertEngine; repo: AlertsRepo } {
  const repo = new AlertsRepo(openDatabase(':memory:'));
  return { engine: new AlertEngine(repo), repo };
}

/** Runs a sequence of evaluations of one source (true = the candidate is present) and returns every transition. */
function run(seq: readonly boolean[], candidate: AlertCandidate = spf): string[] {
  const { engine: e } = engine();
  return seq.flatMap((present, i) => e.observe({ source: 'dns:test', at: at(i), candidates: present ? [candidate] : [] }).map((c) => `${i}:${c.state}`));
}

describe('alert engine', () => {
  it('raises on the second consecutive evaluation, stays quiet while it holds, resolves when it goes', () => {
    const { engine: e, repo } = engine();
    const steps = [[spf], [spf], [spf], [spf], []].map((candidates, i) => e.observe({ source: 's', at: at(i), candidates }).map(({ rule, target, state }) => ({ rule, target, state })));
    expect(steps).toEqual([[], [{ rule: 'spf.all-pass', target: 'a.test', state: 'raised' }], [], [], [{ rule: 'spf.all-pass', target: 'a.test', state: 'resolved' }]]);
    const [stored] = repo.list();
    expect(stored).toMatchObject({ state: 'resolved', raisedAt: at(1).toISOString(), resolvedAt: at(4).toISOString(), expected: 'SPF ends -all', current: '+all' });
  });

  it('needs two resolvers to agree on a DNS candidate', () => {
    expect(run([true, true, true], dns(1))).toEqual([]);
    expect(run([true, true], dns(2))).toEqual(['1:raised']);
  });

  it('an unconfirmed DNS candidate (a timeout, one resolver) keeps an open alert open and raises nothing new', () => {
    expect(run([true, true, true, true], dns(2))).toEqual(['1:raised']);
    const { engine: e } = engine();
    const steps = [dns(2), dns(2), dns(0), dns(1), null].map((c, i) => e.observe({ source: 's', at: at(i), candidates: c ? [c] : [] }).map((x) => `${i}:${x.state}`));
    expect(steps.flat()).toEqual(['1:raised', '4:resolved']);
  });

  it('keeps sources apart: two evaluations of different sources are not consecutive', () => {
    const { engine: e } = engine();
    expect(e.observe({ source: 'one', at: at(0), candidates: [spf] })).toEqual([]);
    expect(e.observe({ source: 'two', at: at(1), candidates: [spf] })).toEqual([]);
    expect(e.observe({ source: 'one', at: at(2), candidates: [spf] }).map((c) => c.state)).toEqual(['raised']);
  });

  it('keeps streaks across a restart (state lives in SQLite)', () => {
    const db = openDatabase(':memory:');
    new AlertEngine(new AlertsRepo(db)).observe({ source: 's', at: at(0), candidates: [spf] });
    expect(new AlertEngine(new AlertsRepo(db)).observe({ source: 's', at: at(1), candidates: [spf] }).map((c) => c.state)).toEqual(['raised']);
  });

  it('property: a candidate that flips every evaluation never raises', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 3 }), (startPresent, length, resolvers) => {
        const seq = Array.from({ length }, (_, i) => (i % 2 === 0) === startPresent);
        expect(run(seq, resolvers === 0 ? spf : dns(resolvers))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('property: a raise happens exactly where the candidate held on two consecutive evaluations and was not already raised', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 40 }), (seq) => {
        // A reference model written from the rule, not from the engine.
        const expected: string[] = [];
        let open = false;
        seq.forEach((present, i) => {
          if (present && i > 0 && seq[i - 1] && !open) {
            open = true;
            expected.push(`${i}:raised`);
          }
          if (!present && open) {
            open = false;
            expected.push(`${i}:resolved`);
          }
        });
        expect(run(seq)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('property: at most one open alert per rule and target, whatever the sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.subarray(['a.test', 'b.test', 'c.test']), { maxLength: 25 }), (rounds) => {
        const { engine: e, repo } = engine();
        rounds.forEach((targets, i) => e.observe({ source: 's', at: at(i), candidates: targets.map((target) => ({ ...spf, target })) }));
        const open = repo.list({ state: 'raised' }).map((a) => a.target);
        expect(new Set(open).size).toBe(open.length);
        const last = rounds.at(-1) ?? [];
        const beforeLast = rounds.at(-2) ?? [];
        // An open alert's candidate is present now; anything present twice in a row is open.
        for (const t of open) expect(last).toContain(t);
        for (const t of last) if (beforeLast.includes(t)) expect(open).toContain(t);
      }),
      { numRuns: 60 },
    );
  });
});
