import type { MailboxInfo, MailboxPatch, NewMailbox } from '../../../shared/domain/provisioning.ts';
import { err, type Result } from '../../../shared/errors/result.ts';
import { isCatchAll, normalizeAddress, splitAddress } from '../../../shared/lib/mail-address.ts';
import { hashPassword } from './password-hash.ts';
import { guard, logAction, quotaOrNull, reject, storedMailboxQuota, values, type PfaContext } from './pfa-context.ts';
import { readBool, readNumber, type SqlExecutor, type SqlRow } from './sql-driver.ts';

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

const SELECT = `SELECT m.username, m.name, m.domain, m.active, m.quota, q.bytes, q.messages
  FROM mailbox m LEFT JOIN quota2 q ON q.username = m.username`;

function toMailbox(row: MailboxRow): MailboxInfo {
  return {
    address: row.username,
    domain: row.domain,
    displayName: row.name || null,
    active: readBool(row.active),
    quotaBytes: quotaOrNull(readNumber(row.quota)),
    // quota2 is written by Dovecot's quota dict; no row yet means nothing was delivered.
    usedBytes: row.bytes === null || row.bytes === undefined ? 0 : readNumber(row.bytes),
    messageCount: row.messages === null || row.messages === undefined ? 0 : readNumber(row.messages),
  };
}

/** Iterates mailboxes with live usage from `quota2`, keyset-paged on the primary key. */
export async function* listMailboxes(ctx: PfaContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
  let after = '';
  for (;;) {
    if (signal?.aborted) return;
    const page = await guard('Listing mailboxes', () =>
      domain === null
        ? ctx.driver.query<MailboxRow>(`${SELECT} WHERE m.username > ? ORDER BY m.username LIMIT ?`, [after, PAGE])
        : ctx.driver.query<MailboxRow>(`${SELECT} WHERE m.domain = ? AND m.username > ? ORDER BY m.username LIMIT ?`, [domain, after, PAGE]),
    );
    if (!page.ok) {
      yield page;
      return;
    }
    for (const row of page.value) yield { ok: true, value: toMailbox(row) };
    if (page.value.length < PAGE) return;
    after = page.value[page.value.length - 1]!.username;
  }
}

/** Reads one mailbox; null when absent. */
export async function getMailbox(ctx: PfaContext, address: string, db: SqlExecutor = ctx.driver): Promise<MailboxInfo | null> {
  const rows = await db.query<MailboxRow>(`${SELECT} WHERE m.username = ?`, [address]);
  return rows[0] ? toMailbox(rows[0]) : null;
}

