import type { AliasInfo } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { domainId, domainMap, domainName, listItems, toList, type Account, type EmailAlias, type StalwartContext } from './stalwart-context.ts';
import { account, accounts, toMailbox } from './stalwart-mailboxes.ts';

/** Iterates catch-alls (`Domain.catchAllAddress`) and account aliases of one domain, or of every domain when null. */
export async function* listAliases(ctx: StalwartContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
  const domains = await domainMap(ctx, true);
  if (!domains.ok) {
    yield domains;
    return;
  }
  for (const d of domains.value.values()) {
    if (d.catchAllAddress && (domain === null || d.name === domain)) yield ok({ address: `@${d.name}`, domain: d.name, targets: [d.catchAllAddress], active: true });
  }
  for await (const a of accounts(ctx, null, signal)) {
    if (!a.ok) {
      yield a;
      return;
    }
    const owner = await toMailbox(ctx, a.value);
    for (const alias of listItems(a.value.aliases)) {
      const aliasDomain = await domainName(ctx, alias.domainId);
      if (domain === null || aliasDomain === domain) yield ok({ address: `${alias.name}@${aliasDomain}`, domain: aliasDomain, targets: [owner.address], active: alias.enabled !== false });
    }
  }
}

async function aliasOwner(ctx: StalwartContext, address: string): Promise<Result<Account | null>> {
  for await (const a of accounts(ctx, null)) {
    if (!a.ok) return a;
    for (const alias of listItems(a.value.aliases)) if (`${alias.name}@${await domainName(ctx, alias.domainId)}` === address.toLowerCase()) return ok(a.value);
  }
  return ok(null);
}

async function setAliases(ctx: StalwartContext, owner: Account, aliases: readonly EmailAlias[]): Promise<Result<void>> {
  // An object list is written whole, re-indexed from 0.
  const res = await ctx.jmap.set('Account', { update: { [owner.id]: { aliases: toList(aliases) } } });
  return res.ok ? ok(undefined) : res;
}

/** Points an alias at one account (moving it from its old owner), or sets the catch-all for `@domain`. */
export async function upsertAlias(ctx: StalwartContext, alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
  const [local = '', domain = ''] = alias.address.toLowerCase().split('@');
  const [target] = alias.targets;
  if (alias.targets.length !== 1 || target === undefined) return err('backend.validation', 'Stalwart: an alias names one account; use a mailing list (group) for several targets.');
  const id = await domainId(ctx, domain);
  if (!id.ok) return id;
  if (local === '') {
    const res = await ctx.jmap.set('Domain', { update: { [id.value]: { catchAllAddress: target } } });
    ctx.domains = null;
    return res.ok ? ok({ address: alias.address, domain, targets: [target], active: true }) : res;
  }
  const owner = await aliasOwner(ctx, alias.address);
  if (!owner.ok) return owner;
  const newOwner = await account(ctx, target);
  if (!newOwner.ok) return newOwner.error.code === 'backend.notFound' ? err('backend.validation', `Stalwart: ${target} is not an account; use a mailing list.`) : newOwner;
  if (owner.value && owner.value.id !== newOwner.value.id) {
    const removed = await setAliases(ctx, owner.value, listItems(owner.value.aliases).filter((a) => !(a.name === local && a.domainId === id.value)));
    if (!removed.ok) return removed;
  }
  const kept = listItems(newOwner.value.aliases).filter((a) => !(a.name === local && a.domainId === id.value));
  const saved = await setAliases(ctx, newOwner.value, [...kept, { name: local, domainId: id.value, enabled: alias.active !== false }]);
  return saved.ok ? ok({ address: alias.address.toLowerCase(), domain, targets: [target], active: alias.active !== false }) : saved;
}

/** Removes an account alias, or clears the catch-all for `@domain`. */
export async function deleteAlias(ctx: StalwartContext, address: string): Promise<Result<void>> {
  const [local = '', domain = ''] = address.toLowerCase().split('@');
  const id = await domainId(ctx, domain);
  if (!id.ok) return id;
  if (local === '') {
    const res = await ctx.jmap.set('Domain', { update: { [id.value]: { catchAllAddress: null } } });
    ctx.domains = null;
    return res.ok ? ok(undefined) : res;
  }
  const owner = await aliasOwner(ctx, address);
  if (!owner.ok) return owner;
  if (!owner.value) return err('backend.notFound', `Stalwart: no alias ${address}`);
  return setAliases(ctx, owner.value, listItems(owner.value.aliases).filter((a) => !(a.name === local && a.domainId === id.value)));
}
