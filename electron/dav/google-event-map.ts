import ICAL from 'ical.js';
import { addressOf, alarmAt, alarmMinutes, cloudTime, endOf, eventsOf, newCalendar, notAnEvent, setCloudTime, type CloudTime } from './ical-times.ts';
import { addZones } from './tz-rules.ts';

/** The Calendar API v3 event fields Mailroom writes and reads. */
export interface GoogleEvent {
  id?: string;
  etag?: string;
  updated?: string;
  iCalUID: string;
  status?: string;
  summary?: string;
  description?: string;
  location?: string;
  start: CloudTime;
  end: CloudTime;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: CloudTime;
  transparency?: string;
  sequence?: number;
  organizer?: { email: string; displayName?: string };
  attendees?: { email: string; displayName?: string; responseStatus: string; optional?: boolean }[];
  reminders?: { useDefault: boolean; overrides?: { method: string; minutes: number }[] };
}

// Google's four responseStatus values; iCalendar's other PARTSTATs (DELEGATED, COMPLETED, IN-PROCESS) become needsAction.
const TO_RESPONSE: Record<string, string> = { 'NEEDS-ACTION': 'needsAction', DECLINED: 'declined', TENTATIVE: 'tentative', ACCEPTED: 'accepted' };
const FROM_RESPONSE = Object.fromEntries(Object.entries(TO_RESPONSE).map(([k, v]) => [v, k]));
// Calendar API: at most five reminder overrides per event.
const MAX_REMINDERS = 5;

/** What Google Calendar cannot hold, by property, as listed in the per-collection report. */
export const GOOGLE_CALENDAR_RULES: Readonly<Record<string, string>> = {
  VTIMEZONE: 'Google names zones by IANA id: the definition is rebuilt from the IANA rules for the years the event uses',
  DURATION: 'Google keeps start and end: DURATION is written as DTEND',
  ATTENDEE: 'Google keeps address, name, response (needsAction/declined/tentative/accepted) and optional; other parameters (RSVP, ROLE=REQ-PARTICIPANT, CUTYPE) are dropped and DELEGATED/COMPLETED/IN-PROCESS become NEEDS-ACTION',
  ORGANIZER: 'Google keeps the organizer\'s address and name only',
  VALARM: `Google keeps up to ${MAX_REMINDERS} popup or email reminders as minutes before start; alarm texts, other actions and absolute or end-related triggers are dropped`,
  STATUS: 'CONFIRMED is Google\'s default and not written out',
  TRANSP: 'OPAQUE is Google\'s default and not written out',
};

/** The Calendar API events of one iCalendar object: the master (or single event) first, then its exceptions. */
export function toGoogleEvents(text: string): GoogleEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const events = eventsOf(calendar);
  if (events.length === 0) throw notAnEvent(calendar, 'Google Calendar');
  return events.map((event) => {
    const text = (name: string): string | undefined => (event.getFirstPropertyValue(name) as string | null) ?? undefined;
    const start = event.getFirstProperty('dtstart');
    const end = endOf(event);
    const recurrence = ['rrule', 'rdate', 'exdate', 'exrule'].flatMap((n) => event.getAllProperties(n).map((p) => p.toICALString()));
    const reminders = event
      .getAllSubcomponents('valarm')
      .map((a) => ({ method: a.getFirstPropertyValue('action') === 'EMAIL' ? 'email' : a.getFirstPropertyValue('action') === 'DISPLAY' ? 'popup' : '', minutes: alarmMinutes(a) }))
      .filter((r): r is { method: string; minutes: number } => r.method !== '' && r.minutes !== null)
      .slice(0, MAX_REMINDERS);
    const organizer = event.getFirstProperty('organizer');
    const recurrenceId = event.getFirstProperty('recurrence-id');
    return {
      iCalUID: String(event.getFirstPropertyValue('uid')),
      status: (text('status') ?? 'CONFIRMED').toLowerCase(),
      ...(text('summary') !== undefined ? { summary: text('summary')! } : {}),
      ...(text('description') !== undefined ? { description: text('description')! } : {}),
      ...(text('location') !== undefined ? { location: text('location')! } : {}),
      start: start ? cloudTime(start) : {},
      end: end ? cloudTime(end) : {},
      ...(recurrence.length > 0 ? { recurrence } : {}),
      ...(recurrenceId ? { originalStartTime: cloudTime(recurrenceId) } : {}),
      transparency: text('transp') === 'TRANSPARENT' ? 'transparent' : 'opaque',
      sequence: Number(event.getFirstPropertyValue('sequence') ?? 0),
      ...(organizer ? { organizer: person(organizer) } : {}),
      attendees: event.getAllProperties('attendee').map((a) => ({
        ...person(a),
        responseStatus: TO_RESPONSE[String(a.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase()] ?? 'needsAction',
        ...(a.getParameter('role') === 'OPT-PARTICIPANT' ? { optional: true } : {}),
      })),
      reminders: { useDefault: false, overrides: reminders },
    };
  });
}

