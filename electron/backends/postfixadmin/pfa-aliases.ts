import type { AliasInfo, ForwardingInfo, GroupInfo } from '../../../shared/domain/provisioning.ts';
import { err, type Result } from '../../../shared/errors/result.ts';
import { isCatchAll, normalizeAddress, splitAddress } from '../../../shared/lib/mail-address.ts';
import { guard, isSystemTarget, logAction, parseGoto, reject, values, transaction, type PfaContext } from './pfa-context.ts';
import { checkAliasAllowed } from './pfa-limits.ts';
import { readBool, type SqlExecutor, type SqlRow } from './sql-driver.ts';

const PAGE = 2000;

interface AliasRow extends SqlRow {
  address: string;
  goto: string;
  domain: string;
  active: unknown;
  description: string | null;
}

/** Iterates aliases that are not a mailbox's own row: plain aliases, lists and `@domain` catch-alls. */
export async function* listAliases(ctx: PfaContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
  for await (const row of aliasRows(ctx, domain, false, signal)) {
    yield row.ok ? { ok: true, value: { address: row.value.address, domain: row.value.domain, targets: parseGoto(row.value.goto), active: readBool(row.value.active) } } : row;
  }
}

/** Iterates the forwarding of every mailbox whose own alias row points anywhere but itself. */
export async function* listForwarding(ctx: PfaContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
  for await (const row of aliasRows(ctx, domain, true, signal)) {
    if (!row.ok) yield row;
    else if (row.value.goto.trim().toLowerCase() !== row.value.address) yield { ok: true, value: toForwarding(row.value.address, row.value.goto) };
  }
}

/** Groups in PostfixAdmin are aliases with several targets ("alias-fanout"); the description is the name. */
export async function* listGroups(ctx: PfaContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
  for await (const row of aliasRows(ctx, domain, false, signal)) {
    if (!row.ok) yield row;
    else {
      const members = parseGoto(row.value.goto);
      if (members.length > 1 && !isCatchAll(row.value.address)) yield { ok: true, value: { address: row.value.address, name: row.value.description || null, members } };
    }
  }
}

async function* aliasRows(ctx: PfaContext, domain: string | null, ofMailboxes: boolean, signal?: AbortSignal): AsyncIterable<Result<AliasRow>> {
  const join = ofMailboxes ? 'JOIN mailbox m ON m.username = a.address' : 'LEFT JOIN mailbox m ON m.username = a.address';
  const where = ofMailboxes ? '' : 'AND m.username IS NULL';
  let after = '';
  for (;;) {
    if (signal?.aborted) return;
    const page = await guard('Listing aliases', async () => {
      // alias.description arrived in revision 1854; 3.3 (1847) and 4.0 (1851) have none.
      const description = (await ctx.schema()).has('alias', 'description') ? 'a.description' : 'NULL AS description';
      const base = `SELECT a.address, a.goto, a.domain, a.active, ${description} FROM alias a ${join} WHERE a.address > ? ${where}`;
      return domain === null
        ? ctx.driver.query<AliasRow>(`${base} ORDER BY a.address LIMIT ?`, [after, PAGE])
        : ctx.driver.query<AliasRow>(`${base} AND a.domain = ? ORDER BY a.address LIMIT ?`, [after, domain, PAGE]);
    });
    if (!page.ok) {
      yield page;
      return;
    }
    for (const row of page.value) yield { ok: true, value: row };
    if (page.value.length < PAGE) return;
    after = page.value[page.value.length - 1]!.address;
  }
}

