import type { DomainInfo, DomainPatch } from '../../../shared/domain/provisioning.ts';
import { err, type Result } from '../../../shared/errors/result.ts';
import { normalizeDomain } from '../../../shared/lib/mail-address.ts';
import { fromSiteMb, fromStoredBytes, guard, logAction, reject, toSiteMb, values, transaction, type PfaContext } from './pfa-context.ts';
import { readBool, readNumber, type SqlExecutor, type SqlRow, type SqlValue } from './sql-driver.ts';

const PAGE = 500;

interface DomainRow extends SqlRow {
  domain: string;
  description: string;
  active: unknown;
  quota: unknown;
}

/** Iterates domains (never the `ALL` superadmin pseudo-row) with mailbox counts, usage and alias domains. */
export async function* listDomains(ctx: PfaContext, signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
  // Aggregates are read once with GROUP BY: the schema has no index on mailbox.domain, so a
  // per-domain subquery would scan the mailbox table once per domain.
  const stats = await guard('Reading mailbox counts', async () => domainStats(ctx.driver, (await ctx.schema()).has('quota2')));
  if (!stats.ok) {
    yield stats;
    return;
  }
  let after = '';
  for (;;) {
    if (signal?.aborted) return;
    const page = await guard('Listing domains', () =>
      ctx.driver.query<DomainRow>(
        "SELECT domain, description, active, quota FROM domain WHERE domain > ? AND domain <> 'ALL' ORDER BY domain LIMIT ?",
        [after, PAGE],
      ),
    );
    if (!page.ok) {
      yield page;
      return;
    }
    for (const row of page.value) yield { ok: true, value: toDomain(row, ctx, stats.value) };
    if (page.value.length < PAGE) return;
    after = page.value[page.value.length - 1]!.domain;
  }
}

interface Stats {
  readonly counts: Map<string, number>;
  readonly used: Map<string, number>;
  readonly aliases: Map<string, string[]>;
}

async function domainStats(db: SqlExecutor, hasQuota2: boolean): Promise<Stats> {
  const counts = new Map<string, number>();
  for (const r of await db.query('SELECT domain, count(*) AS n FROM mailbox GROUP BY domain')) counts.set(String(r['domain']), readNumber(r['n']));
  const used = new Map<string, number>();
  // quota2 is written by Dovecot's quota dict; sites without it have no live usage.
  const usage = hasQuota2 ? await db.query('SELECT m.domain AS domain, sum(q.bytes) AS bytes FROM quota2 q JOIN mailbox m ON m.username = q.username GROUP BY m.domain') : [];
  for (const r of usage) used.set(String(r['domain']), readNumber(r['bytes']));
  const aliases = new Map<string, string[]>();
  for (const r of await db.query('SELECT alias_domain, target_domain FROM alias_domain ORDER BY alias_domain')) {
    const target = String(r['target_domain']);
    aliases.set(target, [...(aliases.get(target) ?? []), String(r['alias_domain'])]);
  }
  return { counts, used, aliases };
}

function toDomain(row: DomainRow, ctx: PfaContext, stats: Stats): DomainInfo {
  const aliasDomains = stats.aliases.get(row.domain);
  return {
    name: row.domain,
    description: row.description || null,
    active: readBool(row.active),
    mailboxCount: stats.counts.get(row.domain) ?? 0,
    quotaBytes: fromSiteMb(readNumber(row.quota)),
    usedBytes: fromStoredBytes(stats.used.get(row.domain) ?? 0, ctx.rules.multiplier),
    ...(aliasDomains ? { aliasDomains } : {}),
  };
}

/** Reads one domain with its figures; null when absent. */
export async function getDomain(ctx: PfaContext, name: string, db: SqlExecutor = ctx.driver): Promise<DomainInfo | null> {
  const rows = await db.query<DomainRow>('SELECT domain, description, active, quota FROM domain WHERE domain = ?', [name]);
  if (rows.length === 0) return null;
  const count = await db.query('SELECT count(*) AS n FROM mailbox WHERE domain = ?', [name]);
  const used = (await ctx.schema()).has('quota2')
    ? await db.query('SELECT sum(q.bytes) AS bytes FROM quota2 q JOIN mailbox m ON m.username = q.username WHERE m.domain = ?', [name])
    : [];
  const aliases = await db.query('SELECT alias_domain FROM alias_domain WHERE target_domain = ? ORDER BY alias_domain', [name]);
  const stats: Stats = {
    counts: new Map([[name, readNumber(count[0]?.['n'])]]),
    used: new Map([[name, readNumber(used[0]?.['bytes'])]]),
    aliases: aliases.length ? new Map([[name, aliases.map((a) => String(a['alias_domain']))]]) : new Map(),
  };
  return toDomain(rows[0]!, ctx, stats);
}

/** Inserts a domain row with the site's defaults for new domains (limits, quota, transport, password expiry). */
export async function createDomain(ctx: PfaContext, input: string, options: { description?: string } & DomainPatch = {}): Promise<Result<DomainInfo>> {
  const name = normalizeDomain(input);
  if (name === null || name === 'all') return err('backend.validation', `"${input}" is not a domain name.`);
  return guard(`Creating domain ${name}`, () =>
    transaction(ctx, async (tx) => {
      if ((await tx.query('SELECT 1 AS x FROM domain WHERE domain = ?', [name])).length) reject('backend.conflict', `Domain ${name} already exists.`);
      await insertDomain(tx, ctx, name, options);
      await logAction(tx, ctx, name, 'create_domain', name);
      return (await getDomain(ctx, name, tx))!;
    }),
  );
}

