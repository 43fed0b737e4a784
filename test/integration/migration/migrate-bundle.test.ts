import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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

function migrate(src: { user: string; password: string }, dst: { user: string; password: string }, state: string): Run {
  const s = servers();
  const url = (a: { user: string }, port: number): string => `imaps://${encodeURIComponent(a.user)}@localhost:${port}`;
  const out = spawnSync(process.execPath, ['--import', WATCH, CLI, 'migrate', '--json', '--source', url(src, s.imap.imapsPort), '--target', url(dst, s.imap.imapsPort), '--ca', s.ca, '--state', state], {
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
