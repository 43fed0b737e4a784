import { json, type FakeReply } from '../http/fake-http-server.ts';
import { googleError } from './google-directory-state.ts';

type Event = Record<string, unknown> & { id: string; iCalUID: string; seq: number; deleted?: boolean };
interface Calendar { id: string; summary: string; description?: string; timeZone: string; backgroundColor?: string; foregroundColor?: string; events: Map<string, Event> }

/**
 * Calendar API v3 per user: calendarList, calendars.insert, events.list (iCalUID filter, nextPageToken paging,
 * syncToken deltas with nextSyncToken and 410 GONE for a token older than `oldestSyncSeq`), events.import, events.delete.
 */
export class GoogleCalendarState {
  readonly #users = new Map<string, Map<string, Calendar>>();
  /** Largest page served, whatever maxResults asks (the real cap is 2500). */
  pageCap = 2500;
  /** Sync tokens below this change number are answered 410 GONE, as when Google expires them. */
  oldestSyncSeq = 0;
  #seq = 1;
  #ids = 1;

  /** The user's calendars, the primary one (id = the address) created on first use. */
  calendars(user: string): Map<string, Calendar> {
    let found = this.#users.get(user);
    if (!found) {
      found = new Map([[user, { id: user, summary: user, timeZone: 'UTC', events: new Map() }]]);
      this.#users.set(user, found);
    }
    return found;
  }

  /** Every live event of a calendar, as stored. */
  events(user: string, calendarId: string): Event[] {
    return [...(this.calendars(user).get(calendarId)?.events.values() ?? [])].filter((e) => !e.deleted);
  }

  /** Expires every sync token handed out so far. */
  expireSyncTokens(): void {
    // A token handed out after the last change carries the current sequence number: step past it.
    this.oldestSyncSeq = ++this.#seq;
  }

  handle(method: string, user: string, path: string[], query: URLSearchParams, body: Record<string, unknown>): FakeReply {
    const cals = this.calendars(user);
    if (path[0] === 'users' && path[2] === 'calendarList') {
      if (method === 'GET' && path.length === 3) {
        return json(200, { kind: 'calendar#calendarList', items: [...cals.values()].map((c) => ({ kind: 'calendar#calendarListEntry', ...listEntry(c), ...(c.id === user ? { primary: true } : {}) })) });
      }
      const cal = cals.get(path[3] ?? '');
      if (!cal) return googleError(404, 'Not Found', 'notFound');
      if (method === 'PATCH') {
        if ((body['backgroundColor'] || body['foregroundColor']) && query.get('colorRgbFormat') !== 'true') return googleError(400, 'colorRgbFormat is required to set RGB colors', 'invalid');
        if (typeof body['backgroundColor'] === 'string') cal.backgroundColor = body['backgroundColor'];
        if (typeof body['foregroundColor'] === 'string') cal.foregroundColor = body['foregroundColor'];
        return json(200, listEntry(cal));
      }
    }
    if (path[0] === 'calendars' && path.length === 1 && method === 'POST') {
      if (typeof body['summary'] !== 'string' || body['summary'] === '') return googleError(400, 'Missing title.', 'required');
      const cal: Calendar = { id: `c${this.#ids++}@group.calendar.google.com`, summary: body['summary'], timeZone: String(body['timeZone'] ?? 'UTC'), events: new Map(), ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}) };
      cals.set(cal.id, cal);
      return json(200, { kind: 'calendar#calendar', id: cal.id, summary: cal.summary, timeZone: cal.timeZone });
    }
    const cal = path[0] === 'calendars' ? cals.get(path[1] ?? '') : undefined;
    if (!cal || path[2] !== 'events') return googleError(404, 'Not Found', 'notFound');
    if (method === 'GET' && path.length === 3) return this.#list(cal, query);
    if (method === 'POST' && path[3] === 'import') return this.#import(cal, body);
    const event = cal.events.get(path[3] ?? '');
    if (!event || event.deleted) return googleError(event ? 410 : 404, event ? 'Resource has been deleted' : 'Not Found', event ? 'deleted' : 'notFound');
    if (method === 'GET') return json(200, view(event));
    if (method === 'DELETE') {
      Object.assign(event, { deleted: true, status: 'cancelled', seq: this.#seq++ });
      return { status: 204 };
    }
    return googleError(405, 'Method not allowed', 'badRequest');
  }

  #list(cal: Calendar, query: URLSearchParams): FakeReply {
    const syncToken = query.get('syncToken');
    const uid = query.get('iCalUID');
    if (syncToken && uid) return googleError(400, 'iCalUID and syncToken cannot be used together', 'invalid');
    let since = -1;
    if (syncToken) {
      since = Number(syncToken.replace(/^s/, ''));
      if (!Number.isInteger(since) || since < this.oldestSyncSeq) return googleError(410, 'Sync token is no longer valid, a full sync is required.', 'fullSyncRequired');
    }
    const all = [...cal.events.values()]
      .filter((e) => (syncToken ? e.seq >= since : query.get('showDeleted') === 'true' || !e.deleted))
      .filter((e) => !uid || e.iCalUID === uid)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const size = Math.min(Number(query.get('maxResults') ?? 250), 2500, this.pageCap);
    const start = Number(query.get('pageToken') ?? 0);
    const page = all.slice(start, start + size);
    const more = start + size < all.length;
    return json(200, { kind: 'calendar#events', summary: cal.summary, timeZone: cal.timeZone, items: page.map(view), ...(more ? { nextPageToken: String(start + size) } : { nextSyncToken: `s${this.#seq}` }) });
  }

  // events.import keeps the iCalUID; an event with the same iCalUID (and originalStartTime) is replaced, as Google does.
  #import(cal: Calendar, body: Record<string, unknown>): FakeReply {
    const uid = body['iCalUID'];
    if (typeof uid !== 'string' || uid === '') return googleError(400, 'Missing iCalUID.', 'required');
    if (!body['start'] || !body['end']) return googleError(400, 'Missing time.', 'required');
    const original = body['originalStartTime'] as Record<string, string> | undefined;
    const live = [...cal.events.values()].filter((e) => !e.deleted && e.iCalUID === uid);
    const master = live.find((e) => !e['originalStartTime']);
    let id: string;
    if (original) {
      if (!master) return googleError(400, 'The recurring event of this instance was not found.', 'invalid');
      id = `${master.id}_${(original['dateTime'] ?? original['date'] ?? '').replace(/[-:]/g, '').replace(/Z$/, '')}`;
    } else id = master?.id ?? `e${this.#ids++}`;
    const event: Event = {
      ...body, id, iCalUID: uid, seq: this.#seq++, status: String(body['status'] ?? 'confirmed'), updated: new Date().toISOString(),
      ...(original && master ? { recurringEventId: master.id } : {}),
    };
    cal.events.set(id, event);
    return json(200, view(event));
  }
}

function listEntry(c: Calendar): Record<string, unknown> {
  return { id: c.id, summary: c.summary, timeZone: c.timeZone, ...(c.description ? { description: c.description } : {}), ...(c.backgroundColor ? { backgroundColor: c.backgroundColor, foregroundColor: c.foregroundColor } : {}) };
}

function view(e: Event): Record<string, unknown> {
  const { seq, deleted: _deleted, ...rest } = e;
  return { kind: 'calendar#event', etag: `"${seq}"`, ...rest };
}
