import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileVault, vaultFilePath } from '../../../electron/platform/file-vault.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';

// With --vault file / MAILROOM_VAULT=file the CLI names the vault file, never the OS keychain, as the place of a secret.
describe('CLI messages name the secret store actually used', () => {
  const passphrase = `vault passphrase ${randomUUID()}`;
  const relayPassword = `Relay-${randomUUID()}`;
  let dataDir: string;
  const env = () => ({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-bus')}`, MAILROOM_VAULT: 'file', VAULT_PASSPHRASE: passphrase, RELAY_PW: relayPassword });
  const cli = (argv: string[]) => runCliInProcess([...argv, '--passphrase-env', 'VAULT_PASSPHRASE'], { dataDir, env: env() });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-vault-messages-'));
    // A low scrypt work factor (recorded in the file) keeps each CLI start quick.
    await new FileVault(vaultFilePath(dataDir), async () => passphrase, { workFactor: 12 }).unlock();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('relay set and relay show say the password is in the vault file, where it is', async () => {
    const set = await cli(['relay', 'set', '--host', '127.0.0.1', '--port', '2525', '--tls', 'none', '--from', 'it@example.test', '--user', 'relay-user', '--password-env', 'RELAY_PW']);
    expect(set.code, set.err).toBe(0);
    expect(set.out).toBe('Relay saved: smtp 127.0.0.1:2525 (none), user relay-user (password in the vault file), from it@example.test.\n');
    const show = await cli(['relay', 'show']);
    expect(show.out).toContain('(password in the vault file)');
    expect(show.out + set.out + set.err + show.err).not.toMatch(/keychain/i);
    expect(await new FileVault(vaultFilePath(dataDir), async () => passphrase).get('relay:smtp')).toBe(relayPassword);
  });

  it('audit verify says the journal is anchored in the vault file', async () => {
    const verify = await cli(['audit', 'verify']);
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toMatch(/^The journal is intact: 1 entries verified, anchored in the vault file up to entry 1\./);
  });

  it('refuses a line break in a relay field with one line and exit 2, before anything is stored', async () => {
    const bad = await cli(['relay', 'set', '--host', '127.0.0.1\r\nQUIT', '--port', '2525', '--tls', 'none', '--from', 'other@example.test']);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/^error \[input\.invalid\]: .*host/);
    expect((await cli(['relay', 'show'])).out).toContain('from it@example.test');
  });
});
