import { formatBytes } from './bytes.ts';

/** One field of a before/after pair. */
export interface DiffRow {
  /** The field's path, e.g. "settings.port" or "targets". */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly kind: 'added' | 'removed' | 'changed' | 'same';
}

/** Flattens objects into dotted paths; arrays and primitives are leaves (a list of targets reads as one value). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out.set(prefix, value);
  } else if (value !== null && value !== undefined) {
    out.set('value', value);
  }
}

/** The fields of `before` and `after` side by side, changed ones first, each marked added, removed, changed or the same. */
export function diffValues(before: unknown, after: unknown): DiffRow[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before, '', a);
  flatten(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const rows = paths.map((path): DiffRow => {
    const inBefore = a.has(path) && a.get(path) !== undefined;
    const inAfter = b.has(path) && b.get(path) !== undefined;
    const kind = !inBefore ? 'added' : !inAfter ? 'removed' : JSON.stringify(a.get(path)) === JSON.stringify(b.get(path)) ? 'same' : 'changed';
    return { path, before: a.get(path), after: b.get(path), kind };
  });
  const rank = { changed: 0, added: 1, removed: 2, same: 3 } as const;
  return rows.sort((x, y) => rank[x.kind] - rank[y.kind]);
}

/** A value as a person reads it: sizes in GB/MB for *Bytes fields, lists joined, yes/no, an em dash for nothing. */
export function formatValue(path: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' && /bytes$/i.test(path)) return formatBytes(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
