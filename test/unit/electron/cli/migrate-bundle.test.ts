import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshMigrateBundle } from '../../../../electron/cli/migrate-bundle.ts';

const root = mkdtempSync(join(tmpdir(), 'mailroom-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A dist-like folder: a tsbuildinfo and a migrate-bundle/ whose inputs.json stamps it as it is now. */
function built(name: string): { dir: string; buildInfo: string } {
  const project = join(root, name);
  const dir = join(project, 'cli', 'migrate-bundle');
  mkdirSync(dir, { recursive: true });
  const buildInfo = join(project, 'tsconfig.tsbuildinfo');
  writeFileSync(buildInfo, '{"version":"5"}');
  writeFileSync(join(dir, 'migrate.js'), 'export const migrateCommand = {};\n');
  const stat = statSync(buildInfo);
  writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ '../../tsconfig.tsbuildinfo': `${stat.size}:${stat.mtimeMs}` }));
  return { dir, buildInfo };
}

describe('the migrate bundle is used only while current', () => {
  it('names the bundled entry while every stamped file is as it was when the bundle was written', () => {
    const { dir } = built('current');
    expect(freshMigrateBundle(dir)).toBe(join(dir, 'migrate.js'));
  });

  it('is stale once tsc -b has rewritten the build info (same size, later mtime)', () => {
    const { dir, buildInfo } = built('rebuilt');
    const later = new Date(statSync(buildInfo).mtimeMs + 5_000);
    utimesSync(buildInfo, later, later);
    expect(freshMigrateBundle(dir)).toBeNull();
  });

  it('is stale when a stamped file changed size or is gone', () => {
    const changed = built('resized');
    writeFileSync(changed.buildInfo, '{"version":"5","more":1}');
    expect(freshMigrateBundle(changed.dir)).toBeNull();
    const gone = built('gone');
    rmSync(gone.buildInfo);
    expect(freshMigrateBundle(gone.dir)).toBeNull();
  });

  it('is absent without inputs.json, with one that is not JSON, or with one that stamps nothing', () => {
    const none = join(root, 'none');
    mkdirSync(none);
    expect(freshMigrateBundle(none)).toBeNull();
    const broken = built('broken');
    writeFileSync(join(broken.dir, 'inputs.json'), '{"../../tsconfig.tsbuildinfo":');
    expect(freshMigrateBundle(broken.dir)).toBeNull();
    const empty = built('empty');
    writeFileSync(join(empty.dir, 'inputs.json'), '{}');
    expect(freshMigrateBundle(empty.dir)).toBeNull();
  });
});
