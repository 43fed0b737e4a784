#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 node --max-semi-space-size=1 --max-old-space-size=256
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Services } from '../app/compose.ts';
import { VaultUnavailableError, type CredentialVault } from '../platform/credential-vault.ts';
import { createFileLogger } from '../platform/logger.ts';
import { dataFiles, resolveDataDir } from '../platform/paths.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext, type CliIo } from './cli-context.ts';
import { appError } from '../../shared/errors/result.ts';
import { emitError } from './output.ts';
import { buildCliApi } from './cli-api.ts';
import { setPrivateUmask } from '../platform/private-files.ts';
import { enablePrivateCompileCache } from '../platform/compile-cache.ts';
import { useBaselineTiersOnly, wantsBaselineTiers } from '../platform/jit-tiers.ts';
import { checkVaultAtStart, createVault, stopOnVaultFailure, takeVaultChoice, type VaultChoice, type VaultNeed } from './vault-choice.ts';
import { launchCommand } from './launch-command.ts';
import { relaunchWithDefaultYoungGeneration } from './young-generation.ts';
import { exitWhenIdle } from './prompt-exit.ts';
import { freshMigrateBundle } from './migrate-bundle.ts';

/** A top-level command, loaded on demand so a run pays only for the modules it uses. */
export interface LazyCommand {
  readonly name: string;
  /** The command's module; `args`, when given, may pick a lighter module that runs just that invocation. */
  load(args?: readonly string[]): Promise<CliCommand>;
  /** True when this invocation needs no app services (e.g. it works on its own --state database). */
  readonly standalone?: (args: readonly string[]) => boolean;
  /** Whether this invocation uses secrets from the start: then the vault is checked (or unlocked) before it runs. */
  readonly vault?: (args: readonly string[]) => VaultNeed | null;
  /** True when this invocation allocates so fast that the launcher's 1 MB young generation costs it much CPU: it runs with V8's default. */
  readonly defaultYoungGeneration?: (args: readonly string[]) => boolean;
  /** True when this invocation's work is over once it returns (nothing keeps serving): the process then skips Node's teardown. */
  readonly exitsWhenDone?: (args: readonly string[]) => boolean;
}

const ownState = (args: readonly string[]): boolean => args.includes('--state') || args.some((a) => a.startsWith('--state='));
// A saved connection's password lives in the keychain, which comes with the app services.
// So does a calendar/contacts side named by a saved Google Workspace or Microsoft 365 connection (google:NAME/user, m365:NAME/user).
const usesSaved = (args: readonly string[]): boolean => args.some((a) => /^--(source|target)-connection\b/.test(a) || /^(--[a-z-]+=)?(google|m365):/.test(a));
// A `migrate` that keeps its own state and names no saved connection: it never loads the app's services.
const standaloneMigrate = (args: readonly string[]): boolean => ownState(args) && !usesSaved(args);
const SECRET_SUBCOMMANDS = new Set(['add', 'add-postfixadmin', 'add-mailcow', 'add-stalwart', 'add-google', 'add-microsoft', 'test', 'remove', 'edit', 'capabilities']);

/**
 * `migrate`'s module, from the build's bundle (a few chunks instead of ~60 files: bench/migrate/RESULTS.md, session 17) when it
 * is current and the run is standalone: a run that loads the app services would load some of the same modules again as files.
 */
async function loadMigrate(args: readonly string[] | undefined): Promise<typeof import('./commands/migrate.ts')> {
  const bundle = args && standaloneMigrate(args) ? freshMigrateBundle(fileURLToPath(new URL('./migrate-bundle/', import.meta.url))) : null;
  return bundle ? ((await import(pathToFileURL(bundle).href)) as typeof import('./commands/migrate.ts')) : import('./commands/migrate.ts');
}

