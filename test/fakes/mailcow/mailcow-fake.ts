import { FakeHttpServer, type FakeReply, type FakeRequest, json } from '../http/fake-http-server.ts';

const MIB = 1_048_576;

interface Domain { name: string; description: string; active: number; maxquotaMiB: number }
interface Mailbox { username: string; domain: string; local_part: string; name: string; quota: number; active: number; quota_used: number; messages: number; password: string; force_pw_update: number }
interface Alias { id: number; address: string; goto: string; active: number; domain: string }

const ok = (msg: string, ...args: string[]): FakeReply => json(200, [{ type: 'success', log: ['fake'], msg: [msg, ...args] }]);
// mailcow answers HTTP 200 even on failure: the body's items carry type "danger".
const danger = (msg: string, ...args: string[]): FakeReply => json(200, [{ type: 'danger', log: ['fake'], msg: [msg, ...args] }]);
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[a-z]{2,}$/i;

/** In-memory mailcow API (data/web/json_api.php routes): domains, mailboxes, aliases, 200-with-danger errors, 401 on a bad key. */
export class MailcowFake {
  readonly server: FakeHttpServer;
  readonly domains = new Map<string, Domain>();
  readonly mailboxes = new Map<string, Mailbox>();
  readonly aliases = new Map<number, Alias>();
  #nextAlias = 1;
  readonly #apiKey: string;

