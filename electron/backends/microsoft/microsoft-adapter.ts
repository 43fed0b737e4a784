import type { Client } from '@microsoft/microsoft-graph-client';
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
  Support,
} from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { type FetchLike, type HttpLayerOptions, createRetryingFetch } from '../http/http-client.ts';
import { classifySdkError } from '../http/http-errors.ts';
import * as exo from './exchange-cmdlets.ts';
import { GraphSession, classifyMsalError } from './graph-session.ts';

/** Connection settings for a Microsoft 365 tenant (app registration, client credentials); the client secret is the secret. */
export interface MicrosoftSettings {
  readonly tenantId: string;
  readonly clientId: string;
  /** Defaults to https://login.microsoftonline.com */
  readonly authorityHost?: string;
  /** Defaults to https://graph.microsoft.com */
  readonly graphBaseUrl?: string;
  /** Licence (SKU id) given to new mailboxes; defaults to the first subscribed SKU with Exchange and a free seat. */
  readonly licenseSkuId?: string;
  /** Two-letter country required before a licence can be assigned; defaults to "US". */
  readonly usageLocation?: string;
}

interface GraphUser {
  id: string;
  userPrincipalName?: string;
  mail?: string | null;
  displayName?: string | null;
  accountEnabled?: boolean;
  proxyAddresses?: string[];
  provisionedPlans?: { service?: string; capabilityStatus?: string; provisioningStatus?: string }[];
}
interface GraphGroup { id: string; mail?: string | null; displayName?: string | null; groupTypes?: string[]; mailEnabled?: boolean }
interface Sku { skuId: string; consumedUnits: number; prepaidUnits: { enabled: number }; servicePlans: { servicePlanName: string }[] }

const RULE_NAME = 'Mailroom forwarding';
const USER_FIELDS = 'id,userPrincipalName,mail,displayName,accountEnabled,proxyAddresses';

function sidecar<T>(what: string, cmdlet: string): Result<T> {
  return err('backend.unsupported', `Microsoft 365: ${what} needs Exchange Online PowerShell: ${cmdlet}`, { detail: { level: 'needs-sidecar', cmdlet } });
}

const needsSidecar = (manual: string): Support => ({ level: 'needs-sidecar', manual });
const domainOf = (address: string): string => address.split('@')[1]?.toLowerCase() ?? '';
const isUnified = (g: GraphGroup): boolean => (g.groupTypes ?? []).includes('Unified');
const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** BackendAdapter over Microsoft Graph (app-only); Exchange-only operations answer needs-sidecar with the cmdlet. */
export class MicrosoftGraphAdapter implements BackendAdapter {
  readonly #settings: MicrosoftSettings;
  readonly #session: GraphSession;
  readonly #graph: Client;
  readonly #graphBase: string;
  #licenceSku: string | null = null;

  constructor(settings: MicrosoftSettings, clientSecret: string, options: HttpLayerOptions = {}) {
    this.#settings = settings;
    this.#graphBase = settings.graphBaseUrl ?? 'https://graph.microsoft.com';
    const fetchImplementation: FetchLike = createRetryingFetch(options);
    this.#session = new GraphSession(
      { tenantId: settings.tenantId, clientId: settings.clientId, authorityHost: settings.authorityHost ?? 'https://login.microsoftonline.com', graphBaseUrl: this.#graphBase },
      clientSecret,
      fetchImplementation,
    );
    this.#graph = this.#session.client;
  }

  async #call<T>(where: string, run: (graph: Client) => Promise<T>): Promise<Result<T>> {
    try {
      return ok(await run(this.#graph));
    } catch (error) {
      // The auth middleware rethrows msal's error; classify both kinds once here.
      const code = (error as { errorCode?: unknown }).errorCode;
      if (typeof code === 'string') {
        return { ok: false, error: classifyMsalError(error) };
      }
      return { ok: false, error: classifySdkError(error, `Microsoft Graph ${where}`) };
    }
  }

  /** Follows @odata.nextLink until the collection ends. */
  async *#pages<T>(where: string, first: (graph: Client) => Promise<{ value?: T[]; '@odata.nextLink'?: string }>, signal?: AbortSignal): AsyncIterable<Result<T>> {
    let page = await this.#call(where, first);
    for (;;) {
      if (!page.ok) {
        yield page;
        return;
      }
      for (const item of page.value.value ?? []) yield ok(item);
      const next = page.value['@odata.nextLink'];
      if (!next || signal?.aborted) return;
      page = await this.#call(where, (graph) => graph.api(next).options(signal ? { signal } : {}).get());
    }
  }

