import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean; optional?: boolean }> };

// npm 11 warns at every `npm ci` about install scripts that package.json#allowScripts does not cover. A package
// runs one when the lockfile says so, or when it ships a binding.gyp (the registry gives it `node-gyp rebuild`,
// as better-sqlite3 13 has although its own package.json says `gypfile: false`).
const withScripts = Object.entries(lock.packages)
  .filter(([path, entry]) => path !== '' && (entry.hasInstallScript || existsSync(join(path, 'binding.gyp'))))
  .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));

describe('package.json#allowScripts', () => {
  // By name: the lockfile omits registry URLs, and npm can verify a pinned version only against one.
  it('approves every locked package that runs an install script, so `npm ci` runs them without the warning', () => {
    expect(withScripts).toContain('better-sqlite3');
    for (const name of withScripts) expect(pkg.allowScripts?.[name], name).toBe(true);
  });

  it('approves nothing else, and denies nothing', () => {
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual([...new Set(withScripts)].sort());
  });
});
