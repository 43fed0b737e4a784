import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlDriver, type SqlDriver } from '../../../electron/backends/postfixadmin/sql-driver.ts';
import { codeOf, createRealSite, must, openMailroom, postfixAdminMissing, skipReason, type RealSite } from './support/real-postfixadmin.ts';
import { cell, countRows } from './support/sql-probe.ts';

const run = promisify(execFile);
const PW = 'Hash-pw-42 ü';

// Each `$CONF['encrypt']` a site may run, with what Mailroom must store for it. PostfixAdmin 3.3's own
// pacrypt() is the judge: PostfixAdmin accepts a login when pacrypt(password, stored) === stored.
const SCHEMES: readonly [encrypt: string, stored: RegExp][] = [
  ['system', /^\$6\$/],
  ['sha512.b64', /^\{SHA512-CRYPT\.B64\}JDYk/],
  ['php_crypt', /^\$6\$/],
  ['php_crypt:SHA256', /^\$5\$/],
  ['php_crypt:BLOWFISH:6', /^\$2y\$06\$/],
  ['php_crypt:SHA512:10000:{SHA512-CRYPT}', /^\{SHA512-CRYPT\}\$6\$rounds=10000\$/],
  ['dovecot:BLF-CRYPT', /^\{BLF-CRYPT\}\$2y\$/],
  ['dovecot:SHA512-CRYPT', /^\{SHA512-CRYPT\}\$6\$/],
  ['dovecot:SHA256-CRYPT', /^\{SHA256-CRYPT\}\$5\$/],
  ['dovecot:SHA512-CRYPT.B64', /^\{SHA512-CRYPT\.B64\}/],
  ['dovecot:ARGON2I', /^\{ARGON2I\}\$argon2i\$/],
  ['dovecot:ARGON2ID', /^\{ARGON2ID\}\$argon2id\$/],
];

describe.skipIf(postfixAdminMissing !== null)(`Password hashes PostfixAdmin 3.3's own login accepts${skipReason}`, () => {
  let site: RealSite;
  let db: SqlDriver;
  const stored = async (user: string): Promise<string> => String(await cell(db, 'SELECT password FROM mailbox WHERE username = ?', user));

  beforeAll(async () => {
    // Debian's configuration untouched: encrypt is md5crypt, PostfixAdmin 3.3's default.
    site = await createRealSite('sqlite');
    db = await openSqlDriver(site.target, null);
    await site.must('domain', 'add', 'hash.test', '--mailboxes', '0');
    await site.must('mailbox', 'add', 'old@hash.test', '--password', 'Legacy-pw-42', '--password2', 'Legacy-pw-42');
  });

  afterAll(async () => {
    await db?.close();
    await site?.drop();
  });

  it('on a default 3.3 site (md5crypt) says it cannot write passwords, and creates no mailbox', async () => {
    const mr = await openMailroom(site);
    const caps = must(await mr.probe());
    expect(caps.mailbox.setPassword.level).toBe('unsupported');
    expect(caps.mailbox.setPassword.manual).toMatch(/md5crypt/);
    const made = await mr.createMailbox({ address: 'new@hash.test', password: PW });
    expect(codeOf(made)).toBe('backend.unsupported');
    expect(await countRows(db, 'mailbox', 'username', 'new@hash.test')).toBe(0);
    expect(codeOf(await mr.setPassword('old@hash.test', PW))).toBe('backend.unsupported');
    expect(await site.pacrypt('Legacy-pw-42', await stored('old@hash.test'))).toBe(await stored('old@hash.test'));
    await mr.close();
  });

  it.each(SCHEMES)('under encrypt = %s writes a hash pacrypt() accepts for the right password only', async (encrypt, form) => {
    const mr = await openMailroom(site, { encrypt });
    const user = `u${SCHEMES.findIndex(([e]) => e === encrypt)}@hash.test`;
    must(await mr.createMailbox({ address: user, password: PW }));
    const hash = await stored(user);
    expect(hash).toMatch(form);
    expect(await site.pacrypt(PW, hash, encrypt)).toBe(hash);
    expect(await site.pacrypt('Wrong-pw-42', hash, encrypt)).not.toBe(hash);
    must(await mr.setPassword(user, `${PW}!`));
    const changed = await stored(user);
    expect(changed).not.toBe(hash);
    expect(await site.pacrypt(`${PW}!`, changed, encrypt)).toBe(changed);
    await mr.close();
  });

  it('switching a site to php_crypt keeps its md5crypt passwords valid (the advice Mailroom gives)', async () => {
    const old = await stored('old@hash.test');
    expect(old).toMatch(/^\$1\$/);
    expect(await site.pacrypt('Legacy-pw-42', old, 'php_crypt')).toBe(old);
  });

  it("writes PostfixAdmin 4's bare scheme names as PHP's password_verify (4.x's check) and Dovecot read them", async () => {
    for (const encrypt of ['argon2i', 'ARGON2ID', 'BLF-CRYPT']) {
      const mr = await openMailroom(site, { encrypt });
      const user = `v-${encrypt.toLowerCase()}@hash.test`;
      must(await mr.createMailbox({ address: user, password: PW }));
      await mr.close();
      const hash = await stored(user);
      expect(hash.startsWith(`{${encrypt.toUpperCase()}}`), hash).toBe(true);
      const verify = async (pw: string): Promise<string> =>
        (await run('php', ['-r', 'echo password_verify($argv[1], preg_replace("/^\\{[A-Z0-9.-]+\\}/", "", $argv[2])) ? "yes" : "no";', pw, hash])).stdout;
      expect(await verify(PW)).toBe('yes');
      expect(await verify('Wrong-pw-42')).toBe('no');
      expect((await run('doveadm', ['pw', '-t', hash, '-p', PW])).stdout).toContain('(verified)');
    }
  });

  it('refuses schemes it cannot write with a clear reason and no row', async () => {
    for (const encrypt of ['md5crypt', 'php_crypt:MD5', 'cleartext', 'dovecot:CRAM-MD5', 'nonsense']) {
      const mr = await openMailroom(site, { encrypt });
      const made = await mr.createMailbox({ address: 'never@hash.test', password: PW });
      expect(codeOf(made), encrypt).toBe('backend.unsupported');
      expect(made.ok ? '' : made.error.message).toContain(encrypt === 'php_crypt:MD5' ? 'md5crypt' : encrypt);
      await mr.close();
    }
    expect(await countRows(db, 'mailbox', 'username', 'never@hash.test')).toBe(0);
  });
});
