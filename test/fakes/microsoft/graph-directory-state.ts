import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type FakeReply, json } from '../http/fake-http-server.ts';

/** Graph's error envelope `{error:{code,message}}`. */
export function graphError(status: number, code: string, message: string): FakeReply {
  return json(status, { error: { code, message, innerError: { 'request-id': randomUUID() } } });
}

interface User {
  id: string; userPrincipalName: string; mail: string | null; displayName: string; accountEnabled: boolean; usageLocation: string | null;
  proxyAddresses: string[]; licensedAt: number | null; revoked: number; password: string; forceChange: boolean;
  /** signInActivity.lastSignInDateTime; null for a user who never signed in (Graph then answers signInActivity: null). */
  lastSignIn: string | null;
  rules: { id: string; displayName: string; sequence: number; isEnabled: boolean; hasError: boolean; conditions: unknown; actions: unknown }[];
}
interface Group { id: string; mail: string; displayName: string; groupTypes: string[]; mailEnabled: boolean; members: string[] }

const SKU = '6fd2c87f-b296-42f0-b197-1e91e994b900';

/** In-memory tenant: users, licences (Exchange provisioned `provisioningDelayMs` after assignment), groups, domains, inbox rules. */
export class GraphDirectoryState {
  readonly users = new Map<string, User>();
  readonly groups = new Map<string, Group>();
  readonly domains = new Map<string, { id: string; isVerified: boolean; isDefault: boolean }>();
  readonly sku = { skuId: SKU, skuPartNumber: 'ENTERPRISEPACK', consumedUnits: 0, prepaidUnits: { enabled: 5 }, servicePlans: [{ servicePlanName: 'EXCHANGE_S_ENTERPRISE' }] };
  /** Largest page the server returns, whatever $top asks (Graph may return fewer items than $top). */
  pageSize = 100;
  provisioningDelayMs = 0;
  /** signInActivity needs Entra ID P1 (or P2); without it Graph refuses a $select that names it. */
  premium = true;
  readonly #base: () => string;

  constructor(base: () => string) {
    this.#base = base;
  }

  /** Adds a licensed user with a provisioned mailbox (test setup). */
  seedUser(upn: string, options: { aliases?: string[]; licensed?: boolean } = {}): User {
    const licensed = options.licensed ?? true;
    const user: User = {
      id: randomUUID(), userPrincipalName: upn, mail: licensed ? upn : null, displayName: upn.split('@')[0] ?? upn, accountEnabled: true, usageLocation: 'US',
      proxyAddresses: licensed ? [`SMTP:${upn}`, ...(options.aliases ?? []).map((a) => `smtp:${a}`)] : [], licensedAt: licensed ? 0 : null, revoked: 0, password: 'x', forceChange: false, rules: [], lastSignIn: null,
    };
    if (licensed) this.sku.consumedUnits += 1;
    this.users.set(user.id, user);
    return user;
  }

  /** Adds a group; `unified: false` makes it a distribution list (read-only in Graph). */
  seedGroup(mail: string, unified: boolean, members: string[] = []): Group {
    const group: Group = { id: randomUUID(), mail, displayName: mail.split('@')[0] ?? mail, groupTypes: unified ? ['Unified'] : [], mailEnabled: true, members };
    this.groups.set(group.id, group);
    return group;
  }

