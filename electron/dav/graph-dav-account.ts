import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { MicrosoftContext } from '../backends/microsoft/microsoft-context.ts';
import type { DavCollectionInfo, DavCollectionKind } from '../../shared/domain/dav.ts';
import { NotCarriedError } from './dav-canonical.ts';
import { DavConnectError, type DavAccount, type DavItem } from './dav-client.ts';
import { groupCard } from './vcard-fields.ts';
import { lastSegment } from './dav-collection-copy.ts';
import { fromGraphContact, GRAPH_CONTACT_RULES, toGraphContact, type GraphContact } from './graph-contact-map.ts';
import { fromGraphSeries, GRAPH_CALENDAR_RULES, originalWall, toGraphSeries, UID_PROPERTY, zoneOf, type GraphEvent, type GraphSeries } from './graph-event-map.ts';
import { fromGraphRecurrence, occurrences } from './graph-recurrence.ts';
import { utcToWall, wallToUtc } from './tz-rules.ts';

type Json = Record<string, unknown>;
const EXPAND = `singleValueExtendedProperties($filter=id eq '${UID_PROPERTY}')`;
// The calendarView window a delta round covers: wide enough for any series a mailbox keeps.
const WINDOW = ['2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z'] as const;

/** A Microsoft 365 mailbox's calendars and contacts (Graph v1.0, app credentials) behind the DAV copy's account interface. */
export class GraphDavAccount implements DavAccount {
  readonly endpoint: { url: string; user: string; password: string };
  readonly stamps = ['dtstamp', 'rev'];
  readonly #ctx: MicrosoftContext;
  readonly #user: string;
  readonly #root: string;
  readonly #uidAt = new Map<string, string>();
  readonly #index = new Map<string, Map<string, string>>();
  #kind: DavCollectionKind = 'calendar';

  constructor(ctx: MicrosoftContext, user: string) {
    this.#ctx = ctx;
    this.#user = user;
    this.#root = `${ctx.graphBase.replace(/\/$/, '')}/v1.0/users/${encodeURIComponent(user)}/`;
    this.endpoint = { url: this.#root, user, password: '' };
  }

  get rules(): Readonly<Record<string, string>> {
    return this.#kind === 'calendar' ? GRAPH_CALENDAR_RULES : GRAPH_CONTACT_RULES;
  }

  async collections(): Promise<DavCollectionInfo[]> {
    const base = { description: null, timezone: null, changeTag: null };
    const calendars = (await this.#all<Json>(`${this.#root}calendars`)).map((c): DavCollectionInfo => ({
      ...base, kind: 'calendar', url: `${this.#root}calendars/${c['id']}/events/`, displayName: String(c['name']), color: typeof c['hexColor'] === 'string' && c['hexColor'] !== '' ? c['hexColor'] : null, components: ['VEVENT'],
    }));
    const folders = (await this.#all<Json>(`${this.#root}contactFolders`)).map((f): DavCollectionInfo => ({ ...base, kind: 'addressbook', url: `${this.#root}contactFolders/${f['id']}/contacts/`, displayName: String(f['displayName']), color: null, components: [] }));
    // The mailbox's default contacts folder is not among contactFolders; /contacts addresses it.
    return [...calendars, { ...base, kind: 'addressbook', url: `${this.#root}contacts/`, displayName: 'Contacts', color: null, components: [] }, ...folders];
  }

