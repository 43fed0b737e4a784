import fc from 'fast-check';
import type { z } from 'zod';

/** Strings that have broken parsers, CSV readers, shells, paths and mail systems before. */
export const hostileStrings: readonly string[] = [
  '', ' ', '\t', '\r\n', 'a\r\nBcc: evil@example.com', '\u0000', '\uFEFF', '\u202E', '💥', 'ü@example.com', '*@example.com', '@example.com',
  '"quoted"@example.com', '-bad.example.com', 'bad_domain.example.com', 'xn--', '..', '../../etc/passwd', '/etc/passwd', 'C:\\Windows',
  '=HYPERLINK("http://x","y")', '+1+1', '@SUM(A1)', '-2+3', '%E0%A4%A', '%00', '__proto__', 'constructor', 'toString', '${7*7}', '<script>',
  "'; DROP TABLE mailbox; --", '99999999999999999999TB', 'NaN', '-1', '1e309', 'x'.repeat(70_000),
];

/** Any string, hostile ones weighted in. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1, 65535, 65536, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, Number.NaN, Infinity, -Infinity));

interface Def { type: string; [key: string]: unknown }
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/**
 * Near-valid inputs for a zod schema: the schema's own shape (objects with their keys, tuples with
 * their arity, enum members) filled with hostile leaves, so values reach refinements and transforms
 * instead of failing at the first type check. Mixed with arbitrary values at every level.
 */
export function nearValid(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const inner = (s: unknown): fc.Arbitrary<unknown> => nearValid(s as z.ZodType, depth + 1);
  if (depth > 6) return fc.anything({ maxDepth: 1 });
  let shaped: fc.Arbitrary<unknown>;
  switch (def.type) {
    case 'string': shaped = hostileString; break;
    case 'number': case 'int': shaped = hostileNumber; break;
    case 'bigint': shaped = fc.bigInt(); break;
    case 'boolean': shaped = fc.boolean(); break;
    case 'literal': shaped = fc.constantFrom(...(def['values'] as unknown[])); break;
    case 'enum': shaped = fc.oneof(fc.constantFrom(...Object.values(def['entries'] as Record<string, unknown>)), hostileString); break;
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      shaped = fc.oneof(inner(def['innerType']), fc.constantFrom(undefined, null)); break;
    case 'pipe': shaped = inner(def['in']); break;
    case 'lazy': shaped = inner((def['getter'] as () => unknown)()); break;
    case 'union': shaped = fc.oneof(...(def['options'] as unknown[]).map(inner)); break;
    case 'intersection': shaped = inner(def['left']); break;
    case 'array': shaped = fc.array(inner(def['element']), { maxLength: 4 }); break;
    case 'tuple': shaped = fc.tuple(...(def['items'] as unknown[]).map(inner)); break;
    case 'record': shaped = fc.dictionary(hostileString, inner(def['valueType']), { maxKeys: 3 }); break;
    case 'object': {
      const shape = def['shape'] as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, inner(child)]));
      shaped = fc.record(fields, { requiredKeys: [] });
      break;
    }
    default: shaped = fc.anything({ maxDepth: 2 });
  }
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });
}
