import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../../../../electron/cli/cli-context.ts';
import { checkVaultAtStart, passphraseSource, stopOnVaultFailure, takeVaultChoice } from '../../../../electron/cli/vault-choice.ts';
import { VaultUnavailableError, type CredentialVault } from '../../../../electron/platform/credential-vault.ts';
import { FileVault } from '../../../../electron/platform/file-vault.ts';
import { createMemoryLogger } from '../../../../electron/platform/logger.ts';
import { err, ok } from '../../../../shared/errors/result.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';
import { runCliInProcess } from '../../../support/cli-in-process.ts';

const io = (env: Record<string, string> = {}): CliIo & { shown: () => string } => {
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (c) => (shown += String(c)));
  return { stdout: new PassThrough(), stderr, stdin: Readable.from([]), env, shown: () => shown };
};

/** A keychain that answers reads but refuses writes, as a locked Secret Service collection does. */
class ReadOnlyKeychain extends MemoryVault {
  override async set(): Promise<void> {
    throw new VaultUnavailableError('The keyring is locked. Unlock it and try again.');
  }
}

/** A keychain that does not answer at all. */
class DownKeychain implements CredentialVault {
  private fail(): never {
    throw new VaultUnavailableError('No Secret Service answered. Start GNOME Keyring.');
  }
  async set(): Promise<void> {
    this.fail();
  }
  async get(): Promise<string | null> {
    this.fail();
  }
  async delete(): Promise<boolean> {
    this.fail();
  }
  async list(): Promise<string[]> {
    this.fail();
  }
}

describe('takeVaultChoice', () => {
  it('takes the global vault options out of the arguments, in either spelling', () => {
    const args = ['serve', '--vault', 'file', '--port', '1', '--passphrase-env=VP'];
    expect(takeVaultChoice(args, {})).toEqual({ kind: 'file', passphraseEnv: 'VP' });
    expect(args).toEqual(['serve', '--port', '1']);
    const more = ['--vault=file', 'connections', 'test', 'X', '--passphrase-file', '/run/pw'];
    expect(takeVaultChoice(more, {})).toEqual({ kind: 'file', passphraseFile: '/run/pw' });
    expect(more).toEqual(['connections', 'test', 'X']);
  });

  it('defaults to MAILROOM_VAULT, then the keychain; the flag wins over the variable', () => {
    expect(takeVaultChoice(['serve'], {})).toEqual({ kind: 'keychain' });
    expect(takeVaultChoice(['serve'], { MAILROOM_VAULT: 'file' })).toEqual({ kind: 'file' });
    expect(takeVaultChoice(['serve', '--vault', 'keychain'], { MAILROOM_VAULT: 'file' })).toEqual({ kind: 'keychain' });
  });

  it('refuses unknown kinds, missing values, both passphrase sources, and a passphrase for the keychain', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--vault', 'vaultwarden'], {}, /must be keychain or file, not "vaultwarden"/],
      [[], { MAILROOM_VAULT: 'File' }, /must be keychain or file/],
      [['serve', '--vault'], {}, /--vault needs a value/],
      [['--vault', 'file', '--passphrase-file', '--json'], {}, /--passphrase-file needs a value/],
      [['--vault', 'file', '--passphrase-file', 'a', '--passphrase-env', 'B'], {}, /either --passphrase-file or --passphrase-env/],
      [['--passphrase-env', 'B'], {}, /add --vault file/],
    ];
    for (const [args, env, message] of cases) expect(() => takeVaultChoice([...args], env), args.join(' ')).toThrow(message);
    expect(() => takeVaultChoice(['--vault', 'x'], {})).toThrow(UsageError);
  });
});

