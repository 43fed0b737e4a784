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
import { type AppError, type Result, appError, err, ok } from '../../../shared/errors/result.ts';
import { HttpClient, type HttpLayerOptions } from '../http/http-client.ts';

/** Connection settings for a mailcow-dockerized server; the API key travels separately as the secret. */
export interface MailcowSettings {
  /** e.g. "https://mail.example.com" (the API lives under /api/v1/). */
  readonly baseUrl: string;
}

interface McItem {
  readonly type?: string;
  readonly msg?: unknown;
}

const MIB = 1_048_576;

/** Classifies mailcow's write answers: HTTP 200 with `[{type, msg, log}]`, where any `danger`/`error` item is a failure. */
export function classifyMailcowItems(body: unknown, where: string): AppError | null {
  const items: readonly McItem[] = Array.isArray(body) ? body : body && typeof body === 'object' ? [body as McItem] : [];
  const bad = items.filter((item) => item.type === 'danger' || item.type === 'error');
  if (bad.length === 0) return null;
  const keys = bad.map((item) => (Array.isArray(item.msg) ? String(item.msg[0]) : String(item.msg ?? '')));
  const text = bad.map((item) => (Array.isArray(item.msg) ? item.msg.map(String).join(' ') : String(item.msg ?? ''))).join('; ');
  const detail = { vendorCode: keys[0] };
  // Message keys come from mailcow's data/web/lang/lang.en-gb.json (object_exists, domain_exists, aliasd_exists, …).
  if (keys.some((k) => /exists|not_empty/.test(k))) return appError('backend.conflict', `${where}: ${text}`, { detail });
  if (keys.some((k) => /access_denied/.test(k))) return appError('backend.forbidden', `${where}: ${text}`, { detail });
  if (keys.some((k) => /not_found|no_such/.test(k))) return appError('backend.notFound', `${where}: ${text}`, { detail });
  return appError('backend.validation', `${where}: ${text}`, { detail });
}

function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function splitTargets(goto: unknown): string[] {
  return typeof goto === 'string' ? goto.split(',').map((t) => t.trim()).filter(Boolean) : [];
}

function toMailbox(raw: Record<string, unknown>): MailboxInfo {
  const address = String(raw['username']);
  return {
    address,
    domain: String(raw['domain'] ?? address.split('@')[1]),
    displayName: typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : null,
    // active 2 = "login refused, mail still accepted": not an active login
    active: num(raw['active']) === 1,
    quotaBytes: num(raw['quota']) || null,
    usedBytes: num(raw['quota_used']),
    messageCount: num(raw['messages']),
  };
}

function toAlias(raw: Record<string, unknown>): AliasInfo {
  const address = String(raw['address']);
  return {
    address,
    domain: String(raw['domain'] ?? address.split('@')[1]),
    targets: splitTargets(raw['goto']),
    active: num(raw['active']) === 1,
  };
}

/** Mailbox quota for mailcow's write API, which takes MiB (reads answer bytes); 0 means unlimited. */
export function bytesToMiB(bytes: number | null | undefined): number {
  return bytes ? Math.ceil(bytes / MIB) : 0;
}

/** BackendAdapter over mailcow's REST API (`X-API-Key`), data/web/api/openapi.yaml. */
export class MailcowAdapter implements BackendAdapter {
  readonly #http: HttpClient;

