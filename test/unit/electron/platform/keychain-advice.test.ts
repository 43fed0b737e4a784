import { describe, expect, it } from 'vitest';
import { keychainFix, keychainUnavailable } from '../../../../electron/platform/keychain-advice.ts';

describe('keychain advice', () => {
  it('names what to start or unlock on each OS, and the vault file as the way out', () => {
    expect(keychainFix('linux')).toMatch(/Start and unlock a Secret Service keyring .*GNOME Keyring.*KeePassXC/);
    expect(keychainFix('darwin')).toMatch(/Unlock your login keychain \(in Keychain Access, or with security unlock-keychain\)/);
    expect(keychainFix('win32')).toMatch(/Credential Manager/);
    for (const platform of ['linux', 'darwin', 'win32', 'freebsd'] as const) {
      expect(keychainFix(platform)).toContain('MAILROOM_VAULT=file');
      // The console shows the text as it is: Markdown backticks would show up literally.
      expect(keychainFix(platform)).not.toContain('`');
    }
  });

  it('says in one line what failed, why, and the fix', () => {
    const message = keychainUnavailable('Platform failure: DBus error:\n  Failed to connect to socket /nonexistent.', 'linux');
    expect(message).toBe(
      `The Secret Service keyring (GNOME Keyring, KeePassXC) is not available (Platform failure: DBus error: Failed to connect to socket /nonexistent). ${keychainFix('linux')}`,
    );
    expect(keychainUnavailable('User interaction is not allowed.', 'darwin')).toMatch(/^The macOS Keychain is not available \(User interaction is not allowed\)\. Unlock/);
    expect(keychainUnavailable('x', 'win32')).toMatch(/^Windows Credential Manager is not available \(x\)\./);
  });
});
