import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decrypter, armor } from 'age-encryption';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultUnavailableError } from '../../../../electron/platform/credential-vault.ts';
import { FileVault, vaultFilePath, type PassphraseSource } from '../../../../electron/platform/file-vault.ts';

// The real age library throughout; a low scrypt work factor (recorded in the file) keeps the suite fast.
const WORK_FACTOR = 10;
const PASSPHRASE = 'correct horse battery staple';

describe('FileVault (age, scrypt passphrase)', () => {
  let dir: string;
  let file: string;
  const asked: string[] = [];
  const source =
    (passphrase: string): PassphraseSource =>
    async (purpose) => {
      asked.push(purpose);
      return passphrase;
    };
  const open = (passphrase = PASSPHRASE) => new FileVault(file, source(passphrase), { workFactor: WORK_FACTOR });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-vault-'));
    file = vaultFilePath(join(dir, 'data'));
    asked.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file on first unlock, then stores, replaces, lists and deletes secrets across instances', async () => {
    const vault = open();
    expect(await vault.unlock()).toBe('created');
    expect(asked).toEqual(['create']);
    await vault.set('connection:a', 'first secret ✓');
    await vault.set('connection:b', `${'x'.repeat(3000)}\n"quoted" \\ 🔑`);
    await vault.set('connection:a', 'replaced');

    const again = open();
    expect(await again.unlock()).toBe('opened');
    expect(asked).toEqual(['create', 'open']);
    expect(await again.get('connection:a')).toBe('replaced');
    expect(await again.get('connection:b')).toBe(`${'x'.repeat(3000)}\n"quoted" \\ 🔑`);
    expect(await again.get('missing')).toBeNull();
    expect(await again.get('__proto__')).toBeNull();
    expect(await again.list()).toEqual(['connection:a', 'connection:b']);
    expect(await again.delete('connection:a')).toBe(true);
    expect(await again.delete('connection:a')).toBe(false);
    // The first instance re-reads the file: a second process's change is seen, not overwritten.
    expect(await vault.list()).toEqual(['connection:b']);
    await vault.set('connection:c', 'third');
    expect(await again.list()).toEqual(['connection:b', 'connection:c']);
  });

  it('unlocks on first use when unlock() was not called, asking for the passphrase once', async () => {
    await open().set('k', 'v');
    asked.length = 0;
    const vault = open();
    expect(await vault.get('k')).toBe('v');
    await vault.set('k2', 'v2');
    expect(await vault.list()).toEqual(['k', 'k2']);
    expect(asked).toEqual(['open']);
  });

  it('keeps neither secrets nor account names readable on disk, and the file is an ordinary pair of age files', async () => {
    const vault = open();
    await vault.set('connection:imap-main', 'Sup3r-Secret-Canary');
    const text = readFileSync(file, 'utf8');
    for (const plain of ['Sup3r-Secret-Canary', 'connection:imap-main', Buffer.from('Sup3r-Secret-Canary').toString('base64')]) expect(text).not.toContain(plain);
    // Recoverable with any age implementation: the passphrase opens the key, the key opens the secrets.
    const sealed = JSON.parse(text) as { format: string; key: string; secrets: string };
    expect(sealed.format).toBe('mailroom-vault/1');
    const byPassphrase = new Decrypter();
    byPassphrase.addPassphrase(PASSPHRASE);
    const identity = (await byPassphrase.decrypt(armor.decode(sealed.key), 'text')).trim();
    const byKey = new Decrypter();
    byKey.addIdentity(identity);
    expect(JSON.parse(await byKey.decrypt(armor.decode(sealed.secrets), 'text'))).toEqual({ 'connection:imap-main': 'Sup3r-Secret-Canary' });
  });

  it('refuses a wrong passphrase with one clear message and leaves the file untouched', async () => {
    await open().set('k', 'v');
    const before = readFileSync(file);
    const wrong = open('not the passphrase at all');
    const error = await wrong.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect((error as Error).message).toBe(`The passphrase does not open the vault file ${file}.`);
    await expect(wrong.set('k', 'overwritten')).rejects.toThrow(VaultUnavailableError);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(await open().get('k')).toBe('v');
  });

  it('reports a damaged or foreign file as damaged, never as a wrong passphrase', async () => {
    await open().set('k', 'v');
    const good = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const flip = (armored: string): string => {
      const lines = armored.split('\n');
      const body = lines[2]!;
      lines[2] = body.slice(0, 10) + (body[10] === 'A' ? 'B' : 'A') + body.slice(11);
      return lines.join('\n');
    };
    const cases: [string, string][] = [
      ['not json', 'garbage\u0000\u0001'],
      ['another format', JSON.stringify({ format: 'something/9', key: good['key'], secrets: good['secrets'] })],
      ['tampered secrets', JSON.stringify({ ...good, secrets: flip(good['secrets']!) })],
      ['secrets not armored', JSON.stringify({ ...good, secrets: 'hello' })],
      ['key not armored', JSON.stringify({ ...good, key: 'hello' })],
    ];
    for (const [label, content] of cases) {
      writeFileSync(file, content);
      const error = await open().get('k').catch((e: unknown) => e);
      expect(error, label).toBeInstanceOf(VaultUnavailableError);
      expect((error as Error).message, label).toMatch(/is damaged or not a Mailroom vault .*restore it from a backup/);
      expect((error as Error).message, label).not.toMatch(/\n/);
    }
  });

  it('writes the file 0600 in a 0700 folder, through a temp file that never stays behind', async () => {
    const vault = open();
    await vault.set('a', '1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    // A file made readable by others (a careless copy) is private again after the next write.
    chmodSync(file, 0o644);
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.set(`k${i}`, `v${i}`)));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'data'))).toEqual(['vault.json']);
    // Concurrent writes in one process are serialised: none is lost.
    expect((await open().list()).length).toBe(21);
  });

  it('refuses a short passphrase for a new file and creates nothing', async () => {
    await expect(open('short').unlock()).rejects.toThrow(/at least 12 characters/);
    expect(() => statSync(file)).toThrow();
  });

  it('wraps a failing passphrase source into VaultUnavailableError', async () => {
    const vault = new FileVault(file, async () => {
      throw new Error('Environment variable X is empty or not set.');
    });
    await expect(vault.unlock()).rejects.toThrow(new VaultUnavailableError(`No passphrase for the vault file ${file}: Environment variable X is empty or not set.`));
  });

  it('notices a file replaced or removed under a running instance', async () => {
    const vault = open();
    await vault.set('a', '1');
    rmSync(file);
    await expect(vault.get('a')).rejects.toThrow(/was removed while Mailroom was running/);
    await open().set('b', '2');
    await expect(vault.get('b')).rejects.toThrow(/was replaced while Mailroom was running/);
  });

  it('reports whether it is open', async () => {
    const vault = open();
    expect(await vault.status()).toMatchObject({ kind: 'file', available: false });
    await vault.unlock();
    expect(await vault.status()).toEqual({ kind: 'file', available: true, message: `Secrets are kept in the vault file ${file}, sealed with its passphrase.` });
  });
});
