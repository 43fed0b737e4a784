import ICAL from 'ical.js';

const DAY = 86_400_000;

/** The zone's UTC offset in minutes at an instant, from the runtime's IANA database. */
export function zoneOffset(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Math.round((Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** True when the runtime knows the IANA zone. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The UTC instant of a wall-clock time ('YYYY-MM-DDTHH:MM:SS') in a zone (the earlier one in a repeated hour). */
export function wallToUtc(wall: string, zone: string): number {
  const [d = '', t = '00:00:00'] = wall.split('T');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map((x) => Number.parseFloat(x));
  const naive = Date.UTC(y!, mo! - 1, da!, h!, mi!, Math.floor(s ?? 0));
  const first = naive - zoneOffset(zone, naive) * 60_000;
  return naive - zoneOffset(zone, first) * 60_000;
}

/** The wall-clock time ('YYYY-MM-DDTHH:MM:SS') of a UTC instant in a zone. */
export function utcToWall(utcMs: number, zone: string): string {
  return new Date(utcMs + zoneOffset(zone, utcMs) * 60_000).toISOString().slice(0, 19);
}

/**
 * A VTIMEZONE for an IANA zone covering the given years, built from the runtime's zone rules: one
 * observance per transition, so every side that writes the same zone and years writes the same text.
 */
export function vtimezoneFor(zone: string, fromYear: number, toYear: number): ICAL.Component {
  const tz = new ICAL.Component('vtimezone');
  tz.addPropertyWithValue('tzid', zone);
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const transitions: { at: number; from: number; to: number }[] = [];
  let before = zoneOffset(zone, start);
  for (let t = start + DAY; t <= end; t += DAY) {
    const now = zoneOffset(zone, t);
    if (now === before) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (zoneOffset(zone, mid) === before) lo = mid;
      else hi = mid;
    }
    transitions.push({ at: hi, from: before, to: now });
    before = now;
  }
  const standardOffset = Math.min(zoneOffset(zone, start), ...transitions.map((x) => x.to));
  const observance = (kind: 'standard' | 'daylight', at: number, from: number, to: number): void => {
    const c = new ICAL.Component(kind);
    c.addPropertyWithValue('dtstart', ICAL.Time.fromData(fields(at + from * 60_000)));
    c.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(from * 60));
    c.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(to * 60));
    tz.addSubcomponent(c);
  };
  if (transitions.length === 0) observance('standard', start, before, before);
  for (const x of transitions) observance(x.to > standardOffset ? 'daylight' : 'standard', x.at, x.from, x.to);
  return tz;
}

function fields(ms: number): { year: number; month: number; day: number; hour: number; minute: number; second: number; isDate: false } {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate: false };
}

/** Adds a VTIMEZONE for each zone the calendar's events use, covering the years their times name. */
export function addZones(calendar: ICAL.Component): void {
  const years = new Map<string, number[]>();
  for (const event of calendar.getAllSubcomponents('vevent')) {
    for (const prop of event.getAllProperties()) {
      const tzid = prop.getParameter('tzid');
      if (typeof tzid !== 'string') continue;
      for (const v of prop.getValues()) if (v instanceof ICAL.Time) years.set(tzid, [...(years.get(tzid) ?? []), v.year]);
    }
  }
  for (const [zone, ys] of [...years].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isKnownZone(zone)) calendar.addSubcomponent(vtimezoneFor(zone, Math.min(...ys), Math.max(...ys)));
  }
}
