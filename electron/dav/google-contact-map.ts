import ICAL from 'ical.js';
import { addCategoriesAndPhoto, withoutEmpty } from './vcard-fields.ts';


/** The People API person fields Mailroom writes and reads. */
export interface GooglePerson {
  resourceName?: string;
  etag?: string;
  names?: { givenName?: string; familyName?: string; middleName?: string; honorificPrefix?: string; honorificSuffix?: string; unstructuredName?: string }[];
  nicknames?: { value: string }[];
  emailAddresses?: { value: string; type?: string }[];
  phoneNumbers?: { value: string; type?: string }[];
  addresses?: { poBox?: string; extendedAddress?: string; streetAddress?: string; city?: string; region?: string; postalCode?: string; country?: string; type?: string }[];
  organizations?: { name?: string; department?: string; title?: string }[];
  biographies?: { value: string; contentType?: string }[];
  urls?: { value: string; type?: string }[];
  birthdays?: { date: { year?: number; month: number; day: number } }[];
  memberships?: { contactGroupMembership: { contactGroupResourceName: string } }[];
  clientData?: { key: string; value: string }[];
  photos?: { url: string; default?: boolean }[];
}

/** Fields written on create and update (updatePersonFields). */
export const PERSON_FIELDS = 'names,nicknames,emailAddresses,phoneNumbers,addresses,organizations,biographies,urls,birthdays,memberships,clientData';

/** The clientData key holding the source card's UID: People has no UID field of its own. */
export const UID_KEY = 'mailroom-uid';

/** What Google Contacts cannot hold, by property. */
export const GOOGLE_CONTACT_RULES: Readonly<Record<string, string>> = {
  VERSION: 'Google Contacts is read back as vCard 3.0',
  EMAIL: 'Google keeps one type per address (home, work, other); INTERNET and PREF are dropped',
  TEL: 'Google keeps one type per number (mobile, home, work, other); PREF, VOICE and the rest are dropped',
  ADR: 'Google keeps one type per address (home, work, other)',
  CATEGORIES: 'categories become contact groups (contactGroups) the contact is a member of',
  PHOTO: 'the photo is uploaded with updateContactPhoto and read back as PNG/JPEG bytes',
  KIND: 'People has no group cards: KIND:group becomes a contact group (contactGroups) named by FN, read back as vCard 3.0 X-ADDRESSBOOKSERVER-KIND:group',
  MEMBER: 'MEMBER becomes the member contact\'s membership in the group, read back as X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:UID',
  'X-ADDRESSBOOKSERVER-KIND': 'a group card becomes a contact group (contactGroups) named by FN',
  'X-ADDRESSBOOKSERVER-MEMBER': 'MEMBER becomes the member contact\'s membership in the group, read back as X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:UID',
};


/** The vCard 3.0 group card of a contact group. */
export function fromGoogleGroup(uid: string, name: string, members: readonly string[]): string {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '3.0');
  card.addPropertyWithValue('uid', uid);
  card.addPropertyWithValue('fn', name);
  card.addPropertyWithValue('x-addressbookserver-kind', 'group');
  for (const m of [...members].sort()) card.addPropertyWithValue('x-addressbookserver-member', m);
  return card.toString();
}

// vCard TYPE values and People's type names, both ways (RFC 2426 3.3.1 / People API PhoneNumber.type).
const PHONE_TYPES: Record<string, string> = { CELL: 'mobile', HOME: 'home', WORK: 'work', FAX: 'workFax', PAGER: 'pager' };
const LABELS: Record<string, string> = { HOME: 'home', WORK: 'work' };
const invert = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));

