import type { BackendAdapter } from '../adapter.ts';
import type {
  AliasInfo,
  Capabilities,
  DomainInfo,
  ForwardingInfo,
  GroupInfo,
  MailboxInfo,
  MailboxPatch,
  NewMailbox,
  Outcome,
} from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { HttpClient, type HttpLayerOptions } from '../http/http-client.ts';
import { JmapClient } from './jmap-client.ts';

/** Connection settings for Stalwart 0.16+; the secret is the admin password (Basic) or a bearer token. */
export interface StalwartSettings {
  readonly baseUrl: string;
  /** Admin login for HTTP Basic; omit to send the secret as a Bearer token. */
  readonly username?: string;
  readonly pageSize?: number;
}

// Object shapes follow stalwartlabs/stalwart crates/registry/src/schema/ as summarised in backends.md §3.6.
// Marked (unverified) there: the quota field name, the permission patch used for suspension and the
// SieveUserScript owner property; check them against a live 0.16 server.
interface Domain { id: string; name: string; isEnabled?: boolean; catchAllAddress?: string | null; aliases?: string[] }
interface Account {
  id: string; '@type': string; name: string; domainId: string; description?: string | null; emailAddress?: string;
  aliases?: { name: string; domainId: string; enabled?: boolean }[]; quotas?: { maxDiskQuota?: number | null }; usedDiskQuota?: number;
  permissions?: Record<string, boolean>;
}
interface MailingList { id: string; name: string; domainId: string; description?: string | null; recipients?: string[] }
interface SieveScript { id: string; name: string; isActive?: boolean; script?: string; principalId?: string }

const SCRIPT = 'mailroom-forward';

function sieveString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A Sieve script that redirects to `targets`, keeping a copy with `:copy` (RFC 3894). */
export function forwardingScript(targets: readonly string[], keepCopy: boolean): string {
  const lines = targets.map((t) => `redirect${keepCopy ? ' :copy' : ''} ${sieveString(t)};`);
  return `${keepCopy ? 'require ["copy"];\n' : ''}${lines.join('\n')}\n`;
}

