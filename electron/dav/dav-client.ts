import { DAVNamespace, davRequest, fetchCalendarObjects, fetchVCards, getDAVAttribute, makeCalendar, propfind, updateObject, type DAVResponse } from 'tsdav';
import type { DavCollectionInfo, DavCollectionKind } from '../../shared/domain/dav.ts';
import { discoverHomes, DiscoveryAuthError, type DavHomes } from './dav-discovery.ts';
import { toVcard3, VCARD3_RULES } from './vcard3.ts';

/** Where a CalDAV/CardDAV account lives and how to log in (Basic over HTTPS, or loopback HTTP). */
export interface DavEndpoint {
  /** The server's base URL; discovery follows /.well-known/caldav and /.well-known/carddav (RFC 6764). */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Write cards as vCard 3.0 to every address book, whatever the server advertises (for servers that misreport it). */
  readonly vcard3Only?: boolean;
}

/** One stored item: its URL, ETag and iCalendar/vCard text. */
export interface DavItem {
  readonly url: string;
  readonly etag: string | null;
  readonly data: string;
}

/** One item's URL and the byte length the server stores for it, or null when the server does not say. */
export interface DavItemSize {
  readonly url: string;
  readonly bytes: number | null;
}

// One protocol side of the account: its home and the headers every request carries.
interface Side {
  readonly homeUrl: string;
  readonly headers: Record<string, string>;
}

/** A logged-in account with its calendar and address-book homes discovered. */
export interface DavAccount {
  readonly endpoint: DavEndpoint;
  /** Every calendar and address book of the account (either list empty when the server has no such home). */
  collections(): Promise<DavCollectionInfo[]>;
  /** Every item of a collection with its data; with `urls`, just those (one multiget request). */
  items(collection: DavCollectionInfo, urls?: readonly string[]): Promise<DavItem[]>;
  /** Every item's URL without its data (PROPFIND Depth 1), for a side that fetches items by multiget a batch at a time. */
  list?(collection: DavCollectionInfo): Promise<string[]>;
  /** Every item's URL and stored size in bytes (PROPFIND Depth 1 getcontentlength) without its data; null where the server gives no size. */
  sizes?(collection: DavCollectionInfo): Promise<DavItemSize[]>;
  /** The collection's current change tag (CTag, sync token or delta link), or null; `previous` lets a delta-based side answer it unchanged. */
  changeTag(collection: DavCollectionInfo, previous?: string | null): Promise<string | null>;
  /** Creates a collection like `like` under the account's home; returns its URL. */
  createCollection(like: DavCollectionInfo, name: string): Promise<string>;
  /** Writes an item at an exact URL (create or replace). */
  put(url: string, kind: DavCollectionKind, data: string): Promise<void>;
  /** The home URL new collections of that kind go under. */
  homeOf(kind: DavCollectionKind): string | null;
  /**
   * For a side that stores its own model (Google, Microsoft 365): the item as this side will store
   * and return it. Throws NotCarriedError when the side cannot hold the item at all.
   */
  adapt?(kind: DavCollectionKind, data: string, collectionUrl: string): string;
  /** Why this side changes a property, by COMPONENT/PROPERTY suffix (e.g. "ATTENDEE", "VALARM"). */
  readonly rules?: Readonly<Record<string, string>>;
  /** Properties (lower case) this side stamps itself on every write (DTSTAMP, REV): not compared. */
  readonly stamps?: readonly string[];
}

/** Raised for a refused login or an unreachable or non-DAV server, with the server's own words. */
export class DavConnectError extends Error {
  override readonly name = 'DavConnectError';
  /** 'auth' when the server refused the login; 'unavailable' for everything else. */
  readonly reason: 'auth' | 'unavailable';

  constructor(message: string, reason: 'auth' | 'unavailable' = 'unavailable') {
    super(message);
    this.reason = reason;
  }
}

