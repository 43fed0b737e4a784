/** Port to the OS keychain. Secrets live only behind this interface. */
export interface CredentialVault {
  /** Stores or replaces the secret under `account`. */
  set(account: string, secret: string): Promise<void>;
  /** Reads a secret; null when there is none. */
  get(account: string): Promise<string | null>;
  /** Removes a secret; true when one existed. */
  delete(account: string): Promise<boolean>;
  /** Lists the accounts that hold a secret (never the secrets). */
  list(): Promise<string[]>;
}

/** Raised when the keychain itself cannot be reached (no Secret Service, locked keyring). */
export class VaultUnavailableError extends Error {
  override readonly name = 'VaultUnavailableError';
}
