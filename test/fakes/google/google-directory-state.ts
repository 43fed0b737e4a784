import type { admin_directory_v1 } from '@googleapis/admin';
import { type FakeReply, json } from '../http/fake-http-server.ts';

// Rows follow the Directory API's published schemas, as the @googleapis/admin types carry them.
type DomainRow = admin_directory_v1.Schema$Domains & { domainName: string; domainAliases: admin_directory_v1.Schema$DomainAlias[] };

/** Google's JSON error envelope: `{error:{code,message,errors:[{reason}]}}`. */
export function googleError(code: number, message: string, reason: string): FakeReply {
  return json(code, { error: { code, message, errors: [{ message, domain: 'global', reason }] } });
}

interface User {
  id: string;
  primaryEmail: string;
  name: { givenName: string; familyName: string; fullName: string };
  suspended: boolean;
  changePasswordAtNextLogin: boolean;
  aliases: string[];
  password: string;
  signOuts: number;
  /** Google's epoch value stands for "never signed in". */
  lastLoginTime: string;
  isEnrolledIn2Sv: boolean;
  isEnforcedIn2Sv: boolean;
}

/** The `lastLoginTime` Directory reports for a user who never signed in. */
export const NEVER_SIGNED_IN = '1970-01-01T00:00:00.000Z';
interface Group { id: string; email: string; name: string; members: string[] }

function page<T>(rows: readonly T[], query: URLSearchParams, cap: number): { items: T[]; next?: string } {
  const start = Number(query.get('pageToken') ?? 0);
  const size = Math.min(Number(query.get('maxResults') ?? 100), cap);
  const items = rows.slice(start, start + size);
  return start + size < rows.length ? { items, next: String(start + size) } : { items };
}

/** In-memory Admin SDK Directory (users, aliases, groups, members, domains) with pageToken paging. */
export class GoogleDirectoryState {
  readonly domains = new Map<string, DomainRow>();
  readonly users = new Map<string, User>();
  readonly groups = new Map<string, Group>();
  #nextId = 100;

  constructor(domains: readonly string[]) {
    domains.forEach((d, i) => this.domains.set(d, this.#domainRow(d, true, i === 0)));
  }

  #domainRow(domainName: string, verified: boolean, isPrimary: boolean): DomainRow {
    return { kind: 'admin#directory#domain', domainName, verified, isPrimary, creationTime: String(Date.now()), domainAliases: [] };
  }

  /** The parent domain of an alias domain, or undefined. */
  aliasParent(name: string): DomainRow | undefined {
    return [...this.domains.values()].find((d) => d.domainAliases.some((a) => a.domainAliasName === name));
  }

  /** Adds a user directly (test setup). */
  seedUser(email: string, fullName = email.split('@')[0] ?? email): User {
    const [givenName = fullName, ...rest] = fullName.split(' ');
    const user: User = {
      id: String(this.#nextId++), primaryEmail: email.toLowerCase(), name: { givenName, familyName: rest.join(' ') || givenName, fullName },
      suspended: false, changePasswordAtNextLogin: false, aliases: [], password: 'seeded', signOuts: 0,
      lastLoginTime: NEVER_SIGNED_IN, isEnrolledIn2Sv: false, isEnforcedIn2Sv: false,
    };
    this.users.set(user.primaryEmail, user);
    return user;
  }

  /** A user by primary address, alias or id. */
  findUser(key: string): User | undefined {
    const k = key.toLowerCase();
    return this.users.get(k) ?? [...this.users.values()].find((u) => u.id === key || u.aliases.includes(k));
  }

  #view(u: User): Record<string, unknown> {
    return {
      kind: 'admin#directory#user', id: u.id, primaryEmail: u.primaryEmail, name: u.name, suspended: u.suspended,
      changePasswordAtNextLogin: u.changePasswordAtNextLogin, ...(u.aliases.length ? { aliases: u.aliases } : {}),
      lastLoginTime: u.lastLoginTime, isEnrolledIn2Sv: u.isEnrolledIn2Sv, isEnforcedIn2Sv: u.isEnforcedIn2Sv,
    };
  }

  #taken(address: string): boolean {
    return this.findUser(address) !== undefined || this.groups.has(address.toLowerCase());
  }

