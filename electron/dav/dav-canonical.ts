import ICAL from 'ical.js';

// jCal/jCard: [name, properties, components]; a property is [name, parameters, type, ...values].
type JProperty = [string, Record<string, unknown>, string, ...unknown[]];
type JComponent = [string, JProperty[], JComponent[]];

// Written by whichever program saved the item last: a server or client may replace it on write.
const VOLATILE = new Set(['prodid']);

/** An item's identity: its UID, or (when it has none) its name in the source collection. */
export interface DavItemKey {
  readonly key: string;
  readonly hasUid: boolean;
}

/** Raised when an item is not parseable iCalendar or vCard. */
export class DavItemParseError extends Error {
  override readonly name = 'DavItemParseError';
}

/** Raised by a side that cannot hold an item at all (tasks on a calendar of events only); the copy lists it by rule. */
export class NotCarriedError extends Error {
  override readonly name = 'NotCarriedError';
  /** The component not carried, e.g. VCALENDAR/VTODO. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Parses iCalendar or vCard text into its components (one, or several vCards in one file). */
export function parseItem(text: string): JComponent[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(text);
  } catch (error) {
    throw new DavItemParseError(`not valid iCalendar or vCard: ${(error as Error).message}`);
  }
  const list = (Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : parsed) as JComponent[];
  if (!Array.isArray(list) || list.length === 0) throw new DavItemParseError('no calendar or card in the item');
  return list;
}

/**
 * The item's content in a form two servers agree on when they hold the same data: folding, line
 * endings, property and parameter order, parameter-name case and the PRODID stamp do not count;
 * every value, parameter and sub-component (exceptions, alarms, time zones) does.
 */
export function canonicalForm(text: string, ignore: ReadonlySet<string> = VOLATILE): string {
  return JSON.stringify(parseItem(text).map((c) => canonicalComponent(c, ignore)).sort());
}

/** The property names (lower case) the canonical form ignores: PRODID, plus the stamps a side sets itself. */
export function ignoring(stamps: readonly string[]): ReadonlySet<string> {
  return new Set([...VOLATILE, ...stamps]);
}

function canonicalComponent([name, properties, components]: JComponent, ignore: ReadonlySet<string>): string {
  const props = properties
    .filter(([prop]) => !ignore.has(prop.toLowerCase()))
    .map(([prop, params, type, ...values]) => JSON.stringify([prop.toLowerCase(), canonicalParams(params), type, values]))
    .sort();
  const children = (components ?? []).map((c) => canonicalComponent(c, ignore)).sort();
  return JSON.stringify([name.toLowerCase(), props, children]);
}

function canonicalParams(params: Record<string, unknown>): [string, unknown][] {
  return Object.entries(params)
    .map(([k, v]): [string, unknown] => [k.toLowerCase(), Array.isArray(v) ? [...(v as unknown[])].map(String).sort() : String(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The UID that names the item (every non-time-zone component of a calendar object shares it), else the fallback. */
export function itemKey(text: string, fallbackName: string): DavItemKey {
  for (const [name, properties, components] of parseItem(text)) {
    const holders = name.toLowerCase() === 'vcalendar' ? (components ?? []).filter(([c]) => c.toLowerCase() !== 'vtimezone') : [[name, properties, components] as JComponent];
    for (const [, props] of holders) {
      const uid = props.find(([p]) => p.toLowerCase() === 'uid');
      if (uid && typeof uid[3] === 'string' && uid[3].trim() !== '') return { key: uid[3], hasUid: true };
    }
  }
  return { key: `name:${fallbackName}`, hasUid: false };
}

/** Names (COMPONENT/PROPERTY) of the properties that differ between two versions of an item, at most `limit`. */
export function differingProperties(a: string, b: string, limit = 5, ignore: ReadonlySet<string> = VOLATILE): string[] {
  const left = flatten(parseItem(a), '', ignore);
  const right = flatten(parseItem(b), '', ignore);
  const names = new Set<string>();
  for (const [line, name] of left) if (!right.has(line)) names.add(name);
  for (const [line, name] of right) if (!left.has(line)) names.add(name);
  return [...names].slice(0, limit);
}

// Every property as one comparable line, mapped to its readable COMPONENT/PROPERTY name.
function flatten(components: JComponent[], path: string, ignore: ReadonlySet<string>): Map<string, string> {
  const lines = new Map<string, string>();
  for (const [name, properties, children] of components) {
    const here = path ? `${path}/${name.toUpperCase()}` : name.toUpperCase();
    for (const [prop, params, type, ...values] of properties) {
      if (ignore.has(prop.toLowerCase())) continue;
      lines.set(`${here}|${JSON.stringify([prop.toLowerCase(), canonicalParams(params), type, values])}`, `${here}/${prop.toUpperCase()}`);
    }
    // A sub-component that exists on one side only is named once, not by each of its properties.
    for (const [line, label] of flatten(children ?? [], here, ignore)) lines.set(line, label.replace(/\/(VTIMEZONE|VALARM)\/.*$/, '/$1'));
  }
  return lines;
}
