import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VaultStatus } from '../../shared/domain/app.ts';
import { type CredentialVault, VaultUnavailableError } from './credential-vault.ts';

/** Asks for the vault passphrase: to open an existing file, or to seal a new one. */
export type PassphraseSource = (purpose: 'open' | 'create') => Promise<string>;

/** Tuning for tests; the defaults are age's. */
export interface FileVaultOptions {
  /** scrypt work factor (log2 N) used when a new file is sealed; age's default is 18. */
  readonly workFactor?: number;
}

/** The vault file inside a data folder. */
export function vaultFilePath(dataDir: string): string {
  return join(dataDir, 'vault.json');
}

/** Shortest passphrase accepted for a new vault file: it is all that stands between a copied file and every secret. */
export const MIN_PASSPHRASE_LENGTH = 12;

const FORMAT = 'mailroom-vault/1';
// age and its curves (~60 modules) load with the first use of the file, so a run that never opens it does not load them.
const age = (): Promise<typeof import('age-encryption')> => import('age-encryption');
// age's scrypt identity throws this (and only this) when the passphrase does not unwrap the file key.
const WRONG_PASSPHRASE = /no identity matched/i;

/** On disk: two armored age files. `key` holds an age X25519 identity sealed with the passphrase (scrypt); `secrets` is JSON sealed to that identity. */
interface Sealed {
  readonly format: string;
  readonly key: string;
  readonly secrets: string;
}

interface Unlocked {
  readonly key: string;
  readonly identity: string;
  readonly recipient: string;
}

/**
 * CredentialVault in one file sealed with a passphrase, for machines without an OS keychain.
 * The passphrase opens an age identity once (scrypt is deliberately slow); each read and write then
 * uses that identity, re-reading the file so several Mailroom processes see each other's changes.
 * The file is written 0600, atomically (temp file, fsync, rename); plaintext never touches the disk.
 */