  /** Serves one Directory call; `path` is split after /admin/directory/v1/. */
  handle(method: string, path: string[], query: URLSearchParams, rawBody: unknown): FakeReply {
    const body = (rawBody ?? {}) as Record<string, unknown>;
    const [collection, key, sub, subKey] = path;
    if (collection === 'customer' && key && sub === 'domains') return this.#domains(method, path[3], body);
    if (collection === 'customer' && key && sub === 'domainaliases') return this.#domainAliases(method, path[3], body);
    if (collection === 'users') return this.#users(method, key, sub, subKey, query, body);
    if (collection === 'groups') return this.#groups(method, key, sub, subKey, query, body);
    return googleError(404, 'Not Found', 'notFound');
  }

  #domains(method: string, name: string | undefined, body: Record<string, unknown>): FakeReply {
    if (name === undefined && method === 'GET') {
      const list: admin_directory_v1.Schema$Domains2 = { kind: 'admin#directory#domains', domains: [...this.domains.values()] };
      return json(200, list);
    }
    if (name === undefined && method === 'POST') {
      const domainName = String(body['domainName'] ?? '').toLowerCase();
      if (this.domains.has(domainName) || this.aliasParent(domainName)) return googleError(409, 'Entity already exists.', 'duplicate');
      const d = this.#domainRow(domainName, false, false);
      this.domains.set(domainName, d);
      return json(200, d);
    }
    const d = this.domains.get(String(name));
    if (!d) return googleError(404, 'Domain not found.', 'notFound');
    if (method === 'GET') return json(200, d);
    if (method === 'DELETE') {
      if ([...this.users.keys()].some((u) => u.endsWith(`@${d.domainName}`))) return googleError(400, 'Domain is in use by users.', 'conditionNotMet');
      this.domains.delete(d.domainName);
      return { status: 204 };
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }

