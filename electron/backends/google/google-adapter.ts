import { admin, type admin_directory_v1, type admin_reports_v1 } from '@googleapis/admin';
import { gmail, type gmail_v1 } from '@googleapis/gmail';
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
import { type FetchLike, type HttpLayerOptions, createRetryingFetch } from '../http/http-client.ts';
import { classifySdkError } from '../http/http-errors.ts';
import { DelegatedAuth, GOOGLE_TOKEN_URL, SCOPES, parseServiceAccountKey } from './google-auth.ts';
import { readUsage } from './google-usage.ts';
import { MANUAL_DWD, MANUAL_QUOTA, googleCapabilities } from './google-capabilities.ts';

/** Connection settings for Google Workspace; the service-account JSON key is the secret. */
export interface GoogleSettings {
  /** A super-admin the service account impersonates for Directory and Reports calls. */
  readonly adminEmail: string;
  /** Customer ID; defaults to "my_customer" (the admin's own account). */
  readonly customer?: string;
  /** Overrides https://admin.googleapis.com/ (Directory, Reports); used by tests and private endpoints. */
  readonly rootUrl?: string;
  /** Overrides https://gmail.googleapis.com/ (forwarding settings). */
  readonly gmailRootUrl?: string;
}

async function call<T>(where: string, run: () => Promise<{ data: T }>): Promise<Result<T>> {
  try {
    return ok((await run()).data);
  } catch (error) {
    return { ok: false, error: classifySdkError(error, `Google ${where}`) };
  }
}

function splitName(displayName: string | undefined, address: string): { givenName: string; familyName: string } {
  const parts = (displayName ?? '').trim().split(/\s+/).filter(Boolean);
  const local = address.split('@')[0] ?? address;
  // Directory requires both names; a one-word name repeats it rather than invent a surname.
  return { givenName: parts[0] ?? local, familyName: parts.slice(1).join(' ') || parts[0] || local };
}

const domainOf = (address: string): string => address.split('@')[1]?.toLowerCase() ?? '';

/** BackendAdapter over the Admin SDK Directory, Gmail settings and Reports APIs with a DWD service account. */
export class GoogleWorkspaceAdapter implements BackendAdapter {
  readonly #settings: GoogleSettings;
  readonly #auth: DelegatedAuth | null;
  readonly #fetch: FetchLike;
  readonly #now: () => number;
  #canForward = false;
  #canReadUsage = false;

