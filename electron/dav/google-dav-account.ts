import { createHash } from 'node:crypto';
import type { JWT } from 'google-auth-library';
import type { DavCollectionInfo, DavCollectionKind } from '../../shared/domain/dav.ts';
import { DelegatedAuth, SCOPES } from '../backends/google/google-auth.ts';
import { DavConnectError, type DavAccount, type DavItem } from './dav-client.ts';
import { fromGoogleEvents, GOOGLE_CALENDAR_RULES, toGoogleEvents, type GoogleEvent } from './google-event-map.ts';
import { fromGoogleGroup, fromGooglePerson, GOOGLE_CONTACT_RULES, PERSON_FIELDS, toGooglePerson, UID_KEY, type GooglePerson } from './google-contact-map.ts';
import { groupCard, memberRef } from './vcard-fields.ts';
import { lastSegment } from './dav-collection-copy.ts';

/** Where a Workspace user's calendars and contacts are read and written, through the connection's delegation. */
export interface GoogleDavEndpoint {
  readonly auth: DelegatedAuth;
  readonly user: string;
  /** Overrides https://www.googleapis.com/ (Calendar API v3). */
  readonly calendarRootUrl?: string;
  /** Overrides https://people.googleapis.com/ (People API v1). */
  readonly peopleRootUrl?: string;
}

type Json = Record<string, unknown>;
interface Group { resourceName: string; name: string; groupType?: string; etag?: string; clientData?: { key: string; value: string }[] }

/** A Workspace user's calendars (Calendar API v3) and contacts (People API) behind the DAV copy's account interface. */
export class GoogleDavAccount implements DavAccount {
  readonly endpoint: { url: string; user: string; password: string };
  readonly stamps = ['dtstamp', 'rev'];
  readonly #calendar: JWT;
  readonly #people: JWT;
  readonly #calendarRoot: string;
  readonly #peopleRoot: string;
  // Synthetic item URLs this run wrote, by path, to the UID written there.
  readonly #uidAt = new Map<string, string>();
  #persons: Map<string, GooglePerson> | null = null;
  #groups: Group[] | null = null;
  readonly #groupByName = new Map<string, Promise<string>>();
  #kind: DavCollectionKind = 'calendar';