/** Every top-level command. */
export const commands: readonly LazyCommand[] = [
  { name: 'serve', load: async () => (await import('./commands/serve.ts')).serveCommand, vault: () => 'served' },
  { name: 'connections', load: async () => (await import('./commands/connections.ts')).connectionsCommand, vault: (args) => (SECRET_SUBCOMMANDS.has(args[0] ?? '') ? 'needed' : null) },
  { name: 'check', load: async () => (await import('./commands/check.ts')).checkCommand },
  { name: 'dkim', load: async () => (await import('./commands/dkim.ts')).dkimCommand },
  { name: 'audit', load: async () => (await import('./commands/audit.ts')).auditCommand },
  { name: 'migrate', load: async (args) => (args?.[0] === 'dav' ? (await import('./commands/migrate-dav.ts')).migrateDavCommand : (await loadMigrate(args)).migrateCommand), standalone: standaloneMigrate, vault: (args) => (usesSaved(args) ? 'needed' : null), exitsWhenDone: () => true },
  { name: 'plan', load: async () => (await import('./commands/plan.ts')).planCommand, standalone: ownState, vault: (args) => (usesSaved(args) ? 'needed' : null) },
  { name: 'domains', load: async () => (await import('./commands/provisioning.ts')).domainsCommand },
  { name: 'mailboxes', load: async () => (await import('./commands/provisioning.ts')).mailboxesCommand },
  { name: 'aliases', load: async () => (await import('./commands/provisioning.ts')).aliasesCommand },
  { name: 'groups', load: async () => (await import('./commands/provisioning.ts')).groupsCommand },
  { name: 'import', load: async () => (await import('./commands/import.ts')).importCommand },
  { name: 'routing', load: async () => (await import('./commands/console.ts')).routingCommand },
  { name: 'storage', load: async () => (await import('./commands/console.ts')).storageCommand },
  { name: 'relay', load: async () => (await import('./commands/console.ts')).relayCommand },
  { name: 'reports', load: async () => (await import('./commands/reports.ts')).reportsCommand },
  { name: 'alerts', load: async () => (await import('./commands/alerts.ts')).alertsCommand, vault: (args) => (['add', 'test', 'remove'].includes(args[0] ?? '') ? 'needed' : null) },
  { name: 'monitor', load: async () => (await import('./commands/monitor.ts')).monitorCommand, vault: () => 'served', defaultYoungGeneration: () => true },
  { name: 'customers', load: async () => (await import('./commands/customers.ts')).customersCommand },
  { name: 'standards', load: async () => (await import('./commands/standards.ts')).standardsCommand, defaultYoungGeneration: (args) => args[0] === 'evaluate' },
  { name: 'worker', load: async () => (await import('./commands/worker.ts')).workerCommand, standalone: () => true },
  { name: 'fleet', load: async () => (await import('./commands/fleet.ts')).fleetCommand, standalone: () => true },
  { name: 'report', load: async () => (await import('./commands/report.ts')).reportCommand },
];

async function help(): Promise<string> {
  const loaded = await Promise.all(commands.map((c) => c.load()));
  return [
    'Mailroom — provisioning, deliverability and migration for business email.',
    '',
    'Usage:',
    ...loaded.map((c) => `  ${c.usage.split('\n').join('\n  ')}`),
    '',
    'Global options: --json (machine-readable output), --data-dir DIR (default: MAILROOM_HOME or the OS config folder),',
    '  --vault keychain|file (default: MAILROOM_VAULT or keychain; file = a passphrase-sealed vault file in the data folder),',
    '  --passphrase-file FILE | --passphrase-env VAR (the vault file\'s passphrase; otherwise asked on the terminal).',
    'Exit codes: 0 ok, 1 the operation found problems or failed, 2 usage or I/O error.',
  ].join('\n');
}