  constructor(apiKey: string) {
    this.#apiKey = apiKey;
    this.server = new FakeHttpServer((req) => this.#handle(req));
  }

  /** Adds a mailbox directly (test setup). */
  seedMailbox(address: string, quotaMiB = 1024, usedBytes = 0): void {
    const [local_part = '', domain = ''] = address.split('@');
    this.mailboxes.set(address, { username: address, domain, local_part, name: local_part, quota: quotaMiB * MIB, active: 1, quota_used: usedBytes, messages: 0, password: 'x', force_pw_update: 0 });
  }

  #handle(req: FakeRequest): FakeReply {
    // A wrong key is answered 401 and reported to fail2ban (data/web/inc/sessions.inc.php).
    if (req.headers['x-api-key'] !== this.#apiKey) return json(401, { type: 'error', msg: 'authentication failed' });
    const parts = req.path.replace(/^\/api\/v1\//, '').split('/').map(decodeURIComponent);
    const [action, category, ...rest] = parts;
    const body = req.body as Record<string, unknown> & unknown[];
    if (req.method === 'GET' && action === 'get') return this.#get(category ?? '', rest);
    if (req.method !== 'POST') return json(405, { type: 'error', msg: 'method not allowed' });
    switch (`${action}/${category}`) {
      case 'add/domain': return this.#addDomain(body);
      case 'delete/domain': return this.#deleteDomains(body as unknown as string[]);
      case 'add/mailbox': return this.#addMailbox(body);
      case 'edit/mailbox': return this.#editMailbox(body);
      case 'delete/mailbox': return this.#deleteMailboxes(body as unknown as string[]);
      case 'add/alias': return this.#addAlias(body);
      case 'edit/alias': return this.#editAlias(body);
      case 'delete/alias': return this.#deleteAliases(body as unknown as number[]);
      default: return json(404, { type: 'error', msg: 'route not found' });
    }
  }

  #get(category: string, rest: string[]): FakeReply {
    const [id, filter] = rest;
    if (category === 'status' && id === 'version') return json(200, { version: '2025-03' });
    if (category === 'domain') {
      const rows = [...this.domains.values()].filter((d) => id === 'all' || d.name === id).map((d) => this.#domainRow(d));
      return json(200, id === 'all' ? rows : (rows[0] ?? {}));
    }
    if (category === 'mailbox') {
      const rows = [...this.mailboxes.values()].filter((m) => (id === 'all' ? filter === undefined || m.domain === filter : m.username === id));
      const view = rows.map(({ password: _p, ...m }) => m);
      return json(200, id === 'all' ? view : (view[0] ?? {}));
    }
    if (category === 'alias') {
      const rows = [...this.aliases.values()].filter((a) => id === 'all' || String(a.id) === id);
      return json(200, id === 'all' ? rows : (rows[0] ?? {}));
    }
    return json(200, {});
  }

  #domainRow(d: Domain): Record<string, unknown> {
    const boxes = [...this.mailboxes.values()].filter((m) => m.domain === d.name);
    return {
      domain_name: d.name, description: d.description, active: d.active, mboxes_in_domain: boxes.length,
      max_quota_for_domain: d.maxquotaMiB * MIB, bytes_total: boxes.reduce((sum, m) => sum + m.quota_used, 0),
    };
  }

  #addDomain(body: Record<string, unknown>): FakeReply {
    const name = String(body['domain'] ?? '').toLowerCase();
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(name)) return danger('domain_invalid', name);
    if (this.domains.has(name)) return danger('domain_exists', name);
    this.domains.set(name, { name, description: String(body['description'] ?? ''), active: Number(body['active'] ?? 1), maxquotaMiB: Number(body['maxquota'] ?? 10240) });
    return ok('domain_added', name);
  }

  #deleteDomains(names: string[]): FakeReply {
    for (const name of names) {
      if (!this.domains.has(name)) return danger('domain_not_found', name);
      if ([...this.mailboxes.values()].some((m) => m.domain === name)) return danger('domain_not_empty', name);
      this.domains.delete(name);
    }
    return ok('domain_removed', names.join(','));
  }

  #addMailbox(body: Record<string, unknown>): FakeReply {
    const domain = String(body['domain'] ?? '');
    const local = String(body['local_part'] ?? '');
    const address = `${local}@${domain}`;
    const d = this.domains.get(domain);
    if (!d) return danger('domain_not_found', domain);
    if (!EMAIL.test(address)) return danger('mailbox_invalid', address);
    if (this.mailboxes.has(address) || [...this.aliases.values()].some((a) => a.address === address)) return danger('object_exists', address);
    if (body['password'] !== body['password2']) return danger('password_mismatch');
    const quotaMiB = Number(body['quota'] ?? 0);
    if (quotaMiB > d.maxquotaMiB) return danger('mailbox_quota_exceeded', String(d.maxquotaMiB));
    this.mailboxes.set(address, {
      username: address, domain, local_part: local, name: String(body['name'] ?? ''), quota: quotaMiB * MIB,
      active: Number(body['active'] ?? 1), quota_used: 0, messages: 0, password: String(body['password']), force_pw_update: Number(body['force_pw_update'] ?? 0),
    });
    return ok('mailbox_added', address);
  }

  #editMailbox(body: Record<string, unknown>): FakeReply {
    const items = (body['items'] ?? []) as string[];
    const attr = (body['attr'] ?? {}) as Record<string, unknown>;
    for (const id of items) {
      const m = this.mailboxes.get(id);
      if (!m) return danger('access_denied');
      if (attr['password'] !== undefined && attr['password'] !== attr['password2']) return danger('password_mismatch');
      if (attr['quota'] !== undefined && Number(attr['quota']) > (this.domains.get(m.domain)?.maxquotaMiB ?? 0)) return danger('mailbox_quota_exceeded');
      if (attr['name'] !== undefined) m.name = String(attr['name']);
      if (attr['quota'] !== undefined) m.quota = Number(attr['quota']) * MIB;
      if (attr['active'] !== undefined) m.active = Number(attr['active']);
      if (attr['password'] !== undefined) m.password = String(attr['password']);
      if (attr['force_pw_update'] !== undefined) m.force_pw_update = Number(attr['force_pw_update']);
    }
    return ok('mailbox_modified', items.join(','));
  }

  #deleteMailboxes(ids: string[]): FakeReply {
    for (const id of ids) {
      if (!this.mailboxes.delete(id)) return danger('access_denied');
    }
    return ok('mailbox_removed', ids.join(','));
  }

  #addAlias(body: Record<string, unknown>): FakeReply {
    const address = String(body['address'] ?? '').toLowerCase();
    const domain = address.split('@')[1] ?? '';
    if (!this.domains.has(domain)) return danger('domain_not_found', domain);
    if ([...this.aliases.values()].some((a) => a.address === address)) return danger('is_alias_or_mailbox', address);
    const bad = this.#badTarget(body['goto']);
    if (bad !== null) return danger('goto_invalid', bad);
    const id = this.#nextAlias++;
    this.aliases.set(id, { id, address, goto: String(body['goto']), active: Number(body['active'] ?? 1), domain });
    return ok('alias_added', address);
  }

  #editAlias(body: Record<string, unknown>): FakeReply {
    const attr = (body['attr'] ?? {}) as Record<string, unknown>;
    for (const id of (body['items'] ?? []) as number[]) {
      const a = this.aliases.get(Number(id));
      if (!a) return danger('access_denied');
      if (attr['goto'] !== undefined) {
        const bad = this.#badTarget(attr['goto']);
        if (bad !== null) return danger('goto_invalid', bad);
        a.goto = String(attr['goto']);
      }
      if (attr['active'] !== undefined) a.active = Number(attr['active']);
    }
    return ok('alias_modified');
  }

  #deleteAliases(ids: number[]): FakeReply {
    for (const id of ids) {
      if (!this.aliases.delete(Number(id))) return danger('access_denied');
    }
    return ok('alias_removed');
  }

  #badTarget(goto: unknown): string | null {
    const targets = String(goto ?? '').split(',').map((t) => t.trim());
    return targets.find((t) => !EMAIL.test(t)) ?? (targets.length === 0 ? '' : null);
  }
}
