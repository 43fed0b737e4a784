import { ok, type Result } from '../../../shared/errors/result.ts';

/** Drains an adapter listing into values, failing the test on the first error Result. */
export async function collect<T>(items: AsyncIterable<Result<T>>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    if (!item.ok) throw new Error(`listing failed: ${item.error.code} ${item.error.message}`);
    out.push(item.value);
  }
  return out;
}

/** Unwraps a Result, failing the test with its code when it is an error. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Drains an adapter listing; the first error Result is the answer (for tests of the failures themselves). */
export async function collectResult<T>(items: AsyncIterable<Result<T>>): Promise<Result<T[]>> {
  const out: T[] = [];
  for await (const item of items) {
    if (!item.ok) return item;
    out.push(item.value);
  }
  return ok(out);
}
