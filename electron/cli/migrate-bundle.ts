import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// scripts/bundle-migrate.mjs writes, after `tsc -b`, `migrate`'s modules as a few chunks and inputs.json: by path relative to
// the chunks, "size:mtimeMs" of each file whose change means the chunks are stale or incomplete (each chunk, and the
// tsconfig.tsbuildinfo that `tsc -b` rewrites whenever it emits into the project the chunks were made from).

/** The bundled `migrate` entry in `dir` when every file inputs.json lists is as it was when the bundle was written; otherwise null. */
export function freshMigrateBundle(dir: string): string | null {
  let inputs: unknown;
  try {
    inputs = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
  } catch {
    return null;
  }
  if (typeof inputs !== 'object' || inputs === null || Object.keys(inputs).length === 0) return null;
  for (const [file, stamp] of Object.entries(inputs)) {
    const stat = statSync(join(dir, file), { throwIfNoEntry: false });
    if (!stat || `${stat.size}:${stat.mtimeMs}` !== stamp) return null;
  }
  return join(dir, 'migrate.js');
}
