import { reject, storedMailboxQuota, toSiteMb, type PfaContext } from './pfa-context.ts';
import { readBool, readNumber, type SqlExecutor } from './sql-driver.ts';

// PostfixAdmin's own checks (MailboxHandler::create_allowed / check_quota, AliasHandler::create_allowed),
// made before anything is written so that a refused request leaves no row behind.

interface DomainLimits {
  readonly aliases: number;
  readonly mailboxes: number;
  readonly maxquota: number;
  readonly quota: number;
  readonly active: boolean;
}

/** The domain's limits; refuses with backend.notFound when the domain does not exist. */
export async function domainLimits(tx: SqlExecutor, domain: string): Promise<DomainLimits> {
  const row = (await tx.query('SELECT aliases, mailboxes, maxquota, quota, active FROM domain WHERE domain = ?', [domain]))[0];
  if (!row) reject('backend.notFound', `No domain ${domain}; create it first.`);
  return { aliases: readNumber(row['aliases']), mailboxes: readNumber(row['mailboxes']), maxquota: readNumber(row['maxquota']), quota: readNumber(row['quota']), active: readBool(row['active']) };
}

async function count(tx: SqlExecutor, sql: string, domain: string): Promise<number> {
  return readNumber((await tx.query(sql, [domain]))[0]?.['n']);
}

/** Refuses one more mailbox when the domain's `mailboxes` limit (0 unlimited, -1 none allowed) is reached. */
export async function checkMailboxAllowed(tx: SqlExecutor, domain: string): Promise<void> {
  const limit = (await domainLimits(tx, domain)).mailboxes;
  if (limit === 0) return;
  if (limit < 0) reject('backend.validation', `Domain ${domain} allows no mailboxes (its mailbox limit is ${limit}).`);
  const n = await count(tx, 'SELECT count(*) AS n FROM mailbox WHERE domain = ?', domain);
  if (n >= limit) reject('backend.validation', `Domain ${domain} has reached its limit of ${limit} mailboxes.`);
}

/** Refuses one more alias when the domain's `aliases` limit is reached; a mailbox's own alias row does not count. */
export async function checkAliasAllowed(tx: SqlExecutor, domain: string): Promise<void> {
  const limit = (await domainLimits(tx, domain)).aliases;
  if (limit === 0) return;
  if (limit < 0) reject('backend.validation', `Domain ${domain} allows no aliases (its alias limit is ${limit}).`);
  const aliases = await count(tx, 'SELECT count(*) AS n FROM alias WHERE domain = ?', domain);
  const boxes = await count(tx, 'SELECT count(*) AS n FROM mailbox WHERE domain = ?', domain);
  if (aliases - boxes >= limit) reject('backend.validation', `Domain ${domain} has reached its limit of ${limit} aliases.`);
}

/** Checks a mailbox quota (Mailroom bytes, null = unlimited) as PostfixAdmin does and returns `mailbox.quota` to store. */
export async function checkedQuota(tx: SqlExecutor, ctx: PfaContext, domain: string, bytes: number | null | undefined, self: string, pending = 0): Promise<number> {
  const limits = await domainLimits(tx, domain);
  const stored = storedMailboxQuota(bytes, ctx.rules.multiplier);
  if (!ctx.rules.enforceQuota) return stored;
  const mb = toSiteMb(bytes);
  const { maxquota, quota } = limits;
  if (maxquota > 0 && mb === 0) reject('backend.validation', `Mailboxes on ${domain} need a quota of at most ${maxquota} MB; unlimited is not allowed there.`);
  if (maxquota < 0) reject('backend.validation', `Mailbox quotas are disabled on ${domain} (its maximum is ${maxquota}).`);
  if (maxquota > 0 && mb > maxquota) reject('backend.validation', `${mb} MB exceeds the per-mailbox maximum of ${domain} (${maxquota} MB).`);
  if (!ctx.rules.enforceDomainQuota || quota <= 0) return stored;
  if (mb === 0) reject('backend.validation', `${domain} has a total quota of ${quota} MB; an unlimited mailbox is not allowed there.`);
  const others = readNumber((await tx.query('SELECT sum(quota) AS s FROM mailbox WHERE domain = ? AND username <> ?', [domain, self]))[0]?.['s']);
  // PostfixAdmin compares in MB rounded to two decimals (divide_quota).
  // `pending`: stored bytes that writes planned before this one (an import's earlier lines) will add.
  const othersMb = Math.round(((others + pending) / ctx.rules.multiplier) * 100) / 100;
  if (othersMb + mb > quota) reject('backend.validation', `${domain} has ${Math.max(0, quota - othersMb)} MB of its ${quota} MB total left; ${mb} MB does not fit.`);
  return stored;
}
