import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { FakeHttpServer, type FakeReply, type FakeRequest, json } from '../http/fake-http-server.ts';
import { GoogleDirectoryState, googleError } from './google-directory-state.ts';
import { GmailFilters } from './google-gmail-filters.ts';
import { GmailMessages } from './google-gmail-messages.ts';
import { GoogleCalendarState } from './google-calendar-state.ts';
import { GooglePeopleState } from './google-people-state.ts';

interface Token { readonly sub: string; readonly scopes: ReadonlySet<string> }
interface Forwarding { email: string; status: 'pending' | 'accepted' }

const SCOPE = 'https://www.googleapis.com/auth/';

/**
 * Google Workspace APIs on loopback: the OAuth token endpoint (JWT bearer grant, signature checked against the
 * service account's public key, DWD scopes enforced), Admin SDK Directory, Reports usage, Gmail forwarding and Gmail messages.
 */
export class GoogleFake {
  readonly server: FakeHttpServer;
  readonly directory: GoogleDirectoryState;
  /** Scopes the customer authorised for the client under domain-wide delegation. */
  readonly dwdScopes = new Set<string>();
  readonly forwarding = new Map<string, { addresses: Forwarding[]; auto: { enabled: boolean; emailAddress?: string; disposition?: string } }>();
  /** Gmail filters per user (users.settings.filters). */
  readonly filters = new GmailFilters();
  /** Gmail labels and messages per user (users.labels, users.messages). */
  readonly mail = new GmailMessages();
  /** Used MB per user for the Reports API; reports are missing for the most recent `reportLagDays` days. */
  readonly usageMb = new Map<string, number>();
  reportLagDays = 3;
  /** Calendar API v3 calendars and events per user. */
  readonly calendar = new GoogleCalendarState();
  /** People API contacts and contact groups per user. */
  readonly people: GooglePeopleState;
  readonly #clients = new Map<string, KeyObject>();
  readonly #tokens = new Map<string, Token>();
  #nextToken = 1;

  constructor(domains: readonly string[]) {
    this.directory = new GoogleDirectoryState(domains);
    this.people = new GooglePeopleState(() => this.server.baseUrl);
    this.server = new FakeHttpServer((req) => this.#handle(req));
  }

  /** Registers a service account's public key (PEM) under its client email. */
  registerServiceAccount(clientEmail: string, publicKeyPem: string): void {
    this.#clients.set(clientEmail, createPublicKey(publicKeyPem));
  }

  /** Invalidates every access token, as when an admin revokes the key: the APIs then answer 401. */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** The forwarding target clicks Gmail's confirmation link. */
  confirmForwarding(user: string, target: string): void {
    const entry = this.forwarding.get(user.toLowerCase())?.addresses.find((a) => a.email === target.toLowerCase());
    if (entry) entry.status = 'accepted';
  }

  #handle(req: FakeRequest): FakeReply | Promise<FakeReply> {
    if (req.path === '/token' && req.method === 'POST') return this.#token(req.body as Record<string, string>);
    const token = this.#tokens.get(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
    // Google answers an unknown or revoked access token with 401 "Invalid Credentials".
    if (!token) return googleError(401, 'Invalid Credentials', 'authError');
    if (req.path.startsWith('/admin/directory/v1/')) {
      if (!token.scopes.has(`${SCOPE}admin.directory.user`)) return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
      return this.directory.handle(req.method, req.path.slice('/admin/directory/v1/'.length).split('/').map(decodeURIComponent), req.url.searchParams, req.body);
    }
    if (req.path.startsWith('/admin/reports/v1/usage/users/')) {
      if (!token.scopes.has(`${SCOPE}admin.reports.usage.readonly`)) return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
      return this.#usage(req);
    }
    const mail = /^\/gmail\/v1\/users\/([^/]+)\/((?:labels|messages)(?:\/.*)?)$/.exec(req.path);
    if (mail) {
      // Reading and relabelling messages takes gmail.modify (or the full mail scope); reads alone gmail.readonly.
      const granted = [`${SCOPE}gmail.modify`, 'https://mail.google.com/', ...(req.method === 'GET' ? [`${SCOPE}gmail.readonly`] : [])].some((s) => token.scopes.has(s));
      if (!granted) return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
      const userId = decodeURIComponent(mail[1] ?? '');
      const user = userId === 'me' ? token.sub : userId;
      if (user.toLowerCase() !== token.sub.toLowerCase()) return googleError(403, 'Delegation denied', 'forbidden');
      return this.mail.handle(req.method, user, (mail[2] ?? '').split('/').map(decodeURIComponent), req.url.searchParams, (req.body ?? {}) as Record<string, unknown>);
    }
    const cal = /^\/calendar\/v3\/(.+)$/.exec(req.path);
    if (cal) {
      if (!token.scopes.has(`${SCOPE}calendar`)) return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
      const path = (cal[1] ?? '').split('/').map(decodeURIComponent);
      if (path[0] === 'users' && path[1] !== 'me') return googleError(403, 'Delegation denied', 'forbidden');
      return this.calendar.handle(req.method, token.sub.toLowerCase(), path, req.url.searchParams, (req.body ?? {}) as Record<string, unknown>);
    }
    if (req.path.startsWith('/v1/')) {
      if (!token.scopes.has(`${SCOPE}contacts`)) return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
      return this.people.handle(req.method, token.sub.toLowerCase(), decodeURIComponent(req.path.slice('/v1/'.length)), req.url.searchParams, (req.body ?? {}) as Record<string, unknown>);
    }
    if (req.path.startsWith('/photos/') && req.method === 'GET') {
      const bytes = this.people.photo(req.path.slice('/photos/'.length));
      return bytes ? { status: 200, body: bytes, headers: { 'content-type': 'image/png' } } : googleError(404, 'Not Found', 'notFound');
    }
    const gmail = /^\/gmail\/v1\/users\/([^/]+)\/settings\/(autoForwarding|forwardingAddresses|filters)(?:\/([^/]+))?$/.exec(req.path);
    if (gmail) {
      // Filters take gmail.settings.basic; forwarding settings take gmail.settings.sharing.
      const scope = gmail[2] === 'filters' ? 'gmail.settings.basic' : 'gmail.settings.sharing';
      if (!token.scopes.has(`${SCOPE}${scope}`)) return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');
      const userId = decodeURIComponent(gmail[1] ?? '');
      const user = userId === 'me' ? token.sub : userId;
      if (user.toLowerCase() !== token.sub.toLowerCase()) return googleError(403, 'Delegation denied', 'forbidden');
      const id = gmail[3] ? decodeURIComponent(gmail[3]) : undefined;
      if (gmail[2] === 'filters') {
        const verified = (email: string): boolean => this.forwarding.get(user.toLowerCase())?.addresses.some((a) => a.email === email && a.status === 'accepted') ?? false;
        return this.filters.handle(req.method, user.toLowerCase(), id, (req.body ?? {}) as Record<string, unknown>, verified);
      }
      return this.#gmail(req, user.toLowerCase(), gmail[2] ?? '', id);
    }
    return googleError(404, `Not Found: ${req.path}`, 'notFound');
  }

