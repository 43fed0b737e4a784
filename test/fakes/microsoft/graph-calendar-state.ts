import { randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { wallToUtc } from '../../../electron/dav/tz-rules.ts';
import { type FakeReply, json } from '../http/fake-http-server.ts';
import { graphError } from './graph-directory-state.ts';

type Item = Record<string, unknown> & { id: string; changeKey: string };
interface Series { master: Item; cancelled: Set<string>; changed: Map<string, Item> }
interface Folder { id: string; name: string; items: Map<string, Item>; series: Map<string, Series>; changedAt: number }

const newId = (): string => `AAMkAGI2${randomBytes(18).toString('base64url')}`;
const DAY_CODES: Record<string, string> = { sunday: 'SU', monday: 'MO', tuesday: 'TU', wednesday: 'WE', thursday: 'TH', friday: 'FR', saturday: 'SA' };

/**
 * A mailbox's calendars, events and contacts as Graph v1.0 serves them: /calendars, /calendars/{id}/events (create,
 * list with $top paging in @odata.nextLink, $expand of singleValueExtendedProperties), /events/{id} (get, patch, delete),
 * /events/{id}/instances over a required window (occurrences by the series' pattern, patched ones as type "exception",
 * deleted ones gone), /contacts, /contactFolders/{id}/contacts and /contacts/{id}/photo/$value. Times are answered in
 * the zone they were written in (as with a Prefer: outlook.timezone header naming it), or in UTC with `answerInUtc`.
 */
export class GraphCalendarState {
  readonly #calendars = new Map<string, Folder[]>();
  readonly #contacts = new Map<string, Folder[]>();
  readonly #photos = new Map<string, Buffer>();
  readonly #base: () => string;
  /** Answer event times in UTC, as Graph does without a Prefer: outlook.timezone header (default: in the zone written). */
  answerInUtc = false;
  #changes = 1;
  #rounds = 1;

  constructor(base: () => string) {
    this.#base = base;
  }

  /** The mailbox's calendars (the default "Calendar" first). */
  calendars(user: string): Folder[] {
    return this.#folders(this.#calendars, user, 'Calendar');
  }

  /** The mailbox's contact folders (the default "Contacts" first). */
  contactFolders(user: string): Folder[] {
    return this.#folders(this.#contacts, user, 'Contacts');
  }

  /** A series' cancelled occurrence starts (UTC) and changed occurrences, by master id. */
  series(user: string, masterId: string): Series | undefined {
    return this.calendars(user).map((f) => f.series.get(masterId)).find(Boolean);
  }

  /** A contact's photo bytes. */
  photo(id: string): Buffer | undefined {
    return this.#photos.get(id);
  }

  handle(method: string, user: string, rest: readonly string[], query: URLSearchParams, body: Record<string, unknown>, raw: Buffer): FakeReply {
    const [what, key, sub, subKey] = rest;
    const expand = /singleValueExtendedProperties/.test(query.get('$expand') ?? '');
    if (what === 'calendars' && key === undefined) {
      if (method === 'POST') {
        if (!body['name']) return graphError(400, 'ErrorInvalidRequest', 'Calendar name is required.');
        if (this.calendars(user).some((c) => c.name === body['name'])) return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
        const folder: Folder = { id: newId(), name: String(body['name']), items: new Map(), series: new Map(), changedAt: 0 };
        this.calendars(user).push(folder);
        return json(201, { id: folder.id, name: folder.name, hexColor: '' });
      }
      return this.#page(this.calendars(user).map((c) => ({ id: c.id, name: c.name, hexColor: '', isDefaultCalendar: c === this.calendars(user)[0] })), query, `users/${user}/calendars`);
    }
    if (what === 'contactFolders' && key === undefined) {
      if (method === 'POST') {
        const folder: Folder = { id: newId(), name: String(body['displayName'] ?? ''), items: new Map(), series: new Map(), changedAt: 0 };
        this.contactFolders(user).push(folder);
        return json(201, { id: folder.id, displayName: folder.name });
      }
      return this.#page(this.contactFolders(user).slice(1).map((f) => ({ id: f.id, displayName: f.name })), query, `users/${user}/contactFolders`);
    }
    if (subKey === 'delta' && ((what === 'calendars' && sub === 'calendarView') || (what === 'contactFolders' && sub === 'contacts'))) {
      const deltaFolder = (what === 'calendars' ? this.calendars(user) : this.contactFolders(user)).find((f) => f.id === key);
      return deltaFolder ? this.#delta(deltaFolder, query, `users/${user}/${rest.join('/')}`, expand) : graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    const folder =
      what === 'calendars' && sub === 'events' ? this.calendars(user).find((c) => c.id === key)
      : what === 'contactFolders' && sub === 'contacts' ? this.contactFolders(user).find((c) => c.id === key)
      : what === 'contacts' && key === undefined ? this.contactFolders(user)[0]
      : undefined;
    if (folder && subKey === undefined && (key === undefined || sub !== undefined)) {
      if (method === 'POST') {
        const item: Item = { ...body, id: newId(), changeKey: String(this.#changes++), lastModifiedDateTime: new Date().toISOString(), ...(what === 'calendars' ? this.#eventDefaults(user, body) : {}) };
        folder.items.set(item.id, item);
        folder.changedAt = this.#changes++;
        if (item['recurrence']) folder.series.set(item.id, { master: item, cancelled: new Set(), changed: new Map() });
        return json(201, this.#view(item, true));
      }
      return this.#page([...folder.items.values()].map((i) => this.#view(i, expand)), query, rest.join('/'));
    }
    if (what === 'contacts' && key && sub === 'photo') {
      if (method === 'PUT') {
        this.#photos.set(key, raw);
        return { status: 200 };
      }
      const bytes = this.#photos.get(key);
      return bytes ? { status: 200, body: bytes, headers: { 'content-type': 'image/jpeg' } } : graphError(404, 'ErrorItemNotFound', 'The photo wasn\'t found.');
    }
    if ((what === 'events' || what === 'contacts') && key) return this.#item(method, what === 'events' ? this.calendars(user) : this.contactFolders(user), key, sub, query, body);
    return graphError(400, 'BadRequest', `Unsupported resource ${rest.join('/')}`);
  }

  #item(method: string, folders: Folder[], id: string, sub: string | undefined, query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    for (const folder of folders) {
      const item = folder.items.get(id);
      if (item) {
        if (sub === 'instances') return this.#instances(folder.series.get(id), query);
        if (method === 'GET') return json(200, this.#view(item, true));
        folder.changedAt = this.#changes++;
        if (method === 'DELETE') {
          folder.items.delete(id);
          folder.series.delete(id);
          return { status: 204 };
        }
        Object.assign(item, body, { changeKey: String(this.#changes++), lastModifiedDateTime: new Date().toISOString() });
        if (item['recurrence']) folder.series.set(id, { master: item, cancelled: new Set(), changed: new Map() });
        return json(200, this.#view(item, true));
      }
      for (const series of folder.series.values()) {
        const at = /_occ_(.+)$/.exec(id)?.[1];
        if (!at || !id.startsWith(series.master.id)) continue;
        folder.changedAt = this.#changes++;
        if (method === 'DELETE') {
          series.cancelled.add(at);
          series.changed.delete(at);
          return { status: 204 };
        }
        if (method === 'PATCH') {
          const base = series.changed.get(at) ?? this.#occurrence(series, at, 'exception');
          const changed = { ...base, ...body, id, type: 'exception', changeKey: String(this.#changes++), lastModifiedDateTime: new Date().toISOString() };
          series.changed.set(at, changed);
          return json(200, this.#view(changed, true));
        }
      }
    }
    return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  }

  #instances(series: Series | undefined, query: URLSearchParams): FakeReply {
    const from = Date.parse(query.get('startDateTime') ?? '');
    const to = Date.parse(query.get('endDateTime') ?? '');
    if (Number.isNaN(from) || Number.isNaN(to)) return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
    if (!series) return json(200, { value: [] });
    const m = series.master;
    const start = (m['start'] as { dateTime: string; timeZone: string });
    const allDay = m['isAllDay'] === true;
    const rec = m['recurrence'] as { pattern: Record<string, unknown>; range: Record<string, unknown> };
    const rule = ICAL.Recur.fromData({
      freq: ({ daily: 'DAILY', weekly: 'WEEKLY', absoluteMonthly: 'MONTHLY', relativeMonthly: 'MONTHLY', absoluteYearly: 'YEARLY', relativeYearly: 'YEARLY' } as Record<string, string>)[String(rec.pattern['type'])] as 'DAILY',
      interval: Number(rec.pattern['interval'] ?? 1),
      ...(rec.range['type'] === 'numbered' ? { count: Number(rec.range['numberOfOccurrences']) } : {}),
      ...(rec.range['type'] === 'endDate' ? { until: ICAL.Time.fromDateString(String(rec.range['endDate'])) } : {}),
      ...(rec.pattern['type'] === 'weekly' ? { byday: (rec.pattern['daysOfWeek'] as string[]).map((d) => DAY_CODES[d]!) } : {}),
      ...(String(rec.pattern['type']).startsWith('absolute') ? { bymonthday: [Number(rec.pattern['dayOfMonth'])] } : {}),
    });
    const first = allDay ? ICAL.Time.fromDateString(start.dateTime.slice(0, 10)) : ICAL.Time.fromDateTimeString(start.dateTime.slice(0, 19));
    const it = rule.iterator(first);
    const out: Record<string, unknown>[] = [];
    for (let next = it.next(); next && out.length < 2000; next = it.next()) {
      const wall = allDay ? `${next.toString()}T00:00:00` : next.toString().slice(0, 19);
      const utc = allDay || start.timeZone === 'UTC' ? Date.parse(`${wall}Z`) : wallToUtc(wall, start.timeZone);
      if (utc > to) break;
      const at = new Date(utc).toISOString();
      if (utc < from || series.cancelled.has(at)) continue;
      out.push(this.#view(series.changed.get(at) ?? this.#occurrence(series, at, 'occurrence', wall), true));
    }
    return json(200, { value: out });
  }

  // calendarView/delta and contacts/delta: a round's pages end in an @odata.deltaLink; a later call with its token lists what
  // changed since. (Coarse: any change in the folder lists the folder's items again; the round's shape is Graph's.)
  #delta(folder: Folder, query: URLSearchParams, path: string, expand: boolean): FakeReply {
    const token = query.get('$deltatoken');
    if (token === null && path.includes('calendarView') && (!query.get('startDateTime') || !query.get('endDateTime'))) {
      return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
    }
    if (token !== null && !/^\d+-\d+$/.test(token)) return graphError(410, 'SyncStateNotFound', 'The sync state generation is not valid.');
    // Each round's token is new (as Graph's are), and names the change it was cut at.
    const since = token === null ? -1 : Number.parseInt(token, 10);
    const items = folder.changedAt > since ? [...folder.items.values()].map((i) => this.#view(i, expand)) : [];
    const top = 50;
    const skip = Number(query.get('$skiptoken') ?? 0);
    const link = (params: Record<string, string>): string => `${this.#base()}/v1.0/${path}?${new URLSearchParams(params)}`;
    const more = skip + top < items.length;
    return json(200, { value: items.slice(skip, skip + top), ...(more ? { '@odata.nextLink': link({ ...(token !== null ? { $deltatoken: token } : {}), $skiptoken: String(skip + top) }) } : { '@odata.deltaLink': link({ $deltatoken: `${this.#changes - 1}-${this.#rounds++}` }) }) });
  }

  #occurrence(series: Series, at: string, type: string, wall?: string): Item {
    const m = series.master;
    const start = m['start'] as { dateTime: string; timeZone: string };
    const end = m['end'] as { dateTime: string; timeZone: string };
    const shift = wall ? Date.parse(`${wall}Z`) - Date.parse(`${start.dateTime.slice(0, 19)}Z`) : 0;
    const move = (t: { dateTime: string; timeZone: string }) => ({ ...t, dateTime: `${new Date(Date.parse(`${t.dateTime.slice(0, 19)}Z`) + shift).toISOString().slice(0, 19)}.0000000` });
    const { recurrence: _r, singleValueExtendedProperties: _x, ...fields } = m;
    return { ...fields, id: `${m.id}_occ_${at}`, type, seriesMasterId: m.id, originalStart: at, start: move(start), end: move(end), changeKey: m.changeKey };
  }

  // Graph answers event times in UTC unless a Prefer: outlook.timezone header names a zone; the event keeps originalStartTimeZone.
  #view(item: Record<string, unknown>, expand: boolean): Record<string, unknown> {
    const { singleValueExtendedProperties, ...rest } = item;
    const out = expand && singleValueExtendedProperties ? { ...rest, singleValueExtendedProperties } : rest;
    if (!this.answerInUtc || out['isAllDay'] === true || !out['start']) return out;
    const utc = (t: { dateTime: string; timeZone: string }) => (t.timeZone === 'UTC' ? t : { dateTime: `${new Date(wallToUtc(t.dateTime.slice(0, 19), t.timeZone)).toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' });
    return { ...out, start: utc(out['start'] as { dateTime: string; timeZone: string }), end: utc(out['end'] as { dateTime: string; timeZone: string }) };
  }

  #eventDefaults(user: string, body: Record<string, unknown>): Record<string, unknown> {
    return {
      type: body['recurrence'] ? 'seriesMaster' : 'singleInstance',
      iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(16).toString('hex').toUpperCase()}`,
      // Graph makes the mailbox owner the organizer of what it creates there.
      organizer: { emailAddress: { address: user } },
      originalStartTimeZone: (body['start'] as { timeZone?: string } | undefined)?.timeZone ?? 'UTC',
    };
  }

  #page(all: Record<string, unknown>[], query: URLSearchParams, path: string): FakeReply {
    const top = Math.min(Number(query.get('$top') ?? 10), 1000);
    const skip = Number(query.get('$skip') ?? 0);
    const next = new URLSearchParams(query);
    next.set('$skip', String(skip + top));
    next.set('$top', String(top));
    return json(200, { value: all.slice(skip, skip + top), ...(skip + top < all.length ? { '@odata.nextLink': `${this.#base()}/v1.0/${path}?${next}` } : {}) });
  }

  #folders(map: Map<string, Folder[]>, user: string, name: string): Folder[] {
    let found = map.get(user);
    if (!found) {
      found = [{ id: newId(), name, items: new Map(), series: new Map(), changedAt: 0 }];
      map.set(user, found);
    }
    return found;
  }
}
