import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { createRealSite, postfixAdminMissing, skipReason, type RealSite } from './support/real-postfixadmin.ts';

const PW = 'Cli-pw-42';

describe.skipIf(postfixAdminMissing !== null)(`mailroom CLI on a real PostfixAdmin 3.3 site${skipReason}`, () => {
  let site: RealSite;
  let dataDir: string;
  const cli = (...argv: string[]) => runCliInProcess(argv, { dataDir, env: { MAILBOX_PW: PW } });
  const lines = (out: string): string[] => out.trim().split('\n').filter(Boolean);

  beforeAll(async () => {
    site = await createRealSite('sqlite', "$CONF['encrypt'] = 'sha512.b64';");
    dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-pfa-'));
    const config = join(site.dir, 'site/config.local.php');
    const added = await cli('connections', 'add-postfixadmin', '--name', 'box', '--dialect', 'sqlite', '--path', site.target.path!, '--site-config', config, '--json');
    expect(added.code, added.out + added.err).toBe(0);
    expect(added.json()['settings']).toMatchObject({ site: { encrypt: 'sha512.b64' } });
  });

  afterAll(async () => {
    await site?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('connections test names the schema revision', async () => {
    const tested = await cli('connections', 'test', 'box');
    expect(tested.code, tested.err).toBe(0);
    expect(tested.out).toContain('PostfixAdmin 3.x (schema revision 1847)');
    expect(tested.out).not.toMatch(/note: mailbox\.setPassword/);
    // Not naming the site's scheme means PostfixAdmin 3.3's default, md5crypt: the test passes but says so.
    expect((await cli('connections', 'add-postfixadmin', '--name', 'unnamed', '--dialect', 'sqlite', '--path', site.target.path!)).code).toBe(0);
    const unnamed = await cli('connections', 'test', 'unnamed');
    expect(unnamed.code).toBe(0);
    expect(unnamed.out).toMatch(/note: mailbox\.setPassword: This site hashes with md5crypt.*PostfixAdmin's default for this revision/);
    // The site's scheme named afterwards, in place: the test then has nothing to note; a bad key or value changes nothing.
    expect(await cli('connections', 'edit', 'unnamed', '--site', 'bogus=1')).toMatchObject({ code: 2, err: expect.stringMatching(/^error \[input\.invalid\]: --site takes KEY=VALUE with KEY one of encrypt, /) });
    expect(await cli('connections', 'edit', 'unnamed', '--site', 'quota=maybe')).toMatchObject({ code: 2, err: expect.stringContaining('quota is YES or NO, not "maybe"') });
    const named = await cli('connections', 'edit', 'unnamed', '--site', 'encrypt=sha512.b64', '--site', 'quota=YES', '--json');
    expect(named.code, named.out + named.err).toBe(0);
    expect(named.json()['connection']['settings']).toMatchObject({ site: { encrypt: 'sha512.b64', quota: 'YES' } });
    expect(named.out).not.toMatch(/md5crypt/);
    const reread = await cli('connections', 'edit', 'unnamed', '--site-config', join(site.dir, 'site/config.local.php'), '--site', 'quota=', '--json');
    expect(reread.code, reread.out + reread.err).toBe(0);
    expect(reread.json()['connection']['settings']['site']).toMatchObject({ encrypt: 'sha512.b64' });
    expect(reread.json()['connection']['settings']['site']).not.toHaveProperty('quota');
    expect((await cli('connections', 'remove', 'unnamed')).code).toBe(0);
  });

  it('--quota 50MB shows as 50 in PostfixAdmin and as 50 MB in Mailroom; the password works in PostfixAdmin', async () => {
    await site.must('domain', 'add', 'cli.test');
    const made = await cli('mailboxes', 'create', 'ann@cli.test', '--connection', 'box', '--password-env', 'MAILBOX_PW', '--quota', '50MB');
    expect(made.code, made.out + made.err).toBe(0);
    expect((await site.view('mailbox', 'ann@cli.test'))['Quota']).toBe('50');
    const db = new Database(site.target.path!, { readonly: true });
    const hash = String((db.prepare('SELECT password FROM mailbox WHERE username = ?').get('ann@cli.test') as { password: string }).password);
    db.close();
    expect(hash).toMatch(/^\{SHA512-CRYPT\.B64\}/);
    expect(await site.pacrypt(PW, hash)).toBe(hash);
    const listed = await cli('mailboxes', 'list', '--connection', 'box', '--search', 'ann');
    expect(listed.out).toMatch(/ann@cli\.test\s.*\b50\.0 MB/);
    expect((await cli('mailboxes', 'list', '--connection', 'box', '--json')).json()['rows'][0]).toMatchObject({ address: 'ann@cli.test', quotaBytes: 50e6 });
    await site.must('mailbox', 'update', 'ann@cli.test', '--quota', '75');
    expect((await cli('mailboxes', 'list', '--connection', 'box', '--refresh', '--search', 'ann')).out).toMatch(/\b75\.0 MB/);
  });

  it('a failed refresh prints one error and exits 1; --refresh without --connection refreshes every connection', async () => {
    const empty = join(dataDir, 'not-postfixadmin.db');
    new Database(empty).close();
    expect((await cli('connections', 'add-postfixadmin', '--name', 'broken', '--dialect', 'sqlite', '--path', empty, '--skip-test')).code).toBe(0);

    const one = await cli('domains', 'list', '--connection', 'broken', '--refresh', '--json');
    expect(one.code).toBe(1);
    expect(lines(one.out)).toHaveLength(1);
    expect(JSON.parse(one.out)['error']['message']).toMatch(/not a PostfixAdmin database|no table domain/);

    // A domain made in PostfixAdmin after the last refresh appears only if --refresh really refreshed "box".
    await site.must('domain', 'add', 'later.test');
    const every = await cli('domains', 'list', '--refresh', '--json');
    expect(every.code).toBe(1);
    expect(lines(every.out)).toHaveLength(1);
    expect(JSON.parse(every.out)['error']['message']).toContain('"broken"');

    expect((await cli('connections', 'remove', 'broken')).code).toBe(0);
    await site.must('domain', 'add', 'latest.test');
    const fine = await cli('domains', 'list', '--refresh', '--json');
    expect(fine.code, fine.out).toBe(0);
    expect(lines(fine.out)).toHaveLength(1);
    expect(JSON.parse(fine.out).map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['cli.test', 'later.test', 'latest.test']));
  });
});
