import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostfixAdminAdapter, type PostfixAdminAdapter } from '../../../../electron/backends/postfixadmin/postfixadmin-adapter.ts';
import type { PasswordScheme } from '../../../../electron/backends/postfixadmin/password-hash.ts';
import type { SqlDialect } from '../../../../electron/backends/postfixadmin/sql-driver.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { deliverLmtp, eventually, imapLogin, message, sendSmtp } from './mail-client.ts';
import { dovecotLog, isRoot, startDovecot, type DovecotInstance } from './mail-servers.ts';
import { postfixLog, startPostfix, type PostfixInstance } from './postfix-server.ts';

// One MB in Mailroom is one of PostfixAdmin's MB: 1 024 000 stored bytes, which is what Dovecot enforces.
const MB = 1_000_000;

/** The end-to-end PostfixAdmin suite against one database engine, with Dovecot (and Postfix as root) reading it. */
export function definePostfixAdminSuite(dialect: SqlDialect, scheme: PasswordScheme): void {
  describe(`PostfixAdmin on ${dialect} with Dovecot${isRoot ? ' and Postfix' : ''} (${scheme})`, () => {
    let db: TestDatabase;
    let pfa: PostfixAdminAdapter;
    let dovecot: DovecotInstance;
    let postfix: PostfixInstance | null = null;
    const inbox = (user: string, pass: string): Promise<number | 'refused'> => imapLogin(dovecot.imapPort, user, pass);
    const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.value;
    };

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      pfa = must(await openPostfixAdminAdapter({ ...db.target, passwordScheme: scheme }, null, { actor: 'test', hashOptions: { bcryptRounds: 5 } }));
      must(await pfa.probe());
      dovecot = await startDovecot(db.target);
      if (isRoot) postfix = await startPostfix(db.target, dovecot.lmtpPort);
      must(await pfa.createDomain('example.test'));
      must(await pfa.createDomain('other.test'));
    });

    afterAll(async () => {
      await postfix?.stop();
      await dovecot?.stop();
      await pfa?.close();
      await db?.drop();
    });

    it('creates a mailbox whose password Dovecot accepts over IMAP', async () => {
      must(await pfa.createMailbox({ address: 'alice@example.test', password: 'Alice-pw-1', displayName: 'Alice' }));
      expect(await inbox('alice@example.test', 'Alice-pw-1'), dovecotLog(dovecot)).toBe(0);
      expect(await inbox('alice@example.test', 'wrong')).toBe('refused');
      must(await pfa.setPassword('alice@example.test', 'Alice-pw-2'));
      expect(await inbox('alice@example.test', 'Alice-pw-2')).toBe(0);
    });

    it('delivers over LMTP into the mailbox and reports live usage from quota2', async () => {
      const sent = await deliverLmtp(dovecot.lmtpPort, ['alice@example.test'], message('lmtp one', 2000));
      expect(sent.accepted, sent.response).toEqual(['alice@example.test']);
      expect(await inbox('alice@example.test', 'Alice-pw-2')).toBe(1);
      const usage = await eventually(async () => (must(await pfa.getMailbox('alice@example.test'))?.usedBytes ?? 0) > 0, 5000);
      expect(usage, `quota2 was not written\n${dovecotLog(dovecot)}`).toBe(true);
      expect(must(await pfa.getMailbox('alice@example.test'))?.messageCount).toBe(1);
    });

    it('rejects unknown recipients at LMTP', async () => {
      const sent = await deliverLmtp(dovecot.lmtpPort, ['ghost@example.test'], message('ghost'));
      expect(sent.rejected).toEqual(['ghost@example.test']);
    });

    it.skipIf(!isRoot)('routes an alias, a forward with keep-a-copy, the catch-all and an alias domain through Postfix', async () => {
      must(await pfa.createMailbox({ address: 'bob@other.test', password: 'Bob-pw-1' }));
      must(await pfa.createMailbox({ address: 'carol@other.test', password: 'Carol-pw-1' }));
      must(await pfa.upsertAlias({ address: 'sales@example.test', targets: ['alice@example.test', 'bob@other.test'] }));
      must(await pfa.setForwarding('alice@example.test', ['carol@other.test'], true));
      must(await pfa.upsertAlias({ address: '*@example.test', targets: ['bob@other.test'] }));
      must(await pfa.createAliasDomain('alias.test', 'example.test'));
      expect(await postfix!.lookup('aliases', 'sales@example.test')).toBe('alice@example.test,bob@other.test');
      expect(await postfix!.lookup('aliases', '@example.test')).toBe('bob@other.test');

      await sendSmtp(postfix!.smtpPort, ['sales@example.test'], message('to sales'));
      await sendSmtp(postfix!.smtpPort, ['nobody-here@example.test'], message('to catch-all'));
      await sendSmtp(postfix!.smtpPort, ['alice@alias.test'], message('to alias domain'));
      // alice: 1 (LMTP) + sales + alias domain = 3; bob: sales + catch-all = 2; carol: alice's forwarded copies of both = 2
      // (Postfix expands sales -> alice -> alice,carol recursively).
      const arrived = await eventually(async () =>
        (await inbox('alice@example.test', 'Alice-pw-2')) === 3 && (await inbox('bob@other.test', 'Bob-pw-1')) === 2 && (await inbox('carol@other.test', 'Carol-pw-1')) === 2,
      15_000);
      expect(arrived, `alice ${await inbox('alice@example.test', 'Alice-pw-2')}, bob ${await inbox('bob@other.test', 'Bob-pw-1')}, carol ${await inbox('carol@other.test', 'Carol-pw-1')}\n${postfixLog(postfix!)}`).toBe(true);

      // Forward without keeping a copy: alice no longer receives her own mail.
      must(await pfa.setForwarding('alice@example.test', ['carol@other.test'], false));
      await sendSmtp(postfix!.smtpPort, ['alice@example.test'], message('forward only'));
      expect(await eventually(async () => (await inbox('carol@other.test', 'Carol-pw-1')) === 3, 15_000), postfixLog(postfix!)).toBe(true);
      expect(await inbox('alice@example.test', 'Alice-pw-2')).toBe(3);
      must(await pfa.setForwarding('alice@example.test', [], false));
    });

    it('enforces a quota set through Mailroom', async () => {
      must(await pfa.updateMailbox('alice@example.test', { quotaBytes: 1 * MB }));
      expect(must(await pfa.getMailbox('alice@example.test'))?.quotaBytes).toBe(MB);
      const first = await deliverLmtp(dovecot.lmtpPort, ['alice@example.test'], message('big one', 600_000));
      expect(first.accepted, first.response).toEqual(['alice@example.test']);
      const second = await deliverLmtp(dovecot.lmtpPort, ['alice@example.test'], message('big two', 600_000));
      expect(second.rejected, dovecotLog(dovecot)).toEqual(['alice@example.test']);
      expect(second.response).toMatch(/quota/i);
      must(await pfa.updateMailbox('alice@example.test', { quotaBytes: null }));
      const third = await deliverLmtp(dovecot.lmtpPort, ['alice@example.test'], message('big three', 600_000));
      expect(third.accepted, third.response).toEqual(['alice@example.test']);
    });

    it('refuses the login of a suspended mailbox and accepts it again after unsuspending', async () => {
      must(await pfa.updateMailbox('alice@example.test', { active: false }));
      expect(await inbox('alice@example.test', 'Alice-pw-2')).toBe('refused');
      const sent = await deliverLmtp(dovecot.lmtpPort, ['alice@example.test'], message('while suspended'));
      expect(sent.rejected).toEqual(['alice@example.test']);
      must(await pfa.updateMailbox('alice@example.test', { active: true }));
      expect(await inbox('alice@example.test', 'Alice-pw-2')).toBeTypeOf('number');
    });

    it('deletes a mailbox and its self-alias; Dovecot no longer knows it', async () => {
      must(await pfa.createMailbox({ address: 'temp@example.test', password: 'Temp-pw-1' }));
      expect(await inbox('temp@example.test', 'Temp-pw-1')).toBe(0);
      must(await pfa.deleteMailbox('temp@example.test'));
      expect(await inbox('temp@example.test', 'Temp-pw-1')).toBe('refused');
      const again = await pfa.deleteMailbox('temp@example.test');
      expect(again.ok ? null : again.error.code).toBe('backend.notFound');
    });
  });
}