  #user(key: string): User | undefined {
    const k = key.toLowerCase();
    const user = this.users.get(key) ?? [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === k);
    if (user && user.licensedAt !== null && user.mail === null && Date.now() - user.licensedAt >= this.provisioningDelayMs) {
      user.mail = user.userPrincipalName;
      user.proxyAddresses = [`SMTP:${user.userPrincipalName}`];
    }
    return user;
  }

  #view(u: User): Record<string, unknown> {
    const provisioned = u.mail !== null;
    return {
      id: u.id, userPrincipalName: u.userPrincipalName, mail: u.mail, displayName: u.displayName, accountEnabled: u.accountEnabled, proxyAddresses: u.proxyAddresses,
      provisionedPlans: u.licensedAt === null ? [] : [{ service: 'exchange', capabilityStatus: 'Enabled', provisioningStatus: provisioned ? 'Success' : 'PendingInput' }],
    };
  }

  #signIns(u: User): Record<string, string | null> | null {
    return u.lastSignIn === null ? null : { lastSignInDateTime: u.lastSignIn, lastSignInRequestId: randomUUID(), lastNonInteractiveSignInDateTime: null, lastNonInteractiveSignInRequestId: null, lastSuccessfulSignInDateTime: u.lastSignIn, lastSuccessfulSignInRequestId: randomUUID() };
  }

  #page(resource: string, rows: unknown[], query: URLSearchParams): FakeReply {
    const start = Number(query.get('$skiptoken') ?? 0);
    const size = Math.min(Number(query.get('$top') ?? 100), this.pageSize);
    const next = new URLSearchParams(query);
    next.set('$skiptoken', String(start + size));
    const nextLink = start + size < rows.length ? { '@odata.nextLink': `${this.#base()}/v1.0/${resource}?${next}` } : {};
    return json(200, { '@odata.context': `${this.#base()}/v1.0/$metadata#${resource}`, value: rows.slice(start, start + size), ...nextLink });
  }

  /** Serves one Graph v1.0 call; `path` is split after /v1.0/. */
  handle(method: string, path: string[], query: URLSearchParams, rawBody: unknown, headers: IncomingHttpHeaders): FakeReply {
    const body = (rawBody ?? {}) as Record<string, unknown>;
    const [collection, key, sub, subKey, tail] = path;
    if (collection === 'organization') return json(200, { value: [{ id: randomUUID(), displayName: 'Contoso' }] });
    if (collection === 'subscribedSkus') return json(200, { value: [this.sku] });
    if (collection === 'domains') return this.#domains(method, key, body);
    if (collection === 'users') return this.#users(method, path, query, body, headers);
    if (collection === 'groups') return this.#groups(method, key, sub, subKey, tail, query, body);
    return graphError(400, 'BadRequest', `Resource not found for the segment '${collection}'.`);
  }

  #domains(method: string, key: string | undefined, body: Record<string, unknown>): FakeReply {
    if (!key && method === 'GET') return json(200, { value: [...this.domains.values()] });
    if (!key && method === 'POST') {
      const id = String(body['id']);
      if (this.domains.has(id)) return graphError(400, 'Request_BadRequest', 'Another object with the same value for property id already exists.');
      const d = { id, isVerified: false, isDefault: false };
      this.domains.set(id, d);
      return json(201, d);
    }
    if (key && method === 'DELETE') return this.domains.delete(key) ? { status: 204 } : graphError(404, 'Request_ResourceNotFound', `Domain ${key} not found`);
    return graphError(405, 'Request_BadRequest', 'Unsupported');
  }

  #users(method: string, path: string[], query: URLSearchParams, body: Record<string, unknown>, headers: IncomingHttpHeaders): FakeReply {
    const [, key, sub, , , ruleId] = path;
    if (!key && method === 'GET') {
      const filter = query.get('$filter');
      let rows = [...this.users.values()].map((u) => this.#user(u.id) ?? u);
      if (filter) {
        // Advanced queries need ConsistencyLevel: eventual and $count=true, or Graph answers 400.
        if (headers['consistencylevel'] !== 'eventual' || query.get('$count') !== 'true') return graphError(400, 'Request_UnsupportedQuery', 'Unsupported or invalid query filter clause specified for property \'mail\'.');
        const m = /^endswith\(mail,'(.+)'\)$/.exec(filter);
        if (!m) return graphError(400, 'Request_UnsupportedQuery', 'Unsupported filter');
        rows = rows.filter((u) => (u.mail ?? '').toLowerCase().endsWith((m[1] ?? '').toLowerCase()));
      }
      const signIns = (query.get('$select') ?? '').split(',').includes('signInActivity');
      if (signIns && !this.premium) return graphError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
      return this.#page('users', rows.map((u) => ({ ...this.#view(u), ...(signIns ? { signInActivity: this.#signIns(u) } : {}) })), query);
    }
    if (!key && method === 'POST') {
      const upn = String(body['userPrincipalName'] ?? '').toLowerCase();
      const profile = body['passwordProfile'] as { password?: string; forceChangePasswordNextSignIn?: boolean } | undefined;
      if (!profile?.password || !body['mailNickname'] || !body['displayName']) return graphError(400, 'Request_BadRequest', 'Invalid value specified for property passwordProfile.');
      if (this.#user(upn)) return graphError(400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.');
      const user = this.seedUser(upn, { licensed: false });
      user.displayName = String(body['displayName']);
      user.usageLocation = typeof body['usageLocation'] === 'string' ? body['usageLocation'] : null;
      user.password = profile.password;
      user.forceChange = profile.forceChangePasswordNextSignIn === true;
      return json(201, this.#view(user));
    }
    const user = this.#user(String(key));
    if (!user) return graphError(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    if (sub === 'assignLicense' && method === 'POST') {
      if (!user.usageLocation) return graphError(400, 'Request_BadRequest', 'License assignment cannot be done for user with invalid usage location.');
      if (this.sku.consumedUnits >= this.sku.prepaidUnits.enabled) {
        return graphError(400, 'Request_BadRequest', 'License assignment failed because the subscription does not have any available licenses.');
      }
      this.sku.consumedUnits += 1;
      user.licensedAt = Date.now();
      return json(200, this.#view(user));
    }
    if (sub === 'revokeSignInSessions' && method === 'POST') {
      user.revoked += 1;
      return json(200, { value: true });
    }
    if (sub === 'mailFolders' && path[3] === 'inbox' && path[4] === 'messageRules') return this.#rules(method, user, ruleId, body);
    if (method === 'GET') return json(200, this.#view(user));
    if (method === 'DELETE') {
      this.users.delete(user.id);
      return { status: 204 };
    }
    if (method === 'PATCH') {
      if (typeof body['displayName'] === 'string') user.displayName = body['displayName'];
      if (typeof body['accountEnabled'] === 'boolean') user.accountEnabled = body['accountEnabled'];
      const profile = body['passwordProfile'] as { password?: string; forceChangePasswordNextSignIn?: boolean } | undefined;
      if (profile?.password) {
        user.password = profile.password;
        user.forceChange = profile.forceChangePasswordNextSignIn === true;
      }
      return { status: 204 };
    }
    return graphError(405, 'Request_BadRequest', 'Unsupported');
  }

  #rules(method: string, user: User, ruleId: string | undefined, body: Record<string, unknown>): FakeReply {
    // Graph's mail APIs need an Exchange mailbox; an unlicensed user has none.
    if (user.mail === null) return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    if (!ruleId && method === 'GET') return json(200, { value: user.rules });
    if (!ruleId && method === 'POST') {
      const rule = { id: randomUUID(), displayName: String(body['displayName']), sequence: Number(body['sequence'] ?? 1), isEnabled: body['isEnabled'] !== false, hasError: false, conditions: body['conditions'] ?? {}, actions: body['actions'] };
      user.rules.push(rule);
      return json(201, rule);
    }
    const rule = user.rules.find((r) => r.id === ruleId);
    if (!rule) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (method === 'PATCH') {
      Object.assign(rule, body);
      return json(200, rule);
    }
    if (method === 'DELETE') {
      user.rules = user.rules.filter((r) => r.id !== ruleId);
      return { status: 204 };
    }
    return graphError(405, 'Request_BadRequest', 'Unsupported');
  }

  #groups(method: string, key: string | undefined, sub: string | undefined, memberId: string | undefined, tail: string | undefined, query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    if (!key && method === 'GET') {
      const filter = query.get('$filter') ?? '';
      const byMail = /^mail eq '(.+)'$/.exec(filter);
      const rows = [...this.groups.values()].filter((g) => (byMail ? g.mail.toLowerCase() === (byMail[1] ?? '').toLowerCase() : filter === 'mailEnabled eq true' ? g.mailEnabled : true));
      return this.#page('groups', rows.map(({ members: _m, ...g }) => g), query);
    }
    if (!key && method === 'POST') {
      if (!(body['groupTypes'] as string[] | undefined)?.includes('Unified') && body['mailEnabled'] === true) {
        return graphError(400, 'Request_BadRequest', 'Creating mail-enabled security groups or distribution lists is not supported.');
      }
      const defaultDomain = [...this.domains.values()].find((d) => d.isDefault)?.id ?? 'contoso.test';
      const mail = `${String(body['mailNickname'])}@${defaultDomain}`;
      if ([...this.groups.values()].some((g) => g.mail === mail)) return graphError(400, 'Request_BadRequest', 'Another object with the same value for property mailNickname already exists.');
      const group = this.seedGroup(mail, true);
      group.displayName = String(body['displayName']);
      return json(201, { id: group.id, mail: group.mail, displayName: group.displayName, groupTypes: group.groupTypes, mailEnabled: true });
    }
    const group = this.groups.get(String(key));
    if (!group) return graphError(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist.`);
    if (sub === 'members') {
      if (method === 'GET' && !memberId) return this.#page(`groups/${group.id}/members`, group.members.map((id) => this.#view(this.#user(id) as User)), query);
      if (!group.groupTypes.includes('Unified')) return graphError(400, 'Request_BadRequest', 'Cannot Update a mail-enabled security groups and or distribution list.');
      if (method === 'POST' && memberId === '$ref') {
        const id = String(body['@odata.id'] ?? '').split('/').pop() ?? '';
        if (!this.users.has(id)) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist.`);
        if (group.members.includes(id)) return graphError(400, 'Request_BadRequest', 'One or more added object references already exist for the following modified properties: \'members\'.');
        group.members.push(id);
        return { status: 204 };
      }
      if (method === 'DELETE' && memberId && tail === '$ref') {
        group.members = group.members.filter((m) => m !== memberId);
        return { status: 204 };
      }
    }
    if (method === 'DELETE') {
      this.groups.delete(group.id);
      return { status: 204 };
    }
    return graphError(405, 'Request_BadRequest', 'Unsupported');
  }
}
