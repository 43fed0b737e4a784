import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..');

/** Builds the CLI as `npm run build` does for it: `tsc -b`, then migrate's bundle (scripts/bundle-migrate.mjs). */
export function buildAsInstalled(): void {
  execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-b'], { cwd: REPO, stdio: 'inherit' });
  execFileSync(process.execPath, [join(REPO, 'scripts/bundle-migrate.mjs')], { cwd: REPO, stdio: 'inherit' });
}
