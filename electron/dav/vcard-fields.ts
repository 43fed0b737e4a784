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
