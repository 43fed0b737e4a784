import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret } from '../../../../electron/cli/password-input.ts';
import { UsageError, type CliIo } from '../../../../electron/cli/cli-context.ts';

const io = (env: Record<string, string> = {}, stdin = ''): CliIo => ({
  stdout: new PassThrough(),
  stderr: new PassThrough(),
  stdin: Readable.from([stdin]),
  env,
});

describe('readSecret', () => {
  it('reads the named environment variable', async () => {
    expect(await readSecret(io({ IMAP_PW: 's3cret' }), { env: 'IMAP_PW', prompt: 'p' })).toBe('s3cret');
  });

  it('fails clearly on an unset variable', async () => {
    await expect(readSecret(io(), { env: 'MISSING', prompt: 'p' })).rejects.toThrow(UsageError);
  });

  it('reads the first line of a file, keeping inner spaces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-pw-'));
    writeFileSync(join(dir, 'pw'), ' pass with spaces \nsecond line\n');
    expect(await readSecret(io(), { file: join(dir, 'pw'), prompt: 'p' })).toBe(' pass with spaces ');
    await expect(readSecret(io(), { file: join(dir, 'none'), prompt: 'p' })).rejects.toThrow(/Cannot read the password file/);
  });

  it('reads piped stdin when there is no terminal', async () => {
    expect(await readSecret(io({}, 'from-pipe\n'), { prompt: 'p' })).toBe('from-pipe');
    await expect(readSecret(io({}, ''), { prompt: 'p' })).rejects.toThrow(/No password given/);
  });
});

describe('readSecret on a terminal', () => {
  it('prompts with echo off and can prompt again on the same stdin (vault passphrase, then a password)', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, raw: [] as boolean[], setRawMode(on: boolean) { this.raw.push(on); } });
    const stderr = new PassThrough();
    let shown = '';
    stderr.on('data', (c) => (shown += String(c)));
    const tty: CliIo = { stdout: new PassThrough(), stderr, stdin, env: {} };
    stdin.write('first pass\r');
    expect(await readSecret(tty, { prompt: 'Vault passphrase' })).toBe('first pass');
    stdin.write('secx\u007fond\r');
    expect(await readSecret(tty, { prompt: 'Password' })).toBe('second');
    expect(stdin.raw).toEqual([true, false, true, false]);
    expect(shown).toBe('Vault passphrase: \nPassword: \n');
    expect(stdin.destroyed).toBe(false);
  });
});