/** Logs in to both the CalDAV and the CardDAV side of an account. */
export async function openDavAccount(endpoint: DavEndpoint): Promise<DavAccount> {
  // Uncompressed answers: Node 24's fetch (undici before nodejs/undici#5474) dies with an uncatchable assert(!this.paused)
  // when a server gzips an answer of a few hundred KB and closes the connection after it, as Radicale's own server does.
  const headers = { authorization: `Basic ${Buffer.from(`${endpoint.user}:${endpoint.password}`).toString('base64')}`, 'accept-encoding': 'identity' };
  let homes: DavHomes;
  try {
    homes = await discoverHomes(endpoint.url, headers);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof DiscoveryAuthError) throw new DavConnectError(`${endpoint.user} at ${endpoint.url}: the server refused the login (${message}).`, 'auth');
    throw new DavConnectError(`${endpoint.url}: ${message}`);
  }
  // A server may offer only one of the two protocols: that side is simply absent.
  const side = (homeUrl: string | null): Side | null => (homeUrl ? { homeUrl, headers } : null);
  const [caldav, carddav] = [side(homes.caldav), side(homes.carddav)];
  if (!caldav && !carddav) throw new DavConnectError(`${endpoint.url} offers neither CalDAV nor CardDAV for ${endpoint.user}.`);
  return new TsdavAccount(endpoint, caldav, carddav);
}

class TsdavAccount implements DavAccount {
  private readonly vcard3Books = new Set<string>();
  /** Why a card changed on its way to a vCard-3-only address book. */
  rules: Readonly<Record<string, string>> = VCARD3_RULES;
  private readonly discoveredTags = new Map<string, string>();

  readonly endpoint: DavEndpoint;
  private readonly caldav: Side | null;
  private readonly carddav: Side | null;

  constructor(endpoint: DavEndpoint, caldav: Side | null, carddav: Side | null) {
    this.endpoint = endpoint;
    this.caldav = caldav;
    this.carddav = carddav;
  }

  async collections(): Promise<DavCollectionInfo[]> {
    // One PROPFIND per home; a server with one home for both (Radicale) answers both kinds in one request.
    const homes = [this.caldav, this.carddav].filter((side) => side !== null);
    const shared = homes.length === 2 && homes[0]!.homeUrl === homes[1]!.homeUrl;
    const listed = await Promise.all((shared ? homes.slice(0, 1) : homes).map((side) => listHome(side)));
    const found = listed.flat();
    const calendars = this.caldav ? found.filter((c) => c.info.kind === 'calendar') : [];
    const books = this.carddav ? found.filter((c) => c.info.kind === 'addressbook') : [];
    for (const c of [...calendars, ...books]) if (c.info.changeTag !== null) this.discoveredTags.set(c.info.url, c.info.changeTag);
    for (const b of books) if (b.vcard3Only) this.vcard3Books.add(b.info.url);
    return [...calendars, ...books].map((c) => c.info);
  }

  async items(collection: DavCollectionInfo, urls?: readonly string[]): Promise<DavItem[]> {
    if (urls?.length === 0) return [];
    const only = urls ? { objectUrls: [...urls] } : {};
    const objects =
      collection.kind === 'calendar'
        ? await fetchCalendarObjects({
            calendar: { url: collection.url },
            headers: this.need(this.caldav).headers,
            // Every component (events, tasks, journals), whatever the item's file name: nothing filtered out unseen.
            filters: { 'comp-filter': { _attributes: { name: 'VCALENDAR' } } },
            urlFilter: () => true,
            ...only,
          })
        : await fetchVCards({ addressBook: { url: collection.url }, headers: this.need(this.carddav).headers, ...only });
    return objects.filter((o) => typeof o.data === 'string').map((o) => ({ url: o.url, etag: o.etag ?? null, data: o.data as string }));
  }

  async list(collection: DavCollectionInfo): Promise<string[]> {
    return (await this.members(collection, {})).map((m) => m.url);
  }

  async sizes(collection: DavCollectionInfo): Promise<DavItemSize[]> {
    return (await this.members(collection, { 'd:getcontentlength': {} })).map((m) => ({ url: m.url, bytes: byteCount(m.props['getcontentlength']) }));
  }

  // The collection's items (not itself, not sub-collections) by one PROPFIND Depth 1 asking `props` besides the resource type.
  private async members(collection: DavCollectionInfo, props: Record<string, unknown>): Promise<{ url: string; props: Record<string, unknown> }[]> {
    const { headers } = this.need(collection.kind === 'calendar' ? this.caldav : this.carddav);
    const responses = await propfind({ url: collection.url, props: { 'd:resourcetype': {}, ...props }, depth: '1', headers });
    const own = new URL(collection.url).pathname.replace(/\/$/, '');
    return responses
      .filter((r) => r.href && !isCollection(r.props))
      .map((r) => ({ url: new URL(r.href!, collection.url).href, props: (r.props ?? {}) as Record<string, unknown> }))
      .filter((m) => new URL(m.url).pathname.replace(/\/$/, '') !== own);
  }