  constructor(settings: GoogleSettings, serviceAccountJson: string, options: HttpLayerOptions = {}) {
    this.#settings = settings;
    const key = parseServiceAccountKey(serviceAccountJson);
    const tokenUri = key.ok ? key.value.tokenUri : GOOGLE_TOKEN_URL;
    this.#fetch = createRetryingFetch({
      ...options,
      rewriteUrl: (url) => (url === GOOGLE_TOKEN_URL && tokenUri !== GOOGLE_TOKEN_URL ? tokenUri : (options.rewriteUrl?.(url) ?? url)),
    });
    this.#auth = key.ok ? new DelegatedAuth(key.value, this.#fetch) : null;
    this.#now = options.now ?? Date.now;
  }

  #common(scopes: readonly string[], subject = this.#settings.adminEmail, rootUrl = this.#settings.rootUrl) {
    // The shared layer owns retries: turn gaxios's own retry off so a 401 is sent exactly once.
    return {
      auth: this.#auth!.client(subject, scopes),
      retry: false,
      fetchImplementation: this.#fetch,
      ...(rootUrl ? { rootUrl } : {}),
    };
  }

  #directory(): admin_directory_v1.Admin {
    return admin({ version: 'directory_v1', ...this.#common(SCOPES.directory) });
  }

  #reports(): admin_reports_v1.Admin {
    return admin({ version: 'reports_v1', ...this.#common(SCOPES.reports) });
  }

  #gmail(user: string): gmail_v1.Gmail {
    return gmail({ version: 'v1', ...this.#common(SCOPES.gmail, user, this.#settings.gmailRootUrl) });
  }

  get #customer(): string {
    return this.#settings.customer ?? 'my_customer';
  }

  async probe(signal?: AbortSignal): Promise<Result<Capabilities>> {
    if (!this.#auth) return err('input.invalid', 'Google: the stored secret is not a service-account key.');
    const domains = await call('domains.list', () => this.#directory().domains.list({ customer: this.#customer }, { signal: signal ?? null }));
    if (!domains.ok) return domains;
    // Optional scopes: a token refused for them means the admin did not authorise them for DWD.
    this.#canReadUsage = await this.#tokenFor(this.#settings.adminEmail, SCOPES.reports);
    this.#canForward = await this.#tokenFor(this.#settings.adminEmail, SCOPES.gmail);
    return ok(googleCapabilities(this.#canForward, this.#canReadUsage));
  }

  async #tokenFor(subject: string, scopes: readonly string[]): Promise<boolean> {
    try {
      await this.#auth!.client(subject, scopes).getAccessToken();
      return true;
    } catch {
      // Refused (unauthorized_client) means not granted; the capability says where to grant it.
      return false;
    }
  }

  async *listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
    const res = await call('domains.list', () => this.#directory().domains.list({ customer: this.#customer }, { signal: signal ?? null }));
    if (!res.ok) {
      yield res;
      return;
    }
    for (const d of res.value.domains ?? []) {
      yield ok({
        name: d.domainName ?? '',
        description: d.isPrimary ? 'primary domain' : null,
        active: d.verified === true,
        mailboxCount: null,
        quotaBytes: null,
        usedBytes: null,
        aliasDomains: (d.domainAliases ?? []).map((a) => a.domainAliasName ?? '').filter(Boolean),
      });
    }
  }

  async createDomain(name: string): Promise<Result<Outcome<DomainInfo>>> {
    const res = await call('domains.insert', () => this.#directory().domains.insert({ customer: this.#customer, requestBody: { domainName: name } }));
    if (!res.ok) return res;
    const value: DomainInfo = { name, description: null, active: res.value.verified === true, mailboxCount: 0, quotaBytes: null, usedBytes: null };
    // The domain is unusable until its DNS ownership is verified (Site Verification API or Admin console).
    return ok(res.value.verified ? { state: 'done', value } : { state: 'pending', reason: 'dns', value });
  }

  async deleteDomain(name: string): Promise<Result<void>> {
    const res = await call('domains.delete', () => this.#directory().domains.delete({ customer: this.#customer, domainName: name }));
    return res.ok ? ok(undefined) : res;
  }

  async *#users(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<admin_directory_v1.Schema$User>> {
    const directory = this.#directory();
    let pageToken: string | undefined;
    do {
      const scope = domain === null ? { customer: this.#customer } : { domain };
      const page = await call('users.list', () => directory.users.list({ ...scope, maxResults: 500, ...(pageToken ? { pageToken } : {}) }, { signal: signal ?? null }));
      if (!page.ok) {
        yield page;
        return;
      }
      for (const user of page.value.users ?? []) yield ok(user);
      pageToken = page.value.nextPageToken ?? undefined;
    } while (pageToken);
  }

  async *listMailboxes(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
    let usage = new Map<string, number>();
    if (this.#canReadUsage) {
      const read = await readUsage(this.#reports(), { nowMs: this.#now(), signal });
      // Usage is optional decoration; a failed report leaves usedBytes null rather than failing the list.
      if (read.ok) usage = read.value;
    }
    for await (const user of this.#users(domain, signal)) {
      if (!user.ok) {
        yield user;
        return;
      }
      yield ok(this.#toMailbox(user.value, usage));
    }
  }

  #toMailbox(user: admin_directory_v1.Schema$User, usage: ReadonlyMap<string, number> = new Map()): MailboxInfo {
    const address = user.primaryEmail ?? '';
    return {
      address,
      domain: domainOf(address),
      displayName: user.name?.fullName ?? null,
      active: user.suspended !== true,
      quotaBytes: null,
      usedBytes: usage.get(address.toLowerCase()) ?? null,
      messageCount: null,
    };
  }

  async createMailbox(input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
    if (input.quotaBytes) return err('backend.unsupported', `Google: ${MANUAL_QUOTA}`, { detail: { manual: MANUAL_QUOTA } });
    const res = await call('users.insert', () =>
      this.#directory().users.insert({
        requestBody: {
          primaryEmail: input.address,
          name: splitName(input.displayName, input.address),
          password: input.password,
          changePasswordAtNextLogin: input.forceChangeAtFirstLogin ?? false,
        },
      }),
    );
    return res.ok ? ok({ state: 'done', value: this.#toMailbox(res.value) }) : res;
  }

  async updateMailbox(address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
    if (patch.quotaBytes) return err('backend.unsupported', `Google: ${MANUAL_QUOTA}`, { detail: { manual: MANUAL_QUOTA } });
    const body: admin_directory_v1.Schema$User = {};
    if (patch.displayName !== undefined) body.name = splitName(patch.displayName, address);
    if (patch.active !== undefined) body.suspended = !patch.active;
    const res = await call('users.patch', () => this.#directory().users.patch({ userKey: address, requestBody: body }));
    if (!res.ok) return res;
    if (patch.active === false) {
      // Suspension does not end open sessions by itself.
      const out = await call('users.signOut', () => this.#directory().users.signOut({ userKey: address }));
      if (!out.ok) return out;
    }
    return ok(this.#toMailbox(res.value));
  }

  async deleteMailbox(address: string): Promise<Result<void>> {
    const res = await call('users.delete', () => this.#directory().users.delete({ userKey: address }));
    return res.ok ? ok(undefined) : res;
  }

  async setPassword(address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<void>> {
    const res = await call('users.patch', () =>
      this.#directory().users.patch({ userKey: address, requestBody: { password, ...(options.forceChange === undefined ? {} : { changePasswordAtNextLogin: options.forceChange }) } }),
    );
    return res.ok ? ok(undefined) : res;
  }

  async *listAliases(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
    // Google aliases live on users (users.list returns them); a multi-target address is a group instead.
    for await (const user of this.#users(domain, signal)) {
      if (!user.ok) {
        yield user;
        return;
      }
      for (const alias of user.value.aliases ?? []) {
        yield ok({ address: alias, domain: domainOf(alias), targets: [user.value.primaryEmail ?? ''], active: true });
      }
    }
  }

  async upsertAlias(alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
    const [target] = alias.targets;
    if (alias.targets.length !== 1 || target === undefined) {
      return err('backend.validation', 'Google: a user alias points at exactly one user; use a group for several targets.');
    }
    const owner = await call('users.get', () => this.#directory().users.get({ userKey: alias.address }));
    if (owner.ok && owner.value.primaryEmail?.toLowerCase() !== target.toLowerCase()) {
      const removed = await call('users.aliases.delete', () => this.#directory().users.aliases.delete({ userKey: owner.value.primaryEmail ?? '', alias: alias.address }));
      if (!removed.ok) return removed;
    } else if (!owner.ok && owner.error.code !== 'backend.notFound') {
      return owner;
    }
    if (!owner.ok || owner.value.primaryEmail?.toLowerCase() !== target.toLowerCase()) {
      const res = await call('users.aliases.insert', () => this.#directory().users.aliases.insert({ userKey: target, requestBody: { alias: alias.address } }));
      if (!res.ok) return res;
    }
    return ok({ address: alias.address, domain: domainOf(alias.address), targets: [target], active: true });
  }

  async deleteAlias(address: string): Promise<Result<void>> {
    // users.get resolves an alias to the user that owns it.
    const owner = await call('users.get', () => this.#directory().users.get({ userKey: address }));
    if (!owner.ok) return owner;
    const res = await call('users.aliases.delete', () => this.#directory().users.aliases.delete({ userKey: owner.value.primaryEmail ?? '', alias: address }));
    return res.ok ? ok(undefined) : res;
  }

  async *listGroups(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
    const directory = this.#directory();
    let pageToken: string | undefined;
    do {
      const scope = domain === null ? { customer: this.#customer } : { domain };
      const page = await call('groups.list', () => directory.groups.list({ ...scope, maxResults: 200, ...(pageToken ? { pageToken } : {}) }, { signal: signal ?? null }));
      if (!page.ok) {
        yield page;
        return;
      }
      for (const group of page.value.groups ?? []) {
        const members = await this.#members(group.email ?? '', signal);
        if (!members.ok) {
          yield members;
          return;
        }
        yield ok({ address: group.email ?? '', name: group.name ?? null, members: members.value });
      }
      pageToken = page.value.nextPageToken ?? undefined;
    } while (pageToken);
  }

  async #members(groupKey: string, signal?: AbortSignal): Promise<Result<string[]>> {
    const out: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await call('members.list', () => this.#directory().members.list({ groupKey, maxResults: 200, ...(pageToken ? { pageToken } : {}) }, { signal: signal ?? null }));
      if (!page.ok) return page;
      for (const m of page.value.members ?? []) if (m.email) out.push(m.email);
      pageToken = page.value.nextPageToken ?? undefined;
    } while (pageToken);
    return ok(out);
  }

  async upsertGroup(group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
    const directory = this.#directory();
    const existing = await call('groups.get', () => directory.groups.get({ groupKey: group.address }));
    if (!existing.ok && existing.error.code !== 'backend.notFound') return existing;
    if (!existing.ok) {
      const created = await call('groups.insert', () => directory.groups.insert({ requestBody: { email: group.address, name: group.name ?? group.address } }));
      if (!created.ok) return created;
    } else if (group.name !== undefined && group.name !== existing.value.name) {
      const renamed = await call('groups.patch', () => directory.groups.patch({ groupKey: group.address, requestBody: { name: group.name } }));
      if (!renamed.ok) return renamed;
    }
    const current = await this.#members(group.address);
    if (!current.ok) return current;
    const want = new Set(group.members.map((m) => m.toLowerCase()));
    const have = new Set(current.value.map((m) => m.toLowerCase()));
    for (const email of group.members) {
      if (have.has(email.toLowerCase())) continue;
      const added = await call('members.insert', () => directory.members.insert({ groupKey: group.address, requestBody: { email, role: 'MEMBER' } }));
      if (!added.ok) return added;
    }
    for (const email of current.value) {
      if (want.has(email.toLowerCase())) continue;
      const removed = await call('members.delete', () => directory.members.delete({ groupKey: group.address, memberKey: email }));
      if (!removed.ok) return removed;
    }
    return ok({ address: group.address, name: group.name ?? (existing.ok ? (existing.value.name ?? null) : group.address), members: [...group.members] });
  }

  async deleteGroup(address: string): Promise<Result<void>> {
    const res = await call('groups.delete', () => this.#directory().groups.delete({ groupKey: address }));
    return res.ok ? ok(undefined) : res;
  }

  async getForwarding(address: string): Promise<Result<ForwardingInfo>> {
    if (!this.#canForward) return err('backend.unsupported', `Google: forwarding needs domain-wide delegation. ${MANUAL_DWD}`, { detail: { manual: MANUAL_DWD } });
    const api = this.#gmail(address);
    const auto = await call('getAutoForwarding', () => api.users.settings.getAutoForwarding({ userId: 'me' }));
    if (!auto.ok) return auto;
    if (auto.value.enabled && auto.value.emailAddress) {
      return ok({ address, targets: [auto.value.emailAddress], keepCopy: auto.value.disposition !== 'trash', state: 'active' });
    }
    const list = await call('forwardingAddresses.list', () => api.users.settings.forwardingAddresses.list({ userId: 'me' }));
    if (!list.ok) return list;
    const pending = (list.value.forwardingAddresses ?? []).filter((f) => f.verificationStatus === 'pending').map((f) => f.forwardingEmail ?? '');
    return ok({ address, targets: pending, keepCopy: true, state: pending.length ? 'pending-confirmation' : 'off' });
  }

  async setForwarding(address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
    if (!this.#canForward) return err('backend.unsupported', `Google: forwarding needs domain-wide delegation. ${MANUAL_DWD}`, { detail: { manual: MANUAL_DWD } });
    const api = this.#gmail(address);
    const [target] = targets;
    if (targets.length > 1) return err('backend.validation', 'Google: Gmail auto-forwards to one address; use a group or a filter for several.');
    if (target === undefined) {
      const off = await call('updateAutoForwarding', () => api.users.settings.updateAutoForwarding({ userId: 'me', requestBody: { enabled: false } }));
      return off.ok ? ok({ state: 'done', value: { address, targets: [], keepCopy: false, state: 'off' } }) : off;
    }
    let status: string | null | undefined;
    const created = await call('forwardingAddresses.create', () => api.users.settings.forwardingAddresses.create({ userId: 'me', requestBody: { forwardingEmail: target } }));
    if (created.ok) status = created.value.verificationStatus;
    else if (created.error.code === 'backend.conflict') {
      const found = await call('forwardingAddresses.get', () => api.users.settings.forwardingAddresses.get({ userId: 'me', forwardingEmail: target }));
      if (!found.ok) return found;
      status = found.value.verificationStatus;
    } else return created;
    if (status !== 'accepted') {
      // Gmail mails the target a confirmation link; auto-forwarding can be enabled only after it is accepted.
      return ok({ state: 'pending', reason: 'confirmation', value: { address, targets: [target], keepCopy, state: 'pending-confirmation' } });
    }
    const on = await call('updateAutoForwarding', () =>
      api.users.settings.updateAutoForwarding({ userId: 'me', requestBody: { enabled: true, emailAddress: target, disposition: keepCopy ? 'leaveInInbox' : 'trash' } }),
    );
    return on.ok ? ok({ state: 'done', value: { address, targets: [target], keepCopy, state: 'active' } }) : on;
  }

  async close(): Promise<void> {}
}
