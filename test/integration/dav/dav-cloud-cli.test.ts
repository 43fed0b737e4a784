import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GoogleFake } from '../../fakes/google/google-fake.ts';
import { startDelegatedGoogle } from '../../support/google-delegated.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, type RadicaleServer } from '../../support/radicale.ts';

const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));
const SA = 'cli@project.iam.gserviceaccount.com';
const alice = { user: 'alice', password: 'alice-pw' };
const USER = 'alice@example.org';
const EVENTS = 150;
// Every tenth corpus item is a task, which Google Calendar does not hold.
const CARRIED = EVENTS - EVENTS / 10;
const VAULT = { MR_VAULT_PASS: 'vault passphrase for the dav cli test' };
let server: RadicaleServer;
let google: GoogleFake;
let home: string;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Record<string, unknown>[];
  stdout: string;
  stderr: string;
}

// `mailroom migrate dav` as its own process, with the saved connection's key in the vault file; onLine may kill it with SIGKILL.
function migrate(args: string[], onLine?: (line: Record<string, unknown>, kill: () => void) => void): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [entry, '--vault', 'file', '--passphrase-env', 'MR_VAULT_PASS', '--data-dir', home, 'migrate', 'dav', '--state', join(home, 'state.db'), ...args], {
      env: { ...process.env, ...VAULT, MAILROOM_SOURCE_PASSWORD: alice.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!text.startsWith('{')) continue;
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        onLine?.(line, () => child.kill('SIGKILL'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => done({ code, signal, lines, stdout, stderr }));
  });
}

beforeAll(async () => {
  server = await startRadicale([alice]);
  home = mkdtempSync(join(tmpdir(), 'mr-dav-cloud-cli-'));
  const delegated = await startDelegatedGoogle(SA, [USER]);
  google = delegated.google;
  const { base, serviceAccountJson } = delegated;
  writeFileSync(join(home, 'sa.json'), serviceAccountJson, { mode: 0o600 });
  const added = await runCliInProcess(['--vault', 'file', '--passphrase-env', 'MR_VAULT_PASS', 'connections', 'add-google', '--name', 'gw', '--admin', 'admin@example.org', '--key-file', join(home, 'sa.json'), '--root-url', `${base}/`, '--skip-test'], { dataDir: home, env: VAULT });
  expect(added.code, added.err).toBe(0);
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'big', displayName: 'Big', components: ['VEVENT', 'VTODO'], items: generateEvents(EVENTS, 'Europe/Berlin', 'big') });
}, 180_000);

afterAll(async () => {
  await google?.server.close();
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('mailroom migrate dav with a Google Workspace side', () => {
  const source = (): string => server.url.replace('http://', `http://${alice.user}@`);

  it('killed with SIGKILL mid-copy into Google, resumes and ends with every event exactly once', async () => {
    let killedAt = -1;
    const killed = await migrate(['--json', '--source', source(), '--target', `google:gw/${USER}`, '--calendars'], (line, kill) => {
      if (killedAt < 0 && line['event'] === 'progress' && Number(line['copied']) > 0) {
        killedAt = Number(line['copied']);
        kill();
      }
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    const calendar = () => [...google.calendar.calendars(USER).values()].find((c) => c.summary === 'Big')!;
    expect(new Set(google.calendar.events(USER, calendar().id).map((e) => e.iCalUID)).size).toBeLessThan(CARRIED);

    const resumed = await migrate(['--json', '--source', source(), '--target', `google:gw/${USER}`, '--calendars']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.lines.at(-1)).toMatchObject({ event: 'report', complete: true });
    const events = google.calendar.events(USER, calendar().id);
    const masters = events.filter((e) => !e['recurringEventId']);
    expect(masters).toHaveLength(CARRIED);
    expect(new Set(masters.map((e) => e.iCalUID)).size).toBe(CARRIED);
    // One moved occurrence per weekly series (every fifth item), never doubled by the resumed writes.
    expect(events.filter((e) => e['recurringEventId'])).toHaveLength(EVENTS / 5);
    expect(google.server.count('/calendar/v3/calendars')).toBeGreaterThan(0);
  }, 180_000);

  it('a re-run copies nothing (both sync tokens unchanged) and its text report still lists each conversion with its rule', async () => {
    const run = await migrate(['--source', source(), '--target', `google:gw/${USER}`, '--calendars']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/converted Big VCALENDAR\/VTODO \(15 items\): Google Calendar holds events only/);
    expect(run.stdout).toMatch(/converted Big VCALENDAR\/VEVENT\/ATTENDEE \(\d+ items\): Google keeps address/);
    expect(run.stdout).toMatch(/\(no change since the last pass\)/);
    expect(run.stdout).toMatch(/Complete: 0 copied, 135 unchanged, 0 failed\./);
  }, 120_000);

  it('a side naming an unknown connection or no user: one line, exit 2, nothing copied', async () => {
    const unknown = await migrate(['--source', source(), '--target', `google:nope/${USER}`]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/no saved connection "nope"/);
    const noUser = await migrate(['--source', source(), '--target', 'm365:gw']);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/names no user/);
    const wrongKind = await migrate(['--source', source(), '--target', `m365:gw/${USER}`]);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toMatch(/"gw" is a google connection, not Microsoft 365/);
  }, 60_000);
});
