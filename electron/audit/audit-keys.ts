import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CredentialVault } from '../platform/credential-vault.ts';

/** Where the entries written before keying end: their last sequence number and plain SHA-256 link. */
export interface LegacyMark {
  readonly seq: number;
  readonly hash: string;
}

/** The journal's secrets, read from the keychain: never stored in the database. */
export interface JournalKeys {
  /** HMAC-SHA-256 key of the chain. */
  readonly macKey: Buffer;
  /** Ed25519 key that signs checkpoints. */
  readonly signingKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SHA-256 (hex) of the public key in SPKI DER form. */
  readonly fingerprint: string;
  /** Entries up to here predate the key and are checked under the old SHA-256 rule. */
  readonly legacy: LegacyMark;
  readonly keyedAt: string;
}

/** Raised when the keychain holds a journal key that cannot be read back. */
export class AuditKeyError extends Error {
  override readonly name = 'AuditKeyError';
}

/** The keychain account holding a journal's keys. */
export const keyAccount = (journalId: string): string => `audit-key:${journalId}`;
/** The keychain account holding a journal's anchor (its newest sequence number and MAC). */
export const anchorAccount = (journalId: string): string => `audit-anchor:${journalId}`;

/**
 * Names a journal after its database file's real path. The name must not come from the database:
 * someone who could rewrite it there could point the app at a fresh key and an empty journal.
 */
export function journalIdFor(databaseFile: string): string {
  let path = resolve(databaseFile);
  try {
    path = realpathSync(path);
  } catch {
    // Not created yet: the resolved path names it just as well.
  }
  return createHash('sha256').update(path).digest('hex').slice(0, 32);
}

/** SHA-256 (hex) of a public key's SPKI DER form. */
export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

interface StoredKeys {
  v: 1;
  mac: string;
  ed25519: string;
  legacySeq: number;
  legacyHash: string;
  keyedAt: string;
}

function encode(keys: JournalKeys): string {
  const stored: StoredKeys = {
    v: 1,
    mac: keys.macKey.toString('base64'),
    ed25519: keys.signingKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    legacySeq: keys.legacy.seq,
    legacyHash: keys.legacy.hash,
    keyedAt: keys.keyedAt,
  };
  return JSON.stringify(stored);
}

function decode(text: string, account: string): JournalKeys {
  try {
    const s = JSON.parse(text) as StoredKeys;
    const macKey = Buffer.from(s.mac, 'base64');
    if (s.v !== 1 || macKey.length !== 32 || !Number.isInteger(s.legacySeq) || !/^[0-9a-f]{64}$/.test(s.legacyHash)) throw new Error('bad shape');
    const signingKey = createPrivateKey({ key: Buffer.from(s.ed25519, 'base64'), format: 'der', type: 'pkcs8' });
    if (signingKey.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    const publicKey = createPublicKey(signingKey);
    const legacy = { seq: s.legacySeq, hash: s.legacyHash };
    return { macKey, signingKey, publicKey, fingerprint: fingerprintOf(publicKey), legacy, keyedAt: String(s.keyedAt) };
  } catch {
    throw new AuditKeyError(`The audit journal key in the keychain (account "${account}") cannot be read; it was not written by Mailroom.`);
  }
}

/** Fresh keys for a journal whose older entries end at `legacy`. */
export function createKeys(legacy: LegacyMark, keyedAt: string): JournalKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { macKey: randomBytes(32), signingKey: privateKey, publicKey, fingerprint: fingerprintOf(publicKey), legacy, keyedAt };
}

/**
 * Reads the journal's keys from the keychain, creating them (with `legacy()` marking where the older
 * entries end) only when the keychain holds none. An existing key is never replaced.
 */
export async function loadOrCreateKeys(
  vault: CredentialVault,
  journalId: string,
  legacy: () => LegacyMark,
  now: () => Date,
): Promise<{ keys: JournalKeys; created: boolean }> {
  const account = keyAccount(journalId);
  const stored = await vault.get(account);
  if (stored !== null) return { keys: decode(stored, account), created: false };
  const fresh = createKeys(legacy(), now().toISOString());
  await vault.set(account, encode(fresh));
  // Another process may have keyed the same journal at the same moment: whichever key the keychain kept wins.
  const kept = await vault.get(account);
  if (kept === null) throw new AuditKeyError(`The keychain did not keep the audit journal key (account "${account}").`);
  const keys = decode(kept, account);
  return { keys, created: keys.fingerprint === fresh.fingerprint };
}
