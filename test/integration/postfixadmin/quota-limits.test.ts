import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfixAdminAdapter } from '../../../electron/backends/postfixadmin/postfixadmin-adapter.ts';
import { openSqlDriver, type SqlDriver } from '../../../electron/backends/postfixadmin/sql-driver.ts';
import { codeOf, createRealSite, must, openMailroom, postfixAdminMissing, skipReason, type RealSite } from './support/real-postfixadmin.ts';
import { cell, countRows } from './support/sql-probe.ts';

const PW = 'Quota-pw-42';
const MB = 1e6;

describe.skipIf(postfixAdminMissing !== null)(`Quota limits on a site that enforces them ($CONF['quota'] = 'YES')${skipReason}`, () => {
  let site: RealSite;
  let db: SqlDriver;
  let mr: PostfixAdminAdapter;
  // PostfixAdmin's verdict on the same request, through its CLI.
  const pfaAccepts = async (user: string, quota: string): Promise<boolean> =>
    (await site.cli('mailbox', 'add', user, '--password', PW, '--password2', PW, ...(quota ? ['--quota', quota] : []))).code === 0;

  beforeAll(async () => {
    site = await createRealSite('sqlite', "$CONF['quota'] = 'YES'; $CONF['encrypt'] = 'php_crypt';");
    db = await openSqlDriver(site.target, null);
    mr = await openMailroom(site);
    await site.must('domain', 'add', 'q.test', '--maxquota', '100', '--quota', '150', '--mailboxes', '0');
  });

  afterAll(async () => {
    await mr?.close();
    await db?.close();
    await site?.drop();
  });

  it('refuses a mailbox above the per-mailbox maximum, or unlimited, before writing; PostfixAdmin refuses the same', async () => {
    for (const [bytes, cliQuota] of [[120 * MB, '120'], [null, '']] as const) {
      const r = await mr.createMailbox({ address: 'big@q.test', password: PW, quotaBytes: bytes });
      expect(codeOf(r), JSON.stringify(r)).toBe('backend.validation');
      expect(r.ok ? '' : r.error.message).toMatch(/100 MB/);
      expect(await countRows(db, 'mailbox', 'username', 'big@q.test')).toBe(0);
      expect(await countRows(db, 'alias', 'address', 'big@q.test')).toBe(0);
      expect(await pfaAccepts('big-pfa@q.test', cliQuota)).toBe(false);
    }
  });

  it('keeps the domain inside its total quota, counting what PostfixAdmin made', async () => {
    expect(await pfaAccepts('p1@q.test', '100')).toBe(true);
    const over = await mr.createMailbox({ address: 'm1@q.test', password: PW, quotaBytes: 60 * MB });
    expect(codeOf(over)).toBe('backend.validation');
    expect(over.ok ? '' : over.error.message).toMatch(/150 MB/);
    expect(await pfaAccepts('p2@q.test', '60')).toBe(false);
    must(await mr.createMailbox({ address: 'm1@q.test', password: PW, quotaBytes: 50 * MB }));
    expect((await site.view('mailbox', 'm1@q.test'))['Quota']).toBe('50');
    expect(codeOf(await mr.updateMailbox('m1@q.test', { quotaBytes: 51 * MB }))).toBe('backend.validation');
    expect(Number(await cell(db, 'SELECT quota FROM mailbox WHERE username = ?', 'm1@q.test'))).toBe(50 * 1_024_000);
    must(await mr.updateMailbox('m1@q.test', { quotaBytes: 40 * MB }));
    expect((await site.view('mailbox', 'm1@q.test'))['Quota']).toBe('40');
  });

  it('enforces nothing on a site that leaves quotas off (PostfixAdmin 3.3’s default), as PostfixAdmin does', async () => {
    const plain = await createRealSite('sqlite', "$CONF['encrypt'] = 'php_crypt';");
    const loose = await openMailroom(plain);
    try {
      await plain.must('domain', 'add', 'free.test');
      // PostfixAdmin writes maxquota 10 for new domains but checks it only when quota is YES.
      must(await loose.createMailbox({ address: 'big@free.test', password: PW, quotaBytes: 500 * MB }));
      expect((await plain.view('mailbox', 'big@free.test'))['Quota']).toBe('500');
      expect((await plain.cli('mailbox', 'add', 'big2@free.test', '--password', PW, '--password2', PW, '--quota', '500')).code).toBe(0);
    } finally {
      await loose.close();
      await plain.drop();
    }
  });
});
