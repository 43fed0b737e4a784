import { generateKeyPairSync } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type FakeRequest, json } from '../http/fake-http-server.ts';
import { DELETE_ROUTES, unknownAttributes } from './mailcow-shapes.ts';

const MIB = 1_048_576;

interface Domain { name: string; description: string; active: number; maxquotaMiB: number }
interface Mailbox {
  username: string; domain: string; local_part: string; name: string; quota: number; active: number; quota_used: number; messages: number; password: string; force_pw_update: number;
  /** Latest sasl_log entry per service, Unix seconds; 0 = never. */
  lastLogin: { imap: number; smtp: number; pop3: number; sso: number };
}
/** An alias row; every mailbox has one with address = goto, which reads never show. */
interface Alias { id: number; address: string; goto: string; active: number; domain: string; created: string }
interface AliasDomain { alias_domain: string; target_domain: string; active: number; created: string }
interface DkimKey { selector: string; pubkey: string }

type Item = { type: 'success' | 'danger'; log: unknown[]; msg: string[] };
const item = (type: Item['type'], msg: string, ...args: string[]): Item => ({ type, log: ['fake'], msg: [msg, ...args] });
const EMAIL = /^[^@\s,]+@[^@\s,]+\.[a-z]{2,}$/i;
const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/i;
const now = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');

/**
 * In-memory mailcow API (data/web/json_api.php routes) held to mailcow-shapes.ts: documented field names and
 * types on reads, `{}` for empty reads, 200-with-danger on failed writes, 401 on a bad key, each mailbox's
 * hidden self-alias, alias domains and one DKIM key per domain.
 */
export class MailcowFake {
  readonly server: FakeHttpServer;
  readonly domains = new Map<string, Domain>();
  readonly mailboxes = new Map<string, Mailbox>();
  readonly aliases = new Map<number, Alias>();
  readonly aliasDomains = new Map<string, AliasDomain>();
  readonly dkim = new Map<string, DkimKey>();
  /** Rows of mailcow's sieve_filters table (Mailbox › Edit › Filters): pre- and postfilters per mailbox. */
  readonly sieveFilters: { id: number; username: string; filter_type: 'prefilter' | 'postfilter'; script_data: string; script_desc: string; active: boolean }[] = [];
  /** Each mailbox's active user Sieve script as Dovecot holds it (SOGo writes its forwarding there). */
  readonly userSieve = new Map<string, string>();
  /** filterconf lowspamlevel/highspamlevel rows per mailbox; without one, a mailbox has the server's default. */
  readonly spamLevels = new Map<string, { low: number; high: number }>();
  /** rspamd's "add header" and "reject" action scores (mailcow ships 8 and 15): the default get/spam-score answers. */
  serverSpamDefault = { low: 8, high: 15 };
  #nextAlias = 1;
  readonly #apiKey: string;

  constructor(apiKey: string) {
    this.#apiKey = apiKey;
    this.server = new FakeHttpServer((req) => this.#handle(req));
  }

  /** Adds a mailbox (and its self-alias) directly (test setup). */
  seedMailbox(address: string, quotaMiB = 1024, usedBytes = 0): void {
    const [local_part = '', domain = ''] = address.split('@');
    this.mailboxes.set(address, { username: address, domain, local_part, name: local_part, quota: quotaMiB * MIB, active: 1, quota_used: usedBytes, messages: 0, password: 'x', force_pw_update: 0, lastLogin: { imap: 0, smtp: 0, pop3: 0, sso: 0 } });
    this.#insertAlias(address, address, domain, 1);
  }

  /** The alias rows reads show (self-aliases excluded). */
  visibleAliases(): Alias[] {
    return [...this.aliases.values()].filter((a) => a.address !== a.goto);
  }

  #insertAlias(address: string, goto: string, domain: string, active: number): void {
    const id = this.#nextAlias++;
    this.aliases.set(id, { id, address, goto, active, domain, created: now() });
  }