  // A new address book's accepted vCard versions (RFC 6352 6.2.2), as the home listing learns them for existing ones.
  private async learnVcardVersions(url: string): Promise<void> {
    const [response] = await propfind({ url, props: { 'card:supported-address-data': {} }, depth: '0', headers: this.need(this.carddav).headers });
    if (takesVcard3Only((response?.props ?? {}) as Record<string, unknown>)) this.vcard3Books.add(url);
  }

  adapt(kind: DavCollectionKind, data: string, collectionUrl: string): string {
    return kind === 'addressbook' && (this.endpoint.vcard3Only || this.vcard3Books.has(collectionUrl)) ? toVcard3(data) : data;
  }

  async changeTag(collection: DavCollectionInfo): Promise<string | null> {
    // The tag the listing just read is as current as a PROPFIND now; it answers once, so a tag asked for after writes is fresh.
    const discovered = this.discoveredTags.get(collection.url);
    if (discovered !== undefined) {
      this.discoveredTags.delete(collection.url);
      return discovered;
    }
    const { headers } = this.need(collection.kind === 'calendar' ? this.caldav : this.carddav);
    // The CTag alone first: Radicale works out a sync-token by going through the history of every item in the collection.
    const ask = async (prop: string, name: string): Promise<string | null> => {
      const [response] = await propfind({ url: collection.url, props: { [prop]: {} }, depth: '0', headers });
      return tagText(((response?.props ?? {}) as Record<string, unknown>)[name]);
    };
    return (await ask('cs:getctag', 'getctag')) ?? (await ask('d:sync-token', 'syncToken'));
  }

  async createCollection(like: DavCollectionInfo, name: string): Promise<string> {
    const home = this.homeOf(like.kind);
    if (!home) throw new DavConnectError(`${this.endpoint.url} has no ${like.kind === 'calendar' ? 'calendar' : 'address book'} home for ${this.endpoint.user}.`);
    const url = new URL(`${encodeURIComponent(name)}/`, home).href;
    const common = { 'd:displayname': like.displayName, ...(like.description !== null ? { [like.kind === 'calendar' ? 'c:calendar-description' : 'card:addressbook-description']: like.description } : {}) };
    const responses =
      like.kind === 'calendar'
        ? await makeCalendar({
            url,
            headers: this.need(this.caldav).headers,
            props: {
              ...common,
              ...(like.color !== null ? { 'ca:calendar-color': like.color } : {}),
              ...(like.timezone !== null ? { 'c:calendar-timezone': like.timezone } : {}),
              ...(like.components.length > 0 ? { 'c:supported-calendar-component-set': { 'c:comp': like.components.map((c) => ({ _attributes: { name: c } })) } } : {}),
            },
          })
        : await makeAddressBook(url, this.need(this.carddav).headers, { ...common, 'd:resourcetype': { 'd:collection': {}, 'card:addressbook': {} } });
    const failed = responses.find((r: DAVResponse) => !r.ok && r.status !== 207);
    if (failed) throw new DavConnectError(`creating ${url} failed: HTTP ${failed.status} ${failed.statusText ?? ''}`.trim());
    if (like.kind === 'addressbook') await this.learnVcardVersions(url);
    return url;
  }

  async put(url: string, kind: DavCollectionKind, data: string): Promise<void> {
    const { headers } = this.need(kind === 'calendar' ? this.caldav : this.carddav);
    const body = this.adapt(kind, data, url.slice(0, url.lastIndexOf('/') + 1));
    const response = await updateObject({ url, data: body, headers: { ...headers, 'content-type': kind === 'calendar' ? 'text/calendar; charset=utf-8' : 'text/vcard; charset=utf-8' } });
    if (!response.ok) throw new DavConnectError(`HTTP ${response.status} ${response.statusText}: ${(await response.text()).slice(0, 200).trim()}`);
  }

  homeOf(kind: DavCollectionKind): string | null {
    return (kind === 'calendar' ? this.caldav : this.carddav)?.homeUrl ?? null;
  }

  private need(side: Side | null): Side {
    if (!side) throw new DavConnectError(`${this.endpoint.url} does not offer that protocol for ${this.endpoint.user}.`);
    return side;
  }

}

