import { FakeHttpServer, type FakeReply, type FakeRequest, json } from '../http/fake-http-server.ts';

type Obj = Record<string, unknown> & { id: string };
type SetError = { type: string; description?: string; properties?: string[] };

const TYPES = ['Domain', 'Account', 'MailingList', 'SieveUserScript'] as const;

/**
 * Stalwart 0.16 JMAP management on loopback: session at /.well-known/jmap with `urn:stalwart:jmap`, and
 * `x:<Object>/query|get|set` at /jmap with result references, PatchObject paths and SetErrors (RFC 8620).
 */
export class StalwartFake {
  readonly server: FakeHttpServer;
  readonly store = new Map<string, Map<string, Obj>>(TYPES.map((t) => [t, new Map()]));
  readonly #authorization: string;
  #next = 1;

  constructor(username: string, password: string) {
    this.#authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    this.server = new FakeHttpServer((req) => this.#handle(req));
  }

  /** Adds an object directly (test setup) and returns its id. */
  seed(type: (typeof TYPES)[number], fields: Record<string, unknown>): string {
    const id = `${type[0]?.toLowerCase()}${this.#next++}`;
    this.store.get(type)?.set(id, { ...fields, id });
    return id;
  }

  #handle(req: FakeRequest): FakeReply {
    if (req.headers.authorization !== this.#authorization) {
      return json(401, { type: 'about:blank', status: 401, title: 'Unauthorized', detail: 'You have to authenticate first.' }, { 'www-authenticate': 'Basic realm="Stalwart Server"' });
    }
    if (req.method === 'GET' && req.path === '/.well-known/jmap') {
      return json(200, {
        capabilities: { 'urn:ietf:params:jmap:core': { maxObjectsInGet: 500 }, 'urn:stalwart:jmap': { version: '0.16.0' } },
        accounts: { admin: { name: 'admin', isPersonal: true } },
        primaryAccounts: { 'urn:stalwart:jmap': 'admin' },
        username: 'admin', apiUrl: `${this.server.baseUrl}/jmap`, state: 's1',
      });
    }
    if (req.method !== 'POST' || req.path !== '/jmap') return json(404, { type: 'about:blank', status: 404, title: 'Not Found' });
    const body = req.body as { using?: string[]; methodCalls?: [string, Record<string, unknown>, string][] };
    if (!body?.using?.includes('urn:stalwart:jmap') || !Array.isArray(body.methodCalls)) {
      return json(400, { type: 'urn:ietf:params:jmap:error:notRequest', status: 400, detail: 'Invalid JMAP request' });
    }
    const responses: [string, Record<string, unknown>, string][] = [];
    for (const [name, rawArgs, id] of body.methodCalls) {
      const args = this.#resolve(rawArgs, responses);
      const m = /^x:(\w+)\/(query|get|set)$/.exec(name);
      const store = m ? this.store.get(m[1] ?? '') : undefined;
      if (!m || !store) {
        responses.push(['error', { type: 'unknownMethod' }, id]);
        continue;
      }
      const type = m[1] ?? '';
      if (m[2] === 'query') responses.push([name, this.#query(store, args), id]);
      else if (m[2] === 'get') responses.push([name, this.#get(type, store, args), id]);
      else responses.push([name, this.#set(type, store, args), id]);
    }
    return json(200, { methodResponses: responses, sessionState: 's1' });
  }

  #resolve(args: Record<string, unknown>, responses: [string, Record<string, unknown>, string][]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      if (!key.startsWith('#')) {
        out[key] = value;
        continue;
      }
      const ref = value as { resultOf: string; path: string };
      const source = responses.find((r) => r[2] === ref.resultOf)?.[1] ?? {};
      out[key.slice(1)] = source[ref.path.replace(/^\//, '')];
    }
    return out;
  }

  #query(store: Map<string, Obj>, args: Record<string, unknown>): Record<string, unknown> {
    const filter = (args['filter'] ?? {}) as Record<string, unknown>;
    const all = [...store.values()].filter((o) => Object.entries(filter).every(([k, v]) => String(o[k]).toLowerCase() === String(v).toLowerCase()));
    const position = Number(args['position'] ?? 0);
    const limit = Number(args['limit'] ?? 1000);
    return { ids: all.slice(position, position + limit).map((o) => o.id), position, ...(args['calculateTotal'] ? { total: all.length } : {}), queryState: 'q1' };
  }

  #get(type: string, store: Map<string, Obj>, args: Record<string, unknown>): Record<string, unknown> {
    const ids = (args['ids'] ?? [...store.keys()]) as string[];
    const list = ids.map((id) => store.get(id)).filter((o): o is Obj => o !== undefined).map((o) => this.#computed(type, o));
    return { list, notFound: ids.filter((id) => !store.has(id)), state: 's1' };
  }

  #computed(type: string, o: Obj): Obj {
    if (type !== 'Account') return { ...o };
    const domain = this.store.get('Domain')?.get(String(o['domainId']));
    // Credentials are write-only; emailAddress and usedDiskQuota are computed on get.
    const { credentials: _c, ...rest } = o;
    return { ...rest, id: o.id, emailAddress: `${String(o['name'])}@${String(domain?.['name'])}`, usedDiskQuota: Number(o['usedDiskQuota'] ?? 0) };
  }

  #set(type: string, store: Map<string, Obj>, args: Record<string, unknown>): Record<string, unknown> {
    const created: Record<string, { id: string }> = {};
    const notCreated: Record<string, SetError> = {};
    const updated: Record<string, null> = {};
    const notUpdated: Record<string, SetError> = {};
    const destroyed: string[] = [];
    const notDestroyed: Record<string, SetError> = {};
    for (const [cid, fields] of Object.entries((args['create'] ?? {}) as Record<string, Record<string, unknown>>)) {
      const error = this.#validate(type, store, fields, null);
      if (error) notCreated[cid] = error;
      else created[cid] = { id: this.seed(type as (typeof TYPES)[number], fields) };
    }
    for (const [id, patch] of Object.entries((args['update'] ?? {}) as Record<string, Record<string, unknown>>)) {
      const current = store.get(id);
      if (!current) {
        notUpdated[id] = { type: 'notFound' };
        continue;
      }
      const next: Obj = structuredClone(current);
      for (const [path, value] of Object.entries(patch)) {
        const keys = path.split('/');
        let target = next as Record<string, unknown>;
        for (const k of keys.slice(0, -1)) target = (target[k] ??= {}) as Record<string, unknown>;
        const last = keys[keys.length - 1] ?? '';
        if (value === null) delete target[last];
        else target[last] = value;
      }
      const error = this.#validate(type, store, next, id);
      if (error) notUpdated[id] = error;
      else {
        store.set(id, next);
        updated[id] = null;
      }
    }
    for (const id of (args['destroy'] ?? []) as string[]) {
      if (!store.has(id)) notDestroyed[id] = { type: 'notFound' };
      else if (type === 'Domain' && [...(this.store.get('Account')?.values() ?? [])].some((a) => a['domainId'] === id)) {
        notDestroyed[id] = { type: 'objectIsLinked', description: 'Domain has accounts' };
      } else {
        store.delete(id);
        destroyed.push(id);
      }
    }
    const nonEmpty = (o: object): object | null => (Object.keys(o).length ? o : null);
    return { created: nonEmpty(created), notCreated: nonEmpty(notCreated), updated: nonEmpty(updated), notUpdated: nonEmpty(notUpdated), destroyed, notDestroyed: nonEmpty(notDestroyed), newState: 's2' };
  }

  #validate(type: string, store: Map<string, Obj>, o: Record<string, unknown>, selfId: string | null): SetError | null {
    const others = (t: string): Obj[] => [...(this.store.get(t)?.values() ?? [])].filter((x) => x.id !== selfId);
    if (type === 'Domain') {
      if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(String(o['name']))) return { type: 'invalidProperties', properties: ['name'] };
      return others('Domain').some((d) => d['name'] === o['name']) ? { type: 'alreadyExists', description: 'A domain with this name exists' } : null;
    }
    if (type === 'Account' || type === 'MailingList') {
      if (!this.store.get('Domain')?.has(String(o['domainId']))) return { type: 'invalidProperties', properties: ['domainId'] };
      if (!/^[a-z0-9._+-]+$/i.test(String(o['name']))) return { type: 'invalidProperties', properties: ['name'], description: 'Invalid local part' };
      const used = (x: Obj): boolean =>
        (x['name'] === o['name'] && x['domainId'] === o['domainId']) ||
        ((x['aliases'] ?? []) as { name: string; domainId: string }[]).some((a) => a.name === o['name'] && a.domainId === o['domainId']);
      if ([...others('Account'), ...others('MailingList')].some(used)) return { type: 'alreadyExists', description: 'Address in use' };
      if (type === 'Account' && selfId === null && !Array.isArray(o['credentials'])) return { type: 'invalidProperties', properties: ['credentials'] };
    }
    if (type === 'SieveUserScript' && !String(o['script'] ?? '').includes('redirect')) return { type: 'invalidProperties', properties: ['script'] };
    void store;
    return null;
  }
}
