import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfixAdminAdapter } from '../../../../electron/backends/postfixadmin/postfixadmin-adapter.ts';
import { openSqlDriver, type SqlDialect, type SqlDriver } from '../../../../electron/backends/postfixadmin/sql-driver.ts';
import { all, codeOf, createRealSite, must, openMailroom, postfixAdminMissing, skipReason, type RealSite } from './real-postfixadmin.ts';
import { cell, countRows, hoursFromNow, modifiedAfterCreated } from './sql-probe.ts';

// A common production setting: SHA512-CRYPT with Dovecot's prefix, verified by PostfixAdmin through doveadm.
const SITE_CONF = "$CONF['encrypt'] = 'dovecot:SHA512-CRYPT';";
const PW = 'Mailroom-pw-42';

/** Both directions against Debian 12's PostfixAdmin 3.3.13 on one database engine, judged by its CLI and pacrypt(). */
export function defineInteropSuite(dialect: SqlDialect): void {
  describe.skipIf(postfixAdminMissing !== null)(`PostfixAdmin 3.3 (Debian 12) and Mailroom on ${dialect}${skipReason}`, () => {
    let site: RealSite;
    let db: SqlDriver;
    let mr: PostfixAdminAdapter;

    beforeAll(async () => {
      site = await createRealSite(dialect, SITE_CONF);
      db = await openSqlDriver(site.target, null);
      // Another time zone than the test machine's: a UTC literal would land an hour off in timestamptz.
      if (dialect === 'postgres') await db.run(`ALTER DATABASE ${site.target.database} SET timezone = 'Europe/Berlin'`);
      await db.close();
      db = await openSqlDriver(site.target, null);
      mr = await openMailroom(site);
    });

    afterAll(async () => {
      await mr?.close();
      await db?.close();
      await site?.drop();
    });

    it('reports the schema revision and works with its columns (no alias.description at 1847)', async () => {
      expect(site.revision).toBe('1847');
      const caps = must(await mr.probe());
      expect(caps.version).toContain('schema revision 1847');
      expect(caps.mailbox.setPassword.level).toBe('native');
      expect(caps.group.manage.how).toContain('no alias.description');
    });

    it('reads domains, mailboxes, aliases, groups, forwards and catch-alls that PostfixAdmin made', async () => {
      await site.must('domain', 'add', 'pfa.test', '--description', 'Made by PFA');
      await site.must('mailbox', 'add', 'ana@pfa.test', '--password', PW, '--password2', PW, '--name', 'Ana', '--quota', '50');
      await site.must('alias', 'update', 'ana@pfa.test', '--goto', 'fwd@remote.test');
      await site.must('alias', 'add', 'sales@pfa.test', '--goto', 'ana@pfa.test,bo@remote.test');
      await site.must('alias', 'add', '*@pfa.test', '--goto', 'ana@pfa.test');
      await site.must('mailbox', 'add', 'cy@pfa.test', '--password', PW, '--password2', PW);
      await site.must('mailbox', 'update', 'cy@pfa.test', '--active', '0');

      const domain = (await all(mr.listDomains())).find((d) => d.name === 'pfa.test')!;
      expect(domain).toMatchObject({ description: 'Made by PFA', active: true, mailboxCount: 2, quotaBytes: 2048 * 1e6 });
      const boxes = await all(mr.listMailboxes('pfa.test'));
      expect(boxes.map((b) => [b.address, b.displayName, b.quotaBytes, b.active])).toEqual([
        ['ana@pfa.test', 'Ana', 50 * 1e6, true],
        ['cy@pfa.test', null, null, false],
      ]);
      const aliases = await all(mr.listAliases('pfa.test'));
      expect(aliases.map((a) => a.address).sort()).toEqual(['@pfa.test', 'abuse@pfa.test', 'hostmaster@pfa.test', 'postmaster@pfa.test', 'sales@pfa.test', 'webmaster@pfa.test']);
      expect(aliases.find((a) => a.address === 'sales@pfa.test')?.targets).toEqual(['ana@pfa.test', 'bo@remote.test']);
      expect(await all(mr.listGroups('pfa.test'))).toEqual([{ address: 'sales@pfa.test', name: null, members: ['ana@pfa.test', 'bo@remote.test'] }]);
      expect(must(await mr.getForwarding('ana@pfa.test'))).toMatchObject({ targets: ['fwd@remote.test'], keepCopy: true, state: 'active' });
    });

    it('lists the forwards PostfixAdmin keeps in mailbox alias rows, as its own alias list shows them', async () => {
      await site.must('domain', 'add', 'fw.test');
      for (const u of ['dan', 'flo', 'gus']) await site.must('mailbox', 'add', `${u}@fw.test`, '--password', PW, '--password2', PW);
      await site.must('alias', 'update', 'dan@fw.test', '--goto', 'dan@home.test');
      must(await mr.setForwarding('flo@fw.test', ['flo@away.test', 'gus@fw.test'], false));
      const listed = await all(mr.listForwarding('fw.test'));
      expect(listed.map((f) => f.address).sort()).toEqual(['dan@fw.test', 'flo@fw.test']);
      // Each one as PostfixAdmin's own alias view shows it: its targets ("To") and whether it delivers locally.
      for (const f of listed) {
        const view = await site.view('alias', f.address);
        expect([...f.targets].sort()).toEqual(view['To']!.split(',').map((t) => t.trim()).sort());
        expect(f.keepCopy).toBe(view['Deliver to the local mailbox.'] === 'YES');
      }
      expect(listed.find((f) => f.address === 'dan@fw.test')).toMatchObject({ targets: ['dan@home.test'], keepCopy: true, state: 'active' });
    });

    it('creates a domain PostfixAdmin shows with its own defaults for new domains', async () => {
      must(await mr.createDomain('mr.test', { description: 'Made by Mailroom' }));
      const shown = await site.view('domain', 'mr.test');
      expect(shown).toMatchObject({ Description: 'Made by Mailroom', Aliases: '0 / 10', Mailboxes: '0 / 10', Active: 'YES', 'Pass expires': '365' });
      const row = (await db.query('SELECT maxquota, quota, transport FROM domain WHERE domain = ?', ['mr.test']))[0]!;
      expect([Number(row['maxquota']), Number(row['quota']), row['transport']]).toEqual([10, 2048, 'virtual']);
      expect(Math.abs(await hoursFromNow(db, 'domain', 'created', 'domain', 'mr.test'))).toBeLessThan(0.05);
    });

    it('creates a mailbox PostfixAdmin shows, logs into and edits; --quota 50MB is 50 in both', async () => {
      must(await mr.createMailbox({ address: 'eve@mr.test', password: PW, displayName: 'Eve', quotaBytes: 50e6 }));
      expect(await site.view('mailbox', 'eve@mr.test')).toMatchObject({ Username: 'eve@mr.test', Name: 'Eve', Quota: '50', Active: 'YES' });
      expect(await site.view('alias', 'eve@mr.test')).toMatchObject({ 'Deliver to the local mailbox.': 'YES', Active: 'YES' });
      const hash = String(await cell(db, 'SELECT password FROM mailbox WHERE username = ?', 'eve@mr.test'));
      expect(hash).toMatch(/^\{SHA512-CRYPT\}\$6\$/);
      expect(await site.pacrypt(PW, hash)).toBe(hash);
      expect(await site.pacrypt('not-the-password-1', hash)).not.toBe(hash);

      await site.must('mailbox', 'update', 'eve@mr.test', '--name', 'Eve Two', '--quota', '60');
      expect(must(await mr.getMailbox('eve@mr.test'))).toMatchObject({ displayName: 'Eve Two', quotaBytes: 60e6, active: true });
      must(await mr.setForwarding('eve@mr.test', ['out@remote.test'], true));
      expect((await site.view('alias', 'eve@mr.test'))['To']).toBe('out@remote.test');
      expect(must(await mr.getForwarding('eve@mr.test'))).toMatchObject({ targets: ['out@remote.test'], keepCopy: true });
    });

    it('writes aliases and groups PostfixAdmin reads and edits, without the description column', async () => {
      must(await mr.upsertAlias({ address: 'info@mr.test', targets: ['eve@mr.test'] }));
      expect((await site.view('alias', 'info@mr.test'))['To']).toBe('eve@mr.test');
      await site.must('alias', 'update', 'info@mr.test', '--goto', 'a@remote.test,b@remote.test');
      expect((await all(mr.listAliases('mr.test'))).find((a) => a.address === 'info@mr.test')?.targets).toEqual(['a@remote.test', 'b@remote.test']);
      expect(must(await mr.upsertGroup({ address: 'team@mr.test', name: 'The team', members: ['eve@mr.test', 'c@remote.test'] }))).toMatchObject({ members: ['eve@mr.test', 'c@remote.test'] });
      expect((await site.view('alias', 'team@mr.test'))['To']).toBe('eve@mr.test, c@remote.test');
      must(await mr.deleteAlias('team@mr.test'));
      expect((await site.cli('alias', 'view', 'team@mr.test')).code).not.toBe(0);
    });

    it('refuses what the domain limits forbid, as PostfixAdmin does, and writes no row', async () => {
      must(await mr.createDomain('lim.test'));
      await site.must('domain', 'update', 'lim.test', '--mailboxes', '1', '--aliases', '1');
      must(await mr.createMailbox({ address: 'one@lim.test', password: PW }));
      const second = await mr.createMailbox({ address: 'two@lim.test', password: PW });
      expect(codeOf(second), JSON.stringify(second)).toBe('backend.validation');
      expect(await countRows(db, 'mailbox', 'username', 'two@lim.test')).toBe(0);
      expect(await countRows(db, 'alias', 'address', 'two@lim.test')).toBe(0);
      expect((await site.cli('mailbox', 'add', 'three@lim.test', '--password', PW, '--password2', PW)).code).not.toBe(0);

      // The mailbox's own alias row does not count against the alias limit.
      must(await mr.upsertAlias({ address: 'a1@lim.test', targets: ['one@lim.test'] }));
      must(await mr.upsertAlias({ address: 'a1@lim.test', targets: ['x@remote.test'] }));
      expect(codeOf(await mr.upsertAlias({ address: 'a2@lim.test', targets: ['one@lim.test'] }))).toBe('backend.validation');
      expect(await countRows(db, 'alias', 'address', 'a2@lim.test')).toBe(0);
      expect((await site.cli('alias', 'add', 'a3@lim.test', '--goto', 'one@lim.test')).code).not.toBe(0);

      await site.must('domain', 'update', 'lim.test', '--mailboxes', '-1', '--aliases', '0');
      expect(codeOf(await mr.createMailbox({ address: 'four@lim.test', password: PW }))).toBe('backend.validation');
      must(await mr.upsertAlias({ address: 'a2@lim.test', targets: ['one@lim.test'] }));
    });

    it('sets password_expiry from the domain’s days, as PostfixAdmin does, so the documented expiry query lets the user in', async () => {
      must(await mr.createMailbox({ address: 'fay@pfa.test', password: PW }));
      const days = (await hoursFromNow(db, 'mailbox', 'password_expiry', 'username', 'fay@pfa.test')) / 24;
      expect(days).toBeGreaterThan(364.9);
      expect(days).toBeLessThan(365.1);
      await site.must('domain', 'update', 'pfa.test', '--password-expiry', '30');
      must(await mr.setPassword('fay@pfa.test', `${PW}-2`));
      expect((await hoursFromNow(db, 'mailbox', 'password_expiry', 'username', 'fay@pfa.test')) / 24).toBeCloseTo(30, 1);
      const now = dialect === 'sqlite' ? "datetime('now')" : 'now()';
      const allowed = await db.query(
        `SELECT m.username FROM mailbox m JOIN domain d ON d.domain = m.domain WHERE m.username = ? AND (m.password_expiry > ${now} OR d.password_expiry = 0)`,
        ['fay@pfa.test'],
      );
      expect(allowed).toHaveLength(1);
    });

    it('stamps created and modified with the database clock, so a PostfixAdmin row it edits stays in order', async () => {
      must(await mr.updateMailbox('ana@pfa.test', { displayName: 'Ana B' }));
      const gap = await modifiedAfterCreated(db, 'mailbox', 'username', 'ana@pfa.test');
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThan(0.05);
      expect(Math.abs(await hoursFromNow(db, 'mailbox', 'modified', 'username', 'ana@pfa.test'))).toBeLessThan(0.05);
      expect(Math.abs(await hoursFromNow(db, 'alias', 'created', 'address', 'info@mr.test'))).toBeLessThan(0.05);
    });

    it('refuses local parts that would escape or share a maildir', async () => {
      for (const address of ['a/b@mr.test', '/eve@mr.test', '.hidden@mr.test', 'x..y@mr.test']) {
        expect(codeOf(await mr.createMailbox({ address, password: PW })), address).toBe('backend.validation');
        expect(await countRows(db, 'mailbox', 'username', address)).toBe(0);
      }
      // A maildir already in use (by hand-made or migrated rows) is never handed to a second mailbox.
      await site.must('mailbox', 'add', 'zed@mr.test', '--password', PW, '--password2', PW);
      await db.run("UPDATE mailbox SET maildir = 'mr.test/kim/' WHERE username = 'zed@mr.test'");
      expect(codeOf(await mr.createMailbox({ address: 'kim@mr.test', password: PW }))).toBe('backend.conflict');
      expect(await countRows(db, 'mailbox', 'username', 'kim@mr.test')).toBe(0);
    });

    it('logs its changes in PostfixAdmin’s log as PostfixAdmin writes them', async () => {
      must(await mr.deleteMailbox('eve@mr.test'));
      expect((await site.cli('mailbox', 'view', 'eve@mr.test')).code).not.toBe(0);
      const rows = await db.query("SELECT username, domain, action, data FROM log WHERE username = 'tester (mailroom)'");
      const known = site.logActions();
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) expect(known, JSON.stringify(r)).toContain(r['action']);
      const actions = rows.map((r) => `${r['action']} ${r['data']}`);
      expect(actions).toEqual(expect.arrayContaining(['create_domain mr.test', 'create_alias eve@mr.test', 'create_mailbox eve@mr.test', 'edit_alias eve@mr.test', 'delete_mailbox eve@mr.test', 'edit_password fay@pfa.test']));
      const stamps = await db.query(`SELECT count(*) AS n FROM log WHERE username = 'tester (mailroom)' AND timestamp > ${{ sqlite: "datetime('now', '-1 hour')", mysql: 'now() - INTERVAL 1 HOUR', postgres: "now() - interval '1 hour'" }[dialect]}`);
      expect(Number(stamps[0]!['n'])).toBe(rows.length);
    });
  });
}
