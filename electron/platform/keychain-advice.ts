/** The OS keychain's name, as its users know it. */
export function keychainName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'the Secret Service keyring (GNOME Keyring, KeePassXC)';
}

// Plain text: the console shows these messages as they are, so no Markdown backticks.
const VAULT_FILE_HINT = 'or, for mailroom serve and the CLI, keep secrets in a passphrase-sealed vault file instead (--vault file or MAILROOM_VAULT=file).';

/** What to do, in one line for this OS, when the OS keychain does not answer. */
export function keychainFix(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return `Unlock your login keychain (in Keychain Access, or with security unlock-keychain) and allow Mailroom to use it; ${VAULT_FILE_HINT}`;
  if (platform === 'win32') return `Run Mailroom signed in as a user whose profile is loaded (Credential Manager is not open to every service account); ${VAULT_FILE_HINT}`;
  return `Start and unlock a Secret Service keyring in this login session (GNOME Keyring, or KeePassXC with Secret Service integration enabled); ${VAULT_FILE_HINT}`;
}

/** The one-line message for a keychain that failed with `cause`: what failed, why, and the fix. */
export function keychainUnavailable(cause: string, platform: NodeJS.Platform = process.platform): string {
  const reason = cause.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return `${capitalised(keychainName(platform))} is not available (${reason}). ${keychainFix(platform)}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
