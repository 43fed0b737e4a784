import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostfixAdminAdapter } from '../../../../electron/backends/postfixadmin/postfixadmin-adapter.ts';
import type { SqlDialect } from '../../../../electron/backends/postfixadmin/sql-driver.ts';
import { eventually, imapLogin, message, sendSmtp } from '../../provisioning/support/mail-client.ts';
import { dovecotLog, isRoot, startDovecot, type DovecotInstance } from '../../provisioning/support/mail-servers.ts';
import { postfixLog, startPostfix, type PostfixInstance } from '../../provisioning/support/postfix-server.ts';
import { createRealSite, must, openMailroom, postfixAdminMissing, skipReason, type RealSite } from './real-postfixadmin.ts';

const PW = 'Suspend-pw-42';

// Judged by Postfix's own lookups (PostfixAdmin's documented alias and mailbox queries) and by delivery
// through Postfix into Dovecot, whichever tool suspends or unsuspends. Postfix needs root.
/** Suspension: a suspended mailbox with a forward receives and forwards nothing, and receives again when unsuspended. */
export function defineSuspensionSuite(dialect: SqlDialect): void {
  describe.skipIf(postfixAdminMissing !== null || !isRoot)(`Suspension through Postfix and Dovecot on ${dialect}${skipReason}${isRoot ? '' : ' (skipped: Postfix runs as root only)'}`, () => {
    let site: RealSite;
    let mr: PostfixAdminAdapter;
    let dovecot: DovecotInstance;
    let postfix: PostfixInstance;
    const inbox = (user: string): Promise<number | 'refused'> => imapLogin(dovecot.imapPort, user, PW);
    // Postfix's answer to PostfixAdmin's alias query, targets sorted (PostfixAdmin rewrites goto in its own order).
    const aliasOf = async (address: string): Promise<string> => (await postfix.lookup('aliases', address)).split(',').filter(Boolean).sort().join(',');
    const maildirOf = (address: string): Promise<string> => postfix.lookup('mailboxes', address);
    const refused = (to: string): Promise<string> =>
      sendSmtp(postfix.smtpPort, [to], message(`to ${to}`)).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    const counts = async (...users: string[]): Promise<string> => (await Promise.all(users.map(async (u) => `${u}=${await inbox(u)}`))).join(' ');

    beforeAll(async () => {
      site = await createRealSite(dialect, "$CONF['encrypt'] = 'dovecot:SHA512-CRYPT';");
      mr = await openMailroom(site);
      dovecot = await startDovecot(site.target);
      postfix = await startPostfix(site.target, dovecot.lmtpPort);
      await site.must('domain', 'add', 'sus.test');
      await site.must('domain', 'add', 'other.test');
      for (const user of ['carol@other.test', 'catch@other.test']) await site.must('mailbox', 'add', user, '--password', PW, '--password2', PW);
    });

    afterAll(async () => {
      await postfix?.stop();
      await dovecot?.stop();
      await mr?.close();
      await site?.drop();
    });

    it('suspended by Mailroom: Postfix finds no alias and no mailbox, so nothing is forwarded; unsuspended by PostfixAdmin it receives again', async () => {
      must(await mr.createMailbox({ address: 'ana@sus.test', password: PW }));
      must(await mr.setForwarding('ana@sus.test', ['carol@other.test'], true));
      expect(await aliasOf('ana@sus.test')).toBe('ana@sus.test,carol@other.test');

      must(await mr.updateMailbox('ana@sus.test', { active: false }));
      expect(await aliasOf('ana@sus.test')).toBe('');
      expect(await maildirOf('ana@sus.test')).toBe('');
      expect(await site.view('alias', 'ana@sus.test')).toMatchObject({ Active: 'NO' });
      expect(await refused('ana@sus.test')).toMatch(/550|unknown/i);
      expect(await inbox('carol@other.test')).toBe(0);
      expect(await inbox('ana@sus.test')).toBe('refused');

      await site.must('mailbox', 'update', 'ana@sus.test', '--active', '1');
      expect(await aliasOf('ana@sus.test')).toBe('ana@sus.test,carol@other.test');
      expect(await refused('ana@sus.test')).toBe('accepted');
      const arrived = await eventually(async () => (await inbox('ana@sus.test')) === 1 && (await inbox('carol@other.test')) === 1, 15_000);
      expect(arrived, `${await counts('ana@sus.test', 'carol@other.test')}\n${postfixLog(postfix)}\n${dovecotLog(dovecot)}`).toBe(true);
    });

    it('suspended by PostfixAdmin, unsuspended by Mailroom: the alias row is back, so the catch-all does not swallow the mail', async () => {
      await site.must('mailbox', 'add', 'bob@sus.test', '--password', PW, '--password2', PW);
      await site.must('alias', 'update', 'bob@sus.test', '--goto', 'carol@other.test');
      await site.must('alias', 'add', '*@sus.test', '--goto', 'catch@other.test');
      await site.must('mailbox', 'update', 'bob@sus.test', '--active', '0');
      expect(await aliasOf('bob@sus.test')).toBe('');
      expect(must(await mr.getMailbox('bob@sus.test'))?.active).toBe(false);

      must(await mr.updateMailbox('bob@sus.test', { active: true }));
      expect(await aliasOf('bob@sus.test')).toBe('bob@sus.test,carol@other.test');
      expect(await site.view('mailbox', 'bob@sus.test')).toMatchObject({ Active: 'YES' });
      expect(await site.view('alias', 'bob@sus.test')).toMatchObject({ Active: 'YES' });
      const carol = Number(await inbox('carol@other.test'));
      expect(await refused('bob@sus.test')).toBe('accepted');
      const arrived = await eventually(async () => (await inbox('bob@sus.test')) === 1 && (await inbox('carol@other.test')) === carol + 1, 15_000);
      expect(arrived, `${await counts('bob@sus.test', 'carol@other.test', 'catch@other.test')}\n${postfixLog(postfix)}`).toBe(true);
      expect(await inbox('catch@other.test')).toBe(0);
    });

    it('a mailbox Mailroom suspends shows as inactive, with its alias, in PostfixAdmin', async () => {
      must(await mr.updateMailbox('bob@sus.test', { active: false }));
      expect(await site.view('mailbox', 'bob@sus.test')).toMatchObject({ Active: 'NO' });
      expect(await site.view('alias', 'bob@sus.test')).toMatchObject({ Active: 'NO' });
      // While suspended, the domain's catch-all takes the address, as PostfixAdmin's own suspension does.
      expect(await aliasOf('bob@sus.test')).toBe('');
      expect(await aliasOf('@sus.test')).toBe('catch@other.test');
      must(await mr.updateMailbox('bob@sus.test', { active: true }));
      expect(await aliasOf('bob@sus.test')).toBe('bob@sus.test,carol@other.test');
    });
  });
}