export class FileVault implements CredentialVault {
  readonly path: string;
  private readonly passphrase: PassphraseSource;
  private readonly workFactor: number;
  private unlocked: Unlocked | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, passphrase: PassphraseSource, options: FileVaultOptions = {}) {
    this.path = path;
    this.passphrase = passphrase;
    this.workFactor = options.workFactor ?? 18;
  }

  /** Opens the file with its passphrase, or creates it (with a new passphrase) when there is none. */
  unlock(): Promise<'opened' | 'created'> {
    return this.serial(() => this.open());
  }

  async set(account: string, secret: string): Promise<void> {
    await this.serial(async () => {
      const secrets = await this.load();
      secrets[account] = secret;
      await this.save(secrets);
    });
  }

  get(account: string): Promise<string | null> {
    return this.serial(async () => {
      const secrets = await this.load();
      return Object.hasOwn(secrets, account) ? secrets[account]! : null;
    });
  }

  delete(account: string): Promise<boolean> {
    return this.serial(async () => {
      const secrets = await this.load();
      if (!Object.hasOwn(secrets, account)) return false;
      delete secrets[account];
      await this.save(secrets);
      return true;
    });
  }

  list(): Promise<string[]> {
    return this.serial(async () => Object.keys(await this.load()).sort());
  }

  async status(): Promise<VaultStatus> {
    return this.unlocked
      ? { kind: 'file', available: true, message: `Secrets are kept in the vault file ${this.path}, sealed with its passphrase.` }
      : { kind: 'file', available: false, message: `The vault file ${this.path} is not open: Mailroom asks for its passphrase when it starts.` };
  }

  // One operation at a time: each is a read-modify-write of the whole file.
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async open(): Promise<'opened' | 'created'> {
    if (this.unlocked) return 'opened';
    const sealed = this.readSealed();
    if (sealed === null) {
      await this.create();
      return 'created';
    }
    const passphrase = await this.ask('open');
    const { Decrypter, armor, identityToRecipient } = await age();
    let identity: string;
    try {
      const decrypter = new Decrypter();
      decrypter.addPassphrase(passphrase);
      identity = (await decrypter.decrypt(armor.decode(sealed.key), 'text')).trim();
    } catch (error) {
      if (WRONG_PASSPHRASE.test((error as Error).message)) throw new VaultUnavailableError(`The passphrase does not open the vault file ${this.path}.`);
      throw this.damaged(error);
    }
    if (!identity.startsWith('AGE-SECRET-KEY-1')) throw this.damaged(new Error('the sealed key is not an age identity'));
    const unlocked: Unlocked = { key: sealed.key, identity, recipient: await identityToRecipient(identity) };
    await this.unseal(sealed, unlocked);
    this.unlocked = unlocked;
    return 'opened';
  }

  private async create(): Promise<void> {
    const passphrase = await this.ask('create');
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new VaultUnavailableError(`Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters for the new vault file ${this.path}.`);
    }
    const { Encrypter, armor, generateIdentity, identityToRecipient } = await age();
    const identity = await generateIdentity();
    const encrypter = new Encrypter();
    encrypter.setScryptWorkFactor(this.workFactor);
    encrypter.setPassphrase(passphrase);
    const key = armor.encode(await encrypter.encrypt(identity));
    this.unlocked = { key, identity, recipient: await identityToRecipient(identity) };
    try {
      await this.save({});
    } catch (error) {
      this.unlocked = null;
      throw error;
    }
  }

  private async ask(purpose: 'open' | 'create'): Promise<string> {
    try {
      return await this.passphrase(purpose);
    } catch (error) {
      if (error instanceof VaultUnavailableError) throw error;
      throw new VaultUnavailableError(`No passphrase for the vault file ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  private async load(): Promise<Record<string, string>> {
    await this.open();
    const sealed = this.readSealed();
    if (sealed === null) throw new VaultUnavailableError(`The vault file ${this.path} was removed while Mailroom was running; restore it, or restart Mailroom to create a new one.`);
    if (sealed.key !== this.unlocked!.key) throw new VaultUnavailableError(`The vault file ${this.path} was replaced while Mailroom was running; restart Mailroom to open it with its passphrase.`);
    return this.unseal(sealed, this.unlocked!);
  }

  private async unseal(sealed: Sealed, unlocked: Unlocked): Promise<Record<string, string>> {
    const { Decrypter, armor } = await age();
    let text: string;
    try {
      const decrypter = new Decrypter();
      decrypter.addIdentity(unlocked.identity);
      text = await decrypter.decrypt(armor.decode(sealed.secrets), 'text');
    } catch (error) {
      throw this.damaged(error);
    }
    const secrets = parseJson(text);
    if (!isSecretMap(secrets)) throw this.damaged(new Error('the sealed secrets are not a map of strings'));
    return Object.assign(Object.create(null) as Record<string, string>, secrets);
  }

  private async save(secrets: Record<string, string>): Promise<void> {
    const { Encrypter, armor } = await age();
    const encrypter = new Encrypter();
    encrypter.addRecipient(this.unlocked!.recipient);
    const sealed: Sealed = { format: FORMAT, key: this.unlocked!.key, secrets: armor.encode(await encrypter.encrypt(JSON.stringify(secrets))) };
    writeAtomically(this.path, JSON.stringify(sealed, null, 2) + '\n');
  }

  /** The file's sealed parts; null when there is no file. */
  private readSealed(): Sealed | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new VaultUnavailableError(`Cannot read the vault file ${this.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
    const value = parseJson(text) as Partial<Sealed> | undefined;
    if (!value || value.format !== FORMAT || typeof value.key !== 'string' || typeof value.secrets !== 'string') {
      throw this.damaged(new Error(`not a ${FORMAT} file`));
    }
    return value as Sealed;
  }

  private damaged(cause: unknown): VaultUnavailableError {
    return new VaultUnavailableError(
      `The vault file ${this.path} is damaged or not a Mailroom vault (${(cause as Error).message}); restore it from a backup, or move it away to start an empty one.`,
      { cause },
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isSecretMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

// Readers see the old file or the new one, never half of either; the temp file is 0600 from its first byte.
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new VaultUnavailableError(`Cannot write the vault file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { cause: error });
  }
}
