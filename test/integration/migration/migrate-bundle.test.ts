import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshMigrateBundle } from '../../../electron/cli/migrate-bundle.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { endpointFor, freshUser, servers } from './support.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const CLI = join(REPO, 'dist', 'electron', 'cli', 'main.js');
const BUNDLE = join(REPO, 'dist', 'electron', 'cli', 'migrate-bundle');
// Names, on stderr, each module file of `migrate` the spawned CLI loads: its bundle's chunks or the tsc output.
const WATCH = `data:text/javascript,${encodeURIComponent("import { registerHooks } from 'node:module'; registerHooks({ load(url, context, next) { if (/migrate-bundle\\/|commands\\/migrate\\.js$/.test(url)) process.stderr.write(`loaded ${url}\\n`); return next(url, context); } });")}`;

interface Run { code: number | null; report: { copied: number; skipped: number; failed: number; quiet: boolean }; loaded: string[] }

function migrate(src: { user: string; password: string }, dst: { user: string; password: string }, state: string, cli = CLI, hooks: readonly string[] = []): Run {
  const s = servers();
  const url = (a: { user: string }, port: number): string => `imaps://${encodeURIComponent(a.user)}@localhost:${port}`;
  const out = spawnSync(process.execPath, [...hooks.flatMap((h) => ['--import', h]), '--import', WATCH, cli, 'migrate', '--json', '--source', url(src, s.imap.imapsPort), '--target', url(dst, s.imap.imapsPort), '--ca', s.ca, '--state', state], {
    encoding: 'utf8',
    env: { ...process.env, MAILROOM_SOURCE_PASSWORD: src.password, MAILROOM_TARGET_PASSWORD: dst.password },
  });
  // The report line, then the totals line last.
  const lines = out.stdout.trim().split('\n');
  const report = lines.map((l) => (l.startsWith('{"event":"report"') ? (JSON.parse(l) as { quiet: boolean }) : null)).find(Boolean);
  const totals = JSON.parse(lines.at(-1) || '{}') as Omit<Run['report'], 'quiet'>;
  return { code: out.status, report: { ...totals, quiet: report?.quiet ?? false }, loaded: out.stderr.split('\n').filter((l) => l.startsWith('loaded ')) };
}

describe('migrate from the build bundle (scripts/bundle-migrate.mjs)', () => {
  beforeAll(() => {
    // test/run.sh and `npm run build` write it after tsc -b; written here only when missing or stale.
    if (!freshMigrateBundle(BUNDLE)) execFileSync(process.execPath, [join(REPO, 'scripts', 'bundle-migrate.mjs'), join(REPO, 'dist', 'electron', 'cli')], { stdio: 'ignore' });
  }, 60_000);

  it('copies a mailbox, then answers the re-run from the quiet check, each time from the bundle and never from the tsc output', async () => {
    const src = freshUser('bsrc');
    const dst = freshUser('bdst');
    await seedMailbox(endpointFor(src), loadCorpus(12));
    const state = join(mkdtempSync(join(tmpdir(), 'mailroom-bundle-')), 'state.db');

    const first = migrate(src, dst, state);
    expect([first.code, first.report.copied, first.report.failed, first.report.quiet]).toEqual([0, 12, 0, false]);
    const again = migrate(src, dst, state);
    expect([again.code, again.report.copied, again.report.skipped, again.report.quiet]).toEqual([0, 0, 12, true]);
    for (const run of [first, again]) {
      expect(run.loaded.some((l) => l.endsWith('/migrate-bundle/migrate.js'))).toBe(true);
      expect(run.loaded.filter((l) => l.endsWith('/commands/migrate.js'))).toEqual([]);
    }
  }, 60_000);
});

/** A copy of the build (times kept, as `cp -a` keeps them: the bundle stays current) beside the repository's node_modules; its main.js. */
function copiedBuild(): { root: string; cli: string } {
  const root = mkdtempSync(join(tmpdir(), 'mailroom-bundle-dist-'));
  execFileSync('cp', ['-a', join(REPO, 'dist'), join(root, 'dist')]);
  copyFileSync(join(REPO, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return { root, cli: join(root, 'dist', 'electron', 'cli', 'main.js') };
}

const usedFiles = (run: Run): boolean => run.loaded.some((l) => l.endsWith('/commands/migrate.js')) && !run.loaded.some((l) => l.includes('/migrate-bundle/'));

describe('migrate when the bundle cannot be used as it stands', () => {
  it('loads the tsc output when tsc -b has rebuilt since the bundle was written, or a chunk is missing', async () => {
    const src = freshUser('bssrc');
    await seedMailbox(endpointFor(src), loadCorpus(5));
    const stale = copiedBuild();
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(stale.root, 'dist', 'electron', 'tsconfig.tsbuildinfo'), later, later);
    const missing = copiedBuild();
    const bundle = join(missing.root, 'dist', 'electron', 'cli', 'migrate-bundle');
    rmSync(join(bundle, readdirSync(bundle).find((f) => f.startsWith('migrate-engine-'))!));
    for (const build of [stale, missing]) {
      const run = migrate(src, freshUser('bsdst'), join(build.root, 'state.db'), build.cli);
      expect([run.code, run.report.copied, run.report.failed, usedFiles(run)]).toEqual([0, 5, 0, true]);
      rmSync(build.root, { recursive: true, force: true });
    }
  }, 60_000);

  it('finishes a run that started from the bundle when a rebuild replaces it before the run has loaded all its chunks', async () => {
    const src = freshUser('brsrc');
    await seedMailbox(endpointFor(src), loadCorpus(5));
    const build = copiedBuild();
    const dist = join(build.root, 'dist');
    // As the engine's chunk is about to load: a changed module, tsc's build info rewritten, and the bundle written again.
    const rebuild = `data:text/javascript,${encodeURIComponent(`import { registerHooks } from 'node:module'; import { execFileSync } from 'node:child_process'; import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
let done = false;
registerHooks({ load(url, context, next) {
  if (!done && url.includes('/migrate-engine-')) {
    done = true;
    const changed = ${JSON.stringify(join(dist, 'electron', 'migration', 'copy-pass.js'))};
    writeFileSync(changed, readFileSync(changed, 'utf8').replace('X-GM-EXT-1', 'X-GM-EXT-1 '));
    const now = new Date(Date.now() + 5000);
    utimesSync(${JSON.stringify(join(dist, 'electron', 'tsconfig.tsbuildinfo'))}, now, now);
    execFileSync(process.execPath, [${JSON.stringify(join(REPO, 'scripts', 'bundle-migrate.mjs'))}, ${JSON.stringify(join(dist, 'electron', 'cli'))}], { stdio: 'ignore' });
  }
  return next(url, context);
} });`)}`;
    const run = migrate(src, freshUser('brdst'), join(build.root, 'state.db'), build.cli, [rebuild]);
    expect([run.code, run.report.copied, run.report.failed]).toEqual([0, 5, 0]);
    expect(run.loaded.some((l) => l.endsWith('/migrate-bundle/migrate.js'))).toBe(true);
    rmSync(build.root, { recursive: true, force: true });
  }, 60_000);
});
