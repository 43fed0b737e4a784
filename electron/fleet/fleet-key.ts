import { readFileSync, writeFileSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../platform/private-files.ts';

// age (and its post-quantum curves, ~60 modules) loads when a key is made or opened or a secret sealed; the fleet settings
// read by every composed command need only readRecipient and FleetKeyError.
const age = (): Promise<typeof import('age-encryption')> => import('age-encryption');

/** A fleet key pair: the recipient every controller seals to, and the identity sealed with a passphrase (scrypt). */
export interface FleetKeyPair {
  readonly recipient: string;
  readonly sealedIdentity: string;
}

/** Raised when a key file, a passphrase or a sealed secret does not open; its message is one line. */
export class FleetKeyError extends Error {
  override readonly name = 'FleetKeyError';
}

// age's decrypters throw this (and only this) when no identity or passphrase unwraps the file key.
const NO_MATCH = /no identity matched/i;

/** Makes a new age X25519 key pair; the identity leaves this function only sealed with the passphrase. */
export async function generateFleetKey(passphrase: string, workFactor = 18): Promise<FleetKeyPair> {
  const { Encrypter, armor, generateIdentity, identityToRecipient } = await age();
  const identity = await generateIdentity();
  const encrypter = new Encrypter();
  encrypter.setScryptWorkFactor(workFactor);
  encrypter.setPassphrase(passphrase);
  return { recipient: await identityToRecipient(identity), sealedIdentity: armor.encode(await encrypter.encrypt(identity)) };
}

/** Writes the sealed identity to `file` and the recipient to `file.pub`, both 0600; never over an existing key. */
export function writeFleetKey(file: string, pair: FleetKeyPair): void {
  writeKeyFile(file, pair.sealedIdentity);
  writeKeyFile(`${file}.pub`, `${pair.recipient}\n`);
}

/** Writes a new key file (0600); a FleetKeyError when it exists or cannot be written. */
export function writeKeyFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FleetKeyError(code === 'EEXIST' ? `${path} exists; a fleet key is never overwritten (remove it first).` : `Cannot write ${path}: ${code ?? (error as Error).message}.`);
  }
}

/** Opens a sealed identity file with its passphrase; returns the age identity (AGE-SECRET-KEY-1…). */
export async function openFleetKey(file: string, passphrase: string): Promise<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FleetKeyError(`Cannot read the fleet key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const { Decrypter, armor } = await age();
  const decrypter = new Decrypter();
  decrypter.addPassphrase(passphrase);
  try {
    return (await decrypter.decrypt(armor.decode(text), 'text')).trim();
  } catch (error) {
    if (NO_MATCH.test((error as Error).message)) throw new FleetKeyError(`The passphrase does not open the fleet key ${file}.`);
    throw new FleetKeyError(`${file} is not a Mailroom fleet key (mailroom fleet keygen writes one).`);
  }
}

/** Reads a recipient (age1…) from a .pub file or takes it as given. */
export function readRecipient(fileOrRecipient: string): string {
  const text = fileOrRecipient.startsWith('age1') ? fileOrRecipient : readPublic(fileOrRecipient);
  const recipient = text.trim();
  if (!/^age1[02-9ac-hj-np-z]{58}$/.test(recipient)) throw new FleetKeyError(`${fileOrRecipient} does not hold an age recipient (age1…).`);
  return recipient;
}

function readPublic(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new FleetKeyError(`Cannot read the fleet's public key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/** Seals a secret to the fleet's recipient: armored age, readable only with the fleet's identity. */
export async function sealSecret(secret: string, recipient: string): Promise<string> {
  const { Encrypter, armor } = await age();
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(secret));
}

/** Opens a sealed secret with the fleet's identity; a FleetKeyError when it was sealed to another key. */
export async function unsealSecret(sealed: string, identity: string): Promise<string> {
  const { Decrypter, armor } = await age();
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(armor.decode(sealed), 'text');
  } catch (error) {
    if (NO_MATCH.test((error as Error).message)) throw new FleetKeyError("the job's credentials are sealed to another fleet key than this worker's --key");
    throw new FleetKeyError("the job's credentials are not a sealed age message");
  }
}
