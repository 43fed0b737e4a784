import ICAL from 'ical.js';

/** Adds CATEGORIES (one property, values as given) and an inline PHOTO (vCard 3 base64, PNG or JPEG by its signature). */
export function addCategoriesAndPhoto(card: ICAL.Component, categories: readonly string[], photo: Buffer | null): void {
  if (categories.length > 0) {
    const prop = new ICAL.Property('categories');
    prop.setValues([...categories]);
    card.addProperty(prop);
  }
  if (photo) {
    const prop = new ICAL.Property('photo');
    prop.setParameter('encoding', 'b');
    prop.setParameter('type', photo.subarray(1, 4).toString('latin1') === 'PNG' ? 'PNG' : 'JPEG');
    prop.setValue(photo.toString('base64'));
    card.addProperty(prop);
  }
}

/** The object without its undefined and empty-string fields. */
export function withoutEmpty<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<Record<keyof T, string>>;
}

/** A group card (vCard 4 KIND:group or vCard 3 X-ADDRESSBOOKSERVER-KIND:group): its UID, name and member UIDs; null for a person. */
export function groupCard(text: string): { uid: string; name: string; members: string[] } | null {
  const card = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const kind = String(card.getFirstPropertyValue('kind') ?? card.getFirstPropertyValue('x-addressbookserver-kind') ?? '').toLowerCase();
  if (kind !== 'group') return null;
  const members = [...card.getAllProperties('member'), ...card.getAllProperties('x-addressbookserver-member')].map((p) => memberRef(String(p.getFirstValue())));
  return { uid: String(card.getFirstPropertyValue('uid') ?? ''), name: String(card.getFirstPropertyValue('fn') ?? ''), members: [...new Set(members)].sort() };
}

/** A member reference as People's group cards are read back: urn:uuid:UID (a UID that is already a URN stays as it is). */
export function memberRef(uid: string): string {
  return /^urn:/i.test(uid) ? uid : `urn:uuid:${uid}`;
}