describe('the vault passphrase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-vc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('comes from the named variable or file', async () => {
    const file = join(dir, 'pp');
    writeFileSync(file, 'from the file\n');
    expect(await passphraseSource({ kind: 'file', passphraseEnv: 'VP' }, 'v.json', io({ VP: 'from env' }))('open')).toBe('from env');
    expect(await passphraseSource({ kind: 'file', passphraseFile: file }, 'v.json', io())('create')).toBe('from the file');
  });

  it('is never read from piped stdin: without a terminal or a named source it is a vault error', async () => {
    await expect(passphraseSource({ kind: 'file' }, '/d/vault.json', io())('open')).rejects.toThrow(
      new VaultUnavailableError('The vault file /d/vault.json needs its passphrase: give --passphrase-file FILE or --passphrase-env VAR, or run on a terminal.'),
    );
  });
});

describe('checkVaultAtStart', () => {
  it('stops a command that needs secrets when the keychain does not answer, and only warns for the served console', async () => {
    await expect(checkVaultAtStart(new DownKeychain(), 'needed', io(), () => createMemoryLogger())).rejects.toThrow(new VaultUnavailableError('No Secret Service answered. Start GNOME Keyring.'));
    const served = io();
    const logger = createMemoryLogger();
    expect(await checkVaultAtStart(new DownKeychain(), 'served', served, () => logger)).toMatchObject({ available: false });
    expect(served.shown()).toBe('warning [vault.unavailable]: No Secret Service answered. Start GNOME Keyring.\n');
    expect(logger.lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 'warn', message: 'vault checked at start', kind: 'keychain', available: false, detail: 'No Secret Service answered. Start GNOME Keyring.' },
    ]);
  });

  it('opens the vault file at start, creating it the first time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-vc-'));
    try {
      const path = join(dir, 'vault.json');
      const first = io();
      const status = await checkVaultAtStart(new FileVault(path, async () => 'a passphrase long enough', { workFactor: 10 }), 'served', first, () => createMemoryLogger());
      expect(status).toMatchObject({ kind: 'file', available: true });
      expect(first.shown()).toBe(`Created the vault file ${path}; keep its passphrase safe.\nSecrets are kept in the vault file ${path}, sealed with its passphrase.\n`);
      const wrong = new FileVault(path, async () => 'another passphrase entirely', { workFactor: 10 });
      await expect(checkVaultAtStart(wrong, 'needed', io(), () => createMemoryLogger())).rejects.toThrow(`The passphrase does not open the vault file ${path}.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vault failures in CLI commands', () => {
  it('turns a vault.unavailable result into the error that ends the run, and passes other results through', async () => {
    await expect(stopOnVaultFailure(Promise.resolve(err('vault.unavailable', 'Unlock it.')))).rejects.toThrow(new VaultUnavailableError('Unlock it.'));
    expect(await stopOnVaultFailure(Promise.resolve(err('notFound', 'gone')))).toEqual(err('notFound', 'gone'));
    expect(await stopOnVaultFailure(Promise.resolve(ok(1)))).toEqual(ok(1));
  });

  it('exits 2 with vault.unavailable and the fix, without a stack, when the keychain refuses the write', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-vc-'));
    try {
      const args = ['connections', 'add', '--name', 'Main', '--host', 'imap.example.com', '--user', 'me', '--password-env', 'PW'];
      const run = await runCliInProcess([...args, '--json'], { dataDir, env: { PW: 'pw-canary' }, vault: new ReadOnlyKeychain() });
      expect(run.code).toBe(2);
      expect(run.json()).toEqual({ error: { code: 'vault.unavailable', message: 'The keyring is locked. Unlock it and try again.', retryable: false } });
      const human = await runCliInProcess(args, { dataDir, env: { PW: 'pw-canary' }, vault: new ReadOnlyKeychain() });
      expect(human.code).toBe(2);
      expect(human.err).toBe('error [vault.unavailable]: The keyring is locked. Unlock it and try again.\n');
      // The start check (a read) stops a keychain that does not answer before the password is even read.
      const down = await runCliInProcess(args, { dataDir, env: {}, vault: new DownKeychain() });
      expect([down.code, down.err]).toEqual([2, 'error [vault.unavailable]: No Secret Service answered. Start GNOME Keyring.\n']);
      const list = await runCliInProcess(['connections', 'list', '--json'], { dataDir, vault: new DownKeychain() });
      expect([list.code, list.json()]).toEqual([0, { connections: [] }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
