import { describe, expect, it } from 'vitest';
import { diffValues, formatValue } from '../../../../renderer/lib/value-diff.ts';

describe('before/after diff', () => {
  it('puts what changed first and marks each field', () => {
    const rows = diffValues({ active: true, quotaBytes: 1024, settings: { port: 993, host: 'a' } }, { active: false, quotaBytes: 1024, settings: { port: 143, host: 'a' }, displayName: 'Ana' });
    expect(rows.map((r) => [r.path, r.kind])).toEqual([
      ['active', 'changed'],
      ['settings.port', 'changed'],
      ['displayName', 'added'],
      ['quotaBytes', 'same'],
      ['settings.host', 'same'],
    ]);
    expect(diffValues({ targets: ['a@x.test'] }, null)).toEqual([{ path: 'targets', before: ['a@x.test'], after: undefined, kind: 'removed' }]);
    expect(diffValues(null, null)).toEqual([]);
  });

  it('formats values for people: sizes, lists, yes and no', () => {
    expect(formatValue('quotaBytes', 2e9)).toBe('2.0 GB');
    expect(formatValue('targets', ['a@x.test', 'b@x.test'])).toBe('a@x.test, b@x.test');
    expect(formatValue('targets', [])).toBe('none');
    expect(formatValue('active', false)).toBe('no');
    expect(formatValue('displayName', null)).toBe('—');
  });
});