  #domainAliases(method: string, name: string | undefined, body: Record<string, unknown>): FakeReply {
    const all = [...this.domains.values()].flatMap((d) => d.domainAliases);
    if (name === undefined && method === 'GET') {
      const list: admin_directory_v1.Schema$DomainAliases = { kind: 'admin#directory#domainAliases', domainAliases: all };
      return json(200, list);
    }
    if (name === undefined && method === 'POST') {
      const domainAliasName = String(body['domainAliasName'] ?? '').toLowerCase();
      const parent = this.domains.get(String(body['parentDomainName'] ?? '').toLowerCase());
      if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domainAliasName)) return googleError(400, 'Invalid Input: domainAliasName', 'invalid');
      if (!parent) return googleError(400, 'Invalid Input: parentDomainName', 'invalid');
      if (this.domains.has(domainAliasName) || this.aliasParent(domainAliasName)) return googleError(409, 'Entity already exists.', 'duplicate');
      const alias: admin_directory_v1.Schema$DomainAlias = { kind: 'admin#directory#domainAlias', domainAliasName, parentDomainName: parent.domainName, verified: false, creationTime: String(Date.now()) };
      parent.domainAliases.push(alias);
      return json(200, alias);
    }
    const alias = all.find((a) => a.domainAliasName === name);
    if (!alias) return googleError(404, 'Domain alias not found.', 'notFound');
    if (method === 'GET') return json(200, alias);
    return googleError(405, 'Method not allowed', 'badRequest');
  }

  #users(method: string, key: string | undefined, sub: string | undefined, subKey: string | undefined, query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    if (key === undefined) {
      if (method === 'GET') {
        const domain = query.get('domain');
        if (!domain && !query.get('customer')) return googleError(400, 'Bad Request', 'badRequest');
        const rows = [...this.users.values()].filter((u) => !domain || u.primaryEmail.endsWith(`@${domain}`)).map((u) => this.#view(u));
        const p = page(rows, query, 500);
        return json(200, { kind: 'admin#directory#users', users: p.items, ...(p.next ? { nextPageToken: p.next } : {}) });
      }
      const email = String(body['primaryEmail'] ?? '').toLowerCase();
      const name = body['name'] as { givenName?: string; familyName?: string } | undefined;
      if (!name?.givenName || !name.familyName || typeof body['password'] !== 'string') return googleError(400, 'Invalid Input', 'invalid');
      if (!this.domains.has(email.split('@')[1] ?? '')) return googleError(400, 'Domain not found.', 'notFound');
      if (this.#taken(email)) return googleError(409, 'Entity already exists.', 'duplicate');
      const user = this.seedUser(email, `${name.givenName} ${name.familyName}`);
      user.name = { givenName: name.givenName, familyName: name.familyName, fullName: `${name.givenName} ${name.familyName}` };
      user.password = String(body['password']);
      user.changePasswordAtNextLogin = body['changePasswordAtNextLogin'] === true;
      return json(200, this.#view(user));
    }
    const user = this.findUser(key);
    if (!user) return googleError(404, 'Resource Not Found: userKey', 'notFound');
    if (sub === 'signOut' && method === 'POST') {
      user.signOuts += 1;
      return { status: 204 };
    }
    if (sub === 'aliases') return this.#aliases(method, user, subKey, body);
    if (method === 'GET') return json(200, this.#view(user));
    if (method === 'DELETE') {
      this.users.delete(user.primaryEmail);
      return { status: 204 };
    }
    if (method === 'PATCH' || method === 'PUT') {
      const name = body['name'] as { givenName?: string; familyName?: string } | undefined;
      if (name?.givenName && name.familyName) user.name = { givenName: name.givenName, familyName: name.familyName, fullName: `${name.givenName} ${name.familyName}` };
      if (typeof body['suspended'] === 'boolean') user.suspended = body['suspended'];
      if (typeof body['password'] === 'string') user.password = body['password'];
      if (typeof body['changePasswordAtNextLogin'] === 'boolean') user.changePasswordAtNextLogin = body['changePasswordAtNextLogin'];
      return json(200, this.#view(user));
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }

  #aliases(method: string, user: User, alias: string | undefined, body: Record<string, unknown>): FakeReply {
    if (method === 'GET') return json(200, { aliases: user.aliases.map((a) => ({ alias: a, primaryEmail: user.primaryEmail })) });
    if (method === 'POST') {
      const a = String(body['alias'] ?? '').toLowerCase();
      if (!this.domains.has(a.split('@')[1] ?? '')) return googleError(400, 'Invalid Input: alias domain', 'invalid');
      if (this.#taken(a)) return googleError(409, 'Entity already exists.', 'duplicate');
      user.aliases.push(a);
      return json(200, { alias: a, primaryEmail: user.primaryEmail });
    }
    if (method === 'DELETE' && alias) {
      if (!user.aliases.includes(alias.toLowerCase())) return googleError(404, 'Resource Not Found: alias', 'notFound');
      user.aliases = user.aliases.filter((a) => a !== alias.toLowerCase());
      return { status: 204 };
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }

  #groups(method: string, key: string | undefined, sub: string | undefined, member: string | undefined, query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    if (key === undefined) {
      if (method === 'GET') {
        const domain = query.get('domain');
        const rows = [...this.groups.values()].filter((g) => !domain || g.email.endsWith(`@${domain}`)).map(({ members: _m, ...g }) => g);
        const p = page(rows, query, 200);
        return json(200, { kind: 'admin#directory#groups', groups: p.items, ...(p.next ? { nextPageToken: p.next } : {}) });
      }
      const email = String(body['email'] ?? '').toLowerCase();
      if (!this.domains.has(email.split('@')[1] ?? '')) return googleError(400, 'Invalid Input: email', 'invalid');
      if (this.#taken(email)) return googleError(409, 'Entity already exists.', 'duplicate');
      const group: Group = { id: String(this.#nextId++), email, name: String(body['name'] ?? email), members: [] };
      this.groups.set(email, group);
      return json(200, { id: group.id, email, name: group.name });
    }
    const group = this.groups.get(key.toLowerCase());
    if (!group) return googleError(404, 'Resource Not Found: groupKey', 'notFound');
    if (sub === 'members') {
      if (method === 'GET' && member === undefined) {
        const p = page(group.members.map((email) => ({ kind: 'admin#directory#member', email, role: 'MEMBER', type: 'USER' })), query, 200);
        return json(200, { kind: 'admin#directory#members', members: p.items, ...(p.next ? { nextPageToken: p.next } : {}) });
      }
      if (method === 'POST') {
        const email = String(body['email'] ?? '').toLowerCase();
        if (group.members.includes(email)) return googleError(409, 'Member already exists.', 'duplicate');
        group.members.push(email);
        return json(200, { email, role: body['role'] ?? 'MEMBER' });
      }
      if (method === 'DELETE' && member) {
        if (!group.members.includes(member.toLowerCase())) return googleError(404, 'Resource Not Found: memberKey', 'notFound');
        group.members = group.members.filter((m) => m !== member.toLowerCase());
        return { status: 204 };
      }
    }
    if (method === 'GET') return json(200, { id: group.id, email: group.email, name: group.name });
    if (method === 'PATCH') {
      if (typeof body['name'] === 'string') group.name = body['name'];
      return json(200, { id: group.id, email: group.email, name: group.name });
    }
    if (method === 'DELETE') {
      this.groups.delete(group.email);
      return { status: 204 };
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }
}
