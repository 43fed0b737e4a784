import ICAL from 'ical.js';

type JProperty = [string, Record<string, unknown>, string, ...unknown[]];

/** How each vCard 4 property is written for a vCard-3-only address book (RFC 6350 appendix A, Apple's X- names for groups). */
export const VCARD3_RULES: Readonly<Record<string, string>> = {
  VERSION: 'the address book accepts vCard 3.0 only: the card is written as vCard 3.0',
  KIND: 'KIND:group becomes X-ADDRESSBOOKSERVER-KIND:group (the vCard 3 form Apple and most servers read); KIND:individual, vCard 3\'s only kind, is dropped',
  MEMBER: 'MEMBER becomes X-ADDRESSBOOKSERVER-MEMBER',
  TEL: 'a tel: URI becomes a plain number and PREF becomes TYPE=pref',
  EMAIL: 'PREF becomes TYPE=pref',
  ADR: 'the LABEL parameter becomes a LABEL property; PREF becomes TYPE=pref',
  PHOTO: 'a data: URI becomes inline base64 (ENCODING=b) with its image type',
  LOGO: 'a data: URI becomes inline base64 (ENCODING=b) with its image type',
  BDAY: 'a date without year is written with year 1604 and X-APPLE-OMIT-YEAR=1604',
  ANNIVERSARY: 'vCard 3 has no ANNIVERSARY: written as X-ANNIVERSARY',
  GENDER: 'vCard 3 has no GENDER: written as X-GENDER',
  LANG: 'vCard 3 has no LANG: written as X-LANG',
  RELATED: 'vCard 3 has no RELATED: written as X-RELATED',
  CLIENTPIDMAP: 'vCard 3 has no CLIENTPIDMAP (nor PID parameters): dropped',
  'X-ADDRESSBOOKSERVER-KIND': 'KIND:group becomes X-ADDRESSBOOKSERVER-KIND:group',
  'X-ADDRESSBOOKSERVER-MEMBER': 'MEMBER becomes X-ADDRESSBOOKSERVER-MEMBER',
  'X-ANNIVERSARY': 'vCard 3 has no ANNIVERSARY: written as X-ANNIVERSARY',
  'X-GENDER': 'vCard 3 has no GENDER: written as X-GENDER',
  'X-LANG': 'vCard 3 has no LANG: written as X-LANG',
  'X-RELATED': 'vCard 3 has no RELATED: written as X-RELATED',
  LABEL: 'the LABEL parameter of ADR becomes a LABEL property',
};

const RENAMED: Record<string, string> = { anniversary: 'x-anniversary', gender: 'x-gender', lang: 'x-lang', related: 'x-related', member: 'x-addressbookserver-member' };
const DROPPED = new Set(['clientpidmap', 'xml']);
// Apple's convention for a birthday without a year (vCard 3 dates need one).
const NO_YEAR = '1604';

/** The vCard 3.0 text of a vCard (a 3.0 card comes back unchanged). */
export function toVcard3(text: string): string {
  const parsed = ICAL.parse(text) as unknown[];
  const cards = (typeof parsed[0] === 'string' ? [parsed] : parsed) as [string, JProperty[], unknown[]][];
  return cards.map((card) => (isVersion3(card[1]) ? new ICAL.Component(card).toString() : ICAL.stringify.component(['vcard', card[1].flatMap(convert), []], ICAL.design.vcard3))).join('\r\n') + '\r\n';
}

function isVersion3(props: JProperty[]): boolean {
  return props.some(([name, , , value]) => name === 'version' && value === '3.0');
}

function convert([name, params, type, ...values]: JProperty): JProperty[] {
  if (DROPPED.has(name)) return [];
  const p = withPref(params);
  if (name === 'version') return [['version', {}, 'text', '3.0']];
  if (name === 'kind') return String(values[0]).toLowerCase() === 'group' ? [['x-addressbookserver-kind', {}, 'unknown', 'group']] : [];
  // 'unknown' is ical.js's type for X- properties: written without a VALUE parameter.
  if (RENAMED[name]) return [[RENAMED[name]!, p, 'unknown', ...values.map(String)]];
  if (name === 'tel' && type === 'uri') return [['tel', p, 'phone-number', ...values.map((v) => String(v).replace(/^tel:/i, ''))]];
  if ((name === 'photo' || name === 'logo' || name === 'sound') && type === 'uri') {
    const data = /^data:([a-z]+)\/([a-z0-9.+-]+);base64,(.*)$/is.exec(String(values[0]));
    if (data) return [[name, { ...p, encoding: 'b', type: data[2]!.toUpperCase() }, 'binary', data[3]!]];
  }
  if ((name === 'bday' || name === 'anniversary') && /^--\d{2}-?\d{2}$/.test(String(values[0]))) {
    const md = String(values[0]).replace(/^--/, '').replace('-', '');
    return [[name === 'bday' ? 'bday' : 'x-anniversary', { ...p, 'x-apple-omit-year': NO_YEAR }, 'date', `${NO_YEAR}-${md.slice(0, 2)}-${md.slice(2)}`]];
  }
  if (name === 'adr' && typeof p['label'] === 'string') {
    const { label, ...rest } = p;
    return [['adr', rest, type, ...values], ['label', typeof rest['type'] === 'string' || Array.isArray(rest['type']) ? { type: rest['type'] } : {}, 'text', String(label)]];
  }
  return [[name, p, type === 'date-and-or-time' ? (String(values[0]).includes('T') ? 'date-time' : 'date') : type === 'timestamp' ? 'date-time' : type === 'language-tag' ? 'text' : type, ...values]];
}

// PREF=n is vCard 4's; vCard 3 marks the preferred value with TYPE=pref. ALTID and PID have no vCard 3 form.
function withPref(params: Record<string, unknown>): Record<string, unknown> {
  const { pref, altid: _altid, pid: _pid, ...rest } = params;
  if (pref === undefined) return rest;
  const types = rest['type'] === undefined ? [] : Array.isArray(rest['type']) ? (rest['type'] as unknown[]) : [rest['type']];
  return { ...rest, type: [...types, 'pref'] };
}
