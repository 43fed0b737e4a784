import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainVault } from '../../../electron/platform/keychain-vault.ts';

// Runs inside test/servers/keyring.sh: a private D-Bus session with an unlocked gnome-keyring.
describe('KeychainVault on the Secret Service', () => {
  const service = `Mailroom-test-${randomUUID()}`;
  const vault = new KeychainVault(service);
  const other = new KeychainVault(`${service}-other`);

  afterAll(async () => {
    for (const account of await vault.list()) await vault.delete(account);
    for (const account of await other.list()) await other.delete(account);
  });

  it('stores, reads, replaces, lists and deletes secrets', async () => {
    expect(await vault.get('connection:a')).toBeNull();
    await vault.set('connection:a', 'first secret ✓');
    await vault.set('connection:b', 'second');
    expect(await vault.get('connection:a')).toBe('first secret ✓');
    await vault.set('connection:a', 'replaced');
    expect(await vault.get('connection:a')).toBe('replaced');
    expect(await vault.list()).toEqual(['connection:a', 'connection:b']);
    expect(await vault.delete('connection:a')).toBe(true);
    expect(await vault.delete('connection:a')).toBe(false);
    expect(await vault.get('connection:a')).toBeNull();
    expect(await vault.list()).toEqual(['connection:b']);
  });

  it('keeps services apart', async () => {
    await other.set('connection:b', 'belongs to the other service');
    expect(await vault.get('connection:b')).toBe('second');
    expect(await other.list()).toEqual(['connection:b']);
  });

  it('round-trips long and unusual secrets exactly', async () => {
    const secret = `${'x'.repeat(3000)}\n"quoted" 'single' \\ ünïcödé 🔑`;
    await vault.set('connection:long', secret);
    expect(await vault.get('connection:long')).toBe(secret);
  });
});
