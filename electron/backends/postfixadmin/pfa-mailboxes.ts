import type { MailboxInfo, MailboxPatch, NewMailbox } from '../../../shared/domain/provisioning.ts';
import { err, type Result } from '../../../shared/errors/result.ts';
import { isCatchAll, normalizeAddress, splitAddress } from '../../../shared/lib/mail-address.ts';
import { daysParam, fromStoredBytes, guard, inDaysSql, logAction, quotaOrNull, reject, values, writerFor, transaction, type PfaContext } from './pfa-context.ts';
import { checkedQuota, checkMailboxAllowed } from './pfa-limits.ts';
import { readBool, readNumber, type SqlExecutor, type SqlRow, type SqlValue } from './sql-driver.ts';

const PAGE = 2000;

interface MailboxRow extends SqlRow {
  username: string;
  name: string;
  domain: string;
  active: unknown;
  quota: unknown;
  bytes: unknown;
  messages: unknown;
}

async function selectSql(ctx: PfaContext): Promise<string> {
  // quota2 is written by Dovecot's quota dict; a site without it has no live usage to join.
  return (await ctx.schema()).has('quota2')
    ? 'SELECT m.username, m.name, m.domain, m.active, m.quota, q.bytes, q.messages FROM mailbox m LEFT JOIN quota2 q ON q.username = m.username'
    : 'SELECT m.username, m.name, m.domain, m.active, m.quota, NULL AS bytes, NULL AS messages FROM mailbox m';
}

function toMailbox(row: MailboxRow, multiplier: number): MailboxInfo {
  return {
    address: row.username,
    domain: row.domain,
    displayName: row.name || null,
    active: readBool(row.active),
    quotaBytes: quotaOrNull(readNumber(row.quota), multiplier),
    // No quota2 row yet means nothing was delivered.
    usedBytes: row.bytes === null || row.bytes === undefined ? 0 : fromStoredBytes(readNumber(row.bytes), multiplier),
    messageCount: row.messages === null || row.messages === undefined ? 0 : readNumber(row.messages),
  };
}

/** Iterates mailboxes with live usage from `quota2`, keyset-paged on the primary key. */
export async function* listMailboxes(ctx: PfaContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
  let after = '';
  for (;;) {
    if (signal?.aborted) return;
    const page = await guard('Listing mailboxes', async () => {
      const select = await selectSql(ctx);
      return domain === null
        ? ctx.driver.query<MailboxRow>(`${select} WHERE m.username > ? ORDER BY m.username LIMIT ?`, [after, PAGE])
        : ctx.driver.query<MailboxRow>(`${select} WHERE m.domain = ? AND m.username > ? ORDER BY m.username LIMIT ?`, [domain, after, PAGE]);
    });
    if (!page.ok) {
      yield page;
      return;
    }
    for (const row of page.value) yield { ok: true, value: toMailbox(row, ctx.rules.multiplier) };
    if (page.value.length < PAGE) return;
    after = page.value[page.value.length - 1]!.username;
  }
}

/** Reads one mailbox; null when absent. */
export async function getMailbox(ctx: PfaContext, address: string, db: SqlExecutor = ctx.driver): Promise<MailboxInfo | null> {
  const rows = await db.query<MailboxRow>(`${await selectSql(ctx)} WHERE m.username = ?`, [address]);
  return rows[0] ? toMailbox(rows[0], ctx.rules.multiplier) : null;
}

/** Why a local part must not become a maildir path (`domain/local/`), or null when it is safe. */
export function unsafeLocalPart(local: string): string | null {
  if (local.includes('/')) return 'a "/" would put its maildir inside another mailbox\'s (or outside the domain)';
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return 'leading, trailing or double dots make a hidden or parent maildir';
  return null;
}

