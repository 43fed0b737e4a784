import { describe, expect, it } from 'vitest';
import { newPostfixAdminConnection } from '../../../../shared/ipc/schemas/connections.ts';
import { siteValueProblem, siteYes } from '../../../../shared/lib/pfa-site.ts';

describe("a PostfixAdmin site setting's value", () => {
  it('takes what config.local.php writes: YES/NO in any case, whole numbers as numbers or text, one-word text', () => {
    for (const [key, value] of [['quota', 'YES'], ['quota', 'no'], ['domain_quota', false], ['aliases', -1], ['maxquota', '300'], ['quota_multiplier', 1_024_000], ['encrypt', 'php_crypt:SHA512::{SHA512-CRYPT}'], ['transport_default', 'lmtp:unix:private/dovecot-lmtp']] as const) {
      expect(siteValueProblem(key, value)).toBeNull();
    }
    expect(siteYes('YES')).toBe(true);
    expect(siteYes(' on ')).toBe(true);
    expect(siteYes('NO')).toBe(false);
  });

  it('names the setting and the rule when a value is not one PostfixAdmin takes', () => {
    expect(siteValueProblem('quota', 'maybe')).toBe('quota is YES or NO, not "maybe"');
    expect(siteValueProblem('aliases', 'ten')).toBe('aliases is a whole number from -1 to 2147483647, not "ten"');
    expect(siteValueProblem('aliases', -2)).toMatch(/^aliases is a whole number from -1/);
    expect(siteValueProblem('quota_multiplier', '0')).toMatch(/^quota_multiplier is a whole number from 1/);
    expect(siteValueProblem('maxquota', '1.5')).not.toBeNull();
    expect(siteValueProblem('encrypt', '')).toBe('encrypt is text and cannot be empty');
    expect(siteValueProblem('transport_default', "virtual'; evil")).toMatch(/one word without spaces or quotes/);
  });

  it('is checked by the connection schema, so the CLI, the console and an edit refuse the same values', () => {
    const base = { name: 'P', dialect: 'sqlite', path: '/tmp/p.db' } as const;
    expect(newPostfixAdminConnection.safeParse({ ...base, site: { quota: 'YES', aliases: '25' } }).success).toBe(true);
    const bad = newPostfixAdminConnection.safeParse({ ...base, site: { quota: 'YES', aliases: 'ten' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['site', 'aliases'], message: expect.stringContaining('aliases is a whole number') });
  });
});
