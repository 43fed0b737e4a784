import type { VaultKind, VaultStatus } from '../../shared/domain/app.ts';
import type { Result } from '../../shared/errors/result.ts';
import { checkVault, VaultUnavailableError, type CredentialVault } from '../platform/credential-vault.ts';
import type { PassphraseSource } from '../platform/file-vault.ts';
import type { Logger } from '../platform/logger.ts';
import { UsageError, type CliIo } from './cli-context.ts';
import { readSecret } from './password-input.ts';

/** Which secret store a run uses, and where the vault file's passphrase comes from (never argv). */
export interface VaultChoice {
  readonly kind: VaultKind;
  readonly passphraseEnv?: string;
  readonly passphraseFile?: string;
}

/** What a command needs from the vault before it runs: `needed` stops it when the vault is unavailable; `served` reports and goes on. */
export type VaultNeed = 'needed' | 'served';

const KINDS: readonly VaultKind[] = ['keychain', 'file'];

/** Takes the global options --vault keychain|file, --passphrase-file F and --passphrase-env VAR out of `args`; MAILROOM_VAULT is the default kind. */
export function takeVaultChoice(args: string[], env: NodeJS.ProcessEnv): VaultChoice {
  const kind = take(args, '--vault') ?? (env['MAILROOM_VAULT'] || 'keychain');
  const passphraseFile = take(args, '--passphrase-file');
  const passphraseEnv = take(args, '--passphrase-env');
  if (!KINDS.includes(kind as VaultKind)) throw new UsageError(`--vault (or MAILROOM_VAULT) must be keychain or file, not "${kind}".`);
  if (passphraseFile !== undefined && passphraseEnv !== undefined) throw new UsageError('Give either --passphrase-file or --passphrase-env, not both.');
  if (kind === 'keychain' && (passphraseFile !== undefined || passphraseEnv !== undefined)) {
    throw new UsageError('--passphrase-file and --passphrase-env open the vault file: add --vault file (or set MAILROOM_VAULT=file).');
  }
  return { kind: kind as VaultKind, ...(passphraseFile !== undefined ? { passphraseFile } : {}), ...(passphraseEnv !== undefined ? { passphraseEnv } : {}) };
}

/** The vault a run uses: the OS keychain (under `keychainService`), or the vault file in `dataDir`. Nothing is opened yet. */
export async function createVault(choice: VaultChoice, dataDir: string, io: CliIo, keychainService: string): Promise<CredentialVault> {
  if (choice.kind === 'keychain') return new (await import('../platform/keychain-vault.ts')).KeychainVault(keychainService);
  const { FileVault, vaultFilePath } = await import('../platform/file-vault.ts');
  const path = vaultFilePath(dataDir);
  return new FileVault(path, passphraseSource(choice, path, io));
}

/** Asks for the vault file's passphrase: from the named variable or file, else on the terminal (echo off; twice for a new file). */
export function passphraseSource(choice: VaultChoice, path: string, io: CliIo): PassphraseSource {
  return async (purpose) => {
    if (choice.passphraseEnv !== undefined || choice.passphraseFile !== undefined) {
      return readSecret(io, { ...(choice.passphraseEnv !== undefined ? { env: choice.passphraseEnv } : {}), ...(choice.passphraseFile !== undefined ? { file: choice.passphraseFile } : {}), prompt: '' });
    }
    // Piped stdin may carry a connection's password; the passphrase comes from a terminal or a named source only.
    if (!io.stdin.isTTY) throw new VaultUnavailableError(`The vault file ${path} needs its passphrase: give --passphrase-file FILE or --passphrase-env VAR, or run on a terminal.`);
    if (purpose === 'open') return readSecret(io, { prompt: `Passphrase of the vault file ${path}` });
    io.stderr.write(`No vault file yet: choose a passphrase to seal ${path} (without it, nothing in the file can be recovered).\n`);
    const first = await readSecret(io, { prompt: 'New vault passphrase' });
    const again = await readSecret(io, { prompt: 'Repeat the passphrase' });
    if (first !== again) throw new VaultUnavailableError('The two passphrases differ; no vault file was created.');
    return first;
  };
}

/**
 * The check at the start of a command that uses secrets: opens the vault file (asking for its
 * passphrase once) or makes sure the keychain answers. Throws VaultUnavailableError (exit 2) when a
 * `needed` vault is unavailable or a vault file cannot be opened; for `served` an unavailable
 * keychain is a warning, since the console shows it too. Reports on stderr what the user should
 * know; the served console also writes the outcome to its log.
 */
export async function checkVaultAtStart(vault: CredentialVault, need: VaultNeed, io: CliIo, log: () => Logger): Promise<VaultStatus> {
  if (isUnlockable(vault)) {
    const opened = await vault.unlock();
    if (opened === 'created') io.stderr.write(`Created the vault file ${vault.path}; keep its passphrase safe.\n`);
  }
  const status = await checkVault(vault);
  if (!status.available && need === 'needed') throw new VaultUnavailableError(status.message);
  if (need === 'served') {
    io.stderr.write(status.available ? `${status.message}\n` : `warning [vault.unavailable]: ${status.message}\n`);
    const logger = log();
    const fields = { kind: status.kind, available: status.available, detail: status.message };
    if (status.available) logger.info('vault checked at start', fields);
    else logger.warn('vault checked at start', fields);
  }
  return status;
}

/** Stops a CLI command at an operation that found the vault unavailable: runCli prints the message once and exits 2. */
export async function stopOnVaultFailure<T>(pending: Promise<Result<T>>): Promise<Result<T>> {
  const result = await pending;
  if (!result.ok && result.error.code === 'vault.unavailable') throw new VaultUnavailableError(result.error.message);
  return result;
}

function isUnlockable(vault: CredentialVault): vault is CredentialVault & { unlock(): Promise<'opened' | 'created'>; readonly path: string } {
  return typeof (vault as { unlock?: unknown }).unlock === 'function';
}

function take(args: string[], name: string): string | undefined {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0) return undefined;
  const [arg] = args.splice(at, 1) as [string];
  if (arg.includes('=')) return arg.slice(name.length + 1);
  const value = args[at];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.`);
  args.splice(at, 1);
  return value;
}