/** Runs the CLI with the given arguments and streams; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, overrides: { vault?: CredentialVault; relaunch?: () => void; exitWhenIdle?: () => void } = {}): Promise<number> {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  let choice: VaultChoice = { kind: 'keychain' };
  let badChoice: unknown = null;
  try {
    choice = takeVaultChoice(rest, io.env);
  } catch (error) {
    badChoice = error;
  }
  const dirAt = rest.indexOf('--data-dir');
  const dataDir = dirAt >= 0 ? rest[dirAt + 1] : resolveDataDir(io.env);
  if (dirAt >= 0) rest.splice(dirAt, 2);
  const [name, ...args] = rest;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write((await help()) + '\n');
    return name ? ExitCode.ok : ExitCode.usage;
  }
  let services: Services | null = null;
  let compose: typeof import('../app/compose.ts') | null = null;
  let vault: CredentialVault | null = null;
  const ctx: CliContext = {
    io,
    json,
    dataDir: dataDir ?? '',
    secretStore: choice.kind === 'file' ? 'the vault file' : 'the OS keychain',
    services: () => {
      if (!compose || !vault) throw new Error('app services were not loaded for this command');
      services ??= compose.composeServices({
        dataDir: dataDir ?? '',
        vault,
        logger: createFileLogger(dataFiles(dataDir ?? '').log),
        transport: 'loopback',
        command: launchCommand(io.env),
      });
      return services;
    },
    api: buildCliApi((channel, callArgs) => stopOnVaultFailure(ctx.services().router.dispatch(channel, callArgs))),
  };
  try {
    if (badChoice) throw badChoice;
    if (!dataDir) throw new UsageError('--data-dir needs a directory.');
    const entry = commands.find((c) => c.name === name);
    if (!entry) throw new UsageError(`Unknown command "${name}". Run \`mailroom help\`.`);
    // Before any module of the command is loaded: the relaunched process (when there is one) loads them instead.
    if (entry.defaultYoungGeneration?.(args)) overrides.relaunch?.();
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(`${(await entry.load()).usage}\n`);
      return ExitCode.ok;
    }
    // In-process callers (tests) may pass a vault; otherwise the OS keychain, or the vault file when chosen.
    const open = async (): Promise<CredentialVault> => overrides.vault ?? createVault(choice, dataDir, io, io.env['MAILROOM_KEYCHAIN_SERVICE'] ?? 'Mailroom');
    // A standalone invocation (e.g. migrate --state F.db) loads neither the app services nor the vault.
    const [command, appModules] = await Promise.all([entry.load(args), entry.standalone?.(args) ? null : Promise.all([import('../app/compose.ts'), open()])]);
    [compose, vault] = appModules ?? [null, null];
    const need = vault ? entry.vault?.(args) : null;
    if (vault && need) await checkVaultAtStart(vault, need, io, () => createFileLogger(dataFiles(dataDir).log));
    const code = await command.run(args, ctx);
    if (entry.exitsWhenDone?.(args)) overrides.exitWhenIdle?.();
    return code;
  } catch (error) {
    if (error instanceof UsageError) {
      emitError(ctx, appError('input.invalid', error.message));
      return ExitCode.usage;
    }
    // By name: importing the database module here would load SQLite for every command.
    if (error instanceof Error && (error.name === 'DatabaseOpenError' || error.name === 'SchemaMismatchError')) {
      emitError(ctx, appError('io.failed', error.message));
      return ExitCode.usage;
    }
    if (error instanceof VaultUnavailableError) {
      emitError(ctx, appError('vault.unavailable', error.message));
      return ExitCode.usage;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) {
      emitError(ctx, appError('io.failed', (error as Error).message));
      return ExitCode.usage;
    }
    throw error;
  } finally {
    (services as Services | null)?.close();
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  // Before anything writes a file: the cache, logs, --state files and exports are for this user only.
  setPrivateUmask();
  // Commands load lazily after this line; cached compiled code halves their start-up (imapflow, zod, SQLite).
  enablePrivateCompileCache();
  // Before the command's modules load: a migration's peak memory is about 10 MB lower without the optimising compilers.
  if (wantsBaselineTiers(process.argv.slice(2))) useBaselineTiersOnly();
  const relaunch = (): void => relaunchWithDefaultYoungGeneration(process);
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }, { relaunch, exitWhenIdle: () => exitWhenIdle(process) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bug, not bad input: one line for the user; the stack only when asked for.
      const detail = process.env['MAILROOM_DEBUG'] ? ((error as Error).stack ?? String(error)) : `${(error as Error).message ?? String(error)} (run with MAILROOM_DEBUG=1 for details)`;
      process.stderr.write(`internal error: ${detail}\n`);
      process.exitCode = ExitCode.usage;
    },
  );
}
