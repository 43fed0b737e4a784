import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GoogleFake } from '../../fakes/google/google-fake.ts';
import { startDelegatedGoogle } from '../../support/google-delegated.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';
import { runCli } from '../../support/run-cli.ts';
import { endpointFor, freshUser, servers, urlFor } from '../migration/support.ts';

const SA = 'pair@project.iam.gserviceaccount.com';
const GUSER = 'dana@example.org';
const VAULT = { MR_VAULT_PASS: 'vault passphrase for the pair test' };
let source: { user: string; password: string };
let target: { user: string; password: string };
let radicale: RadicaleServer;
let google: GoogleFake;
let home: string;

beforeAll(async () => {
  source = freshUser('davpair-src');
  target = freshUser('davpair-dst');
  radicale = await startRadicale([{ user: 'dana', password: source.password }]);
  home = mkdtempSync(join(tmpdir(), 'mr-dav-pair-'));
  await seedMailbox(endpointFor(source), loadCorpus(3));
  await seedCollection(radicale, 'dana', source.password, { kind: 'calendar', name: 'work', displayName: 'Work', components: ['VEVENT'], items: generateEvents(12, 'Europe/Berlin', 'pair').filter((_, i) => i % 10 !== 9) });
  const delegated = await startDelegatedGoogle(SA, [GUSER]);
  google = delegated.google;
  const { base, serviceAccountJson } = delegated;
  writeFileSync(join(home, 'sa.json'), serviceAccountJson, { mode: 0o600 });
  const added = await runCliInProcess(['--vault', 'file', '--passphrase-env', 'MR_VAULT_PASS', 'connections', 'add-google', '--name', 'gw', '--admin', 'admin@example.org', '--key-file', join(home, 'sa.json'), '--root-url', `${base}/`, '--skip-test'], { dataDir: home, env: VAULT });
  expect(added.code, added.err).toBe(0);
}, 180_000);

afterAll(async () => {
  await google?.server.close();
  await radicale?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('mailroom migrate: a pair whose calendars go to Google Workspace', () => {
  const args = (targetDav: string): string[] => [
    '--vault', 'file', '--passphrase-env', 'MR_VAULT_PASS', '--data-dir', home, '--json', 'migrate', '--ca', servers().ca,
    '--source', urlFor(source), '--target', urlFor(target), '--state', join(home, 'state.db'),
    '--source-dav', radicale.url.replace('http://', 'http://dana@'), '--target-dav', targetDav,
  ];
  const env = (): Record<string, string> => ({ ...VAULT, MAILROOM_SOURCE_PASSWORD: source.password, MAILROOM_TARGET_PASSWORD: target.password });

  it('copies the mail over IMAP and then the calendars into the saved connection\'s user, read back from Google', async () => {
    const run = await runCli(args(`google:gw/${GUSER}`), { env: env(), timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').filter((l) => l.includes('"event":"report"')).at(-1)!) as { complete: boolean; collections: { sourceName: string; copied: number }[] };
    expect(report.complete).toBe(true);
    expect(report.collections.find((c) => c.sourceName === 'Work')?.copied).toBe(11);
    const cal = [...google.calendar.calendars(GUSER).values()].find((c) => c.summary === 'Work')!;
    expect(new Set(google.calendar.events(GUSER, cal.id).map((e) => e.iCalUID)).size).toBe(11);
  }, 180_000);

  it('an unknown connection in --target-dav stops before any mail is copied: one line, exit 2', async () => {
    const before = google.server.seen.length;
    const run = await runCli(args(`google:missing/${GUSER}`), { env: env() });
    // With --json the one error line is JSON on stdout.
    expect(run.code).toBe(2);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/no saved connection \\"missing\\"/);
    expect(run.stderr).toBe('');
    expect(google.server.seen.length).toBe(before);
  }, 60_000);
});