  #token(body: Record<string, string>): FakeReply {
    if (body['grant_type'] !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return json(400, { error: 'unsupported_grant_type' });
    const [header = '', payload = '', signature = ''] = String(body['assertion'] ?? '').split('.');
    let claims: { iss?: string; sub?: string; scope?: string };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT.' });
    }
    const key = this.#clients.get(claims.iss ?? '');
    const valid = key !== undefined && verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
    if (!valid) return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const scopes = new Set((claims.scope ?? '').split(' ').filter(Boolean));
    // DWD: every requested scope must be authorised for the client, and the subject must exist.
    if ([...scopes].some((s) => !this.dwdScopes.has(s))) {
      return json(401, { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' });
    }
    if (!claims.sub || !this.directory.findUser(claims.sub)) return json(400, { error: 'invalid_grant', error_description: 'Invalid email or User ID' });
    const accessToken = `ya29.fake-${this.#nextToken++}`;
    this.#tokens.set(accessToken, { sub: claims.sub, scopes });
    return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3599 });
  }

  #usage(req: FakeRequest): FakeReply {
    const date = req.path.split('/').pop() ?? '';
    const ageDays = Math.floor((Date.now() - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
    if (ageDays < this.reportLagDays) {
      // The real API answers 200 with a warning and no reports for days not yet processed.
      return json(200, { kind: 'admin#reports#usageReports', warnings: [{ code: 'DATA_NOT_AVAILABLE', message: `Data for dates later than ${date} is not yet available.` }] });
    }
    const rows = [...this.usageMb].map(([email, mb]) => ({
      kind: 'admin#reports#usageReport', date, entity: { type: 'USER', userEmail: email },
      parameters: [{ name: 'accounts:used_quota_in_mb', intValue: String(mb) }],
    }));
    const start = Number(req.url.searchParams.get('pageToken') ?? 0);
    const size = Math.min(Number(req.url.searchParams.get('maxResults') ?? 1000), 1000);
    const page = rows.slice(start, start + size);
    return json(200, { kind: 'admin#reports#usageReports', usageReports: page, ...(start + size < rows.length ? { nextPageToken: String(start + size) } : {}) });
  }

  #gmail(req: FakeRequest, user: string, resource: string, id: string | undefined): FakeReply {
    const state = this.forwarding.get(user) ?? { addresses: [], auto: { enabled: false } };
    this.forwarding.set(user, state);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (resource === 'autoForwarding') {
      if (req.method === 'GET') return json(200, state.auto);
      if (body['enabled'] === true) {
        const target = String(body['emailAddress'] ?? '').toLowerCase();
        // Gmail refuses to auto-forward to an address whose owner has not confirmed it.
        if (!state.addresses.some((a) => a.email === target && a.status === 'accepted')) {
          return googleError(400, 'Unverified forwarding address', 'failedPrecondition');
        }
        state.auto = { enabled: true, emailAddress: target, disposition: String(body['disposition'] ?? 'leaveInInbox') };
      } else state.auto = { enabled: false };
      return json(200, state.auto);
    }
    const view = (a: Forwarding): Record<string, string> => ({ forwardingEmail: a.email, verificationStatus: a.status });
    if (req.method === 'GET' && id === undefined) return json(200, { forwardingAddresses: state.addresses.map(view) });
    if (req.method === 'GET') {
      const found = state.addresses.find((a) => a.email === id?.toLowerCase());
      return found ? json(200, view(found)) : googleError(404, 'Not Found', 'notFound');
    }
    if (req.method === 'POST') {
      const email = String(body['forwardingEmail'] ?? '').toLowerCase();
      if (state.addresses.some((a) => a.email === email)) return googleError(409, 'Already exists', 'duplicate');
      // Targets inside the customer's own domains need no confirmation; external ones do.
      const internal = this.directory.domains.has(email.split('@')[1] ?? '');
      const entry: Forwarding = { email, status: internal ? 'accepted' : 'pending' };
      state.addresses.push(entry);
      return json(200, view(entry));
    }
    if (req.method === 'DELETE' && id) {
      state.addresses = state.addresses.filter((a) => a.email !== id.toLowerCase());
      return { status: 204 };
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }
}