// Extended MKCOL (RFC 5689): the one request that makes an address book with its properties.
function makeAddressBook(url: string, headers: Record<string, string>, props: Record<string, unknown>): Promise<DAVResponse[]> {
  const namespaces = getDAVAttribute([DAVNamespace.DAV, DAVNamespace.CARDDAV]);
  return davRequest({ url, init: { method: 'MKCOL', headers, namespace: 'd', body: { mkcol: { _attributes: namespaces, set: { prop: props } } } } });
}

// What a home listing asks of each collection: no sync-token (see changeTag) and nothing that needs a request per collection.
const LISTING_PROPS = {
  'd:resourcetype': {},
  'd:displayname': {},
  'cs:getctag': {},
  'c:calendar-description': {},
  'c:calendar-timezone': {},
  'ca:calendar-color': {},
  'c:supported-calendar-component-set': {},
  'card:addressbook-description': {},
  'card:supported-address-data': {},
};
// A calendar is listed when its component set is empty or names one of these (tsdav's own rule).
const CALENDAR_COMPONENTS = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE', 'VALARM']);

interface ListedCollection {
  readonly info: DavCollectionInfo;
  readonly vcard3Only: boolean;
}

// The calendars and address books directly under a home, with their properties and CTags, in one Depth: 1 PROPFIND.
async function listHome(side: Side): Promise<ListedCollection[]> {
  const home = side.homeUrl;
  const responses = await propfind({ url: home, props: LISTING_PROPS, depth: '1', headers: side.headers });
  const out: ListedCollection[] = [];
  for (const r of responses) {
    const props = (r.props ?? {}) as Record<string, unknown>;
    const types = Object.keys((props['resourcetype'] as Record<string, unknown> | undefined) ?? {});
    const url = new URL(r.href ?? '', home.endsWith('/') ? home : `${home}/`).href;
    const displayName = nameOf((props['displayname'] as { _cdata?: unknown } | undefined)?._cdata ?? props['displayname'], url);
    const changeTag = tagText(props['getctag']);
    if (types.includes('calendar')) {
      const components = componentNames((props['supportedCalendarComponentSet'] as { comp?: unknown } | undefined)?.comp);
      if (components.length > 0 && !components.some((c) => CALENDAR_COMPONENTS.has(c))) continue;
      const info = { kind: 'calendar' as const, url, displayName, description: textProp(props['calendarDescription']), color: textProp(props['calendarColor']), timezone: textProp(props['calendarTimezone']), components, changeTag };
      out.push({ info, vcard3Only: false });
    } else if (types.includes('addressbook')) {
      const info = { kind: 'addressbook' as const, url, displayName, description: textProp(props['addressbookDescription']), color: null, timezone: null, components: [], changeTag };
      out.push({ info, vcard3Only: takesVcard3Only(props) });
    }
  }
  return out;
}

// A server that lists the vCard versions an address book takes and leaves 4.0 out gets vCard 3; one that lists none (Radicale) stores either (RFC 6352 6.2.2).
function takesVcard3Only(props: Record<string, unknown>): boolean {
  const types = (props['supportedAddressData'] as { addressDataType?: unknown } | undefined)?.addressDataType;
  const versions = (Array.isArray(types) ? types : types ? [types] : []).map((t) => String((t as { _attributes?: { version?: unknown } })._attributes?.version ?? ''));
  return versions.length > 0 && !versions.includes('4.0');
}

// A member whose resource type names a collection (a sub-collection, not an item).
function isCollection(props: unknown): boolean {
  const type = (props as Record<string, unknown> | undefined)?.['resourcetype'];
  return typeof type === 'object' && type !== null && 'collection' in type;
}

// A getcontentlength value as a whole number of bytes; tsdav's parser turns digits into a number already.
function byteCount(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function componentNames(comp: unknown): string[] {
  const list = Array.isArray(comp) ? comp : comp && typeof comp === 'object' ? [comp] : [];
  return list.map((c) => (c as { _attributes?: { name?: unknown } })?._attributes?.name).filter((n): n is string => typeof n === 'string' && n.length > 0);
}

function textProp(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function tagText(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function nameOf(displayName: unknown, url: string): string {
  if (typeof displayName === 'string' && displayName.trim() !== '') return displayName;
  return decodeURIComponent(url.replace(/\/$/, '').split('/').pop() ?? url);
}
