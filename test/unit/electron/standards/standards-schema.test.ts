import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardDocument } from '../../../../shared/ipc/schemas/standards.ts';
import { EMAIL_BASELINE } from '../../../../electron/standards/email-baseline.ts';
import { FORBIDDEN_FINDINGS } from '../../../../electron/standards/dns-rules.ts';
import { RULES } from '../../../../shared/domain/standard-rules.ts';

const issues = (value: unknown): string[] => {
  const r = standardDocument.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('standards as JSON', () => {
  it('the shipped baseline is a valid document', () => {
    expect(issues(EMAIL_BASELINE)).toEqual([]);
  });

  it('refuses unknown rules, repeated rules, wrong parameters and unknown fields', () => {
    const base = { name: 'x', version: 1, targets: { kind: 'all' } };
    expect(issues({ ...base, rules: [{ rule: 'spf.everything', mode: 'report' }] })[0]).toMatch(/^rules\.0\.rule: unknown rule/);
    expect(issues({ ...base, rules: [{ rule: 'spf.all-neutral', mode: 'report' }, { rule: 'spf.all-neutral', mode: 'alert' }] })).toEqual(['rules.1.rule: the rule "spf.all-neutral" appears twice']);
    expect(issues({ ...base, rules: [{ rule: 'provisioning.quota-range', mode: 'report', params: { maxBytes: '1GB' } }] })).toEqual(['rules.0.params.maxBytes: must be a number']);
    expect(issues({ ...base, rules: [{ rule: 'spf.all-neutral', mode: 'report', params: { strict: true } }] })).toEqual(['rules.0.params.strict: spf.all-neutral takes no parameter "strict"']);
    expect(issues({ ...base, targets: { kind: 'only', customers: [] }, rules: [{ rule: 'spf.all-neutral', mode: 'report' }] })).toEqual(['targets.customers: name at least one customer']);
    expect(issues({ ...base, rules: [{ rule: 'spf.all-neutral', mode: 'report' }], extra: 1 })).toHaveLength(1);
  });

  it('refuses platform-setting ranges that cannot hold, and keeps the baseline whole through JSON', () => {
    const base = { name: 'x', version: 1, targets: { kind: 'all' } };
    expect(issues({ ...base, rules: [{ rule: 'mailcow.spam-threshold', mode: 'report', params: { minScore: 12, maxScore: 6 } }] })).toEqual(['rules.0.params.minScore: must not be above maxScore']);
    expect(issues({ ...base, rules: [{ rule: 'provisioning.recent-login', mode: 'report', params: { days: 0 } }] })).toEqual(['rules.0.params.days: must be more than 0']);
    expect(issues({ ...base, rules: [{ rule: 'm365.security-defaults', mode: 'remediate', params: { enabled: true } }] })).toEqual(['rules.0.params.enabled: m365.security-defaults takes no parameter "enabled"']);
    const exported = JSON.parse(JSON.stringify(EMAIL_BASELINE)) as unknown;
    expect(standardDocument.parse(exported)).toEqual(EMAIL_BASELINE);
    expect(EMAIL_BASELINE.rules.filter((r) => ['google.2sv-enforced', 'm365.security-defaults', 'mailcow.spam-threshold'].includes(r.rule)).map((r) => r.mode)).toEqual(['report', 'report', 'report']);
  });

  it('every DNS rule is named by a finding the checks emit, and forbids only findings they emit', () => {
    const dir = join(import.meta.dirname, '../../../../electron/dns');
    const sources = [...readdirSync(dir), ...readdirSync(join(dir, 'checks')).map((f) => `checks/${f}`)].filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    for (const rule of RULES.filter((r) => r.family === 'dns')) {
      expect(FORBIDDEN_FINDINGS[rule.rule], rule.rule).toContain(rule.rule);
      for (const id of FORBIDDEN_FINDINGS[rule.rule]!) expect(sources, id).toContain(`'${id}'`);
    }
  });
});