  async probe(signal?: AbortSignal): Promise<Result<Capabilities>> {
    const auth = await this.#session.authenticate();
    if (!auth.ok) return auth;
    const org = await this.#call('organization', (g) => g.api('/organization').select('id,displayName').options(signal ? { signal } : {}).get());
    if (!org.ok) return org;
    const skus = await this.#call<{ value: Sku[] }>('subscribedSkus', (g) => g.api('/subscribedSkus').get());
    if (!skus.ok) return skus;
    const withExchange = skus.value.value.filter((s) => s.servicePlans.some((p) => p.servicePlanName.startsWith('EXCHANGE_S_')));
    const free = withExchange.filter((s) => s.prepaidUnits.enabled - s.consumedUnits > 0);
    this.#licenceSku = this.#settings.licenseSkuId ?? free[0]?.skuId ?? withExchange[0]?.skuId ?? null;
    const native: Support = { level: 'native' };
    const licenceNote = this.#licenceSku === null
      ? 'no Exchange licence in the tenant: new users get no mailbox'
      : free.some((s) => s.skuId === this.#licenceSku) ? 'user + Exchange licence; the mailbox appears asynchronously' : 'Exchange licences are all assigned: new mailboxes stay pending';
    return ok({
      kind: 'microsoft-365',
      version: 'graph v1.0',
      domain: {
        list: native,
        create: { level: 'native', how: 'unusable until verified through verificationDnsRecords + verify' },
        remove: { level: 'native', how: 'asynchronous' },
        alias: { level: 'unsupported', manual: 'No alias-domain object: add the domain and give each recipient an address in it.' },
      },
      mailbox: {
        list: native,
        create: { level: 'native', how: licenceNote },
        update: native,
        remove: native,
        suspend: { level: 'native', how: 'accountEnabled false + revokeSignInSessions; mail is still delivered' },
        setPassword: { level: 'native', how: 'needs the User Administrator role for app-only calls' },
        forcePasswordChange: { level: 'native', how: 'forceChangePasswordNextSignIn' },
      },
      alias: { manage: needsSidecar(exo.setMailboxAddresses('<mailbox>', ['<alias>'])), catchAll: needsSidecar(exo.catchAllWorkaround('<domain>', '<target>')) },
      group: { manage: { level: 'native', how: 'Microsoft 365 groups; distribution lists need Exchange Online PowerShell' }, model: 'object' },
      forward: {
        set: { level: 'emulated', how: 'inbox rule redirect (keeps a copy); external forwarding is blocked by the default outbound spam policy' },
        keepCopy: true,
        needsConfirmation: false,
      },
      quota: { set: needsSidecar(exo.setMailboxQuota('<mailbox>', 50 * 1024 ** 3)) },
      usage: { read: needsSidecar(exo.getMailboxStatistics('<mailbox>')), freshness: 'none' },
      dkim: { generate: needsSidecar(exo.newDkimSigningConfig('<domain>')) },
    });
  }

  async *listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
    for await (const d of this.#pages<{ id: string; isVerified?: boolean; isDefault?: boolean }>('domains', (g) => g.api('/domains').get(), signal)) {
      if (!d.ok) {
        yield d;
        return;
      }
      yield ok({ name: d.value.id, description: d.value.isDefault ? 'default domain' : null, active: d.value.isVerified === true, mailboxCount: null, quotaBytes: null, usedBytes: null });
    }
  }

  async createDomain(name: string): Promise<Result<Outcome<DomainInfo>>> {
    const res = await this.#call<{ isVerified?: boolean }>('domains.create', (g) => g.api('/domains').post({ id: name }));
    if (!res.ok) return res;
    const value: DomainInfo = { name, description: null, active: res.value.isVerified === true, mailboxCount: 0, quotaBytes: null, usedBytes: null };
    return ok(res.value.isVerified ? { state: 'done', value } : { state: 'pending', reason: 'dns', value });
  }

