import { describe, expect, it } from 'vitest';
import type { Deviation } from '../../../../../shared/domain/standards.ts';
import { parseCsvRecords } from '../../../../../renderer/lib/csv.ts';
import { deviationsCsv, distinct, filterDeviations, modesText, parseStandardFile, targetsText } from '../../../../../renderer/features/standards/drift-model.ts';

const deviation = (rule: string, target: string, customer: string, mode: Deviation['mode'] = 'report'): Deviation => ({ rule, target, customer, mode, expected: 'p=reject', current: 'p=none, "quoted", comma', since: '2026-12-01T00:00:00.000Z', supported: true });

describe('drift model', () => {
  const rows = [deviation('spf.all-neutral', 'client10.test', 'Acme'), deviation('dmarc.policy-none', 'client2.test', 'Acme', 'alert'), deviation('dmarc.policy-none', 'b.test', 'Beta', 'alert')];

  it('filters by customer, rule and mode, and sorts targets naturally (client2 before client10)', () => {
    expect(filterDeviations(rows, { customer: 'Acme', rule: '', mode: '' }).map((d) => d.target)).toEqual(['client2.test', 'client10.test']);
    expect(filterDeviations(rows, { customer: '', rule: 'dmarc.policy-none', mode: 'alert' }).map((d) => d.target)).toEqual(['client2.test', 'b.test']);
    expect(filterDeviations(rows, { customer: '', rule: '', mode: 'remediate' })).toEqual([]);
    expect(distinct(rows, (d) => d.rule)).toEqual(['dmarc.policy-none', 'spf.all-neutral']);
  });

  it('writes CSV that reads back to the same values, quotes and commas included', () => {
    const accepted = { ...rows[0]!, accepted: { by: 'op', reason: 'legacy, on purpose', at: '2026-12-02T00:00:00.000Z' } };
    const { records } = parseCsvRecords(deviationsCsv([rows[1]!, accepted]));
    expect(records.map((r) => [r['rule'], r['target'], r['current'], r['accepted_reason']])).toEqual([
      ['dmarc.policy-none', 'client2.test', rows[1]!.current, ''],
      ['spf.all-neutral', 'client10.test', rows[0]!.current, 'legacy, on purpose'],
    ]);
  });

  it('says targets and modes in words', () => {
    expect(targetsText({ kind: 'all' })).toBe('All customers');
    expect(targetsText({ kind: 'except', customers: ['A', 'B'] })).toBe('All except A, B');
    expect(modesText({ name: 'x', version: 1, targets: { kind: 'all' }, rules: [{ rule: 'a', mode: 'alert' }, { rule: 'b', mode: 'report' }, { rule: 'c', mode: 'alert' }] })).toBe('2 alert, 1 report');
  });

  it('refuses a file that is not a JSON object with a one-line reason naming it', () => {
    const bad = parseStandardFile('s.json', '{"name":');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^s\.json is not JSON: /);
    expect(parseStandardFile('a.json', '[1]')).toEqual({ ok: false, error: 'a.json: a standard is a JSON object with name, version, targets and rules.' });
  });
});
