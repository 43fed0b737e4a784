import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvents, seedCollection } from '../../support/dav-corpus.ts';
import { startRadicale, storedItems, type RadicaleServer } from '../../support/radicale.ts';

const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));
const alice = { user: 'alice', password: 'alice-pw' };
const bob = { user: 'bob', password: 'bob-pw' };
const EVENTS = 200;
let server: RadicaleServer;
let home: string;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

// `mailroom --json migrate dav …` as its own process; onLine may kill it with SIGKILL.
function migrateDav(extra: string[], passwords: { source: string; target: string }, onLine?: (line: Record<string, unknown>, kill: () => void) => void): Promise<Run> {
  const url = (u: string) => server.url.replace('http://', `http://${u}@`);
  return new Promise((done) => {
    const child = spawn(process.execPath, [entry, '--json', 'migrate', 'dav', '--source', url(alice.user), '--target', url(bob.user), '--state', join(home, 'state.db'), ...extra], {
      env: { ...process.env, MAILROOM_HOME: home, MAILROOM_SOURCE_PASSWORD: passwords.source, MAILROOM_TARGET_PASSWORD: passwords.target },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        onLine?.(line, () => child.kill('SIGKILL'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => done({ code, signal, lines, stderr }));
  });
}

beforeAll(async () => {
  server = await startRadicale([alice, bob]);
  home = mkdtempSync(join(tmpdir(), 'mr-dav-cli-'));
  await seedCollection(server, alice.user, alice.password, { kind: 'calendar', name: 'big', displayName: 'Big', components: ['VEVENT', 'VTODO'], items: generateEvents(EVENTS, 'Europe/Berlin', 'big') });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe('mailroom migrate dav', () => {
  it('killed with SIGKILL mid-copy, resumes and ends with every event exactly once, as Radicale stored it', async () => {
    let killedAt = -1;
    const killed = await migrateDav([], { source: alice.password, target: bob.password }, (line, kill) => {
      if (killedAt < 0 && line['event'] === 'progress' && Number(line['copied']) > 0) {
        killedAt = Number(line['copied']);
        kill();
      }
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(EVENTS);
    expect(storedItems(server, bob.user, 'big').length).toBeLessThan(EVENTS);

    const resumed = await migrateDav([], { source: alice.password, target: bob.password });
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = resumed.lines.at(-1)!;
    expect(report['complete']).toBe(true);
    const target = storedItems(server, bob.user, 'big');
    expect(target.length).toBe(EVENTS);
    const uids = target.map((i) => /^UID:(.*)$/m.exec(i.text)?.[1]);
    expect(new Set(uids).size).toBe(EVENTS);
    expect(target.map((i) => i.text).sort()).toEqual(storedItems(server, alice.user, 'big').map((i) => i.text).sort());

    const again = await migrateDav([], { source: alice.password, target: bob.password });
    expect(again.code).toBe(0);
    expect((again.lines.at(-1)!['collections'] as { copied: number; skippedByChangeTag: boolean }[]).map((c) => [c.copied, c.skippedByChangeTag])).toEqual([[0, true]]);
  }, 240_000);

  it('a wrong password exits 1 with one line naming the account, no stack trace', async () => {
    const refused = await migrateDav([], { source: 'wrong', target: bob.password });
    expect(refused.code).toBe(1);
    expect(refused.lines).toHaveLength(1);
    const error = refused.lines[0]!['error'] as { code: string; message: string };
    expect(error.code).toBe('backend.auth');
    expect(error.message).toMatch(/^alice at http:\/\/127\.0\.0\.1:\d+\/: the server refused the login/);
    expect(refused.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