  async deleteDomain(name: string): Promise<Result<void>> {
    const res = await this.#call('domains.delete', (g) => g.api(`/domains/${encodeURIComponent(name)}`).delete());
    return res.ok ? ok(undefined) : res;
  }

  async *#users(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GraphUser>> {
    yield* this.#pages<GraphUser>('users.list', (g) => {
      let req = g.api('/users').select(USER_FIELDS).top(999).options(signal ? { signal } : {});
      // endsWith on mail is an advanced query: it needs ConsistencyLevel: eventual and $count=true.
      if (domain !== null) req = req.filter(`endswith(mail,${odataString(`@${domain}`)})`).count(true).header('ConsistencyLevel', 'eventual');
      return req.get();
    }, signal);
  }

  #toMailbox(u: GraphUser): MailboxInfo {
    const address = (u.mail ?? u.userPrincipalName ?? '').toLowerCase();
    return { address, domain: domainOf(address), displayName: u.displayName ?? null, active: u.accountEnabled !== false, quotaBytes: null, usedBytes: null, messageCount: null };
  }

  async *listMailboxes(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
    for await (const u of this.#users(domain, signal)) {
      if (!u.ok) {
        yield u;
        return;
      }
      // A user without `mail` has no Exchange mailbox (no licence, or still provisioning).
      if (u.value.mail) yield ok(this.#toMailbox(u.value));
    }
  }

  async createMailbox(input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
    if (input.quotaBytes) return sidecar('a mailbox quota', exo.setMailboxQuota(input.address, input.quotaBytes));
    const created = await this.#call<GraphUser>('users.create', (g) =>
      g.api('/users').post({
        accountEnabled: true,
        displayName: input.displayName ?? input.address.split('@')[0],
        mailNickname: input.address.split('@')[0],
        userPrincipalName: input.address,
        usageLocation: this.#settings.usageLocation ?? 'US',
        passwordProfile: { password: input.password, forceChangePasswordNextSignIn: input.forceChangeAtFirstLogin ?? false },
      }),
    );
    if (!created.ok) return created;
    const value = this.#toMailbox({ ...created.value, mail: input.address });
    if (this.#licenceSku === null) return ok({ state: 'pending', reason: 'licence', value });
    const sku = this.#licenceSku;
    const licensed = await this.#call('assignLicense', (g) => g.api(`/users/${created.value.id}/assignLicense`).post({ addLicenses: [{ skuId: sku, disabledPlans: [] }], removeLicenses: [] }));
    // No free seat: the user exists without a mailbox until someone frees or buys a licence.
    if (!licensed.ok) return /available licen[cs]es/i.test(licensed.error.message) ? ok({ state: 'pending', reason: 'licence', value }) : licensed;
    return this.#provisioning(created.value.id, value);
  }

  /** Exchange provisions the mailbox asynchronously after the licence lands; report pending until provisionedPlans say so. */
  async #provisioning(id: string, value: MailboxInfo): Promise<Result<Outcome<MailboxInfo>>> {
    const user = await this.#call<GraphUser>('users.get', (g) => g.api(`/users/${id}`).select(`${USER_FIELDS},provisionedPlans`).get());
    if (!user.ok) return user;
    const exchange = (user.value.provisionedPlans ?? []).some((p) => p.service === 'exchange' && p.provisioningStatus === 'Success' && p.capabilityStatus === 'Enabled');
    return ok(exchange && user.value.mail ? { state: 'done', value: this.#toMailbox(user.value) } : { state: 'pending', reason: 'licence', value });
  }

  async updateMailbox(address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
    if (patch.quotaBytes !== undefined) return sidecar('a mailbox quota', exo.setMailboxQuota(address, patch.quotaBytes));
    const body: Record<string, unknown> = {};
    if (patch.displayName !== undefined) body['displayName'] = patch.displayName;
    if (patch.active !== undefined) body['accountEnabled'] = patch.active;
    const path = `/users/${encodeURIComponent(address)}`;
    const res = await this.#call('users.update', (g) => g.api(path).patch(body));
    if (!res.ok) return res;
    if (patch.active === false) {
      const revoked = await this.#call('revokeSignInSessions', (g) => g.api(`${path}/revokeSignInSessions`).post({}));
      if (!revoked.ok) return revoked;
    }
    const user = await this.#call<GraphUser>('users.get', (g) => g.api(path).select(USER_FIELDS).get());
    return user.ok ? ok(this.#toMailbox(user.value)) : user;
  }

  async deleteMailbox(address: string): Promise<Result<void>> {
    const res = await this.#call('users.delete', (g) => g.api(`/users/${encodeURIComponent(address)}`).delete());
    return res.ok ? ok(undefined) : res;
  }

  async setPassword(address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<void>> {
    const res = await this.#call('users.update', (g) =>
      g.api(`/users/${encodeURIComponent(address)}`).patch({ passwordProfile: { password, forceChangePasswordNextSignIn: options.forceChange ?? false } }),
    );
    return res.ok ? ok(undefined) : res;
  }

  async *listAliases(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
    for await (const u of this.#users(null, signal)) {
      if (!u.ok) {
        yield u;
        return;
      }
      const primary = (u.value.mail ?? '').toLowerCase();
      // proxyAddresses: "SMTP:" is the primary, lower-case "smtp:" the secondary addresses (read-only in Graph).
      for (const proxy of u.value.proxyAddresses ?? []) {
        if (!proxy.startsWith('smtp:')) continue;
        const address = proxy.slice(5).toLowerCase();
        if (domain === null || domainOf(address) === domain) yield ok({ address, domain: domainOf(address), targets: [primary], active: true });
      }
    }
  }

  async upsertAlias(alias: { address: string; targets: readonly string[] }): Promise<Result<AliasInfo>> {
    return sidecar('adding an address (proxyAddresses is read-only in Graph)', exo.setMailboxAddresses(alias.targets[0] ?? '<mailbox>', [alias.address]));
  }

  async deleteAlias(address: string): Promise<Result<void>> {
    let owner = '<mailbox>';
    for await (const a of this.listAliases(domainOf(address))) if (a.ok && a.value.address === address.toLowerCase()) owner = a.value.targets[0] ?? owner;
    return sidecar('removing an address', exo.setMailboxAddresses(owner, [], [address]));
  }

  async *listGroups(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
    for await (const g of this.#pages<GraphGroup>('groups.list', (c) => c.api('/groups').select('id,mail,displayName,groupTypes,mailEnabled').filter('mailEnabled eq true').get(), signal)) {
      if (!g.ok) {
        yield g;
        return;
      }
      if (domain !== null && domainOf(g.value.mail ?? '') !== domain) continue;
      const members = await this.#members(g.value.id, signal);
      if (!members.ok) {
        yield members;
        return;
      }
      yield ok({ address: (g.value.mail ?? '').toLowerCase(), name: g.value.displayName ?? null, members: members.value.map((m) => m.address) });
    }
  }

  async #members(groupId: string, signal?: AbortSignal): Promise<Result<{ id: string; address: string }[]>> {
    const out: { id: string; address: string }[] = [];
    for await (const m of this.#pages<GraphUser>('members.list', (g) => g.api(`/groups/${groupId}/members`).select('id,mail,userPrincipalName').get(), signal)) {
      if (!m.ok) return m;
      out.push({ id: m.value.id, address: (m.value.mail ?? m.value.userPrincipalName ?? '').toLowerCase() });
    }
    return ok(out);
  }

  async #findGroup(address: string): Promise<Result<GraphGroup | null>> {
    const res = await this.#call<{ value: GraphGroup[] }>('groups.find', (g) => g.api('/groups').filter(`mail eq ${odataString(address)}`).select('id,mail,displayName,groupTypes,mailEnabled').get());
    return res.ok ? ok(res.value.value[0] ?? null) : res;
  }

  async upsertGroup(group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
    const found = await this.#findGroup(group.address);
    if (!found.ok) return found;
    let target = found.value;
    if (target && !isUnified(target)) {
      // Distribution lists and mail-enabled security groups are read-only in Graph.
      return sidecar('changing a distribution list', exo.updateDistributionGroupMembers(group.address, group.members));
    }
    if (!target) {
      const created = await this.#call<GraphGroup>('groups.create', (g) =>
        g.api('/groups').post({ displayName: group.name ?? group.address, mailNickname: group.address.split('@')[0], mailEnabled: true, securityEnabled: false, groupTypes: ['Unified'] }),
      );
      if (!created.ok) return created;
      target = created.value;
    }
    const groupId = target.id;
    const current = await this.#members(groupId);
    if (!current.ok) return current;
    const want = new Set(group.members.map((m) => m.toLowerCase()));
    for (const member of want) {
      if (current.value.some((m) => m.address === member)) continue;
      const user = await this.#call<GraphUser>('users.get', (g) => g.api(`/users/${encodeURIComponent(member)}`).select('id').get());
      if (!user.ok) return user.error.code === 'backend.notFound' ? err('backend.validation', `Microsoft 365: ${member} is not a user in the tenant; invite a guest first.`) : user;
      const added = await this.#call('members.add', (g) => g.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': `${new URL(this.#graphBase).origin}/v1.0/directoryObjects/${user.value.id}` }));
      if (!added.ok) return added;
    }
    for (const m of current.value) {
      if (want.has(m.address)) continue;
      const removed = await this.#call('members.remove', (g) => g.api(`/groups/${groupId}/members/${m.id}/$ref`).delete());
      if (!removed.ok) return removed;
    }
    return ok({ address: group.address.toLowerCase(), name: target.displayName ?? group.name ?? null, members: [...want] });
  }

  async deleteGroup(address: string): Promise<Result<void>> {
    const found = await this.#findGroup(address);
    if (!found.ok) return found;
    if (!found.value) return err('backend.notFound', `Microsoft 365: no group ${address}`);
    if (!isUnified(found.value)) return sidecar('removing a distribution list', exo.removeDistributionGroup(address));
    const id = found.value.id;
    const res = await this.#call('groups.delete', (g) => g.api(`/groups/${id}`).delete());
    return res.ok ? ok(undefined) : res;
  }

  async #rule(address: string): Promise<Result<{ id: string; isEnabled?: boolean; actions?: { redirectTo?: { emailAddress: { address: string } }[] } } | null>> {
    const res = await this.#call<{ value: { id: string; displayName?: string }[] }>('messageRules.list', (g) => g.api(`/users/${encodeURIComponent(address)}/mailFolders/inbox/messageRules`).get());
    return res.ok ? ok(res.value.value.find((r) => r.displayName === RULE_NAME) ?? null) : res;
  }

  async getForwarding(address: string): Promise<Result<ForwardingInfo>> {
    const rule = await this.#rule(address);
    if (!rule.ok) return rule;
    const targets = (rule.value?.actions?.redirectTo ?? []).map((r) => r.emailAddress.address);
    return ok({ address, targets, keepCopy: true, state: rule.value?.isEnabled && targets.length ? 'active' : 'off' });
  }

  async setForwarding(address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
    // An inbox rule always leaves the original in the mailbox; dropping the copy needs mailbox-level forwarding.
    if (!keepCopy && targets.length) return sidecar('forwarding without keeping a copy', exo.setMailboxForwarding(address, targets[0] ?? null, false));
    const rule = await this.#rule(address);
    if (!rule.ok) return rule;
    const rules = `/users/${encodeURIComponent(address)}/mailFolders/inbox/messageRules`;
    const existing = rule.value;
    if (targets.length === 0) {
      if (existing) {
        const removed = await this.#call('messageRules.delete', (g) => g.api(`${rules}/${existing.id}`).delete());
        if (!removed.ok) return removed;
      }
      return ok({ state: 'done', value: { address, targets: [], keepCopy: false, state: 'off' } });
    }
    const body = { displayName: RULE_NAME, sequence: 1, isEnabled: true, actions: { redirectTo: targets.map((t) => ({ emailAddress: { address: t } })), stopProcessingRules: false } };
    const saved = existing
      ? await this.#call('messageRules.update', (g) => g.api(`${rules}/${existing.id}`).patch(body))
      : await this.#call('messageRules.create', (g) => g.api(rules).post(body));
    if (!saved.ok) return saved;
    return ok({ state: 'done', value: { address, targets: [...targets], keepCopy: true, state: 'active' } });
  }

  async close(): Promise<void> {}
}