/** Sets `password_expiry` as PostfixAdmin does whenever it stores a password: now + the domain's days, else a year. */
async function expirySet(tx: SqlExecutor, ctx: PfaContext, domain: string): Promise<{ sql: string; params: SqlValue[] } | null> {
  if (!(await ctx.schema()).has('mailbox', 'password_expiry')) return null;
  let days = 365;
  if (ctx.rules.passwordExpiration && (await ctx.schema()).has('domain', 'password_expiry')) {
    days = readNumber((await tx.query('SELECT password_expiry FROM domain WHERE domain = ?', [domain]))[0]?.['password_expiry']);
  }
  return { sql: inDaysSql(ctx.driver.dialect), params: [daysParam(ctx.driver.dialect, days)] };
}

/** Inserts the mailbox and its self-alias in one transaction, as PostfixAdmin's MailboxHandler does. */
export async function createMailbox(ctx: PfaContext, input: NewMailbox): Promise<Result<MailboxInfo>> {
  const address = normalizeAddress(input.address);
  if (address === null || isCatchAll(address)) return err('backend.validation', `"${input.address}" is not a mailbox address.`);
  if (input.forceChangeAtFirstLogin) return err('backend.unsupported', forceChangeManual);
  if (!input.password) return err('backend.validation', 'A new mailbox needs a password.');
  const { local, domain } = splitAddress(address);
  const unsafe = unsafeLocalPart(local);
  if (unsafe) return err('backend.validation', `"${local}" cannot be a mailbox here: ${unsafe}.`);
  const writer = await guard('Reading the schema', () => writerFor(ctx));
  if (!writer.ok) return writer;
  if (!writer.value.ok) return err('backend.unsupported', writer.value.reason);
  const hash = await writer.value.write(input.password);
  const maildir = `${domain}/${local}/`;
  return guard(`Creating mailbox ${address}`, () =>
    transaction(ctx, async (tx) => {
      if ((await tx.query('SELECT 1 AS x FROM mailbox WHERE username = ?', [address])).length) reject('backend.conflict', `Mailbox ${address} already exists.`);
      // An existing alias of that name would shadow the mailbox in Postfix's virtual_alias_maps.
      if ((await tx.query('SELECT 1 AS x FROM alias WHERE address = ?', [address])).length) reject('backend.conflict', `${address} already exists as an alias.`);
      if ((await tx.query('SELECT 1 AS x FROM mailbox WHERE maildir = ?', [maildir])).length) reject('backend.conflict', `Another mailbox already uses the maildir ${maildir}.`);
      await checkMailboxAllowed(tx, domain);
      const quota = await checkedQuota(tx, ctx, domain, input.quotaBytes, address);
      const v = values(ctx);
      const columns = ['username', 'password', 'name', 'maildir', 'quota', 'local_part', 'domain', 'active'];
      const params: SqlValue[] = [address, hash, input.displayName ?? '', maildir, quota, local, domain, v.yes];
      const expiry = await expirySet(tx, ctx, domain);
      const extra = expiry ? `, ${expiry.sql}` : '';
      await tx.run(
        `INSERT INTO mailbox (${columns.join(', ')}, created, modified${expiry ? ', password_expiry' : ''}) VALUES (${columns.map(() => '?').join(', ')}, ${v.now}, ${v.now}${extra})`,
        [...params, ...(expiry?.params ?? [])],
      );
      // The self-alias keeps an `@domain` catch-all from capturing mail for this mailbox (backends.md 5.2).
      await tx.run(`INSERT INTO alias (address, goto, domain, created, modified, active) VALUES (?, ?, ?, ${v.now}, ${v.now}, ?)`, [address, address, domain, v.yes]);
      // PostfixAdmin logs the alias it creates for the mailbox, then the mailbox.
      await logAction(tx, ctx, domain, 'create_alias', address);
      await logAction(tx, ctx, domain, 'create_mailbox', address);
      return (await getMailbox(ctx, address, tx))!;
    }),
  );
}

const forceChangeManual =
  'PostfixAdmin cannot force a password change at first login; give the user the PostfixAdmin users/ portal to change it.';

