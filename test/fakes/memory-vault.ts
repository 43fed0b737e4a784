import type { CredentialVault } from '../../electron/platform/credential-vault.ts';

/** A working in-memory CredentialVault for unit tests (never used by the app). */
export class MemoryVault implements CredentialVault {
  readonly secrets = new Map<string, string>();

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }

  async list(): Promise<string[]> {
    return [...this.secrets.keys()].sort();
  }
}