/** The person for a vCard, and its categories (group names) and photo bytes, which People sets through other calls. */
export function toGooglePerson(text: string): { person: GooglePerson; uid: string; groups: string[]; photo: Buffer | null } {
  const card = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const all = (name: string): ICAL.Property[] => card.getAllProperties(name);
  const one = (name: string): string | undefined => {
    const v = card.getFirstPropertyValue(name);
    return v === null ? undefined : String(v);
  };
  const type = (p: ICAL.Property, map: Record<string, string>): string => {
    const types = p.getParameter('type');
    const list = (Array.isArray(types) ? types : [types]).map((t) => String(t ?? '').toUpperCase());
    return list.map((t) => map[t]).find(Boolean) ?? 'other';
  };
  const n = (card.getFirstPropertyValue('n') as string[] | string | null) ?? [];
  const [family, given, middle, prefix, suffix] = (Array.isArray(n) ? n : String(n).split(';')).map((x) => (Array.isArray(x) ? x.join(',') : String(x ?? '')));
  const name = withoutEmpty({ familyName: family, givenName: given, middleName: middle, honorificPrefix: prefix, honorificSuffix: suffix, unstructuredName: one('fn') });
  const orgValue = card.getFirstPropertyValue('org') as string[] | string | null;
  const [orgName, department] = Array.isArray(orgValue) ? orgValue : orgValue === null ? [] : String(orgValue).split(';');
  const organization = withoutEmpty({ name: orgName, department, title: one('title') });
  const bday = one('bday');
  const photo = card.getFirstProperty('photo');
  const uid = one('uid') ?? '';
  const person: GooglePerson = {
    names: [name],
    ...(all('nickname').length ? { nicknames: all('nickname').map((p) => ({ value: String(p.getFirstValue()) })) } : {}),
    emailAddresses: all('email').map((p) => ({ value: String(p.getFirstValue()), type: type(p, LABELS) })),
    phoneNumbers: all('tel').map((p) => ({ value: String(p.getFirstValue()), type: type(p, PHONE_TYPES) })),
    addresses: all('adr').map((p) => {
      const v = p.getFirstValue() as string[] | string;
      const [poBox, extendedAddress, streetAddress, city, region, postalCode, country] = Array.isArray(v) ? v.map(String) : String(v).split(';');
      return { ...withoutEmpty({ poBox, extendedAddress, streetAddress, city, region, postalCode, country }), type: type(p, LABELS) };
    }),
    ...(Object.keys(organization).length ? { organizations: [organization] } : {}),
    ...(one('note') !== undefined ? { biographies: [{ value: one('note')!, contentType: 'TEXT_PLAIN' }] } : {}),
    ...(all('url').length ? { urls: all('url').map((p) => ({ value: String(p.getFirstValue()), type: type(p, LABELS) })) } : {}),
    ...(bday && /^\d{4}-?\d{2}-?\d{2}/.test(bday) ? { birthdays: [{ date: { year: Number(bday.slice(0, 4)), month: Number(bday.replace(/-/g, '').slice(4, 6)), day: Number(bday.replace(/-/g, '').slice(6, 8)) } }] } : {}),
    clientData: [{ key: UID_KEY, value: uid }],
  };
  const groups = all('categories').flatMap((p) => p.getValues().map(String)).filter((g) => g !== '');
  return { person, uid, groups: [...new Set(groups)].sort(), photo: photo ? Buffer.from(String(photo.getFirstValue()), 'base64') : null };
}

/** The vCard 3.0 of a person, with its group names as CATEGORIES and its photo bytes, if any. */
export function fromGooglePerson(person: GooglePerson, groups: readonly string[], photo: Buffer | null): string {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '3.0');
  const uid = person.clientData?.find((d) => d.key === UID_KEY)?.value ?? person.resourceName ?? '';
  card.addPropertyWithValue('uid', uid);
  const name = person.names?.[0] ?? {};
  card.addPropertyWithValue('fn', name.unstructuredName ?? [name.givenName, name.familyName].filter(Boolean).join(' '));
  const n = new ICAL.Property('n');
  n.setValue([name.familyName ?? '', name.givenName ?? '', name.middleName ?? '', name.honorificPrefix ?? '', name.honorificSuffix ?? ''] as unknown as string);
  card.addProperty(n);
  for (const nick of person.nicknames ?? []) card.addPropertyWithValue('nickname', nick.value);
  const typed = (name: string, value: string | string[], t: string | undefined, map: Record<string, string>): void => {
    const prop = new ICAL.Property(name);
    prop.setValue(value as string);
    const vcardType = invert(map)[t ?? ''];
    if (vcardType) prop.setParameter('type', vcardType);
    card.addProperty(prop);
  };
  for (const e of person.emailAddresses ?? []) typed('email', e.value, e.type, LABELS);
  for (const t of person.phoneNumbers ?? []) typed('tel', t.value, t.type, PHONE_TYPES);
  for (const a of person.addresses ?? []) typed('adr', [a.poBox ?? '', a.extendedAddress ?? '', a.streetAddress ?? '', a.city ?? '', a.region ?? '', a.postalCode ?? '', a.country ?? ''], a.type, LABELS);
  const org = person.organizations?.[0];
  if (org?.name !== undefined || org?.department !== undefined) {
    const prop = new ICAL.Property('org');
    prop.setValue((org.department !== undefined ? [org.name ?? '', org.department] : [org.name ?? '']) as unknown as string);
    card.addProperty(prop);
  }
  if (org?.title !== undefined) card.addPropertyWithValue('title', org.title);
  if (person.biographies?.[0]) card.addPropertyWithValue('note', person.biographies[0].value);
  for (const u of person.urls ?? []) typed('url', u.value, u.type, LABELS);
  const b = person.birthdays?.[0]?.date;
  if (b?.year) card.addPropertyWithValue('bday', `${b.year}-${String(b.month).padStart(2, '0')}-${String(b.day).padStart(2, '0')}`);
  addCategoriesAndPhoto(card, [...groups].sort(), photo);
  return card.toString();
}
