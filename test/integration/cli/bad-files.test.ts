import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';

// Files a user can hand `migrate` and `plan` by mistake: each must give one line and exit 2, never a stack.
describe('migrate and plan refuse unusable files in one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bad-files-'));
  const binary = join(dir, 'photo.jpg');
  const short = join(dir, 'pairs.csv');
  const text = join(dir, 'notes.db');
  const folder = join(dir, 'folder');
  writeFileSync(binary, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0x00]), randomBytes(4000)]));
  writeFileSync(short, 'source,target\nimaps://a@127.0.0.1:1\n');
  writeFileSync(text, 'not a database\n');
  mkdirSync(folder);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pair = ['--source', 'imaps://a@127.0.0.1:1', '--target', 'imaps://b@127.0.0.1:1'];

  it.each([
    [['migrate', '--plan', binary], /photo\.jpg is not a CSV of mailbox pairs .*binary/],
    [['migrate', '--plan', short], /pairs\.csv is not a CSV of mailbox pairs .*line 2/],
    [['migrate', ...pair, '--state', folder], /Cannot open .*folder as a Mailroom database: it is a folder/],
    [['migrate', ...pair, '--state', text], /Cannot open .*notes\.db as a Mailroom database: it is not an SQLite database/],
    [['plan', '--pairs', binary, '--target-preset', 'gmail'], /photo\.jpg is not a CSV of mailbox pairs .*binary/],
    [['plan', '--pairs', short, '--target-preset', 'gmail'], /pairs\.csv is not a CSV .*line 2/],
    [['plan', '--show', 'x', '--state', folder], /it is a folder/],
    [['migrate', ...pair, '--include', '('], /--include: Invalid regular expression/],
    [['migrate', ...pair, '--exclude', '['], /--exclude: Invalid regular expression/],
  ])('%j', async (args, message) => {
    const run = await runCli(['--data-dir', join(dir, 'home'), ...args], { env: { MAILROOM_SOURCE_PASSWORD: 'x', MAILROOM_TARGET_PASSWORD: 'y' } });
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('leaves a file it could not open as it was', async () => {
    await runCli(['--data-dir', join(dir, 'home'), 'migrate', ...pair, '--state', text], { env: { MAILROOM_SOURCE_PASSWORD: 'x', MAILROOM_TARGET_PASSWORD: 'y' } });
    expect((await import('node:fs')).readFileSync(text, 'utf8')).toBe('not a database\n');
  });
});
