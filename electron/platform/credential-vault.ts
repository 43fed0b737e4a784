import type { VaultStatus } from '../../shared/domain/app.ts';
import { appError, type AppError } from '../../shared/errors/result.ts';

/** Port to the secret store (the OS keychain, or the vault file). Secrets live only behind this interface. */
export interface CredentialVault {
  /** Stores or replaces the secret under `account`. */
  set(account: string, secret: string): Promise<void>;
  /** Reads a secret; null when there is none. */
  get(account: string): Promise<string | null>;
  /** Removes a secret; true when one existed. */
  delete(account: string): Promise<boolean>;
  /** Lists the accounts that hold a secret (never the secrets). */
  list(): Promise<string[]>;
  /** Which store this is and whether it answers now, without unlocking or prompting; test doubles may leave it out. */
  status?(): Promise<VaultStatus>;
}

/** Raised when the secret store cannot be used (no Secret Service, a locked keyring, a wrong vault passphrase); the message says what to do. */
export class VaultUnavailableError extends Error {
  override readonly name = 'VaultUnavailableError';
}

/** The `vault.unavailable` error for a VaultUnavailableError; null for anything else. */
export function vaultFailure(error: unknown): AppError | null {
  return error instanceof VaultUnavailableError ? appError('vault.unavailable', error.message) : null;
}

/** An account nobody stores under: reading it makes a store answer without touching (or unlocking) a secret. */
export const PROBE_ACCOUNT = 'mailroom:probe';

/** The status of a vault; one without `status()` is probed with a read of an account that never exists. */
export async function checkVault(vault: CredentialVault): Promise<VaultStatus> {
  if (vault.status) return vault.status();
  try {
    await vault.get(PROBE_ACCOUNT);
    return { kind: 'keychain', available: true, message: 'Secrets are kept in the vault given to this process.' };
  } catch (error) {
    if (error instanceof VaultUnavailableError) return { kind: 'keychain', available: false, message: error.message };
    throw error;
  }
}