  constructor(e: GoogleDavEndpoint) {
    this.#calendar = e.auth.client(e.user, SCOPES.calendar);
    this.#people = e.auth.client(e.user, SCOPES.contacts);
    this.#calendarRoot = new URL('calendar/v3/', e.calendarRootUrl ?? 'https://www.googleapis.com/').href;
    this.#peopleRoot = new URL('v1/', e.peopleRootUrl ?? 'https://people.googleapis.com/').href;
    this.endpoint = { url: this.#calendarRoot, user: e.user, password: '' };
  }

  get rules(): Readonly<Record<string, string>> {
    return this.#kind === 'calendar' ? GOOGLE_CALENDAR_RULES : GOOGLE_CONTACT_RULES;
  }

  async collections(): Promise<DavCollectionInfo[]> {
    const list = await this.#pages<Json>(this.#calendar, `${this.#calendarRoot}users/me/calendarList`, 'items', {});
    const calendars = list.items.map((c): DavCollectionInfo => ({
      kind: 'calendar', url: this.#eventsUrl(String(c['id'])), displayName: String(c['summaryOverride'] ?? c['summary'] ?? c['id']), description: (c['description'] as string | undefined) ?? null,
      color: typeof c['backgroundColor'] === 'string' ? c['backgroundColor'] : null, timezone: null, components: ['VEVENT'], changeTag: null,
    }));
    // People keeps one contact list per user: it is the account's one address book.
    return [...calendars, { kind: 'addressbook', url: `${this.#peopleRoot}people/me/connections/`, displayName: 'Contacts', description: null, color: null, timezone: null, components: [], changeTag: null }];
  }

  async items(collection: DavCollectionInfo, urls?: readonly string[]): Promise<DavItem[]> {
    this.#kind = collection.kind;
    if (collection.kind === 'addressbook') return this.#contacts(collection, urls);
    if (urls) {
      const out: DavItem[] = [];
      for (const url of urls) {
        const uid = this.#uidAt.get(pathOf(url)) ?? lastSegment(url).replace(/\.ics$/, '');
        const { items } = await this.#pages<GoogleEvent>(this.#calendar, collection.url, 'items', { iCalUID: uid, showDeleted: 'false' });
        if (items.length > 0) out.push(this.#eventItem(url, items));
      }
      return out;
    }
    const { items } = await this.#pages<GoogleEvent>(this.#calendar, collection.url, 'items', { showDeleted: 'false', maxResults: '2500' });
    const byUid = new Map<string, GoogleEvent[]>();
    for (const e of items) byUid.set(e.iCalUID, [...(byUid.get(e.iCalUID) ?? []), e]);
    return [...byUid].map(([uid, events]) => this.#eventItem(`${collection.url}${encodeURIComponent(uid)}.ics`, events));
  }

  // A sync token (Calendar) or contacts sync token (People): a delta from `previous` that lists nothing keeps it; 410 GONE starts over.
  async changeTag(collection: DavCollectionInfo, previous?: string | null): Promise<string | null> {
    const client = collection.kind === 'calendar' ? this.#calendar : this.#people;
    const url = collection.kind === 'calendar' ? collection.url : collection.url.replace(/\/$/, '');
    const listKey = collection.kind === 'calendar' ? 'items' : 'connections';
    const base: Record<string, string> = collection.kind === 'calendar' ? { maxResults: '2500' } : { personFields: 'metadata', requestSyncToken: 'true', pageSize: '1000' };
    if (previous) {
      try {
        const delta = await this.#pages<Json>(client, url, listKey, { ...base, syncToken: previous });
        if (delta.items.length === 0) return previous;
        return delta.syncToken;
      } catch (error) {
        if (!(error instanceof GoneError)) throw error;
      }
    }
    return (await this.#pages<Json>(client, url, listKey, base)).syncToken;
  }

  async createCollection(like: DavCollectionInfo, name: string): Promise<string> {
    if (like.kind === 'addressbook') return `${this.#peopleRoot}people/me/connections/`;
    const zone = /TZID:([^\r\n]+)/.exec(like.timezone ?? '')?.[1];
    const made = await this.#send<Json>(this.#calendar, 'POST', `${this.#calendarRoot}calendars`, { summary: like.displayName || name, ...(like.description ? { description: like.description } : {}), ...(zone ? { timeZone: zone } : {}) });
    const id = String(made['id']);
    if (like.color) await this.#send(this.#calendar, 'PATCH', `${this.#calendarRoot}users/me/calendarList/${encodeURIComponent(id)}?colorRgbFormat=true`, { backgroundColor: like.color.slice(0, 7), foregroundColor: '#000000' });
    return this.#eventsUrl(id);
  }

  adapt(kind: DavCollectionKind, data: string): string {
    this.#kind = kind;
    if (kind === 'calendar') return fromGoogleEvents(toGoogleEvents(data));
    const group = groupCard(data);
    if (group) return fromGoogleGroup(group.uid, group.name, group.members);
    const { person, groups, photo } = toGooglePerson(data);
    return fromGooglePerson(person, groups, photo);
  }

  async put(url: string, kind: DavCollectionKind, data: string): Promise<void> {
    if (kind === 'addressbook') return this.#putContact(url, data);
    const events = toGoogleEvents(data);
    const uid = events[0]!.iCalUID;
    this.#uidAt.set(pathOf(url), uid);
    const collection = url.slice(0, url.lastIndexOf('/') + 1);
    const existing = (await this.#pages<GoogleEvent>(this.#calendar, collection, 'items', { iCalUID: uid, showDeleted: 'false' })).items;
    // events.import keeps the iCalUID (events.insert would not); an exception names its master's occurrence by originalStartTime.
    for (const event of events) await this.#send(this.#calendar, 'POST', `${collection}import`, event);
    const keep = new Set(events.map((e) => JSON.stringify(e.originalStartTime ?? null)));
    for (const stale of existing.filter((e) => e.recurringEventId && !keep.has(JSON.stringify(e.originalStartTime ?? null)))) {
      await this.#send(this.#calendar, 'DELETE', `${collection}${encodeURIComponent(stale.id ?? '')}`);
    }
  }

  homeOf(kind: DavCollectionKind): string {
    return kind === 'calendar' ? this.#calendarRoot : `${this.#peopleRoot}people/me/connections/`;
  }

  #eventsUrl(calendarId: string): string {
    return `${this.#calendarRoot}calendars/${encodeURIComponent(calendarId)}/events/`;
  }

  #eventItem(url: string, events: GoogleEvent[]): DavItem {
    return { url, etag: hash(events.map((e) => e.etag ?? '').sort().join(',')), data: fromGoogleEvents(events) };
  }

  async #contacts(collection: DavCollectionInfo, urls?: readonly string[]): Promise<DavItem[]> {
    const persons = await this.#allPersons(urls !== undefined);
    const groups = await this.#allGroups(urls !== undefined);
    const wanted = urls ? new Map(urls.map((u) => [this.#uidAt.get(pathOf(u)) ?? lastSegment(u).replace(/\.vcf$/, ''), u])) : null;
    const out: DavItem[] = [];
    for (const [uid, p] of persons) {
      const url = wanted ? wanted.get(uid) : `${collection.url}${encodeURIComponent(uid)}.vcf`;
      if (!url) continue;
      // Groups made from categories read back as CATEGORIES; groups made from group cards as their own cards (below).
      const names = (p.memberships ?? []).map((m) => groups.find((g) => g.resourceName === m.contactGroupMembership.contactGroupResourceName)).filter((g): g is Group => g !== undefined && g.groupType !== 'SYSTEM_CONTACT_GROUP' && !uidOf(g)).map((g) => g.name);
      const photoUrl = p.photos?.find((ph) => !ph.default)?.url;
      const photo = photoUrl ? Buffer.from(await this.#send<ArrayBuffer>(this.#people, 'GET', photoUrl, undefined, 'arraybuffer')) : null;
      out.push({ url, etag: p.etag ?? null, data: fromGooglePerson(p, names, photo) });
    }
    for (const g of groups.filter(uidOf)) {
      const uid = uidOf(g)!;
      const url = wanted ? wanted.get(uid) : `${collection.url}${encodeURIComponent(uid)}.vcf`;
      if (!url) continue;
      const members = [...persons].filter(([, p]) => p.memberships?.some((m) => m.contactGroupMembership.contactGroupResourceName === g.resourceName)).map(([id]) => memberRef(id));
      out.push({ url, etag: hash(`${g.etag ?? ''}|${members.join(',')}`), data: fromGoogleGroup(uid, g.name, members) });
    }
    return out;
  }

  async #putContact(url: string, data: string): Promise<void> {
    const group = groupCard(data);
    if (group) return this.#putGroup(url, group);
    const { person, uid, groups, photo } = toGooglePerson(data);
    this.#uidAt.set(pathOf(url), uid);
    const persons = await this.#allPersons(false);
    const memberships = [];
    for (const name of groups) memberships.push({ contactGroupMembership: { contactGroupResourceName: await this.#groupNamed(name) } });
    const existing = persons.get(uid);
    // Memberships of groups that came from group cards are the groups' to set; an update keeps them.
    const cardGroups = new Set((await this.#allGroups()).filter(uidOf).map((g) => g.resourceName));
    memberships.push(...(existing?.memberships ?? []).filter((m) => cardGroups.has(m.contactGroupMembership.contactGroupResourceName)));
    const body = { ...person, memberships };
    const saved = existing?.resourceName
      ? await this.#send<GooglePerson>(this.#people, 'PATCH', `${this.#peopleRoot}${existing.resourceName}:updateContact?updatePersonFields=${PERSON_FIELDS}&personFields=${PERSON_FIELDS}`, { ...body, etag: existing.etag })
      : await this.#send<GooglePerson>(this.#people, 'POST', `${this.#peopleRoot}people:createContact?personFields=${PERSON_FIELDS}`, body);
    if (photo) await this.#send(this.#people, 'PATCH', `${this.#peopleRoot}${saved.resourceName}:updateContactPhoto`, { photoBytes: photo.toString('base64') });
    persons.set(uid, saved);
  }

  async #allPersons(fresh: boolean): Promise<Map<string, GooglePerson>> {
    if (this.#persons && !fresh) return this.#persons;
    const { items } = await this.#pages<GooglePerson>(this.#people, `${this.#peopleRoot}people/me/connections`, 'connections', { personFields: `${PERSON_FIELDS},photos,metadata`, pageSize: '1000' });
    this.#persons = new Map(items.map((p) => [p.clientData?.find((d) => d.key === UID_KEY)?.value ?? p.resourceName ?? '', p]));
    return this.#persons;
  }

  async #allGroups(fresh = false): Promise<Group[]> {
    if (!this.#groups || fresh) this.#groups = (await this.#pages<Group>(this.#people, `${this.#peopleRoot}contactGroups`, 'contactGroups', { pageSize: '1000', groupFields: 'name,groupType,clientData' })).items;
    return this.#groups;
  }

  // A group card becomes a contact group carrying its UID; its members are the member contacts' memberships.
  async #putGroup(url: string, card: { uid: string; name: string; members: string[] }): Promise<void> {
    this.#uidAt.set(pathOf(url), card.uid);
    const groups = await this.#allGroups();
    let group = groups.find((g) => uidOf(g) === card.uid);
    const body = { name: card.name, clientData: [{ key: UID_KEY, value: card.uid }] };
    if (!group) {
      group = await this.#send<Group>(this.#people, 'POST', `${this.#peopleRoot}contactGroups`, { contactGroup: body, readGroupFields: 'name,groupType,clientData' });
      groups.push(group);
    } else if (group.name !== card.name) {
      group = await this.#send<Group>(this.#people, 'PUT', `${this.#peopleRoot}${group.resourceName}`, { contactGroup: { ...body, etag: group.etag }, updateGroupFields: 'name,clientData', readGroupFields: 'name,groupType,clientData' });
    }
    const persons = await this.#allPersons(true);
    const wanted = new Set(card.members);
    const isMember = (p: GooglePerson): boolean => p.memberships?.some((m) => m.contactGroupMembership.contactGroupResourceName === group.resourceName) ?? false;
    const add = [...persons].filter(([id, p]) => wanted.has(memberRef(id)) && !isMember(p)).map(([, p]) => p.resourceName!);
    const remove = [...persons].filter(([id, p]) => !wanted.has(memberRef(id)) && isMember(p)).map(([, p]) => p.resourceName!);
    if (add.length || remove.length) await this.#send(this.#people, 'POST', `${this.#peopleRoot}${group.resourceName}/members:modify`, { resourceNamesToAdd: add, resourceNamesToRemove: remove });
  }

  // CATEGORIES become user contact groups, created on first use; parallel writes share one creation per name.
  #groupNamed(name: string): Promise<string> {
    let pending = this.#groupByName.get(name);
    if (!pending) {
      pending = (async () => {
        const found = (await this.#allGroups()).find((g) => g.name === name && g.groupType !== 'SYSTEM_CONTACT_GROUP');
        if (found) return found.resourceName;
        const made = await this.#send<Group>(this.#people, 'POST', `${this.#peopleRoot}contactGroups`, { contactGroup: { name } });
        this.#groups?.push(made);
        return made.resourceName;
      })();
      pending.catch(() => this.#groupByName.delete(name));
      this.#groupByName.set(name, pending);
    }
    return pending;
  }

  // Follows nextPageToken to the end; returns the items and the last page's nextSyncToken.
  async #pages<T>(client: JWT, url: string, key: string, params: Record<string, string>): Promise<{ items: T[]; syncToken: string | null }> {
    const items: T[] = [];
    let pageToken: string | undefined;
    for (;;) {
      const q = new URLSearchParams({ ...params, ...(pageToken ? { pageToken } : {}) });
      const page = await this.#send<Json>(client, 'GET', `${url.replace(/\/$/, '')}?${q}`);
      items.push(...((page[key] as T[] | undefined) ?? []));
      pageToken = page['nextPageToken'] as string | undefined;
      if (!pageToken) return { items, syncToken: (page['nextSyncToken'] as string | undefined) ?? null };
    }
  }

  async #send<T>(client: JWT, method: string, url: string, data?: unknown, responseType?: 'arraybuffer'): Promise<T> {
    try {
      const res = await client.request<T>({ url, method: method as 'GET', ...(data !== undefined ? { data } : {}), ...(responseType ? { responseType } : {}), retry: false });
      return res.data;
    } catch (error) {
      const e = error as { status?: number; response?: { status?: number; data?: { error?: { message?: string } } }; message: string };
      const status = e.status ?? e.response?.status;
      if (status === 410) throw new GoneError(e.message);
      // The token endpoint refuses a scope the customer has not authorised for the client: say which and where.
      const hint = /unauthorized_client/.test(e.message) ? ` Authorise ${[...SCOPES.calendar, ...SCOPES.contacts].join(' and ')} for the client ID under Security › API controls › Domain-wide delegation.` : '';
      const text = `Google ${method} ${new URL(url).pathname}: ${status ?? ''} ${e.response?.data?.error?.message ?? e.message}`.trim() + hint;
      throw new DavConnectError(text, status === 401 || (status === 403 && !/rate/i.test(text)) ? 'auth' : 'unavailable');
    }
  }
}

/** A sync token the server no longer accepts (HTTP 410 GONE): a full listing starts over. */
class GoneError extends Error {
  override readonly name = 'GoneError';
}

function uidOf(g: Group): string | undefined {
  return g.clientData?.find((d) => d.key === UID_KEY)?.value;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function pathOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}