  constructor(settings: MailcowSettings, apiKey: string, options: HttpLayerOptions = {}) {
    this.#http = new HttpClient({
      ...options,
      baseUrl: new URL('/api/v1/', settings.baseUrl).href,
      where: 'mailcow',
      headers: async () => ({ 'x-api-key': apiKey }),
    });
  }

  async probe(signal?: AbortSignal): Promise<Result<Capabilities>> {
    const version = await this.#http.json<{ version?: string }>({ path: 'get/status/version', signal });
    if (!version.ok) return version;
    const native = { level: 'native' } as const;
    const fanout = { level: 'emulated', how: 'alias with several targets' } as const;
    return ok({
      kind: 'mailcow',
      version: version.value.body?.version ?? null,
      domain: { list: native, create: native, remove: { level: 'native', how: 'refused while the domain has mailboxes' }, alias: native },
      mailbox: {
        list: native,
        create: native,
        update: native,
        remove: native,
        suspend: { level: 'native', how: 'active 0 (or 2: login refused, mail accepted)' },
        setPassword: native,
        forcePasswordChange: { level: 'native', how: 'force_pw_update' },
      },
      alias: { manage: native, catchAll: { level: 'native', how: 'alias "@domain"' } },
      group: { manage: fanout, model: 'alias-fanout' },
      forward: { set: { level: 'emulated', how: 'alias on the mailbox address; keep-a-copy lists the mailbox itself' }, keepCopy: true, needsConfirmation: false },
      quota: { set: { level: 'native', how: 'MiB on write' } },
      usage: { read: native, freshness: 'live' },
      dkim: { generate: native },
    });
  }

  async *listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
    // mailcow has no paging on get/…/all: one response holds every row.
    const res = await this.#http.json<Record<string, unknown>[]>({ path: 'get/domain/all', signal });
    if (!res.ok) { yield res; return; }
    for (const d of arrayOf(res.value.body)) {
      yield ok({
        name: String(d['domain_name']),
        description: typeof d['description'] === 'string' && d['description'] !== '' ? d['description'] : null,
        active: num(d['active']) === 1,
        mailboxCount: num(d['mboxes_in_domain']),
        quotaBytes: num(d['max_quota_for_domain']),
        usedBytes: num(d['bytes_total']),
      });
    }
  }

  async createDomain(name: string, options: { description?: string } = {}): Promise<Result<Outcome<DomainInfo>>> {
    // Limits in MiB; these mirror the mailcow UI defaults for a new domain.
    const body = { domain: name, description: options.description ?? '', aliases: 400, mailboxes: 10, defquota: 3072, maxquota: 10240, quota: 10240, active: 1 };
    const res = await this.#write('add/domain', body);
    if (!res.ok) return res;
    return ok({ state: 'done', value: { name, description: options.description ?? null, active: true, mailboxCount: 0, quotaBytes: 10240 * MIB, usedBytes: 0 } });
  }

  async deleteDomain(name: string): Promise<Result<void>> {
    return this.#write('delete/domain', [name]);
  }

  async *listMailboxes(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
    const path = domain === null ? 'get/mailbox/all' : `get/mailbox/all/${encodeURIComponent(domain)}`;
    const res = await this.#http.json<Record<string, unknown>[]>({ path, signal });
    if (!res.ok) { yield res; return; }
    for (const m of arrayOf(res.value.body)) yield ok(toMailbox(m));
  }

  async getMailbox(address: string): Promise<Result<MailboxInfo | null>> {
    const res = await this.#getMailbox(address);
    return !res.ok && res.error.code === 'backend.notFound' ? ok(null) : res;
  }

  async createMailbox(input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
    const [localPart, domain] = input.address.split('@');
    const res = await this.#write('add/mailbox', {
      local_part: localPart,
      domain,
      name: input.displayName ?? '',
      password: input.password,
      password2: input.password,
      quota: bytesToMiB(input.quotaBytes),
      active: 1,
      force_pw_update: input.forceChangeAtFirstLogin ? 1 : 0,
    });
    if (!res.ok) return res;
    const created = await this.#getMailbox(input.address);
    return created.ok ? ok({ state: 'done', value: created.value }) : created;
  }

  async updateMailbox(address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
    const attr: Record<string, unknown> = {};
    if (patch.displayName !== undefined) attr['name'] = patch.displayName;
    if (patch.quotaBytes !== undefined) attr['quota'] = bytesToMiB(patch.quotaBytes);
    if (patch.active !== undefined) attr['active'] = patch.active ? 1 : 0;
    const res = await this.#write('edit/mailbox', { items: [address], attr });
    return res.ok ? this.#getMailbox(address) : res;
  }

  async deleteMailbox(address: string): Promise<Result<void>> {
    return this.#write('delete/mailbox', [address]);
  }

  async setPassword(address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<void>> {
    return this.#write('edit/mailbox', {
      items: [address],
      attr: { password, password2: password, ...(options.forceChange === undefined ? {} : { force_pw_update: options.forceChange ? 1 : 0 }) },
    });
  }

  async *listAliases(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
    const res = await this.#aliasesRaw(signal);
    if (!res.ok) { yield res; return; }
    for (const a of res.value) {
      const alias = toAlias(a);
      if (domain === null || alias.domain === domain) yield ok(alias);
    }
  }

  async upsertAlias(alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
    const existing = await this.#findAlias(alias.address);
    if (!existing.ok) return existing;
    const goto = alias.targets.join(',');
    const active = alias.active === false ? 0 : 1;
    const res =
      existing.value === null
        ? await this.#write('add/alias', { address: alias.address, goto, active })
        : await this.#write('edit/alias', { items: [existing.value['id']], attr: { goto, active } });
    if (!res.ok) return res;
    return ok({ address: alias.address, domain: alias.address.split('@')[1] ?? '', targets: [...alias.targets], active: active === 1 });
  }

  async deleteAlias(address: string): Promise<Result<void>> {
    const existing = await this.#findAlias(address);
    if (!existing.ok) return existing;
    if (existing.value === null) return err('backend.notFound', `mailcow: no alias ${address}`);
    return this.#write('delete/alias', [existing.value['id']]);
  }

  async *listGroups(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
    // mailcow has no group object: a group is an alias with several targets.
    for await (const alias of this.listAliases(domain, signal)) {
      if (!alias.ok) { yield alias; return; }
      if (alias.value.targets.length > 1) yield ok({ address: alias.value.address, name: null, members: alias.value.targets });
    }
  }

  async upsertGroup(group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
    const res = await this.upsertAlias({ address: group.address, targets: group.members });
    return res.ok ? ok({ address: group.address, name: group.name ?? null, members: res.value.targets }) : res;
  }

  async deleteGroup(address: string): Promise<Result<void>> {
    return this.deleteAlias(address);
  }

  async getForwarding(address: string): Promise<Result<ForwardingInfo>> {
    const existing = await this.#findAlias(address);
    if (!existing.ok) return existing;
    const targets = existing.value ? splitTargets(existing.value['goto']) : [];
    const others = targets.filter((t) => t !== address);
    return ok({ address, targets: others, keepCopy: targets.includes(address), state: others.length ? 'active' : 'off' });
  }

  async setForwarding(address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
    if (targets.length === 0) {
      const existing = await this.#findAlias(address);
      if (!existing.ok) return existing;
      if (existing.value) {
        const removed = await this.#write('delete/alias', [existing.value['id']]);
        if (!removed.ok) return removed;
      }
      return ok({ state: 'done', value: { address, targets: [], keepCopy: false, state: 'off' } });
    }
    // Forwarding is an alias on the mailbox's own address; listing the mailbox keeps a copy (backends.md §2 note 18).
    const res = await this.upsertAlias({ address, targets: keepCopy ? [address, ...targets] : targets });
    if (!res.ok) return res;
    return ok({ state: 'done', value: { address, targets: [...targets], keepCopy, state: 'active' } });
  }

  async close(): Promise<void> {}

  async #write(path: string, body: unknown): Promise<Result<void>> {
    const res = await this.#http.json<unknown>({ method: 'POST', path, body });
    if (!res.ok) return res;
    // mailcow answers HTTP 200 for validation errors; check each item's type.
    const failure = classifyMailcowItems(res.value.body, `mailcow ${path}`);
    return failure ? { ok: false, error: failure } : ok(undefined);
  }

  async #getMailbox(address: string): Promise<Result<MailboxInfo>> {
    const res = await this.#http.json<unknown>({ path: `get/mailbox/${encodeURIComponent(address)}` });
    if (!res.ok) return res;
    const raw = Array.isArray(res.value.body) ? res.value.body[0] : res.value.body;
    // A missing mailbox comes back as {} or [] with HTTP 200.
    if (!raw || typeof raw !== 'object' || !('username' in raw)) return err('backend.notFound', `mailcow: no mailbox ${address}`);
    return ok(toMailbox(raw as Record<string, unknown>));
  }

  async #aliasesRaw(signal?: AbortSignal): Promise<Result<Record<string, unknown>[]>> {
    const res = await this.#http.json<unknown>({ path: 'get/alias/all', signal });
    return res.ok ? ok(arrayOf(res.value.body)) : res;
  }

  async #findAlias(address: string): Promise<Result<Record<string, unknown> | null>> {
    const all = await this.#aliasesRaw();
    if (!all.ok) return all;
    return ok(all.value.find((a) => String(a['address']).toLowerCase() === address.toLowerCase()) ?? null);
  }
}

function arrayOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  // A single object answers get/…/{id}; an empty {} means none.
  return body && typeof body === 'object' && Object.keys(body).length > 0 ? [body as Record<string, unknown>] : [];
}
