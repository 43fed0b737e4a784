import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import type { VaultStatus } from '../../shared/domain/app.ts';
import { type CredentialVault, PROBE_ACCOUNT, VaultUnavailableError } from './credential-vault.ts';
import { keychainName, keychainUnavailable } from './keychain-advice.ts';
import { retryDaemonDisconnect } from './keychain-retry.ts';

/** CredentialVault on the OS keychain (Keychain, Credential Manager, Secret Service) via @napi-rs/keyring. */
export class KeychainVault implements CredentialVault {
  private readonly service: string;
  private readonly options: { linux?: { store: 'secret-service' } };
  // Set once the keychain has answered: a daemon missing after that is restarting, not absent.
  private answered = false;

  constructor(service = 'Mailroom') {
    this.service = service;
    // The default Linux store may fall back to the kernel keyring silently; pin Secret Service.
    this.options = process.platform === 'linux' ? { linux: { store: 'secret-service' } } : {};
  }

  async set(account: string, secret: string): Promise<void> {
    await this.guard(() => this.entry(account).setPassword(secret));
  }

  async get(account: string): Promise<string | null> {
    const value = await this.guard(() => this.entry(account).getPassword());
    return value ?? null;
  }

  async delete(account: string): Promise<boolean> {
    // deleteCredential throws when nothing is stored; ask first so "absent" is an answer, not an error.
    if ((await this.get(account)) === null) return false;
    return this.guard(() => this.entry(account).deleteCredential());
  }

  async list(): Promise<string[]> {
    const found = await this.guard(() => findCredentialsAsync(this.service));
    return found.map((c) => c.account).sort();
  }

  async status(): Promise<VaultStatus> {
    try {
      await this.get(PROBE_ACCOUNT);
      return { kind: 'keychain', available: true, message: `Secrets are kept in ${keychainName()}.` };
    } catch (error) {
      if (error instanceof VaultUnavailableError) return { kind: 'keychain', available: false, message: error.message };
      throw error;
    }
  }

  private entry(account: string): AsyncEntry {
    return new AsyncEntry(this.service, account, this.options);
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      const value = await retryDaemonDisconnect(call, undefined, undefined, this.answered);
      this.answered = true;
      return value;
    } catch (error) {
      throw new VaultUnavailableError(keychainUnavailable((error as Error).message), { cause: error });
    }
  }
}
