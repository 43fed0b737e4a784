import type { Db } from './database.ts';

/**
 * A sort key that orders names the way people count (client2 before client10), case-blind: each run of digits
 * becomes its length (two digits) and the digits without leading zeros, so a shorter number sorts first.
 */
export function naturalKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (run) => {
    const digits = run.replace(/^0+(?=\d)/, '');
    return `${String(digits.length).padStart(2, '0')}${digits}`;
  });
}

/** Registers `natural_key(text)` on a connection, for ORDER BY natural_key(name), name. */
export function registerNaturalKey(db: Db): void {
  db.function('natural_key', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? naturalKey(value) : value));
}
