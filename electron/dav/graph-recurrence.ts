import ICAL from 'ical.js';

/** Graph's patternedRecurrence. */
export interface GraphRecurrence {
  pattern: { type: string; interval: number; daysOfWeek?: string[]; dayOfMonth?: number; month?: number; index?: string; firstDayOfWeek?: string };
  range: { type: 'endDate' | 'noEnd' | 'numbered'; startDate: string; endDate?: string; numberOfOccurrences?: number; recurrenceTimeZone?: string };
}

const DAYS: Record<string, string> = { SU: 'sunday', MO: 'monday', TU: 'tuesday', WE: 'wednesday', TH: 'thursday', FR: 'friday', SA: 'saturday' };
const BYDAY = Object.fromEntries(Object.entries(DAYS).map(([k, v]) => [v, k]));
const INDEX: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };
const BYINDEX = Object.fromEntries(Object.entries(INDEX).map(([k, v]) => [v, k]));

/** Graph's pattern for an RRULE, or null when Graph has none for it (BYSETPOS, BYHOUR, several BYMONTHDAYs, RDATE…). */
export function toGraphRecurrence(rule: ICAL.Recur, start: ICAL.Time, zone: string | undefined): GraphRecurrence | null {
  const parts = rule.parts as Record<string, (string | number)[] | undefined>;
  const allowed = new Set(['BYDAY', 'BYMONTHDAY', 'BYMONTH']);
  if (Object.keys(parts).some((k) => !allowed.has(k)) || (parts['BYMONTHDAY']?.length ?? 0) > 1 || (parts['BYMONTH']?.length ?? 0) > 1) return null;
  const byday = (parts['BYDAY'] ?? []).map(String);
  const plainDays = byday.filter((d) => /^[A-Z]{2}$/.test(d));
  const numbered = byday.map((d) => /^(-?\d)([A-Z]{2})$/.exec(d)).filter((m): m is RegExpExecArray => m !== null);
  const interval = rule.interval || 1;
  const weekday = Object.keys(DAYS)[start.dayOfWeek() - 1]!;
  let pattern: GraphRecurrence['pattern'];
  switch (rule.freq) {
    case 'DAILY':
      if (byday.length) return null;
      pattern = { type: 'daily', interval };
      break;
    case 'WEEKLY':
      if (numbered.length) return null;
      pattern = { type: 'weekly', interval, daysOfWeek: (plainDays.length ? plainDays : [weekday]).map((d) => DAYS[d]!), firstDayOfWeek: DAYS[rule.wkst ? Object.keys(DAYS)[rule.wkst - 1]! : 'MO'] ?? 'monday' };
      break;
    case 'MONTHLY':
    case 'YEARLY': {
      const yearly = rule.freq === 'YEARLY';
      const month = yearly ? Number(parts['BYMONTH']?.[0] ?? start.month) : undefined;
      if (numbered.length === 1 && plainDays.length === 0 && INDEX[numbered[0]![1]!]) {
        pattern = { type: yearly ? 'relativeYearly' : 'relativeMonthly', interval, daysOfWeek: [DAYS[numbered[0]![2]!]!], index: INDEX[numbered[0]![1]!]!, ...(month ? { month } : {}) };
      } else if (byday.length === 0) pattern = { type: yearly ? 'absoluteYearly' : 'absoluteMonthly', interval, dayOfMonth: Number(parts['BYMONTHDAY']?.[0] ?? start.day), ...(month ? { month } : {}) };
      else return null;
      break;
    }
    default:
      return null;
  }
  const startDate = start.toString().slice(0, 10);
  const tz = zone ? { recurrenceTimeZone: zone } : {};
  if (rule.count) return { pattern, range: { type: 'numbered', startDate, numberOfOccurrences: rule.count, ...tz } };
  if (rule.until) return { pattern, range: { type: 'endDate', startDate, endDate: rule.until.toString().slice(0, 10), ...tz } };
  return { pattern, range: { type: 'noEnd', startDate, ...tz } };
}

/** The RRULE text of a Graph pattern (FREQ, then COUNT or UNTIL, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH). */
export function fromGraphRecurrence(r: GraphRecurrence): string {
  const p = r.pattern;
  const freq = p.type === 'daily' ? 'DAILY' : p.type === 'weekly' ? 'WEEKLY' : p.type.endsWith('Monthly') ? 'MONTHLY' : 'YEARLY';
  const out = [`FREQ=${freq}`];
  if (r.range.type === 'numbered') out.push(`COUNT=${r.range.numberOfOccurrences}`);
  if (r.range.type === 'endDate' && r.range.endDate) out.push(`UNTIL=${r.range.endDate.replace(/-/g, '')}`);
  if (p.interval > 1) out.push(`INTERVAL=${p.interval}`);
  const days = (p.daysOfWeek ?? []).map((d) => BYDAY[d]);
  if (p.type === 'weekly') out.push(`BYDAY=${days.join(',')}`);
  if (p.type.startsWith('relative')) out.push(`BYDAY=${BYINDEX[p.index ?? 'first']}${days[0]}`);
  if (p.type.startsWith('absolute')) out.push(`BYMONTHDAY=${p.dayOfMonth}`);
  if (p.type.endsWith('Yearly')) out.push(`BYMONTH=${p.month}`);
  if (p.type === 'weekly' && p.interval > 1 && p.firstDayOfWeek && p.firstDayOfWeek !== 'monday') out.push(`WKST=${BYDAY[p.firstDayOfWeek]}`);
  return out.join(';');
}

// A series without an end is searched for exceptions in its first five years.
const OPEN_ENDED_YEARS = 5;

/** The wall-clock starts ('YYYY-MM-DDTHH:MM:SS', or 'YYYY-MM-DD' for all-day) of a series' occurrences by its RRULE. */
export function occurrences(rrule: string, start: ICAL.Time): string[] {
  const rule = ICAL.Recur.fromString(rrule);
  const iterator = rule.iterator(start);
  const out: string[] = [];
  const last = start.year + OPEN_ENDED_YEARS;
  for (let next = iterator.next(); next && next.year < last && out.length < 5000; next = iterator.next()) out.push(next.toString().slice(0, 19));
  return out;
}
