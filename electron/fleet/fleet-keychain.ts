import { generateIdentity, identityToRecipient } from 'age-encryption';
import type { CredentialVault } from '../platform/credential-vault.ts';
import { FleetKeyError } from './fleet-key.ts';

/** `--key keychain:NAME`: the fleet identity kept in the OS keychain instead of a passphrase-sealed file. */
export const KEYCHAIN_KEY_SCHEME = 'keychain:';

/** Keychain account of a fleet identity. */
export function fleetIdentityAccount(name: string): string {
  return `fleet-identity:${name}`;
}

/** The NAME of `keychain:NAME`, or null for a key file path. */
export function keychainKeyName(key: string): string | null {
  if (!key.startsWith(KEYCHAIN_KEY_SCHEME)) return null;
  const name = key.slice(KEYCHAIN_KEY_SCHEME.length);
  if (!/^[\w.-]{1,100}$/.test(name)) throw new FleetKeyError(`--key ${key}: the keychain name must be letters, digits, dot, dash or underscore.`);
  return name;
}

/** Makes a fleet key pair whose identity goes straight into the keychain (never over an existing one); returns the recipient. */
export async function createKeychainFleetKey(vault: CredentialVault, name: string): Promise<string> {
  const account = fleetIdentityAccount(name);
  if ((await vault.get(account)) !== null) throw new FleetKeyError(`The keychain already holds the fleet key "${name}"; a fleet key is never overwritten.`);
  const identity = await generateIdentity();
  await vault.set(account, identity);
  return identityToRecipient(identity);
}

/** The fleet identity kept in the keychain under NAME. */
export async function openKeychainFleetKey(vault: CredentialVault, name: string): Promise<string> {
  const identity = await vault.get(fleetIdentityAccount(name));
  if (identity === null) throw new FleetKeyError(`The keychain holds no fleet key "${name}" (mailroom fleet keygen --keychain ${name} makes one).`);
  return identity;
}
