// One collator for the whole console: numeric, so client2 sorts before client10, and case- and accent-blind.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Compares two names the way people count: client0, client1, client2 … client10. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A copy of `items` in natural order of `key`. */
export function sortNatural<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((x, y) => naturalCompare(key(x), key(y)));
}