function normalizeTargets(targets: readonly string[]): string[] | null {
  const out: string[] = [];
  for (const t of targets) {
    const n = normalizeAddress(t);
    if (n === null) return null;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Creates or replaces an alias, a list or (address `@domain` / `*@domain`) the catch-all. */
export async function upsertAlias(
  ctx: PfaContext,
  input: { address: string; targets: readonly string[]; active?: boolean; description?: string },
): Promise<Result<AliasInfo>> {
  const address = normalizeAddress(input.address, { allowCatchAll: true });
  if (address === null) return err('backend.validation', `"${input.address}" is not an alias address.`);
  const targets = normalizeTargets(input.targets);
  if (targets === null || targets.length === 0) return err('backend.validation', 'An alias needs at least one valid target address.');
  const { domain } = splitAddress(address);
  return guard(`Saving alias ${address}`, () =>
    transaction(ctx, async (tx) => {
      if (!(await tx.query('SELECT 1 AS x FROM domain WHERE domain = ?', [domain])).length) reject('backend.notFound', `No domain ${domain}; aliases live on a local domain.`);
      if ((await tx.query('SELECT 1 AS x FROM mailbox WHERE username = ?', [address])).length) {
        reject('backend.conflict', `${address} is a mailbox; change its forwarding instead.`);
      }
      const v = values(ctx);
      const active = input.active === false ? v.no : v.yes;
      const exists = (await tx.query('SELECT 1 AS x FROM alias WHERE address = ?', [address])).length > 0;
      if (!exists) await checkAliasAllowed(tx, domain);
      const described = input.description !== undefined && (await ctx.schema()).has('alias', 'description');
      if (exists) {
        const sets = ['goto = ?', 'active = ?', `modified = ${v.now}`];
        const params = [targets.join(','), active];
        if (described) {
          sets.push('description = ?');
          params.push(input.description!);
        }
        await tx.run(`UPDATE alias SET ${sets.join(', ')} WHERE address = ?`, [...params, address]);
      } else {
        const columns = ['address', 'goto', 'domain', 'active', ...(described ? ['description'] : [])];
        const params = [address, targets.join(','), domain, active, ...(described ? [input.description!] : [])];
        await tx.run(`INSERT INTO alias (${columns.join(', ')}, created, modified) VALUES (${columns.map(() => '?').join(', ')}, ${v.now}, ${v.now})`, params);
      }
      await logAction(tx, ctx, domain, exists ? 'edit_alias' : 'create_alias', address);
      return { address, domain, targets, active: input.active !== false };
    }),
  );
}

/** Deletes an alias or catch-all; a mailbox's own row cannot be deleted this way. */
export async function deleteAlias(ctx: PfaContext, input: string): Promise<Result<void>> {
  const address = normalizeAddress(input, { allowCatchAll: true });
  if (address === null) return err('backend.validation', `"${input}" is not an alias address.`);
  return guard(`Deleting alias ${address}`, () =>
    transaction(ctx, async (tx) => {
      if ((await tx.query('SELECT 1 AS x FROM mailbox WHERE username = ?', [address])).length) reject('backend.conflict', `${address} is a mailbox; delete the mailbox instead.`);
      if ((await tx.run('DELETE FROM alias WHERE address = ?', [address])) === 0) reject('backend.notFound', `No alias ${address}.`);
      await logAction(tx, ctx, splitAddress(address).domain, 'delete_alias', address);
    }),
  );
}

function toForwarding(address: string, goto: string): ForwardingInfo {
  const all = parseGoto(goto);
  const targets = all.filter((t) => t !== address && !isSystemTarget(t));
  return { address, targets, keepCopy: targets.length > 0 && all.includes(address), state: targets.length > 0 ? 'active' : 'off' };
}

async function mailboxAlias(tx: SqlExecutor, address: string): Promise<string | null> {
  if (!(await tx.query('SELECT 1 AS x FROM mailbox WHERE username = ?', [address])).length) return null;
  const rows = await tx.query('SELECT goto FROM alias WHERE address = ?', [address]);
  return rows[0] ? String(rows[0]['goto']) : address;
}

/** Reads a mailbox's forwarding from its own alias row. */
export async function getForwarding(ctx: PfaContext, address: string): Promise<Result<ForwardingInfo>> {
  return guard(`Reading the forwarding of ${address}`, async () => {
    const goto = await mailboxAlias(ctx.driver, address);
    if (goto === null) reject('backend.notFound', `No mailbox ${address}.`);
    return toForwarding(address, goto);
  });
}

/** Rewrites the mailbox's own alias: targets, plus the mailbox itself to keep a copy; vacation targets stay. */
export async function setForwarding(ctx: PfaContext, address: string, input: readonly string[], keepCopy: boolean): Promise<Result<ForwardingInfo>> {
  const targets = normalizeTargets(input);
  if (targets === null) return err('backend.validation', 'Every forwarding target must be an address.');
  const external = targets.filter((t) => t !== address);
  return guard(`Setting the forwarding of ${address}`, () =>
    transaction(ctx, async (tx) => {
      const goto = await mailboxAlias(tx, address);
      if (goto === null) reject('backend.notFound', `No mailbox ${address}.`);
      const system = parseGoto(goto).filter(isSystemTarget);
      const next = [...(keepCopy || external.length === 0 ? [address] : []), ...external, ...system].join(',');
      const v = values(ctx);
      const { domain } = splitAddress(address);
      const updated = await tx.run(`UPDATE alias SET goto = ?, modified = ${v.now} WHERE address = ?`, [next, address]);
      if (updated === 0) {
        // A mailbox's own alias row is missing (made by hand): recreate it in the mailbox's state.
        const state = (await tx.query('SELECT active FROM mailbox WHERE username = ?', [address]))[0]?.['active'];
        await tx.run(`INSERT INTO alias (address, goto, domain, created, modified, active) VALUES (?, ?, ?, ${v.now}, ${v.now}, ?)`, [address, next, domain, readBool(state) ? v.yes : v.no]);
      }
      await logAction(tx, ctx, domain, updated === 0 ? 'create_alias' : 'edit_alias', address);
      return toForwarding(address, next);
    }),
  );
}
