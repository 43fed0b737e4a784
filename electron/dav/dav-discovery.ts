import { propfind } from 'tsdav';

/** The calendar and address-book homes of an account; null for a protocol the server does not offer it. */
export interface DavHomes {
  readonly caldav: string | null;
  readonly carddav: string | null;
}

/** Raised when the server refused the login (HTTP 401 on the principal lookup). */
export class DiscoveryAuthError extends Error {
  override readonly name = 'DiscoveryAuthError';
}

type Protocol = 'caldav' | 'carddav';

/**
 * Finds both homes of an account (RFC 6764, RFC 4791 6.2.1, RFC 6352 7.1.1) with one principal lookup and one home
 * PROPFIND when CalDAV and CardDAV share a context path, as they do on most servers: the two well-known lookups run at
 * once, and only a server that sends them to different places gets a principal and home lookup per protocol.
 * Network errors propagate; a protocol without a principal or home is null.
 */
export async function discoverHomes(serverUrl: string, headers: Record<string, string>): Promise<DavHomes> {
  const [calRoot, cardRoot] = await Promise.all([wellKnown(serverUrl, 'caldav', headers), wellKnown(serverUrl, 'carddav', headers)]);
  if (calRoot === cardRoot) {
    const homes = await homesAt(serverUrl, calRoot, ['caldav', 'carddav'], headers);
    return { caldav: homes.caldav, carddav: homes.carddav };
  }
  const [cal, card] = await Promise.all([homesAt(serverUrl, calRoot, ['caldav'], headers), homesAt(serverUrl, cardRoot, ['carddav'], headers)]);
  return { caldav: cal.caldav, carddav: card.carddav };
}

// The context path /.well-known/<protocol> redirects to (PROPFIND, then GET, as tsdav asks), else the server URL itself.
async function wellKnown(serverUrl: string, protocol: Protocol, headers: Record<string, string>): Promise<string> {
  const endpoint = new URL(serverUrl);
  const uri = new URL(`/.well-known/${protocol}`, endpoint);
  const redirect = (response: Response): string | null => {
    const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
    if (!location) return null;
    const found = new URL(location, endpoint);
    if (found.hostname === uri.hostname && uri.port && !found.port) found.port = uri.port;
    if (!/^[a-z][a-z0-9+.-]*:/i.test(location)) found.protocol = endpoint.protocol;
    return found.href;
  };
  const propfindBody = '<?xml version="1.0" encoding="utf-8" ?>\n<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>';
  for (const init of [{ method: 'PROPFIND', headers: { ...headers, 'content-type': 'text/xml;charset=UTF-8' }, body: propfindBody }, { method: 'GET', headers }]) {
    try {
      const response = await fetch(uri.href, { ...init, redirect: 'manual' });
      await response.arrayBuffer();
      const found = redirect(response);
      if (found) return found;
    } catch {
      // A server without the well-known URI (or refusing the method) is asked at its own URL below.
    }
  }
  return endpoint.href;
}

// The principal under the first candidate root that names one, then each asked protocol's home from that principal in one PROPFIND.
async function homesAt(serverUrl: string, discovered: string, protocols: readonly Protocol[], headers: Record<string, string>): Promise<DavHomes> {
  const candidates = [...new Set([discovered, serverUrl, new URL('/', serverUrl).href])];
  let lastError: Error = new Error('cannot find principalUrl');
  for (const root of candidates) {
    let principal: string;
    try {
      principal = await principalAt(root, headers);
    } catch (error) {
      lastError = error as Error;
      continue;
    }
    const props = { ...(protocols.includes('caldav') ? { 'c:calendar-home-set': {} } : {}), ...(protocols.includes('carddav') ? { 'card:addressbook-home-set': {} } : {}) };
    const responses = await propfind({ url: principal, props, depth: '0', headers });
    const own = pathOf(principal);
    const matched = responses.find((r) => r.href !== undefined && pathOf(new URL(r.href, root).href) === own) ?? (responses.length === 1 ? responses[0] : undefined);
    const found = matched?.ok ? ((matched.props ?? {}) as Record<string, unknown>) : {};
    const home = (value: unknown): string | null => {
      const href = hrefOf((value as { href?: unknown } | undefined)?.href);
      return href ? new URL(href, withSlash(root)).href : null;
    };
    return { caldav: protocols.includes('caldav') ? home(found['calendarHomeSet']) : null, carddav: protocols.includes('carddav') ? home(found['addressbookHomeSet']) : null };
  }
  if (lastError instanceof DiscoveryAuthError) throw lastError;
  if (/cannot find principalUrl/.test(lastError.message)) return { caldav: null, carddav: null };
  throw lastError;
}

// The current-user-principal a root names (RFC 5397); a 401 is a refused login.
async function principalAt(root: string, headers: Record<string, string>): Promise<string> {
  const [response] = await propfind({ url: root, props: { 'd:current-user-principal': {} }, depth: '0', headers });
  if (response?.status === 401) throw new DiscoveryAuthError(`Invalid credentials: PROPFIND ${root} returned 401 Unauthorized`);
  const href = response?.ok ? hrefOf((response.props as { currentUserPrincipal?: { href?: unknown } } | undefined)?.currentUserPrincipal?.href) : null;
  if (!href) throw new Error('cannot find principalUrl');
  return new URL(href, withSlash(root)).href;
}

// An href as tsdav's parser gives it: a string, a CDATA/text node, or a list of them (the first non-empty).
function hrefOf(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.trim() || null;
  if (Array.isArray(raw)) return raw.map(hrefOf).find((h) => h !== null) ?? null;
  if (raw && typeof raw === 'object') {
    const node = raw as { _cdata?: unknown; _text?: unknown };
    for (const text of [node._cdata, node._text]) if (typeof text === 'string' && text.trim()) return text.trim();
  }
  return null;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function pathOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname).replace(/\/$/, '');
}
