import type { AliasInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { arrayOf, num, splitTargets, write, type MailcowContext } from './mailcow-context.ts';

/** An alias as mailcow stores it: `id`, `address`, `goto` (comma-separated), `active`, … */
export type RawAlias = Record<string, unknown>;

function toAlias(raw: RawAlias): AliasInfo {
  const address = String(raw['address']);
  return {
    address,
    domain: String(raw['domain'] ?? address.split('@')[1]),
    targets: splitTargets(raw['goto']),
    active: num(raw['active']) === 1,
  };
}

async function aliasesRaw(ctx: MailcowContext, signal?: AbortSignal): Promise<Result<RawAlias[]>> {
  const res = await ctx.http.json<unknown>({ path: 'get/alias/all', signal });
  return res.ok ? ok(arrayOf(res.value.body)) : res;
}

/** The stored alias for `address` (case-insensitive), or null; mailcow has no lookup by address, so this lists all. */
export async function findAlias(ctx: MailcowContext, address: string): Promise<Result<RawAlias | null>> {
  const all = await aliasesRaw(ctx);
  if (!all.ok) return all;
  return ok(all.value.find((a) => String(a['address']).toLowerCase() === address.toLowerCase()) ?? null);
}

/** Iterates the aliases of one domain, or of every domain when `domain` is null. */
export async function* listAliases(ctx: MailcowContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
  const res = await aliasesRaw(ctx, signal);
  if (!res.ok) { yield res; return; }
  for (const a of res.value) {
    const alias = toAlias(a);
    if (domain === null || alias.domain === domain) yield ok(alias);
  }
}

/** Creates the alias or replaces the targets and active flag of the existing one. */
export async function upsertAlias(ctx: MailcowContext, alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
  // mailbox('add', 'alias') skips, without a word, an address that is among its own targets.
  if (alias.targets.some((t) => t.toLowerCase() === alias.address.toLowerCase())) return err('backend.validation', `mailcow: an alias cannot list itself (${alias.address}).`);
  const existing = await findAlias(ctx, alias.address);
  if (!existing.ok) return existing;
  const goto = alias.targets.join(',');
  const active = alias.active === false ? 0 : 1;
  const res =
    existing.value === null
      ? await write(ctx, 'add/alias', { address: alias.address, goto, active })
      : await write(ctx, 'edit/alias', { items: [existing.value['id']], attr: { goto, active } });
  if (!res.ok) return res;
  return ok({ address: alias.address, domain: alias.address.split('@')[1] ?? '', targets: [...alias.targets], active: active === 1 });
}

/** Removes an alias; `backend.notFound` when there is none. */
export async function deleteAlias(ctx: MailcowContext, address: string): Promise<Result<void>> {
  const existing = await findAlias(ctx, address);
  if (!existing.ok) return existing;
  if (existing.value === null) return err('backend.notFound', `mailcow: no alias ${address}`);
  return write(ctx, 'delete/alias', [existing.value['id']]);
}