  #handle(req: FakeRequest): FakeReply {
    // A wrong key is answered 401 and reported to fail2ban (data/web/inc/sessions.inc.php).
    if (req.headers['x-api-key'] !== this.#apiKey) return json(401, { type: 'error', msg: 'authentication failed' });
    const [action, category, ...rest] = req.path.replace(/^\/api\/v1\//, '').split('/').map(decodeURIComponent);
    const route = `${action}/${category}`;
    if (action === 'get') return req.method === 'GET' ? this.#get(category ?? '', rest) : json(405, { type: 'error', msg: 'only GET method is allowed' });
    if (req.method !== 'POST') return json(405, { type: 'error', msg: 'only POST method is allowed' });
    const body = req.body as Record<string, unknown>;
    if ((DELETE_ROUTES as readonly string[]).includes(route)) return this.#delete(route, (Array.isArray(body) ? body : []) as unknown[]);
    const attr = (action === 'edit' ? body['attr'] : body) as Record<string, unknown>;
    // mailcow ignores attributes a route does not read: the fake refuses them so a misspelt field fails a test.
    const unknown = unknownAttributes(route, attr ?? {});
    if (unknown.length) return json(200, [item('danger', 'fake_unknown_attribute', ...unknown)]);
    const items = this.#write(route, attr ?? {}, (body['items'] ?? []) as unknown[]);
    // No answer item at all: json_api.php's generic success.
    return items === null ? json(404, { type: 'error', msg: 'route not found' }) : json(200, items.length ? items : { type: 'success', msg: 'Task completed' });
  }

  #get(category: string, [id, extra]: string[]): FakeReply {
    const answer = (rows: unknown[], single: boolean): FakeReply => json(200, rows.length === 0 ? {} : single ? rows[0] : rows);
    switch (category) {
      case 'status': return id === 'version' ? json(200, { version: '2025-03' }) : json(200, {});
      case 'domain': return answer([...this.domains.values()].filter((d) => id === 'all' || d.name === id).map((d) => this.#domainRow(d)), id !== 'all');
      case 'mailbox': {
        const rows = [...this.mailboxes.values()].filter((m) => (id === 'all' ? extra === undefined || m.domain === extra : m.username === id));
        return answer(rows.map((m) => this.#mailboxRow(m)), id !== 'all');
      }
      case 'alias': return answer(this.visibleAliases().filter((a) => id === 'all' || String(a.id) === id).map((a) => this.#aliasRow(a)), id !== 'all');
      case 'alias-domain': return answer([...this.aliasDomains.values()].filter((a) => id === 'all' || a.alias_domain === id).map((a) => ({ ...a, active: String(a.active), active_int: String(a.active), parent_is_backupmx: '0', modified: null, rl: false })), id !== 'all');
      // json_api.php: filter_details rows (PDO hands MySQL values over as strings), {} when there are none.
      case 'filters': return answer(this.sieveFilters.filter((f) => id === 'all' || f.username === id).map((f) => ({ active: f.active ? '1' : '0', id: String(f.id), username: f.username, filter_type: f.filter_type, script_data: f.script_data, script_desc: f.script_desc })), false);
      // json_api.php: [script] for the active script (doveadm sieve get, first line dropped), else {}.
      case 'active-user-sieve': return answer(this.userSieve.has(String(id)) ? [this.userSieve.get(String(id))] : [], false);
      case 'spam-score': {
        const levels = this.mailboxes.has(String(id)) ? (this.spamLevels.get(String(id)) ?? this.serverSpamDefault) : null;
        // mailbox('get', 'spam_score') answers "low, high"; json_api.php strips the blanks and wraps it as {score}.
        return json(200, levels ? { score: `${levels.low},${levels.high}` } : {});
      }
      case 'dkim': {
        const key = this.dkim.get(String(id));
        return json(200, key ? { pubkey: key.pubkey, length: '2048', dkim_txt: `v=DKIM1;k=rsa;t=s;s=email;p=${key.pubkey}`, dkim_selector: key.selector, privkey: '' } : {});
      }
      default: return json(200, {});
    }
  }

  #domainRow(d: Domain): Record<string, unknown> {
    const boxes = [...this.mailboxes.values()].filter((m) => m.domain === d.name);
    return {
      domain_name: d.name, description: d.description, active: String(d.active), backupmx: '0', mboxes_in_domain: boxes.length, max_quota_for_domain: d.maxquotaMiB * MIB,
      bytes_total: String(boxes.reduce((sum, m) => sum + m.quota_used, 0)), msgs_total: String(boxes.reduce((sum, m) => sum + m.messages, 0)),
      aliases_in_domain: this.visibleAliases().filter((a) => a.domain === d.name).length, max_num_mboxes_for_domain: 10, def_quota_for_mbox: 3072 * MIB,
      max_quota_for_mbox: d.maxquotaMiB * MIB, quota_used_in_domain: String(boxes.reduce((sum, m) => sum + m.quota, 0)), rl: false, tags: [],
    };
  }

  #mailboxRow(m: Mailbox): Record<string, unknown> {
    return {
      username: m.username, domain: m.domain, local_part: m.local_part, name: m.name, active: String(m.active), quota: m.quota, quota_used: m.quota_used, messages: m.messages,
      percent_in_use: m.quota ? Math.round((m.quota_used / m.quota) * 100) : 0, percent_class: 'success', is_relayed: 0, rl: false, tags: [],
      last_imap_login: m.lastLogin.imap, last_smtp_login: m.lastLogin.smtp, last_pop3_login: m.lastLogin.pop3, last_sso_login: m.lastLogin.sso,
      attributes: { force_pw_update: String(m.force_pw_update), force_tfa: '0', tls_enforce_in: '0', tls_enforce_out: '0', sogo_access: '1', mailbox_format: 'maildir:', quarantine_notification: 'never' },
    };
  }

  #aliasRow(a: Alias): Record<string, unknown> {
    return { id: a.id, domain: a.domain, goto: a.goto, address: a.address, is_catch_all: a.address.startsWith('@') ? 1 : 0, active: String(a.active), in_primary_domain: '', created: a.created, modified: null, private_comment: null, public_comment: null };
  }

  #write(route: string, attr: Record<string, unknown>, items: unknown[]): Item[] | null {
    switch (route) {
      case 'add/domain': return [this.#addDomain(attr)];
      case 'add/mailbox': return [this.#addMailbox(attr)];
      case 'edit/mailbox': return items.map((id) => this.#editMailbox(String(id), attr));
      case 'edit/spam-score': return items.map((id) => this.#editSpamScore(String(id), String(attr['spam_score'] ?? '')));
      case 'add/alias': return this.#addAlias(attr);
      case 'edit/alias': return items.map((id) => this.#editAlias(Number(id), attr));
      case 'add/alias-domain': return [this.#addAliasDomain(attr)];
      case 'add/dkim': return String(attr['domains'] ?? '').split(/[ ,;\n]/).filter(Boolean).map((d) => this.#addDkim(d, String(attr['dkim_selector'] ?? 'dkim')));
      default: return null;
    }
  }

  #addDomain(body: Record<string, unknown>): Item {
    const name = String(body['domain'] ?? '').toLowerCase();
    if (!DOMAIN.test(name)) return item('danger', 'domain_invalid', name);
    if (this.domains.has(name) || this.aliasDomains.has(name)) return item('danger', 'domain_exists', name);
    this.domains.set(name, { name, description: String(body['description'] ?? ''), active: Number(body['active'] ?? 1), maxquotaMiB: Number(body['maxquota'] ?? 10240) });
    return item('success', 'domain_added', name);
  }

  #addMailbox(body: Record<string, unknown>): Item {
    const domain = String(body['domain'] ?? '').toLowerCase();
    const local = String(body['local_part'] ?? '').toLowerCase();
    const address = `${local}@${domain}`;
    const d = this.domains.get(domain);
    if (!d) return item('danger', 'domain_not_found', domain);
    if (!EMAIL.test(address)) return item('danger', 'mailbox_invalid', address);
    if (this.mailboxes.has(address) || [...this.aliases.values()].some((a) => a.address === address)) return item('danger', 'object_exists', address);
    if (body['password'] !== body['password2']) return item('danger', 'password_mismatch');
    const quotaMiB = Number(body['quota'] ?? 0);
    if (quotaMiB > d.maxquotaMiB) return item('danger', 'mailbox_quota_exceeded', String(d.maxquotaMiB));
    const active = Number(body['active'] ?? 1);
    this.mailboxes.set(address, { username: address, domain, local_part: local, name: String(body['name'] ?? ''), quota: quotaMiB * MIB, active, quota_used: 0, messages: 0, password: String(body['password']), force_pw_update: Number(body['force_pw_update'] ?? 0), lastLogin: { imap: 0, smtp: 0, pop3: 0, sso: 0 } });
    this.#insertAlias(address, address, domain, active);
    return item('success', 'mailbox_added', address);
  }

  #editMailbox(id: string, attr: Record<string, unknown>): Item {
    const m = this.mailboxes.get(id);
    if (!m) return item('danger', 'access_denied');
    if (attr['password'] !== undefined && attr['password'] !== attr['password2']) return item('danger', 'password_mismatch');
    if (attr['quota'] !== undefined && Number(attr['quota']) > (this.domains.get(m.domain)?.maxquotaMiB ?? 0)) return item('danger', 'mailbox_quota_exceeded');
    if (attr['name'] !== undefined) m.name = String(attr['name']);
    if (attr['quota'] !== undefined) m.quota = Number(attr['quota']) * MIB;
    if (attr['active'] !== undefined) m.active = Number(attr['active']);
    if (attr['password'] !== undefined) m.password = String(attr['password']);
    if (attr['force_pw_update'] !== undefined) m.force_pw_update = Number(attr['force_pw_update']);
    return item('success', 'mailbox_modified', id);
  }

  // mailbox('edit', 'spam_score'): "default" deletes the mailbox's rows; equal levels get high + 0.1; nothing checks low < high.
  #editSpamScore(id: string, score: string): Item {
    if (!this.mailboxes.has(id)) return item('danger', 'access_denied');
    if (score === 'default') {
      this.spamLevels.delete(id);
      return item('success', 'mailbox_modified', id);
    }
    const [low, high] = score.split(',').map((v) => v.trim());
    if (!low || !high || Number.isNaN(Number(low)) || Number.isNaN(Number(high))) return item('danger', 'Invalid spam score, format must be "1,2" where first is low and second is high spam value.');
    this.spamLevels.set(id, { low: Number(low), high: Number(low) === Number(high) ? Number(high) + 0.1 : Number(high) });
    return item('success', 'mailbox_modified', id);
  }

  // mailbox('add', 'alias'): bad targets are dropped with goto_invalid; an address among its own targets is skipped silently.
  #addAlias(body: Record<string, unknown>): Item[] {
    const out: Item[] = [];
    const gotos = String(body['goto'] ?? '').split(/[ ,;\n]/).map((t) => t.trim()).filter(Boolean).filter((t) => (EMAIL.test(t) ? true : (out.push(item('danger', 'goto_invalid', t)), false)));
    if (gotos.length === 0) return out.length ? out : [item('danger', 'goto_empty')];
    for (const raw of String(body['address'] ?? '').split(/[ ,;\n]/).filter(Boolean)) {
      const address = raw.toLowerCase();
      if (gotos.includes(address)) continue;
      const domain = address.split('@')[1] ?? '';
      if ([...this.aliases.values()].some((a) => a.address === address)) out.push(item('danger', 'is_alias_or_mailbox', address));
      else if (!this.domains.has(domain) && !this.aliasDomains.has(domain)) out.push(item('danger', 'domain_not_found', domain));
      else {
        this.#insertAlias(address, gotos.join(','), domain, Number(body['active'] ?? 1));
        out.push(item('success', 'alias_added', address));
      }
    }
    return out;
  }

  // alias_details hides self-aliases (address = goto), so they cannot be edited.
  #editAlias(id: number, attr: Record<string, unknown>): Item {
    const a = this.aliases.get(id);
    if (!a || a.address === a.goto) return item('danger', 'access_denied');
    if (attr['goto'] !== undefined) {
      const targets = String(attr['goto']).split(',').map((t) => t.trim()).filter(Boolean);
      const bad = targets.find((t) => !EMAIL.test(t));
      if (bad !== undefined || targets.length === 0) return item('danger', 'goto_invalid', bad ?? '');
      a.goto = targets.join(',');
    }
    if (attr['active'] !== undefined) a.active = Number(attr['active']);
    return item('success', 'alias_modified', a.address);
  }

  #addAliasDomain(body: Record<string, unknown>): Item {
    const alias = String(body['alias_domain'] ?? '').toLowerCase();
    const target = String(body['target_domain'] ?? '').toLowerCase();
    if (!DOMAIN.test(target)) return item('danger', 'target_domain_invalid');
    if (!DOMAIN.test(alias)) return item('danger', 'alias_domain_invalid', alias);
    if (alias === target) return item('danger', 'aliasd_targetd_identical', target);
    if (!this.domains.has(target)) return item('danger', 'targetd_not_found', target);
    if (this.domains.has(alias) || this.aliasDomains.has(alias)) return item('danger', 'alias_domain_invalid', alias);
    this.aliasDomains.set(alias, { alias_domain: alias, target_domain: target, active: Number(body['active'] ?? 1), created: now() });
    return item('success', 'aliasd_added', alias);
  }

  // dkim('add'): mailcow makes the key; a domain that has one is refused.
  #addDkim(domain: string, selector: string): Item {
    if (!DOMAIN.test(domain) || this.dkim.has(domain) || !/^[a-z0-9._-]+$/i.test(selector)) return item('danger', 'dkim_domain_or_sel_invalid', domain);
    const spki = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
    this.dkim.set(domain, { selector, pubkey: spki.toString('base64') });
    return item('success', 'dkim_added', domain);
  }

  #delete(route: string, ids: unknown[]): FakeReply {
    const out: Item[] = [];
    for (const raw of ids) {
      const id = String(raw);
      if (route === 'delete/domain') {
        if (!this.domains.has(id)) out.push(item('danger', 'domain_not_found', id));
        else if ([...this.mailboxes.values()].some((m) => m.domain === id)) out.push(item('danger', 'domain_not_empty', id));
        else {
          this.domains.delete(id);
          for (const [a, row] of this.aliasDomains) if (row.target_domain === id) this.aliasDomains.delete(a);
          out.push(item('success', 'domain_removed', id));
        }
      } else if (route === 'delete/mailbox') {
        if (!this.mailboxes.delete(id)) out.push(item('danger', 'access_denied'));
        else {
          for (const [n, a] of this.aliases) if (a.address === id) this.aliases.delete(n);
          out.push(item('success', 'mailbox_removed', id));
        }
      } else if (route === 'delete/alias') {
        const a = this.aliases.get(Number(id));
        if (!a || a.address === a.goto) out.push(item('danger', 'access_denied'));
        else {
          this.aliases.delete(Number(id));
          out.push(item('success', 'alias_removed', a.address));
        }
      } else if (route === 'delete/alias-domain') {
        out.push(this.aliasDomains.delete(id) ? item('success', 'alias_domain_removed', id) : item('danger', 'access_denied'));
      } else {
        this.dkim.delete(id);
        out.push(item('success', 'dkim_removed', id));
      }
    }
    return json(200, out);
  }
}