  async items(collection: DavCollectionInfo, urls?: readonly string[]): Promise<DavItem[]> {
    this.#kind = collection.kind;
    const wanted = urls ? new Map(urls.map((u) => [this.#uidAt.get(u) ?? lastSegment(u).replace(/\.(ics|vcf)$/, ''), u])) : null;
    const out: DavItem[] = [];
    const list = await this.#all<GraphEvent & GraphContact & { id: string; changeKey?: string }>(`${collection.url.replace(/\/$/, '')}?$top=100&$expand=${encodeURIComponent(EXPAND)}`);
    const index = new Map<string, string>();
    for (const item of list) {
      const uid = item.singleValueExtendedProperties?.find((p) => p.id === UID_PROPERTY)?.value ?? item.iCalUId ?? item.id;
      index.set(uid, item.id);
      const url = wanted ? wanted.get(uid) : `${collection.url}${encodeURIComponent(uid)}.${collection.kind === 'calendar' ? 'ics' : 'vcf'}`;
      if (!url) continue;
      if (collection.kind === 'addressbook') {
        out.push({ url, etag: item.changeKey ?? null, data: fromGraphContact(item, await this.#photo(item.id)) });
        continue;
      }
      const instances = item.type === 'seriesMaster' ? await this.#instances(item) : [];
      const zone = item.isAllDay ? null : zoneOf(item);
      const present = item.type === 'seriesMaster' ? instances.map((i) => (item.isAllDay ? originalWall(i, null).slice(0, 10) : originalWall(i, zone))) : null;
      const exceptions = instances.filter((i) => i.type === 'exception');
      out.push({ url, etag: hash([item.changeKey, ...exceptions.map((e) => e.changeKey), ...(present ?? [])].join(',')), data: fromGraphSeries({ uid, master: item, exceptions, present }) });
    }
    this.#index.set(collection.url, index);
    return out;
  }

  // A delta round's @odata.deltaLink: a later round from it that lists nothing keeps it. Calendars use calendarView/delta
  // over a wide window; contact folders contacts/delta; the default contacts folder has no delta of its own in v1.0.
  async changeTag(collection: DavCollectionInfo, previous?: string | null): Promise<string | null> {
    const start = collection.kind === 'calendar' ? `${collection.url.replace(/events\/$/, 'calendarView/delta')}?startDateTime=${WINDOW[0]}&endDateTime=${WINDOW[1]}` : collection.url.includes('/contactFolders/') ? `${collection.url}delta` : null;
    if (!start) return null;
    if (previous) {
      try {
        const round = await this.#round(previous);
        return round.changed ? round.deltaLink : previous;
      } catch (error) {
        if (!(error instanceof DavConnectError) || !/\b410\b|SyncStateNotFound|resync/i.test(error.message)) throw error;
      }
    }
    return (await this.#round(start)).deltaLink;
  }

  async #round(url: string): Promise<{ changed: boolean; deltaLink: string | null }> {
    let changed = false;
    for (let next: string | undefined = url; ; ) {
      const page: { value?: unknown[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string } = await this.#send('GET', next);
      changed ||= (page.value?.length ?? 0) > 0;
      if (page['@odata.deltaLink'] || !page['@odata.nextLink']) return { changed, deltaLink: page['@odata.deltaLink'] ?? null };
      next = page['@odata.nextLink'];
    }
  }

  async createCollection(like: DavCollectionInfo, name: string): Promise<string> {
    if (like.kind === 'calendar') {
      const made = await this.#send<Json>('POST', `${this.#root}calendars`, { name: like.displayName || name });
      return `${this.#root}calendars/${made['id']}/events/`;
    }
    const made = await this.#send<Json>('POST', `${this.#root}contactFolders`, { displayName: like.displayName || name });
    return `${this.#root}contactFolders/${made['id']}/contacts/`;
  }

  adapt(kind: DavCollectionKind, data: string): string {
    this.#kind = kind;
    if (kind === 'addressbook') {
      if (groupCard(data)) throw new NotCarriedError('VCARD/KIND', 'Graph v1.0 has no contact groups (Outlook contact lists are not in it): the group card is not copied, its members are');
      const { contact, photo } = toGraphContact(data);
      return fromGraphContact(contact, photo);
    }
    const series = toGraphSeries(data, this.#user);
    const zone = series.master.isAllDay ? null : series.master.start.timeZone;
    const originalStart = (wall: string): string => new Date(zone && zone !== 'UTC' ? wallToUtc(wall, zone) : Date.parse(`${wall.slice(0, 19)}${wall.length === 10 ? 'T00:00:00' : ''}Z`)).toISOString();
    const present = series.master.recurrence ? occurrences(fromGraphRecurrence(series.master.recurrence), startOf(series.master)).filter((w) => !series.cancelled.includes(w)) : null;
    return fromGraphSeries({ uid: series.uid, master: series.master, exceptions: series.exceptions.map((x) => ({ ...x.event, originalStart: originalStart(x.original) })), present: present?.map((w) => (series.master.isAllDay ? w.slice(0, 10) : w)) ?? null });
  }

  async put(url: string, kind: DavCollectionKind, data: string): Promise<void> {
    const collection = url.slice(0, url.lastIndexOf('/') + 1);
    if (!this.#index.has(collection)) await this.items({ kind, url: collection } as DavCollectionInfo, []);
    const index = this.#index.get(collection)!;
    if (kind === 'addressbook') {
      const { contact, uid, photo } = toGraphContact(data);
      this.#uidAt.set(url, uid);
      const id = await this.#upsert(collection, index, uid, contact);
      if (photo) await this.#send('PUT', `${this.#root}contacts/${id}/photo/$value`, photo);
      return;
    }
    const series = toGraphSeries(data, this.#user);
    this.#uidAt.set(url, series.uid);
    const { organizer: _organizer, ...master } = { ...series.master, singleValueExtendedProperties: [{ id: UID_PROPERTY, value: series.uid }] };
    const id = await this.#upsert(collection, index, series.uid, master);
    if (series.master.recurrence) await this.#applyOccurrences(id, series);
  }

  homeOf(kind: DavCollectionKind): string {
    return kind === 'calendar' ? `${this.#root}calendars/` : `${this.#root}contactFolders/`;
  }

  async #upsert(collection: string, index: Map<string, string>, uid: string, body: object): Promise<string> {
    const existing = index.get(uid);
    const kind = collection.includes('/events/') ? 'events' : 'contacts';
    if (existing) {
      await this.#send('PATCH', `${this.#root}${kind}/${existing}`, body);
      return existing;
    }
    const made = await this.#send<Json>('POST', collection.replace(/\/$/, ''), body);
    index.set(uid, String(made['id']));
    return String(made['id']);
  }

  // Graph changes a series one occurrence at a time: a cancelled one is deleted, a moved one is patched.
  async #applyOccurrences(masterId: string, series: GraphSeries): Promise<void> {
    const master = await this.#send<GraphEvent>('GET', `${this.#root}events/${masterId}`);
    const zone = master.isAllDay ? null : zoneOf(master);
    const instances = new Map((await this.#instances({ ...master, id: masterId })).map((i) => [master.isAllDay ? originalWall(i, null).slice(0, 10) : originalWall(i, zone), i]));
    for (const wall of series.cancelled) {
      const instance = instances.get(master.isAllDay ? wall.slice(0, 10) : wall);
      if (instance?.id) await this.#send('DELETE', `${this.#root}events/${instance.id}`);
    }
    for (const x of series.exceptions) {
      const instance = instances.get(master.isAllDay ? x.original.slice(0, 10) : x.original);
      if (!instance?.id) throw new DavConnectError(`Graph has no occurrence of ${series.uid} at ${x.original} to change`);
      const { organizer: _organizer, ...patch } = x.event;
      await this.#send('PATCH', `${this.#root}events/${instance.id}`, patch);
    }
  }

  // Every instance of a series over its whole range (an open-ended one: its first five years).
  async #instances(master: GraphEvent & { id?: string }): Promise<GraphEvent[]> {
    const walls = occurrences(fromGraphRecurrence(master.recurrence!), startOf(master));
    const zone = master.isAllDay ? 'UTC' : zoneOf(master);
    const toUtc = (wall: string): string => new Date(zone === 'UTC' ? Date.parse(`${wall.length === 10 ? `${wall}T00:00:00` : wall}Z`) : wallToUtc(wall, zone)).toISOString();
    const from = toUtc(walls[0] ?? master.start.dateTime.slice(0, 19));
    const to = new Date(Date.parse(toUtc(walls.at(-1) ?? master.start.dateTime.slice(0, 19))) + 2 * 86_400_000).toISOString();
    return this.#all<GraphEvent>(`${this.#root}events/${master.id}/instances?startDateTime=${from}&endDateTime=${to}&$top=100`);
  }

  async #photo(id: string): Promise<Buffer | null> {
    try {
      const stream = await this.#ctx.graph.api(`${this.#root}contacts/${id}/photo/$value`).responseType('arraybuffer' as never).get();
      return Buffer.from(stream as ArrayBuffer);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw this.#error('GET', 'photo', error);
    }
  }

  async #all<T>(url: string): Promise<T[]> {
    const out: T[] = [];
    for (let next: string | undefined = url; next; ) {
      const page: { value?: T[]; '@odata.nextLink'?: string } = await this.#send('GET', next);
      out.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return out;
  }

  async #send<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
    try {
      const request = this.#ctx.graph.api(url);
      if (method === 'GET') return (await request.get()) as T;
      if (method === 'POST') return (await request.post(body)) as T;
      if (method === 'PATCH') return (await request.patch(body)) as T;
      if (method === 'PUT') return (await request.header('content-type', 'image/jpeg').put(body)) as T;
      return (await request.delete()) as T;
    } catch (error) {
      throw this.#error(method, new URL(url).pathname, error);
    }
  }

  #error(method: string, where: string, error: unknown): DavConnectError {
    const e = error as { statusCode?: number; code?: string; message?: string; errorCode?: string };
    const auth = typeof e.errorCode === 'string' || e.statusCode === 401 || e.statusCode === 403;
    return new DavConnectError(`Microsoft Graph ${method} ${where}: ${e.statusCode ?? ''} ${e.code ?? ''} ${e.message ?? ''}`.replace(/\s+/g, ' ').trim(), auth ? 'auth' : 'unavailable');
  }
}

// The series' first start as ical.js time (floating wall clock, or a date for all-day events).
function startOf(e: GraphEvent): ICAL.Time {
  if (e.isAllDay) return timeFrom(e.start.dateTime.slice(0, 10));
  // Graph answers in UTC unless asked otherwise; the series repeats in its own zone's wall clock.
  const zone = zoneOf(e);
  return timeFrom(e.start.timeZone === 'UTC' && zone !== 'UTC' ? utcToWall(Date.parse(`${e.start.dateTime.slice(0, 19)}Z`), zone) : e.start.dateTime.slice(0, 19));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function timeFrom(text: string): ICAL.Time {
  return text.length === 10 ? ICAL.Time.fromDateString(text) : ICAL.Time.fromDateTimeString(text);
}
