import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { DkimKeyInfo } from '../../shared/domain/dns.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';

/** The keychain account that holds a DKIM private key. */
export function dkimVaultAccount(domain: string, selector: string): string {
  return `dkim:${domain}:${selector}`;
}

/** The DKIM key type of a PEM key (private or public), or null for another kind. */
export function dkimAlgorithmOf(pem: string): 'rsa' | 'ed25519' | null {
  const type = createPublicKey(pem).asymmetricKeyType;
  return type === 'rsa' || type === 'ed25519' ? type : null;
}

/** The p= value a DKIM record must carry for a key (PEM, private or public): SPKI for RSA, the raw key for Ed25519 (RFC 8463 §4). */
export function dkimPublicValue(privatePem: string): string {
  const key = createPublicKey(privatePem);
  const spki = key.export({ type: 'spki', format: 'der' });
  return (key.asymmetricKeyType === 'ed25519' ? spki.subarray(12) : spki).toString('base64');
}

/**
 * Generates a DKIM key pair, stores the private key only in the keychain, and returns the public record.
 *
 * RSA publishes base64 SPKI DER; Ed25519 publishes the raw 32-byte key (RFC 8463 §4), i.e. SPKI DER
 * minus its 12-byte prefix 302a300506032b6570032100.
 */
export async function generateDkimKey(vault: CredentialVault, domain: string, selector: string, algorithm: 'rsa-2048' | 'ed25519'): Promise<DkimKeyInfo> {
  const pair = algorithm === 'rsa-2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const p = dkimPublicValue(pem);
  const account = dkimVaultAccount(domain, selector);
  await vault.set(account, pem);
  return { domain, selector, algorithm, record: `v=DKIM1; k=${algorithm === 'rsa-2048' ? 'rsa' : 'ed25519'}; p=${p}`, vaultAccount: account };
}