/** Inserts the mailbox and its self-alias in one transaction, as PostfixAdmin's MailboxHandler does. */
export async function createMailbox(ctx: PfaContext, input: NewMailbox): Promise<Result<MailboxInfo>> {
  const address = normalizeAddress(input.address);
  if (address === null || isCatchAll(address)) return err('backend.validation', `"${input.address}" is not a mailbox address.`);
  if (input.forceChangeAtFirstLogin) return err('backend.unsupported', forceChangeManual);
  if (!input.password) return err('backend.validation', 'A new mailbox needs a password.');
  const { local, domain } = splitAddress(address);
  const hash = await hashPassword(ctx.scheme, input.password, ctx.hashOptions);
  return guard(`Creating mailbox ${address}`, () =>
    ctx.driver.transaction(async (tx) => {
      const quota = await checkedQuota(tx, ctx, domain, input.quotaBytes, address);
      if ((await tx.query('SELECT 1 AS x FROM mailbox WHERE username = ?', [address])).length) reject('backend.conflict', `Mailbox ${address} already exists.`);
      // An existing alias of that name would shadow the mailbox in Postfix's virtual_alias_maps.
      if ((await tx.query('SELECT 1 AS x FROM alias WHERE address = ?', [address])).length) reject('backend.conflict', `${address} already exists as an alias.`);
      const v = values(ctx);
      await tx.run(
        `INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, created, modified, active)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [address, hash, input.displayName ?? '', `${domain}/${local}/`, quota, local, domain, v.now, v.now, v.yes],
      );
      // The self-alias keeps an `@domain` catch-all from capturing mail for this mailbox (backends.md 5.2).
      await tx.run('INSERT INTO alias (address, goto, domain, created, modified, active) VALUES (?, ?, ?, ?, ?, ?)', [address, address, domain, v.now, v.now, v.yes]);
      await logAction(tx, ctx, domain, 'create_mailbox', address);
      return (await getMailbox(ctx, address, tx))!;
    }),
  );
}

const forceChangeManual =
  'PostfixAdmin cannot force a password change at first login; give the user the PostfixAdmin users/ portal to change it.';

/**
 * Validates a quota against the domain's limits and returns the value to store; `pending` is what writes
 * planned before this one (an import's earlier lines) will add to the domain's allocated quota.
 */
export async function checkedQuota(tx: SqlExecutor, ctx: PfaContext, domain: string, bytes: number | null | undefined, self: string, pending = 0): Promise<number> {
  const rows = await tx.query('SELECT maxquota, quota, mailboxes, active FROM domain WHERE domain = ?', [domain]);
  const row = rows[0];
  if (!row) reject('backend.notFound', `No domain ${domain}; create it first.`);
  const maxMb = readNumber(row['maxquota']);
  const domainMb = readNumber(row['quota']);
  let stored = storedMailboxQuota(bytes, ctx.multiplier);
  if (maxMb < 0) reject('backend.validation', `Quotas are disabled for ${domain}.`);
  // PostfixAdmin pre-fills the domain maximum when a domain has one; "unlimited" is not allowed there.
  if (maxMb > 0 && stored === 0) stored = maxMb * ctx.multiplier;
  if (maxMb > 0 && stored > maxMb * ctx.multiplier) reject('backend.validation', `The quota exceeds the per-mailbox maximum of ${domain} (${maxMb} MB).`);
  if (domainMb > 0) {
    const others = readNumber((await tx.query('SELECT sum(quota) AS s FROM mailbox WHERE domain = ? AND username <> ?', [domain, self]))[0]?.['s']);
    if (stored === 0 || others + pending + stored > domainMb * ctx.multiplier) reject('backend.validation', `The quotas of ${domain} would exceed its total of ${domainMb} MB.`);
  }
  return stored;
}

/** Changes name, quota or state; `active: false` suspends login and delivery. */
export async function updateMailbox(ctx: PfaContext, address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
  return guard(`Updating mailbox ${address}`, () =>
    ctx.driver.transaction(async (tx) => {
      const current = await getMailbox(ctx, address, tx);
      if (!current) reject('backend.notFound', `No mailbox ${address}.`);
      const v = values(ctx);
      const sets: string[] = ['modified = ?'];
      const params: (string | number | boolean | null)[] = [v.now];
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
      await logAction(tx, ctx, current.domain, patch.active === false ? 'edit_mailbox_state' : 'edit_mailbox', address);
      return (await getMailbox(ctx, address, tx))!;
    }),
  );
}

/** Removes the mailbox and the rows PostfixAdmin removes with it; the maildir on disk stays. */
export async function deleteMailbox(ctx: PfaContext, address: string): Promise<Result<void>> {
  return guard(`Deleting mailbox ${address}`, () =>
    ctx.driver.transaction(async (tx) => {
      const current = await getMailbox(ctx, address, tx);
      if (!current) reject('backend.notFound', `No mailbox ${address}.`);
      await tx.run('DELETE FROM fetchmail WHERE mailbox = ?', [address]);
      await tx.run('DELETE FROM vacation WHERE email = ?', [address]);
      await tx.run('DELETE FROM quota WHERE username = ?', [address]);
      await tx.run('DELETE FROM quota2 WHERE username = ?', [address]);
      await tx.run('DELETE FROM alias WHERE address = ?', [address]);
      await tx.run('DELETE FROM mailbox WHERE username = ?', [address]);
      await logAction(tx, ctx, current.domain, 'delete_mailbox', address);
    }),
  );
}

/** Stores a new hash in the configured scheme. */
export async function setPassword(ctx: PfaContext, address: string, password: string, forceChange = false): Promise<Result<void>> {
  if (forceChange) return err('backend.unsupported', forceChangeManual);
  if (!password) return err('backend.validation', 'The password is empty.');
  const hash = await hashPassword(ctx.scheme, password, ctx.hashOptions);
  return guard(`Setting the password of ${address}`, () =>
    ctx.driver.transaction(async (tx) => {
      const changed = await tx.run('UPDATE mailbox SET password = ?, modified = ? WHERE username = ?', [hash, values(ctx).now, address]);
      if (changed === 0) reject('backend.notFound', `No mailbox ${address}.`);
      await logAction(tx, ctx, splitAddress(address).domain, 'edit_password', address);
    }),
  );
}
