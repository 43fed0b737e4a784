import ICAL from 'ical.js';
import { fromGraphRecurrence, occurrences, toGraphRecurrence, type GraphRecurrence } from './graph-recurrence.ts';
import { addressOf, alarmAt, alarmMinutes, endOf, eventsOf, newCalendar, notAnEvent } from './ical-times.ts';
import { addZones, isKnownZone, utcToWall } from './tz-rules.ts';

/** The extended property that keeps the source UID: Graph's iCalUId is read-only (PS_PUBLIC_STRINGS, named). */
export const UID_PROPERTY = 'String {00020329-0000-0000-C000-000000000046} Name MailroomUid';

/** A Graph date-time with its zone. */
export interface GraphTime { dateTime: string; timeZone: string }

/** The Graph event fields Mailroom writes and reads. */
export interface GraphEvent {
  id?: string;
  changeKey?: string;
  lastModifiedDateTime?: string;
  iCalUId?: string;
  type?: string;
  seriesMasterId?: string;
  originalStart?: string;
  originalStartTimeZone?: string;
  subject?: string;
  body?: { contentType: string; content: string };
  location?: { displayName: string };
  start: GraphTime;
  end: GraphTime;
  isAllDay: boolean;
  recurrence?: GraphRecurrence | null;
  categories?: string[];
  showAs?: string;
  organizer?: { emailAddress: { address: string; name?: string } };
  attendees?: { emailAddress: { address: string; name?: string }; type: string; status: { response: string } }[];
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

/** A series as Graph holds it: the master (or single event), its cancelled occurrences and its changed ones. */
export interface GraphSeries {
  readonly uid: string;
  readonly master: GraphEvent;
  /** Wall-clock starts of the occurrences to delete (EXDATE). */
  readonly cancelled: string[];
  /** Changed occurrences by the wall-clock start they replace (RECURRENCE-ID). */
  readonly exceptions: { readonly original: string; readonly event: GraphEvent }[];
}

// Graph's attendee responses; iCalendar's DELEGATED, COMPLETED and IN-PROCESS have none and become "none" (NEEDS-ACTION).
const TO_RESPONSE: Record<string, string> = { 'NEEDS-ACTION': 'none', ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'tentativelyAccepted' };
const FROM_RESPONSE: Record<string, string> = { none: 'NEEDS-ACTION', notResponded: 'NEEDS-ACTION', organizer: 'ACCEPTED', accepted: 'ACCEPTED', declined: 'DECLINED', tentativelyAccepted: 'TENTATIVE' };

/** What a Microsoft 365 calendar cannot hold, by property. */
export const GRAPH_CALENDAR_RULES: Readonly<Record<string, string>> = {
  VTIMEZONE: 'Graph names zones by id: the definition is rebuilt from the IANA rules for the years the event uses',
  DURATION: 'Graph keeps start and end: DURATION is written as DTEND',
  ATTENDEE: 'Graph keeps address, name, required/optional and the response (none, accepted, declined, tentativelyAccepted); RSVP, ROLE=REQ-PARTICIPANT, CUTYPE are dropped and DELEGATED/COMPLETED/IN-PROCESS become NEEDS-ACTION',
  ORGANIZER: 'Graph makes the calendar\'s owner the organizer of every event it creates',
  VALARM: 'Graph keeps one reminder (minutes before start, shown as a pop-up): further alarms, alarm texts and email actions are dropped',
  STATUS: 'Graph has no event status field (only showAs): dropped',
  SEQUENCE: 'Graph keeps its own change key, not SEQUENCE: dropped',
  RRULE: 'written as Graph\'s patternedRecurrence; a rule Graph has no pattern for is rejected with the item',
};

/** The Graph series of one iCalendar object; throws NotCarriedError for tasks and journals. */
export function toGraphSeries(text: string, owner: string): GraphSeries {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const events = eventsOf(calendar);
  if (events.length === 0) throw notAnEvent(calendar, 'Microsoft 365 calendars');
  const [first, ...rest] = events;
  const master = graphEvent(first!, owner);
  const start = first!.getFirstPropertyValue('dtstart') as ICAL.Time;
  const zone = first!.getFirstProperty('dtstart')?.getParameter('tzid');
  const rrule = first!.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  if (rrule) {
    const pattern = toGraphRecurrence(rrule, start, typeof zone === 'string' ? zone : undefined);
    if (!pattern) throw new Error(`Graph has no recurrence pattern for RRULE:${rrule.toString()}`);
    master.recurrence = pattern;
  }
  const cancelled = first!.getAllProperties('exdate').flatMap((p) => p.getValues().map((v: ICAL.Time) => v.toString().slice(0, 19)));
  const exceptions = rest.map((e) => ({ original: (e.getFirstPropertyValue('recurrence-id') as ICAL.Time).toString().slice(0, 19), event: graphEvent(e, owner) }));
  return { uid: String(first!.getFirstPropertyValue('uid')), master, cancelled: [...new Set(cancelled)].sort(), exceptions };
}

function graphEvent(event: ICAL.Component, owner: string): GraphEvent {
  const value = (name: string): string | undefined => (event.getFirstPropertyValue(name) as string | null) ?? undefined;
  const start = event.getFirstProperty('dtstart')!;
  const allDay = (start.getFirstValue() as ICAL.Time).isDate;
  const minutes = event.getAllSubcomponents('valarm').map(alarmMinutes).find((m) => m !== null);
  return {
    subject: value('summary') ?? '',
    body: { contentType: 'text', content: value('description') ?? '' },
    location: { displayName: value('location') ?? '' },
    start: graphTime(start),
    end: graphTime(endOf(event)!),
    isAllDay: allDay,
    categories: event.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
    showAs: value('transp') === 'TRANSPARENT' ? 'free' : 'busy',
    organizer: { emailAddress: { address: owner } },
    attendees: event.getAllProperties('attendee').map((a) => {
      const cn = a.getParameter('cn');
      return {
        emailAddress: { address: addressOf(a.getFirstValue()), ...(typeof cn === 'string' ? { name: cn } : {}) },
        type: a.getParameter('role') === 'OPT-PARTICIPANT' ? 'optional' : 'required',
        status: { response: TO_RESPONSE[String(a.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase()] ?? 'none' },
      };
    }),
    isReminderOn: minutes !== undefined,
    ...(minutes !== undefined ? { reminderMinutesBeforeStart: minutes } : {}),
  };
}

function graphTime(prop: ICAL.Property): GraphTime {
  const t = prop.getFirstValue() as ICAL.Time;
  if (t.isDate) return { dateTime: `${t.toString()}T00:00:00.0000000`, timeZone: 'UTC' };
  const tzid = prop.getParameter('tzid');
  return { dateTime: `${t.toString().slice(0, 19)}.0000000`, timeZone: typeof tzid === 'string' ? tzid : 'UTC' };
}

/** The iCalendar object of a Graph master (or single event) and its exception instances; `present` lists the occurrences Graph still has. */
export function fromGraphSeries(series: { uid: string; master: GraphEvent; exceptions: readonly GraphEvent[]; present: readonly string[] | null }): string {
  const calendar = newCalendar();
  const { master } = series;
  const zone = master.isAllDay ? null : zoneOf(master);
  const vevent = icalEvent(series.uid, master);
  if (master.recurrence) {
    const rrule = fromGraphRecurrence(master.recurrence);
    vevent.addProperty(ICAL.Property.fromString(`RRULE:${rrule}`));
    // Graph drops a cancelled occurrence from the series' instances: what the pattern names and Graph lacks is an EXDATE.
    const start = vevent.getFirstPropertyValue('dtstart') as ICAL.Time;
    const present = new Set(series.present ?? []);
    for (const wall of occurrences(rrule, start).filter((w) => !present.has(w))) vevent.addProperty(ICAL.Property.fromString(master.isAllDay ? `EXDATE;VALUE=DATE:${wall.replace(/-/g, '')}` : `EXDATE;TZID=${zone}:${wall.replace(/[-:]/g, '')}`));
  }
  calendar.addSubcomponent(vevent);
  for (const e of [...series.exceptions].sort((a, b) => (String(a.originalStart) < String(b.originalStart) ? -1 : 1))) {
    const exception = icalEvent(series.uid, e);
    const wall = originalWall(e, zone);
    exception.addProperty(ICAL.Property.fromString(master.isAllDay ? `RECURRENCE-ID;VALUE=DATE:${wall.slice(0, 10).replace(/-/g, '')}` : `RECURRENCE-ID;TZID=${zone}:${wall.replace(/[-:]/g, '')}`));
    calendar.addSubcomponent(exception);
  }
  addZones(calendar);
  return calendar.toString();
}

/** The wall-clock start an instance replaces, in the series' zone (Graph gives originalStart in UTC). */
export function originalWall(instance: GraphEvent, zone: string | null): string {
  const utc = Date.parse(instance.originalStart ?? '');
  return zone && zone !== 'UTC' ? utcToWall(utc, zone) : new Date(utc).toISOString().slice(0, 19);
}

/** The IANA zone an event's times are in (real Graph answers in UTC and names the original zone). */
export function zoneOf(e: GraphEvent): string {
  if (e.start.timeZone === 'UTC' && e.originalStartTimeZone && isKnownZone(e.originalStartTimeZone)) return e.originalStartTimeZone;
  return e.start.timeZone;
}

function icalEvent(uid: string, e: GraphEvent): ICAL.Component {
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', uid);
  // DTSTAMP is required in a calendar object (RFC 5545 3.6.1); Graph's last change time is the closest it has.
  if (e.lastModifiedDateTime) vevent.addProperty(ICAL.Property.fromString(`DTSTAMP:${e.lastModifiedDateTime.slice(0, 19).replace(/[-:]/g, '')}Z`));
  const zone = zoneOf(e);
  for (const [name, t] of [['dtstart', e.start], ['dtend', e.end]] as const) {
    const wall = t.timeZone === 'UTC' && zone !== 'UTC' ? utcToWall(Date.parse(`${t.dateTime.slice(0, 19)}Z`), zone) : t.dateTime.slice(0, 19);
    const text = e.isAllDay ? `${name.toUpperCase()};VALUE=DATE:${wall.slice(0, 10).replace(/-/g, '')}` : zone === 'UTC' ? `${name.toUpperCase()}:${wall.replace(/[-:]/g, '')}Z` : `${name.toUpperCase()};TZID=${zone}:${wall.replace(/[-:]/g, '')}`;
    vevent.addProperty(ICAL.Property.fromString(text));
  }
  if (e.subject) vevent.addPropertyWithValue('summary', e.subject);
  if (e.body?.content) vevent.addPropertyWithValue('description', e.body.content);
  if (e.location?.displayName) vevent.addPropertyWithValue('location', e.location.displayName);
  if (e.categories?.length) {
    const prop = new ICAL.Property('categories');
    prop.setValues(e.categories);
    vevent.addProperty(prop);
  }
  if (e.showAs === 'free') vevent.addPropertyWithValue('transp', 'TRANSPARENT');
  if (e.organizer) vevent.addProperty(ICAL.Property.fromString(`ORGANIZER:mailto:${e.organizer.emailAddress.address}`));
  for (const a of e.attendees ?? []) {
    const prop = new ICAL.Property('attendee');
    prop.setValue(`mailto:${a.emailAddress.address}`);
    if (a.emailAddress.name) prop.setParameter('cn', a.emailAddress.name);
    prop.setParameter('partstat', FROM_RESPONSE[a.status.response] ?? 'NEEDS-ACTION');
    if (a.type === 'optional') prop.setParameter('role', 'OPT-PARTICIPANT');
    vevent.addProperty(prop);
  }
  if (e.isReminderOn && e.reminderMinutesBeforeStart !== undefined) vevent.addSubcomponent(alarmAt(e.reminderMinutesBeforeStart, 'DISPLAY', 'Reminder'));
  return vevent;
}