/** Changes name, quota or state; `active: false` suspends login and delivery, and its alias row with it. */
export async function updateMailbox(ctx: PfaContext, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
  return guard(`Updating mailbox ${address}`, () =>
    transaction(ctx, async (tx) => {
      const current = await getMailbox(ctx, address, tx);
      if (!current) reject('backend.notFound', `No mailbox ${address}.`);
      const v = values(ctx);
      const sets: string[] = [`modified = ${v.now}`];
      const params: SqlValue[] = [];
      if (patch.displayName !== undefined) {
        sets.push('name = ?');
        params.push(patch.displayName);
      }
      if (patch.active !== undefined) {
        sets.push('active = ?');
        params.push(patch.active ? v.yes : v.no);
      }
      if (patch.quotaBytes !== undefined) {
        sets.push('quota = ?');
        params.push(await checkedQuota(tx, ctx, current.domain, patch.quotaBytes, address));
      }
      await tx.run(`UPDATE mailbox SET ${sets.join(', ')} WHERE username = ?`, [...params, address]);
      // As PostfixAdmin's MailboxHandler: the mailbox's alias row follows its state, or Postfix's alias
      // query (… AND active = '1') would keep forwarding a suspended user's mail.
      if (patch.active !== undefined) {
        await tx.run(`UPDATE alias SET active = ?, modified = ${v.now} WHERE address = ?`, [patch.active ? v.yes : v.no, address]);
      }
      await logAction(tx, ctx, current.domain, 'edit_alias', address);
      await logAction(tx, ctx, current.domain, 'edit_mailbox', address);
      return (await getMailbox(ctx, address, tx))!;
    }),
  );
}

/** Removes the mailbox and the rows PostfixAdmin removes with it; the maildir on disk stays. */
export async function deleteMailbox(ctx: PfaContext, address: string): Promise<Result<void>> {
  return guard(`Deleting mailbox ${address}`, () =>
    transaction(ctx, async (tx) => {
      const current = await getMailbox(ctx, address, tx);
      if (!current) reject('backend.notFound', `No mailbox ${address}.`);
      const schema = await ctx.schema();
      // PostfixAdmin's own list, plus 4.x's app passwords and TOTP exceptions: a mailbox re-created under the
      // same name must not inherit another person's second factors.
      const related: [string, string][] = [
        ['fetchmail', 'mailbox'], ['vacation', 'email'], ['vacation_notification', 'on_vacation'], ['quota', 'username'], ['quota2', 'username'],
        ['mailbox_app_password', 'username'], ['totp_exception_address', 'username'], ['alias', 'address'],
      ];
      for (const [table, column] of related) if (schema.has(table, column)) await tx.run(`DELETE FROM ${table} WHERE ${column} = ?`, [address]);
      await tx.run('DELETE FROM mailbox WHERE username = ?', [address]);
      await logAction(tx, ctx, current.domain, 'delete_mailbox', address);
    }),
  );
}

/** Stores a new hash in the site's scheme and renews `password_expiry`, as PostfixAdmin does. */
export async function setPassword(ctx: PfaContext, address: string, password: string, forceChange = false): Promise<Result<void>> {
  if (forceChange) return err('backend.unsupported', forceChangeManual);
  if (!password) return err('backend.validation', 'The password is empty.');
  const writer = await guard('Reading the schema', () => writerFor(ctx));
  if (!writer.ok) return writer;
  if (!writer.value.ok) return err('backend.unsupported', writer.value.reason);
  const hash = await writer.value.write(password);
  const { domain } = splitAddress(address);
  return guard(`Setting the password of ${address}`, () =>
    transaction(ctx, async (tx) => {
      const expiry = await expirySet(tx, ctx, domain);
      const sql = `UPDATE mailbox SET password = ?, modified = ${values(ctx).now}${expiry ? `, password_expiry = ${expiry.sql}` : ''} WHERE username = ?`;
      const changed = await tx.run(sql, [hash, ...(expiry?.params ?? []), address]);
      if (changed === 0) reject('backend.notFound', `No mailbox ${address}.`);
      await logAction(tx, ctx, domain, 'edit_password', address);
    }),
  );
}
