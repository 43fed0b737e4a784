import { describe, expect, it } from 'vitest';
import { defaultEncrypt, encryptOfScheme, passwordWriter } from '../../../../../electron/backends/postfixadmin/encrypt-scheme.ts';
import { unsafeLocalPart } from '../../../../../electron/backends/postfixadmin/pfa-mailboxes.ts';
import { parseSiteConfig, siteRules } from '../../../../../electron/backends/postfixadmin/site-config.ts';
import { releaseOf } from '../../../../../electron/backends/postfixadmin/site-schema.ts';

describe("a PostfixAdmin site's $CONF", () => {
  it('reads the scalar settings Mailroom follows from config.local.php, ignoring comments and other keys', () => {
    const php = `<?php
      $CONF['configured'] = true;
      $CONF['encrypt'] = 'md5crypt';  // the default
      # $CONF['encrypt'] = 'cleartext';
      /* $CONF['quota'] = 'NO'; */
      $CONF['quota'] = 'YES'; $CONF["quota_multiplier"] = "1048576";
      $CONF['mailboxes'] = 0;
      $CONF['transport_default'] = 'lmtp:unix:private/dovecot-lmtp';
      $CONF['encrypt'] = 'php_crypt:SHA512::{SHA512-CRYPT}';
      $CONF['default_aliases'] = array('abuse' => 'abuse@example.com');
      $CONF['maxquota'] = some_function();`;
    expect(parseSiteConfig(php)).toEqual({
      encrypt: 'php_crypt:SHA512::{SHA512-CRYPT}',
      quota: 'YES',
      quota_multiplier: '1048576',
      mailboxes: '0',
      transport_default: 'lmtp:unix:private/dovecot-lmtp',
    });
  });

  it('fills in PostfixAdmin 3.3’s defaults', () => {
    expect(siteRules()).toEqual({
      encrypt: null,
      multiplier: 1_024_000,
      enforceQuota: false,
      enforceDomainQuota: true,
      passwordExpiration: true,
      newDomain: { aliases: 10, mailboxes: 10, maxquota: 10, quota: 2048, transport: 'virtual', passwordExpiry: 365 },
    });
    const rules = siteRules({ quota: 'YES', domain_quota: 'NO', password_expiration: false, quota_multiplier: '0', aliases: '-1', encrypt: ' system ' }, { encrypt: 'dovecot:BLF-CRYPT', quotaMultiplier: 1_048_576 });
    expect(rules).toMatchObject({ encrypt: 'system', multiplier: 1, enforceQuota: true, enforceDomainQuota: false, passwordExpiration: false, newDomain: { aliases: -1 } });
    expect(siteRules({}, { encrypt: 'dovecot:BLF-CRYPT', quotaMultiplier: 1_048_576 })).toMatchObject({ encrypt: 'dovecot:BLF-CRYPT', multiplier: 1_048_576 });
  });
});

describe('encrypt schemes', () => {
  it('defaults to PostfixAdmin’s own choice for the revision, and maps older connections’ schemes', () => {
    expect(defaultEncrypt(1847)).toBe('md5crypt');
    expect(defaultEncrypt(null)).toBe('md5crypt');
    expect(defaultEncrypt(1851)).toBe('php_crypt');
    expect(encryptOfScheme('BLF-CRYPT')).toBe('dovecot:BLF-CRYPT');
  });

  it('writes the form each setting stores', async () => {
    const forms: [string, RegExp][] = [
      ['system', /^\$6\$[./0-9A-Za-z]{16}\$/],
      ['SHA512.B64', /^\{SHA512-CRYPT\.B64\}JDYk/],
      ['php_crypt', /^\$6\$/],
      ['php_crypt:SHA256:5000', /^\$5\$(?!rounds=)/], // 5000 is crypt's default: no rounds= field (a salt may itself start with r)
      ['php_crypt:SHA512:20000:{X-PREFIX}', /^\{X-PREFIX\}\$6\$rounds=20000\$/],
      ['php_crypt:blowfish:4', /^\$2y\$04\$/],
      ['dovecot:sha256-crypt', /^\{SHA256-CRYPT\}\$5\$/],
      ['argon2i', /^\{ARGON2I\}\$argon2i\$v=19\$m=65536,t=3,p=1\$/],
    ];
    for (const [encrypt, form] of forms) {
      const writer = passwordWriter(encrypt, { bcryptRounds: 4 });
      expect(writer.ok, encrypt).toBe(true);
      if (writer.ok) expect(await writer.write('pw'), encrypt).toMatch(form);
    }
  });

  it('refuses what it cannot write, naming the way out', () => {
    const reason = (encrypt: string): string => {
      const w = passwordWriter(encrypt);
      return w.ok ? 'writes' : w.reason;
    };
    expect(reason('md5crypt')).toMatch(/md5crypt.*php_crypt/);
    expect(reason('php_crypt:MD5')).toMatch(/md5crypt/);
    expect(reason('php_crypt:SHA512:99')).toMatch(/rounds/);
    expect(reason('php_crypt:BLOWFISH:40')).toMatch(/cost/);
    expect(reason('php_crypt:DES')).toMatch(/DES/);
    expect(reason('cleartext')).toMatch(/clear text/);
    expect(reason('dovecot:CRAM-MD5')).toMatch(/not an encrypt scheme/);
  });
});

describe('mailbox local parts and schema revisions', () => {
  it('refuses local parts that would escape or share a maildir', () => {
    for (const bad of ['/ana', 'a/b', '.ana', 'ana.', 'a..b']) expect(unsafeLocalPart(bad), bad).not.toBeNull();
    for (const good of ['ana', 'a.b', 'a+tag', "o'neil"]) expect(unsafeLocalPart(good), good).toBeNull();
  });

  it('names the release line of a revision', () => {
    expect(releaseOf(1847)).toBe('PostfixAdmin 3.x (schema revision 1847)');
    expect(releaseOf(1851)).toBe('PostfixAdmin 4.0 (schema revision 1851)');
    expect(releaseOf(1856)).toContain('development');
    expect(releaseOf(null)).toContain('without a version row');
  });
});
