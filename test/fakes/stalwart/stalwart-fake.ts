import { FakeHttpServer, type FakeReply, type FakeRequest, json } from '../http/fake-http-server.ts';
import { REGISTRY_TYPES, RegistryStore, type MethodError, type Obj, type RegistryType } from './stalwart-registry.ts';
import { SieveAccounts } from './stalwart-sieve.ts';

/** The permissions a full administrator has, as `/api/account` names them (the Permission enum, camelCase). */
export const ADMIN_PERMISSIONS = ['authenticate', 'impersonate', 'sysAccountGet', 'sysAccountCreate', 'sysAccountUpdate', 'sysAccountDestroy', 'sysDomainGet', 'sysDkimSignatureCreate', 'sysDkimSignatureGet'] as const;

const ADMIN_ID = 'a0';
const problem = (status: number, title: string, detail: string): FakeReply => ({ status, body: { type: 'about:blank', status, title, detail }, headers: { 'content-type': 'application/problem+json' } });

/**
 * Stalwart 0.16 on loopback, held to the shapes in stalwart-shapes.ts: the JMAP session at /.well-known/jmap
 * (`urn:stalwart:jmap` as an account capability), `/api/account`, `x:<Object>/query|get|set` and JMAP for Sieve
 * in users' accounts at /jmap/, blob upload and download, RFC 7807 errors outside JMAP.
 */
export class StalwartFake {
  readonly server: FakeHttpServer;
  readonly registry = new RegistryStore();
  readonly sieve = new SieveAccounts();
  /** The admin's effective permissions; tests remove some to see the capabilities follow. */
  permissions: string[] = [...ADMIN_PERMISSIONS];
  readonly #authorization: string;

  constructor(username: string, password: string) {
    this.#authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    this.server = new FakeHttpServer((req) => this.#handle(req));
  }

  /** The stored registry objects of one type. */
  get store(): ReadonlyMap<RegistryType, Map<string, Obj>> {
    return this.registry.store;
  }

  /** Adds a registry object directly (test setup) and returns its id. */
  seed(type: RegistryType, fields: Record<string, unknown>): string {
    return this.registry.seed(type, fields);
  }

  #handle(req: FakeRequest): FakeReply {
    if (req.headers.authorization !== this.#authorization) {
      return { ...problem(401, 'Unauthorized', 'You have to authenticate first.'), headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Basic realm="Stalwart Server"' } };
    }
    const base = this.server.baseUrl;
    if (req.method === 'GET' && req.path === '/.well-known/jmap') {
      return json(200, {
        capabilities: { 'urn:ietf:params:jmap:core': { maxObjectsInGet: 500, maxObjectsInSet: 500, maxCallsInRequest: 16 }, 'urn:ietf:params:jmap:sieve': { implementation: 'Stalwart' } },
        accounts: { [ADMIN_ID]: { name: 'admin', isPersonal: true, isReadOnly: false, accountCapabilities: { 'urn:stalwart:jmap': {}, 'urn:ietf:params:jmap:sieve': {} } } },
        primaryAccounts: { 'urn:stalwart:jmap': ADMIN_ID, 'urn:ietf:params:jmap:sieve': ADMIN_ID },
        username: 'admin',
        apiUrl: `${base}/jmap/`,
        downloadUrl: `${base}/jmap/download/{accountId}/{blobId}/{name}?accept={type}`,
        uploadUrl: `${base}/jmap/upload/{accountId}/`,
        eventSourceUrl: `${base}/jmap/eventsource/?types={types}&closeafter={closeafter}&ping={ping}`,
        state: '1a',
      });
    }
    if (req.method === 'GET' && req.path === '/api/account') return json(200, { permissions: this.permissions, edition: 'oss', locale: 'en_US' });
    const upload = /^\/jmap\/upload\/([^/]+)\/$/.exec(req.path);
    if (req.method === 'POST' && upload) {
      const accountId = decodeURIComponent(upload[1] ?? '');
      if (!this.#canUse(accountId)) return problem(403, 'Forbidden', 'You do not have access to this account.');
      return json(201, this.sieve.upload(accountId, req.rawBody, String(req.headers['content-type'] ?? 'application/octet-stream')));
    }
    const download = /^\/jmap\/download\/([^/]+)\/([^/]+)\/[^/]+$/.exec(req.path);
    if (req.method === 'GET' && download) {
      const text = this.sieve.download(decodeURIComponent(download[1] ?? ''), decodeURIComponent(download[2] ?? ''));
      return text === undefined ? problem(404, 'Not Found', 'The requested resource does not exist on this server.') : { status: 200, body: text, headers: { 'content-type': req.url.searchParams.get('accept') ?? 'application/octet-stream' } };
    }
    if (req.method !== 'POST' || req.path !== '/jmap/') return problem(404, 'Not Found', 'The requested resource does not exist on this server.');
    return this.#jmap(req.body);
  }

  #canUse(accountId: string): boolean {
    return accountId === ADMIN_ID || (this.permissions.includes('impersonate') && this.store.get('Account')!.has(accountId));
  }

  #jmap(raw: unknown): FakeReply {
    const body = raw as { using?: string[]; methodCalls?: [string, Record<string, unknown>, string][] };
    if (!Array.isArray(body?.using) || !Array.isArray(body.methodCalls)) return { ...problem(400, 'Bad Request', 'Invalid JMAP request'), body: { type: 'urn:ietf:params:jmap:error:notRequest', status: 400, detail: 'Invalid JMAP request' } };
    const responses: [string, Record<string, unknown>, string][] = [];
    for (const [name, rawArgs, id] of body.methodCalls) {
      const args = resolve(rawArgs, responses);
      const answer = this.#method(name, args, body.using);
      if ('error' in answer) responses.push(['error', (answer as MethodError).error, id]);
      else responses.push([name, answer, id]);
    }
    return json(200, { methodResponses: responses, sessionState: '1a' });
  }

  #method(name: string, args: Record<string, unknown>, using: readonly string[]): Record<string, unknown> | MethodError {
    const accountId = String(args['accountId'] ?? '');
    if (name.startsWith('SieveScript/')) {
      // Every method but the registry's needs its capability in "using" (crates/jmap/src/api/request.rs).
      if (!using.includes('urn:ietf:params:jmap:sieve')) return { error: { type: 'unknownMethod', description: `Method ${name} requires capability urn:ietf:params:jmap:sieve` } };
      if (!this.#canUse(accountId)) return { error: { type: 'forbidden', description: 'You do not have access to this account.' } };
      return this.sieve.call(name, args, accountId);
    }
    const m = /^x:(\w+)\/(query|get|set)$/.exec(name);
    const type = REGISTRY_TYPES.find((t) => t === m?.[1]);
    if (!m || !type) return { error: { type: 'unknownMethod' } };
    if (accountId !== ADMIN_ID) return { error: { type: 'accountNotFound' } };
    if (m[2] === 'query') return this.registry.query(type, args);
    if (m[2] === 'get') return this.registry.get(type, args);
    if (type === 'DkimSignature' && args['create'] && !this.permissions.includes('sysDkimSignatureCreate')) return { error: { type: 'forbidden', description: 'You do not have enough permissions to perform this action.' } };
    return this.registry.set(type, args);
  }
}

// Result references (RFC 8620 §3.7), for the paths the adapter uses ("/ids").
function resolve(args: Record<string, unknown>, responses: [string, Record<string, unknown>, string][]): Record<string, unknown> {
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
