import ICAL from 'ical.js';
import { addCategoriesAndPhoto, withoutEmpty } from './vcard-fields.ts';
import { UID_PROPERTY } from './graph-event-map.ts';

type Address = { street?: string; city?: string; state?: string; postalCode?: string; countryOrRegion?: string };

/** The Graph contact fields Mailroom writes and reads. */
export interface GraphContact {
  id?: string;
  changeKey?: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  middleName?: string;
  title?: string;
  generation?: string;
  nickName?: string;
  emailAddresses?: { address: string; name?: string }[];
  mobilePhone?: string | null;
  businessPhones?: string[];
  homePhones?: string[];
  businessAddress?: Address;
  homeAddress?: Address;
  otherAddress?: Address;
  companyName?: string;
  department?: string;
  jobTitle?: string;
  personalNotes?: string;
  businessHomePage?: string;
  birthday?: string;
  categories?: string[];
  singleValueExtendedProperties?: { id: string; value: string }[];
}

// Outlook contacts hold at most three e-mail addresses (Graph contact resource).
const MAX_EMAILS = 3;

/** What a Microsoft 365 contact cannot hold, by property. */
export const GRAPH_CONTACT_RULES: Readonly<Record<string, string>> = {
  VERSION: 'Microsoft 365 contacts are read back as vCard 3.0',
  EMAIL: `Outlook keeps up to ${MAX_EMAILS} addresses without types: TYPE is dropped and further addresses are not kept`,
  TEL: 'Outlook keeps one mobile number and lists of work and home numbers: other types become work numbers, PREF and VOICE are dropped',
  ADR: 'Outlook keeps one work, one home and one other address of street, city, region, postal code and country: PO box and extended address are dropped',
  URL: 'Outlook keeps one web page',
  PHOTO: 'the photo is uploaded to the contact\'s photo and read back as bytes',
};

const typesOf = (p: ICAL.Property): string[] => {
  const t = p.getParameter('type');
  return (Array.isArray(t) ? t : [t]).map((x) => String(x ?? '').toUpperCase());
};

/** The Graph contact for a vCard, and its photo bytes (set through /photo/$value). */
export function toGraphContact(text: string): { contact: GraphContact; uid: string; photo: Buffer | null } {
  const card = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const one = (name: string): string | undefined => {
    const v = card.getFirstPropertyValue(name);
    return v === null ? undefined : Array.isArray(v) ? v.join(';') : String(v);
  };
  const n = card.getFirstPropertyValue('n') as string[] | null;
  const [surname, givenName, middleName, title, generation] = (n ?? []).map((x) => (Array.isArray(x) ? x.join(',') : String(x ?? '')));
  const org = card.getFirstPropertyValue('org') as string[] | string | null;
  const [companyName, department] = Array.isArray(org) ? org : org === null ? [] : [String(org)];
  const tels = card.getAllProperties('tel');
  const mobile = tels.find((p) => typesOf(p).includes('CELL'));
  const adr = (kind: string | null): Address | undefined => {
    const p = card.getAllProperties('adr').find((a) => (kind ? typesOf(a).includes(kind) : !typesOf(a).some((t) => t === 'WORK' || t === 'HOME')));
    if (!p) return undefined;
    const [, , street, city, state, postalCode, countryOrRegion] = (p.getFirstValue() as string[]).map(String);
    return withoutEmpty({ street, city, state, postalCode, countryOrRegion });
  };
  const photo = card.getFirstProperty('photo');
  const uid = one('uid') ?? '';
  const bday = one('bday');
  const contact: GraphContact = withoutEmpty({
    displayName: one('fn'), givenName, surname, middleName, title, generation, nickName: one('nickname'), companyName, department, jobTitle: one('title'), personalNotes: one('note'), businessHomePage: one('url'),
    ...(bday && /^\d{4}-?\d{2}-?\d{2}$/.test(bday) ? { birthday: `${bday.replace(/-/g, '').replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')}T00:00:00Z` } : {}),
  });
  Object.assign(contact, {
    emailAddresses: card.getAllProperties('email').slice(0, MAX_EMAILS).map((p) => ({ address: String(p.getFirstValue()) })),
    mobilePhone: mobile ? String(mobile.getFirstValue()) : null,
    businessPhones: tels.filter((p) => p !== mobile && !typesOf(p).includes('HOME')).map((p) => String(p.getFirstValue())),
    homePhones: tels.filter((p) => p !== mobile && typesOf(p).includes('HOME')).map((p) => String(p.getFirstValue())),
    categories: card.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
    singleValueExtendedProperties: [{ id: UID_PROPERTY, value: uid }],
    ...addresses({ businessAddress: adr('WORK'), homeAddress: adr('HOME'), otherAddress: adr(null) }),
  });
  return { contact, uid, photo: photo ? Buffer.from(String(photo.getFirstValue()), 'base64') : null };
}

/** The vCard 3.0 of a Graph contact and its photo bytes. */
export function fromGraphContact(c: GraphContact, photo: Buffer | null): string {
  const card = new ICAL.Component('vcard');
  card.addPropertyWithValue('version', '3.0');
  card.addPropertyWithValue('uid', c.singleValueExtendedProperties?.find((p) => p.id === UID_PROPERTY)?.value ?? c.id ?? '');
  card.addPropertyWithValue('fn', c.displayName ?? '');
  const structured = (name: string, values: string[], type?: string): void => {
    const prop = new ICAL.Property(name);
    prop.setValue(values as unknown as string);
    if (type) prop.setParameter('type', type);
    card.addProperty(prop);
  };
  structured('n', [c.surname ?? '', c.givenName ?? '', c.middleName ?? '', c.title ?? '', c.generation ?? '']);
  if (c.nickName) card.addPropertyWithValue('nickname', c.nickName);
  for (const e of c.emailAddresses ?? []) card.addPropertyWithValue('email', e.address);
  const tel = (value: string, type?: string): void => {
    const prop = card.addPropertyWithValue('tel', value);
    if (type) prop.setParameter('type', type);
  };
  if (c.mobilePhone) tel(c.mobilePhone, 'CELL');
  for (const t of c.businessPhones ?? []) tel(t, 'WORK');
  for (const t of c.homePhones ?? []) tel(t, 'HOME');
  for (const [a, type] of [[c.businessAddress, 'WORK'], [c.homeAddress, 'HOME'], [c.otherAddress, undefined]] as const) {
    if (a && Object.values(a).some(Boolean)) structured('adr', ['', '', a.street ?? '', a.city ?? '', a.state ?? '', a.postalCode ?? '', a.countryOrRegion ?? ''], type);
  }
  if (c.companyName !== undefined || c.department !== undefined) structured('org', c.department ? [c.companyName ?? '', c.department] : [c.companyName ?? '']);
  if (c.jobTitle) card.addPropertyWithValue('title', c.jobTitle);
  if (c.personalNotes) card.addPropertyWithValue('note', c.personalNotes);
  if (c.businessHomePage) card.addPropertyWithValue('url', c.businessHomePage);
  if (c.birthday) card.addPropertyWithValue('bday', c.birthday.slice(0, 10));
  addCategoriesAndPhoto(card, c.categories ?? [], photo);
  return card.toString();
}

function addresses(list: Record<string, Address | undefined>): Record<string, Address> {
  return Object.fromEntries(Object.entries(list).filter((e): e is [string, Address] => e[1] !== undefined));
}