async function insertDomain(tx: SqlExecutor, ctx: PfaContext, name: string, options: { description?: string } & DomainPatch): Promise<void> {
  const v = values(ctx);
  const d = ctx.rules.newDomain;
  const columns = ['domain', 'description', 'aliases', 'mailboxes', 'maxquota', 'quota', 'transport', 'backupmx', 'active'];
  const params: SqlValue[] = [
    name,
    options.description ?? '',
    d.aliases,
    d.mailboxes,
    options.maxMailboxBytes === undefined ? d.maxquota : toSiteMb(options.maxMailboxBytes),
    options.quotaBytes === undefined ? d.quota : toSiteMb(options.quotaBytes),
    d.transport,
    v.no,
    options.active === false ? v.no : v.yes,
  ];
  if ((await ctx.schema()).has('domain', 'password_expiry')) {
    columns.push('password_expiry');
    params.push(d.passwordExpiry);
  }
  await tx.run(`INSERT INTO domain (${columns.join(', ')}, created, modified) VALUES (${columns.map(() => '?').join(', ')}, ${v.now}, ${v.now})`, params);
}

/** Changes description, state or limits of a domain. */
export async function updateDomain(ctx: PfaContext, name: string, patch: DomainPatch): Promise<Result<DomainInfo>> {
  return guard(`Updating domain ${name}`, () =>
    transaction(ctx, async (tx) => {
      const sets: string[] = [];
      const params: (string | number | boolean | null)[] = [];
      const v = values(ctx);
      if (patch.description !== undefined) {
        sets.push('description = ?');
        params.push(patch.description);
      }
      if (patch.active !== undefined) {
        sets.push('active = ?');
        params.push(patch.active ? v.yes : v.no);
      }
      if (patch.quotaBytes !== undefined) {
        sets.push('quota = ?');
        params.push(toSiteMb(patch.quotaBytes));
      }
      if (patch.maxMailboxBytes !== undefined) {
        sets.push('maxquota = ?');
        params.push(toSiteMb(patch.maxMailboxBytes));
      }
      sets.push(`modified = ${v.now}`);
      const changed = await tx.run(`UPDATE domain SET ${sets.join(', ')} WHERE domain = ?`, [...params, name]);
      if (changed === 0) reject('backend.notFound', `No domain ${name}.`);
      if (patch.active !== undefined) {
        // PostfixAdmin keeps alias_domain.active in step with the domain row it belongs to.
        await tx.run(`UPDATE alias_domain SET active = ?, modified = ${v.now} WHERE alias_domain = ?`, [patch.active ? v.yes : v.no, name]);
      }
      await logAction(tx, ctx, name, 'edit_domain', name);
      return (await getDomain(ctx, name, tx))!;
    }),
  );
}

/** Deletes an empty domain (or an alias domain); refuses while mailboxes or aliases remain. */
export async function deleteDomain(ctx: PfaContext, name: string): Promise<Result<void>> {
  return guard(`Deleting domain ${name}`, () =>
    transaction(ctx, async (tx) => {
      if (!(await tx.query('SELECT 1 AS x FROM domain WHERE domain = ?', [name])).length) reject('backend.notFound', `No domain ${name}.`);
      const boxes = readNumber((await tx.query('SELECT count(*) AS n FROM mailbox WHERE domain = ?', [name]))[0]?.['n']);
      const aliases = readNumber((await tx.query('SELECT count(*) AS n FROM alias WHERE domain = ?', [name]))[0]?.['n']);
      if (boxes > 0 || aliases > 0) reject('backend.conflict', `Domain ${name} still has ${boxes} mailboxes and ${aliases} aliases; delete them first.`);
      const targets = readNumber((await tx.query('SELECT count(*) AS n FROM alias_domain WHERE target_domain = ?', [name]))[0]?.['n']);
      if (targets > 0) reject('backend.conflict', `Domain ${name} is the target of ${targets} alias domains; delete those first.`);
      await tx.run('DELETE FROM alias_domain WHERE alias_domain = ?', [name]);
      await tx.run('DELETE FROM domain_admins WHERE domain = ?', [name]);
      await tx.run('DELETE FROM domain WHERE domain = ?', [name]);
      await logAction(tx, ctx, name, 'delete_domain', name);
    }),
  );
}

/** Makes `aliasInput` a whole-domain alias of `targetInput`, adding its `domain` row when missing. */
export async function createAliasDomain(ctx: PfaContext, aliasInput: string, targetInput: string): Promise<Result<DomainInfo>> {
  const alias = normalizeDomain(aliasInput);
  const target = normalizeDomain(targetInput);
  if (alias === null || target === null) return err('backend.validation', 'Alias and target must both be domain names.');
  if (alias === target) return err('backend.validation', 'A domain cannot be an alias of itself.');
  return guard(`Adding alias domain ${alias}`, () =>
    transaction(ctx, async (tx) => {
      if (!(await tx.query('SELECT 1 AS x FROM domain WHERE domain = ?', [target])).length) reject('backend.notFound', `No domain ${target}.`);
      if ((await tx.query('SELECT 1 AS x FROM alias_domain WHERE alias_domain = ? OR alias_domain = ?', [alias, target])).length) {
        reject('backend.conflict', `${alias} is already an alias domain, or ${target} is one itself.`);
      }
      // Both names must be domain rows: Postfix's virtual_alias_domain maps join through them.
      if (!(await tx.query('SELECT 1 AS x FROM domain WHERE domain = ?', [alias])).length) await insertDomain(tx, ctx, alias, {});
      const v = values(ctx);
      await tx.run(`INSERT INTO alias_domain (alias_domain, target_domain, created, modified, active) VALUES (?, ?, ${v.now}, ${v.now}, ?)`, [alias, target, v.yes]);
      await logAction(tx, ctx, alias, 'create_alias_domain', alias);
      return (await getDomain(ctx, target, tx))!;
    }),
  );
}
