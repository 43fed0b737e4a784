import { FakeHttpServer, type FakeReply, type FakeRequest, json } from '../http/fake-http-server.ts';
import { GraphDirectoryState, graphError } from './graph-directory-state.ts';
import { GraphMailState } from './graph-mail-state.ts';
import { GraphCalendarState } from './graph-calendar-state.ts';

/**
 * Entra ID + Microsoft Graph on loopback HTTPS (msal accepts only https authorities): OpenID metadata and the
 * client-credentials token endpoint, then users, licences with asynchronous Exchange provisioning, groups,
 * domains, inbox rules and mail folders with messages, with @odata.nextLink paging.
 */
export class MicrosoftFake {
  readonly server: FakeHttpServer;
  readonly graph: GraphDirectoryState;
  /** Mail folders and messages per mailbox (keyed by user principal name). */
  readonly mail: GraphMailState;
  /** The tenant's identitySecurityDefaultsEnforcementPolicy.isEnabled (on for tenants created since October 2019). */
  securityDefaults = true;
  /** Calendars, events and contacts per mailbox (keyed by user principal name). */
  readonly calendar: GraphCalendarState;
  readonly #tenant: string;
  readonly #clientId: string;
  readonly #secret: string;
  readonly #tokens = new Set<string>();
  #next = 1;

  constructor(options: { tenant: string; clientId: string; secret: string; tls: { key: string; cert: string } }) {
    this.#tenant = options.tenant;
    this.#clientId = options.clientId;
    this.#secret = options.secret;
    this.graph = new GraphDirectoryState(() => this.server.baseUrl);
    this.mail = new GraphMailState(() => this.server.baseUrl);
    this.calendar = new GraphCalendarState(() => this.server.baseUrl);
    this.server = new FakeHttpServer((req) => this.#handle(req), options.tls);
  }

  #handle(req: FakeRequest): FakeReply | Promise<FakeReply> {
    const base = this.server.baseUrl;
    const t = `/${this.#tenant}`;
    if (req.method === 'GET' && (req.path === `${t}/v2.0/.well-known/openid-configuration` || req.path === `${t}/.well-known/openid-configuration`)) {
      return json(200, {
        token_endpoint: `${base}${t}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}${t}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}${t}/oauth2/v2.0/logout`,
        jwks_uri: `${base}${t}/discovery/v2.0/keys`,
        issuer: `${base}${t}/v2.0`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
        response_types_supported: ['code', 'id_token', 'token'],
        scopes_supported: ['openid'],
      });
    }
    if (req.method === 'POST' && req.path === `${t}/oauth2/v2.0/token`) return this.#token(req.body as Record<string, string>);
    if (!this.#tokens.has(String(req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    }
    if (!req.path.startsWith('/v1.0/')) return graphError(404, 'UnknownError', 'Unsupported API version');
    const path = req.path.slice('/v1.0/'.length).split('/').map(decodeURIComponent);
    if (path[0] === 'policies' && path[1] === 'identitySecurityDefaultsEnforcementPolicy' && path.length === 2) return this.#securityDefaults(req);
    if (path[0] === 'users' && (path[2] === 'messages' || (path[2] === 'mailFolders' && path[4] !== 'messageRules'))) {
      const key = (path[1] ?? '').toLowerCase();
      const user = [...this.graph.users.values()].find((u) => u.id === path[1] || u.userPrincipalName.toLowerCase() === key);
      if (!user) return graphError(404, 'ErrorInvalidUser', `The requested user '${path[1]}' is invalid.`);
      if (user.mail === null) return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
      return this.mail.handle(req.method, user.userPrincipalName, path.slice(2), req.url.searchParams, (req.body ?? {}) as Record<string, unknown>);
    }
    if (path[0] === 'users' && ['calendars', 'events', 'contacts', 'contactFolders'].includes(path[2] ?? '')) {
      const key = (path[1] ?? '').toLowerCase();
      const user = [...this.graph.users.values()].find((u) => u.id === path[1] || u.userPrincipalName.toLowerCase() === key);
      if (!user) return graphError(404, 'ErrorInvalidUser', `The requested user '${path[1]}' is invalid.`);
      if (user.mail === null) return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
      const body = req.body !== null && typeof req.body === 'object' && !Buffer.isBuffer(req.body) ? (req.body as Record<string, unknown>) : {};
      return this.calendar.handle(req.method, user.userPrincipalName.toLowerCase(), path.slice(2), req.url.searchParams, body, req.rawBytes);
    }
    return this.graph.handle(req.method, path, req.url.searchParams, req.body, req.headers);
  }

  // Graph v1.0 identitySecurityDefaultsEnforcementPolicy: GET the singleton; PATCH {isEnabled} answers 204 No Content.
  #securityDefaults(req: FakeRequest): FakeReply {
    if (req.method === 'GET') {
      return json(200, {
        '@odata.context': `${this.server.baseUrl}/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity`,
        id: '00000000-0000-0000-0000-000000000005',
        displayName: 'Security Defaults',
        description: 'Security defaults is a set of basic identity security mechanisms recommended by Microsoft.',
        isEnabled: this.securityDefaults,
      });
    }
    if (req.method !== 'PATCH') return graphError(405, 'Request_BadRequest', 'Method not allowed.');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => !['isEnabled', 'displayName', 'description'].includes(k));
    if (typeof body['isEnabled'] !== 'boolean' || unknown.length) return graphError(400, 'Request_BadRequest', `Invalid value specified for property 'isEnabled' of resource 'IdentitySecurityDefaultsEnforcementPolicy'.`);
    this.securityDefaults = body['isEnabled'];
    return { status: 204 };
  }

  #token(body: Record<string, string>): FakeReply {
    if (body['grant_type'] !== 'client_credentials') return json(400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: unsupported grant type' });
    if (body['client_id'] !== this.#clientId) {
      return json(400, { error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier '${body['client_id']}' was not found.`, error_codes: [700016] });
    }
    // Entra ID answers a wrong secret with 401 invalid_client (AADSTS7000215).
    if (body['client_secret'] !== this.#secret) {
      return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
    }
    const token = `eyJ.fake-graph-${this.#next++}`;
    this.#tokens.add(token);
    return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  }
}
