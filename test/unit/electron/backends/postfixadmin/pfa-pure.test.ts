import bcrypt from 'bcryptjs';
import { verify as argon2Verify } from '@node-rs/argon2';
import { encrypt } from 'unixcrypt';
import { describe, expect, it } from 'vitest';
import { hashPassword, isPasswordScheme } from '../../../../../electron/backends/postfixadmin/password-hash.ts';
import { DEFAULT_QUOTA_MULTIPLIER, fromSiteMb, fromStoredBytes, isSystemTarget, parseGoto, quotaOrNull, storedMailboxQuota, toSiteMb } from '../../../../../electron/backends/postfixadmin/pfa-context.ts';
import { readBool, readNumber, sqlBool } from '../../../../../electron/backends/postfixadmin/sql-driver.ts';
import { isCatchAll, normalizeAddress, normalizeDomain, splitAddress } from '../../../../../shared/lib/mail-address.ts';

describe('PostfixAdmin password hashes (the {SCHEME} forms Dovecot reads)', () => {
  it('BLF-CRYPT writes $2y$ with the chosen cost and verifies', async () => {
    const h = await hashPassword('BLF-CRYPT', 'Correct horse 1', { bcryptRounds: 5 });
    expect(h).toMatch(/^\{BLF-CRYPT\}\$2y\$05\$[./A-Za-z0-9]{53}$/);
    // bcryptjs verifies $2y$ as $2b$: the same algorithm.
    expect(await bcrypt.compare('Correct horse 1', h.slice('{BLF-CRYPT}'.length).replace('$2y$', '$2b$'))).toBe(true);
    expect(await bcrypt.compare('wrong', h.slice('{BLF-CRYPT}'.length).replace('$2y$', '$2b$'))).toBe(false);
  });

  it('SHA512-CRYPT uses a fresh 16-character salt, optional rounds, and re-crypts to itself', async () => {
    const a = await hashPassword('SHA512-CRYPT', 'pässwörd');
    const b = await hashPassword('SHA512-CRYPT', 'pässwörd');
    expect(a).toMatch(/^\{SHA512-CRYPT\}\$6\$[./A-Za-z0-9]{16}\$[./A-Za-z0-9]{86}$/);
    expect(a).not.toBe(b);
    const crypt = a.slice('{SHA512-CRYPT}'.length);
    expect(encrypt('pässwörd', crypt)).toBe(crypt);
    expect(encrypt('passwort', crypt)).not.toBe(crypt);
    expect(await hashPassword('SHA512-CRYPT', 'x', { sha512Rounds: 10_000 })).toMatch(/^\{SHA512-CRYPT\}\$6\$rounds=10000\$/);
    // The default 5,000 rounds are written without a rounds= field (a random salt may itself begin with "r").
    expect(await hashPassword('SHA512-CRYPT', 'x', { sha512Rounds: 5000 })).toMatch(/^\{SHA512-CRYPT\}\$6\$(?!rounds=)[./A-Za-z0-9]{16}\$/);
  });

  it('ARGON2ID uses Dovecot’s libsodium parameters and verifies', async () => {
    const h = await hashPassword('ARGON2ID', 'S3cret!');
    expect(h).toMatch(/^\{ARGON2ID\}\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(await argon2Verify(h.slice('{ARGON2ID}'.length), 'S3cret!')).toBe(true);
  });

  it('knows its schemes', () => {
    expect(['BLF-CRYPT', 'SHA512-CRYPT', 'ARGON2ID'].every(isPasswordScheme)).toBe(true);
    expect(isPasswordScheme('PLAIN-MD5')).toBe(false);
    expect(isPasswordScheme(undefined)).toBe(false);
  });
});

describe('PostfixAdmin quotas (site-MB × multiplier, one site-MB shown as one MB)', () => {
  const M = DEFAULT_QUOTA_MULTIPLIER;
  it('stores a quota of N MB as N × multiplier, rounding part-MB up; 0 is unlimited', () => {
    expect(M).toBe(1_024_000);
    expect(storedMailboxQuota(50_000_000, M)).toBe(50 * M);
    expect(storedMailboxQuota(50_000_001, M)).toBe(51 * M);
    expect(storedMailboxQuota(1, M)).toBe(M);
    expect(storedMailboxQuota(null, M)).toBe(0);
    expect(storedMailboxQuota(0, M)).toBe(0);
    expect(storedMailboxQuota(undefined, 1_048_576)).toBe(0);
    expect(storedMailboxQuota(1e9, 1_048_576)).toBe(1000 * 1_048_576);
  });
  it('reads stored bytes back as the same number of MB', () => {
    expect(quotaOrNull(50 * M, M)).toBe(50_000_000);
    expect(fromStoredBytes(512_000, M)).toBe(500_000);
    expect(quotaOrNull(0, M)).toBeNull();
    expect(quotaOrNull(-1, M)).toBeNull();
  });
  it('keeps domain quotas in site-MB', () => {
    expect(toSiteMb(2_048_000_000)).toBe(2048);
    expect(toSiteMb(1)).toBe(1);
    expect(toSiteMb(null)).toBe(0);
    expect(fromSiteMb(2048)).toBe(2_048_000_000);
    expect(fromSiteMb(0)).toBeNull();
    expect(fromSiteMb(-1)).toBeNull();
  });
});

describe('PostfixAdmin alias targets and SQL values', () => {
  it('splits goto lists, trimming and lower-casing, and spots vacation targets', () => {
    expect(parseGoto(' A@x.test, b@y.test ,,')).toEqual(['a@x.test', 'b@y.test']);
    expect(parseGoto(null)).toEqual([]);
    expect(isSystemTarget('alice#example.com@autoreply.example.com')).toBe(true);
    expect(isSystemTarget('alice@example.com')).toBe(false);
  });
  it('binds booleans per dialect and reads any driver’s spelling back', () => {
    expect(sqlBool('postgres', true)).toBe(true);
    expect(sqlBool('mysql', false)).toBe(0);
    expect(sqlBool('sqlite', true)).toBe(1);
    for (const yes of [true, 1, '1', 't', 'true', 1n]) expect(readBool(yes)).toBe(true);
    for (const no of [false, 0, '0', 'f', null, undefined]) expect(readBool(no)).toBe(false);
    expect(readNumber('12345678901')).toBe(12_345_678_901);
    expect(readNumber(null)).toBe(0);
  });
});

describe('addresses', () => {
  it('normalises addresses and the catch-all forms', () => {
    expect(normalizeAddress('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(normalizeAddress('@example.com')).toBeNull();
    expect(normalizeAddress('@example.com', { allowCatchAll: true })).toBe('@example.com');
    expect(normalizeAddress('*@Example.com', { allowCatchAll: true })).toBe('@example.com');
    for (const bad of ['alice', 'alice@localhost', '.a@x.test', 'a.@x.test', 'a..b@x.test', 'a b@x.test', `${'a'.repeat(65)}@x.test`]) expect(normalizeAddress(bad), bad).toBeNull();
    expect(splitAddress('@example.com')).toEqual({ local: '', domain: 'example.com' });
    expect(splitAddress('a@b@x.test')).toEqual({ local: 'a@b', domain: 'x.test' });
    expect(isCatchAll('@example.com')).toBe(true);
    expect(isCatchAll('a@example.com')).toBe(false);
  });
  it('normalises domain names and refuses bare IPs and single labels', () => {
    expect(normalizeDomain('Example.COM.')).toBe('example.com');
    expect(normalizeDomain('192.0.2.1')).toBeNull();
    expect(normalizeDomain('localhost')).toBeNull();
  });
});