function parseForwardingScript(script: string): { targets: string[]; keepCopy: boolean } {
  const targets = [...script.matchAll(/redirect(\s+:copy)?\s+"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[2] ?? '').replace(/\\(.)/g, '$1'));
  return { targets, keepCopy: /redirect\s+:copy/.test(script) };
}

/** BackendAdapter over Stalwart 0.16's JMAP management API (`urn:stalwart:jmap`, `x:<Object>/<method>`). */
export class StalwartAdapter implements BackendAdapter {
  readonly #jmap: JmapClient;
  readonly #pageSize: number;
  #domains: Map<string, Domain> | null = null;

  constructor(settings: StalwartSettings, secret: string, options: HttpLayerOptions = {}) {
    const authorization = settings.username === undefined ? `Bearer ${secret}` : `Basic ${Buffer.from(`${settings.username}:${secret}`).toString('base64')}`;
    this.#jmap = new JmapClient(new HttpClient({ ...options, baseUrl: settings.baseUrl, where: 'Stalwart', headers: async () => ({ authorization }) }));
    this.#pageSize = settings.pageSize ?? 250;
  }

  async probe(signal?: AbortSignal): Promise<Result<Capabilities>> {
    const session = await this.#jmap.session(signal);
    if (!session.ok) return session;
    const native = { level: 'native' } as const;
    return ok({
      kind: 'stalwart',
      version: session.value.version ?? '0.16',
      domain: { list: native, create: native, remove: native, alias: native },
      mailbox: {
        list: native, create: native, update: native, remove: native,
        suspend: { level: 'emulated', how: 'remove the authenticate permission (no enabled flag)' },
        setPassword: native,
        forcePasswordChange: { level: 'unsupported', manual: 'Stalwart has no "change at next login" flag; send the user a one-time password instead.' },
      },
      alias: { manage: { level: 'native', how: 'account alias (one target); several targets are a mailing list' }, catchAll: { level: 'native', how: 'Domain.catchAllAddress' } },
      group: { manage: native, model: 'list' },
      forward: { set: { level: 'emulated', how: 'Sieve redirect in a per-user script' }, keepCopy: true, needsConfirmation: false },
      quota: { set: native },
      usage: { read: native, freshness: 'live' },
      dkim: { generate: native },
    });
  }

  async #domainMap(refresh = false): Promise<Result<Map<string, Domain>>> {
    if (this.#domains && !refresh) return ok(this.#domains);
    const map = new Map<string, Domain>();
    for await (const d of this.#jmap.list<Domain>('Domain', {}, this.#pageSize)) {
      if (!d.ok) return d;
      map.set(d.value.name.toLowerCase(), d.value);
    }
    this.#domains = map;
    return ok(map);
  }

  async #domainId(name: string): Promise<Result<string>> {
    let map = await this.#domainMap();
    if (map.ok && !map.value.has(name.toLowerCase())) map = await this.#domainMap(true);
    if (!map.ok) return map;
    const d = map.value.get(name.toLowerCase());
    return d ? ok(d.id) : err('backend.notFound', `Stalwart: no domain ${name}`);
  }

  async #domainName(id: string): Promise<string> {
    const map = await this.#domainMap();
    return (map.ok ? [...map.value.values()].find((d) => d.id === id)?.name : undefined) ?? id;
  }

  async *listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
    for await (const d of this.#jmap.list<Domain>('Domain', {}, this.#pageSize, signal)) {
      if (!d.ok) {
        yield d;
        return;
      }
      yield ok({ name: d.value.name, description: null, active: d.value.isEnabled !== false, mailboxCount: null, quotaBytes: null, usedBytes: null, aliasDomains: d.value.aliases ?? [] });
    }
  }

  async createDomain(name: string): Promise<Result<Outcome<DomainInfo>>> {
    const res = await this.#jmap.set('Domain', { create: { d: { name, isEnabled: true } } });
    this.#domains = null;
    return res.ok ? ok({ state: 'done', value: { name, description: null, active: true, mailboxCount: 0, quotaBytes: null, usedBytes: null } }) : res;
  }

  async deleteDomain(name: string): Promise<Result<void>> {
    const id = await this.#domainId(name);
    if (!id.ok) return id;
    const res = await this.#jmap.set('Domain', { destroy: [id.value] });
    this.#domains = null;
    return res.ok ? ok(undefined) : res;
  }

  async #toMailbox(a: Account): Promise<MailboxInfo> {
    const domain = await this.#domainName(a.domainId);
    return {
      address: a.emailAddress ?? `${a.name}@${domain}`,
      domain,
      displayName: a.description ?? null,
      active: a.permissions?.['authenticate'] !== false,
      quotaBytes: a.quotas?.maxDiskQuota ?? null,
      usedBytes: a.usedDiskQuota ?? null,
      messageCount: null,
    };
  }

  /** `base` narrowed to one domain's objects; a null domain keeps every domain. */
  async #domainFilter(domain: string | null, base: Record<string, unknown>): Promise<Result<Record<string, unknown>>> {
    if (domain === null) return ok(base);
    const id = await this.#domainId(domain);
    return id.ok ? ok({ ...base, domainId: id.value }) : id;
  }

  async *#accounts(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<Account>> {
    const filter = await this.#domainFilter(domain, { '@type': 'User' });
    if (!filter.ok) {
      yield filter;
      return;
    }
    yield* this.#jmap.list<Account>('Account', filter.value, this.#pageSize, signal);
  }

  async *listMailboxes(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
    for await (const a of this.#accounts(domain, signal)) {
      if (!a.ok) {
        yield a;
        return;
      }
      yield ok(await this.#toMailbox(a.value));
    }
  }

  async #account(address: string): Promise<Result<Account>> {
    const [name = '', domain = ''] = address.toLowerCase().split('@');
    const domainId = await this.#domainId(domain);
    if (!domainId.ok) return domainId;
    for await (const a of this.#jmap.list<Account>('Account', { name, domainId: domainId.value }, 1)) return a;
    return err('backend.notFound', `Stalwart: no account ${address}`);
  }

  async createMailbox(input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
    if (input.forceChangeAtFirstLogin) return err('backend.unsupported', 'Stalwart: no "change password at next login" flag.');
    const [name = '', domain = ''] = input.address.toLowerCase().split('@');
    const domainId = await this.#domainId(domain);
    if (!domainId.ok) return domainId;
    const res = await this.#jmap.set('Account', {
      create: {
        a: {
          '@type': 'User', name, domainId: domainId.value, description: input.displayName ?? null,
          credentials: [{ '@type': 'Password', secret: input.password }],
          ...(input.quotaBytes ? { quotas: { maxDiskQuota: input.quotaBytes } } : {}),
        },
      },
    });
    if (!res.ok) return res;
    const created = await this.#account(input.address);
    return created.ok ? ok({ state: 'done', value: await this.#toMailbox(created.value) }) : created;
  }

  async updateMailbox(address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
    const account = await this.#account(address);
    if (!account.ok) return account;
    // JMAP PatchObject paths (RFC 8620 §5.3) change one property inside an object.
    const changes: Record<string, unknown> = {};
    if (patch.displayName !== undefined) changes['description'] = patch.displayName;
    if (patch.quotaBytes !== undefined) changes['quotas/maxDiskQuota'] = patch.quotaBytes;
    if (patch.active !== undefined) changes['permissions/authenticate'] = patch.active ? null : false;
    const res = await this.#jmap.set('Account', { update: { [account.value.id]: changes } });
    if (!res.ok) return res;
    const updated = await this.#account(address);
    return updated.ok ? ok(await this.#toMailbox(updated.value)) : updated;
  }

  async deleteMailbox(address: string): Promise<Result<void>> {
    const account = await this.#account(address);
    if (!account.ok) return account;
    const res = await this.#jmap.set('Account', { destroy: [account.value.id] });
    return res.ok ? ok(undefined) : res;
  }

  async setPassword(address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<void>> {
    if (options.forceChange) return err('backend.unsupported', 'Stalwart: no "change password at next login" flag.');
    const account = await this.#account(address);
    if (!account.ok) return account;
    const res = await this.#jmap.set('Account', { update: { [account.value.id]: { credentials: [{ '@type': 'Password', secret: password }] } } });
    return res.ok ? ok(undefined) : res;
  }

  async *listAliases(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
    const domains = await this.#domainMap(true);
    if (!domains.ok) {
      yield domains;
      return;
    }
    for (const d of domains.value.values()) {
      if (d.catchAllAddress && (domain === null || d.name === domain)) yield ok({ address: `@${d.name}`, domain: d.name, targets: [d.catchAllAddress], active: true });
    }
    for await (const a of this.#accounts(null, signal)) {
      if (!a.ok) {
        yield a;
        return;
      }
      const owner = await this.#toMailbox(a.value);
      for (const alias of a.value.aliases ?? []) {
        const aliasDomain = await this.#domainName(alias.domainId);
        if (domain === null || aliasDomain === domain) yield ok({ address: `${alias.name}@${aliasDomain}`, domain: aliasDomain, targets: [owner.address], active: alias.enabled !== false });
      }
    }
  }

  async #aliasOwner(address: string): Promise<Result<Account | null>> {
    for await (const a of this.#accounts(null)) {
      if (!a.ok) return a;
      for (const alias of a.value.aliases ?? []) if (`${alias.name}@${await this.#domainName(alias.domainId)}` === address.toLowerCase()) return ok(a.value);
    }
    return ok(null);
  }

  async #setAliases(account: Account, aliases: NonNullable<Account['aliases']>): Promise<Result<void>> {
    const res = await this.#jmap.set('Account', { update: { [account.id]: { aliases } } });
    return res.ok ? ok(undefined) : res;
  }

  async upsertAlias(alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
    const [local = '', domain = ''] = alias.address.toLowerCase().split('@');
    const [target] = alias.targets;
    if (alias.targets.length !== 1 || target === undefined) return err('backend.validation', 'Stalwart: an alias names one account; use a mailing list (group) for several targets.');
    const domainId = await this.#domainId(domain);
    if (!domainId.ok) return domainId;
    if (local === '') {
      const res = await this.#jmap.set('Domain', { update: { [domainId.value]: { catchAllAddress: target } } });
      this.#domains = null;
      return res.ok ? ok({ address: alias.address, domain, targets: [target], active: true }) : res;
    }
    const owner = await this.#aliasOwner(alias.address);
    if (!owner.ok) return owner;
    const newOwner = await this.#account(target);
    if (!newOwner.ok) return newOwner.error.code === 'backend.notFound' ? err('backend.validation', `Stalwart: ${target} is not an account; use a mailing list.`) : newOwner;
    if (owner.value && owner.value.id !== newOwner.value.id) {
      const removed = await this.#setAliases(owner.value, (owner.value.aliases ?? []).filter((a) => !(a.name === local && a.domainId === domainId.value)));
      if (!removed.ok) return removed;
    }
    const kept = (newOwner.value.aliases ?? []).filter((a) => !(a.name === local && a.domainId === domainId.value));
    const saved = await this.#setAliases(newOwner.value, [...kept, { name: local, domainId: domainId.value, enabled: alias.active !== false }]);
    return saved.ok ? ok({ address: alias.address.toLowerCase(), domain, targets: [target], active: alias.active !== false }) : saved;
  }

  async deleteAlias(address: string): Promise<Result<void>> {
    const [local = '', domain = ''] = address.toLowerCase().split('@');
    const domainId = await this.#domainId(domain);
    if (!domainId.ok) return domainId;
    if (local === '') {
      const res = await this.#jmap.set('Domain', { update: { [domainId.value]: { catchAllAddress: null } } });
      this.#domains = null;
      return res.ok ? ok(undefined) : res;
    }
    const owner = await this.#aliasOwner(address);
    if (!owner.ok) return owner;
    if (!owner.value) return err('backend.notFound', `Stalwart: no alias ${address}`);
    return this.#setAliases(owner.value, (owner.value.aliases ?? []).filter((a) => !(a.name === local && a.domainId === domainId.value)));
  }

  async *listGroups(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
    const filter = await this.#domainFilter(domain, {});
    if (!filter.ok) {
      yield filter;
      return;
    }
    for await (const l of this.#jmap.list<MailingList>('MailingList', filter.value, this.#pageSize, signal)) {
      if (!l.ok) {
        yield l;
        return;
      }
      yield ok({ address: `${l.value.name}@${await this.#domainName(l.value.domainId)}`, name: l.value.description ?? null, members: l.value.recipients ?? [] });
    }
  }

  async #list(address: string): Promise<Result<MailingList | null>> {
    const [name = '', domain = ''] = address.toLowerCase().split('@');
    const domainId = await this.#domainId(domain);
    if (!domainId.ok) return domainId;
    for await (const l of this.#jmap.list<MailingList>('MailingList', { name, domainId: domainId.value }, 1)) return l;
    return ok(null);
  }

  async upsertGroup(group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
    const existing = await this.#list(group.address);
    if (!existing.ok) return existing;
    const [name = '', domain = ''] = group.address.toLowerCase().split('@');
    const fields = { recipients: [...group.members], ...(group.name === undefined ? {} : { description: group.name }) };
    let res: Result<unknown>;
    if (existing.value) res = await this.#jmap.set('MailingList', { update: { [existing.value.id]: fields } });
    else {
      const domainId = await this.#domainId(domain);
      if (!domainId.ok) return domainId;
      res = await this.#jmap.set('MailingList', { create: { l: { name, domainId: domainId.value, ...fields } } });
    }
    if (!res.ok) return res;
    return ok({ address: group.address.toLowerCase(), name: group.name ?? existing.value?.description ?? null, members: [...group.members] });
  }

  async deleteGroup(address: string): Promise<Result<void>> {
    const existing = await this.#list(address);
    if (!existing.ok) return existing;
    if (!existing.value) return err('backend.notFound', `Stalwart: no mailing list ${address}`);
    const res = await this.#jmap.set('MailingList', { destroy: [existing.value.id] });
    return res.ok ? ok(undefined) : res;
  }

  async #script(address: string): Promise<Result<{ account: Account; script: SieveScript | null }>> {
    const account = await this.#account(address);
    if (!account.ok) return account;
    for await (const s of this.#jmap.list<SieveScript>('SieveUserScript', { principalId: account.value.id, name: SCRIPT }, 1)) {
      return s.ok ? ok({ account: account.value, script: s.value }) : s;
    }
    return ok({ account: account.value, script: null });
  }

  async getForwarding(address: string): Promise<Result<ForwardingInfo>> {
    const found = await this.#script(address);
    if (!found.ok) return found;
    const script = found.value.script;
    if (!script?.script || script.isActive === false) return ok({ address, targets: [], keepCopy: false, state: 'off' });
    const parsed = parseForwardingScript(script.script);
    return ok({ address, ...parsed, state: parsed.targets.length ? 'active' : 'off' });
  }

  async setForwarding(address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
    const found = await this.#script(address);
    if (!found.ok) return found;
    const existing = found.value.script;
    let res: Result<unknown> = ok(undefined);
    if (targets.length === 0) {
      if (existing) res = await this.#jmap.set('SieveUserScript', { destroy: [existing.id] });
    } else {
      const script = forwardingScript(targets, keepCopy);
      res = existing
        ? await this.#jmap.set('SieveUserScript', { update: { [existing.id]: { script, isActive: true } } })
        : await this.#jmap.set('SieveUserScript', { create: { s: { principalId: found.value.account.id, name: SCRIPT, isActive: true, script } } });
    }
    if (!res.ok) return res;
    return ok({ state: 'done', value: { address, targets: [...targets], keepCopy: targets.length ? keepCopy : false, state: targets.length ? 'active' : 'off' } });
  }

  async close(): Promise<void> {}
}
