import ICAL from 'ical.js';
import { NotCarriedError } from './dav-canonical.ts';

/** A time as the cloud APIs write it: a date, or a wall-clock time with its IANA zone, or a UTC instant. */
export interface CloudTime {
  readonly date?: string;
  readonly dateTime?: string;
  readonly timeZone?: string;
}

/** The cloud form of a DTSTART/DTEND/RECURRENCE-ID property. */
export function cloudTime(prop: ICAL.Property): CloudTime {
  const value = prop.getFirstValue() as ICAL.Time;
  const text = value.toString();
  if (value.isDate) return { date: text };
  const tzid = prop.getParameter('tzid');
  if (typeof tzid === 'string') return { dateTime: text.slice(0, 19), timeZone: tzid };
  return value.zone === ICAL.Timezone.utcTimezone ? { dateTime: `${text.slice(0, 19)}Z` } : { dateTime: text.slice(0, 19) };
}

/** Sets a DTSTART/DTEND/RECURRENCE-ID property on an event from its cloud form. */
export function setCloudTime(event: ICAL.Component, name: string, t: CloudTime): void {
  const prop = new ICAL.Property(name);
  if (t.date !== undefined) {
    prop.resetType('date');
    prop.setValue(ICAL.Time.fromDateString(t.date));
  } else {
    const text = t.dateTime ?? '';
    const utc = text.endsWith('Z') || t.timeZone === 'UTC';
    const time = ICAL.Time.fromDateTimeString(text.slice(0, 19));
    if (utc) time.zone = ICAL.Timezone.utcTimezone;
    prop.setValue(time);
    if (!utc && t.timeZone) prop.setParameter('tzid', t.timeZone);
  }
  event.addProperty(prop);
}

/** DTEND, or DTSTART plus DURATION when the event gives a duration instead (RFC 5545 3.6.1). */
export function endOf(event: ICAL.Component): ICAL.Property | null {
  const end = event.getFirstProperty('dtend');
  if (end) return end;
  const start = event.getFirstProperty('dtstart');
  const duration = event.getFirstPropertyValue('duration') as ICAL.Duration | null;
  if (!start) return null;
  const prop = new ICAL.Property('dtend');
  const time = (start.getFirstValue() as ICAL.Time).clone();
  if (duration) time.addDuration(duration);
  else if (time.isDate) time.day += 1;
  prop.setValue(time);
  const tzid = start.getParameter('tzid');
  if (typeof tzid === 'string') prop.setParameter('tzid', tzid);
  return prop;
}

/** The calendar's VEVENTs: the series master (or single event) first, then its exceptions. */
export function eventsOf(calendar: ICAL.Component): ICAL.Component[] {
  return calendar.getAllSubcomponents('vevent').sort((a, b) => Number(a.hasProperty('recurrence-id')) - Number(b.hasProperty('recurrence-id')));
}

/** The minutes before start a relative VALARM trigger names, or null for absolute or end-related triggers. */
export function alarmMinutes(alarm: ICAL.Component): number | null {
  const trigger = alarm.getFirstProperty('trigger');
  if (!trigger || trigger.getParameter('related') === 'END') return null;
  const value = trigger.getFirstValue();
  if (!(value instanceof ICAL.Duration)) return null;
  const seconds = value.toSeconds();
  return seconds <= 0 ? Math.round(-seconds / 60) : null;
}

/** A VALARM firing `minutes` before start. */
export function alarmAt(minutes: number, action: 'DISPLAY' | 'EMAIL', summary: string): ICAL.Component {
  const alarm = new ICAL.Component('valarm');
  alarm.addPropertyWithValue('action', action);
  alarm.addPropertyWithValue('description', summary);
  if (action === 'EMAIL') alarm.addPropertyWithValue('summary', summary);
  alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-minutes * 60));
  return alarm;
}

/** A new VCALENDAR with Mailroom's PRODID. */
export function newCalendar(): ICAL.Component {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Mailroom//calendar copy//EN');
  return calendar;
}

/** Strips "mailto:" from a calendar user address. */
export const addressOf = (value: unknown): string => String(value).replace(/^mailto:/i, '');

/** The error for a calendar object without events (a task or journal) on a side that holds events only. */
export function notAnEvent(calendar: ICAL.Component, side: string): NotCarriedError {
  const kinds = calendar.getAllSubcomponents().filter((c) => c.name !== 'vtimezone').map((c) => c.name.toUpperCase());
  return new NotCarriedError(`VCALENDAR/${kinds[0] ?? 'EMPTY'}`, `${side} holds events only (tasks live in a separate app): not copied`);
}