function person(prop: ICAL.Property): { email: string; displayName?: string } {
  const cn = prop.getParameter('cn');
  return { email: addressOf(prop.getFirstValue()), ...(typeof cn === 'string' ? { displayName: cn } : {}) };
}

/** The iCalendar object of one iCalUID's events (master and exceptions), with VTIMEZONEs from the IANA rules. */
export function fromGoogleEvents(events: readonly GoogleEvent[]): string {
  const calendar = newCalendar();
  const ordered = [...events].sort((a, b) => Number(a.originalStartTime !== undefined) - Number(b.originalStartTime !== undefined) || JSON.stringify(a.originalStartTime).localeCompare(JSON.stringify(b.originalStartTime)));
  for (const e of ordered) {
    if (e.status === 'cancelled' && e.originalStartTime) continue;
    const event = new ICAL.Component('vevent');
    event.addPropertyWithValue('uid', e.iCalUID);
    if (e.updated) event.addPropertyWithValue('dtstamp', ICAL.Time.fromDateTimeString(e.updated.replace(/\.\d+Z$/, 'Z')));
    if (e.originalStartTime) setCloudTime(event, 'recurrence-id', e.originalStartTime);
    setCloudTime(event, 'dtstart', e.start);
    setCloudTime(event, 'dtend', e.end);
    for (const [name, value] of [['summary', e.summary], ['description', e.description], ['location', e.location]] as const) if (value !== undefined) event.addPropertyWithValue(name, value);
    for (const line of e.recurrence ?? []) event.addProperty(ICAL.Property.fromString(line));
    if (e.status && e.status !== 'confirmed') event.addPropertyWithValue('status', e.status.toUpperCase());
    if (e.transparency === 'transparent') event.addPropertyWithValue('transp', 'TRANSPARENT');
    if (e.sequence) event.addPropertyWithValue('sequence', e.sequence);
    if (e.organizer) event.addProperty(address('organizer', e.organizer));
    for (const a of e.attendees ?? []) {
      const prop = address('attendee', a);
      prop.setParameter('partstat', FROM_RESPONSE[a.responseStatus] ?? 'NEEDS-ACTION');
      if (a.optional) prop.setParameter('role', 'OPT-PARTICIPANT');
      event.addProperty(prop);
    }
    for (const r of e.reminders?.overrides ?? []) event.addSubcomponent(alarmAt(r.minutes, r.method === 'email' ? 'EMAIL' : 'DISPLAY', 'Reminder'));
    calendar.addSubcomponent(event);
  }
  addZones(calendar);
  return calendar.toString();
}

function address(name: string, p: { email: string; displayName?: string }): ICAL.Property {
  const prop = new ICAL.Property(name);
  prop.setValue(`mailto:${p.email}`);
  if (p.displayName) prop.setParameter('cn', p.displayName);
  return prop;
}
