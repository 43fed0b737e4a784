#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import type { Services } from '../app/compose.ts';
import { VaultUnavailableError, type CredentialVault } from '../platform/credential-vault.ts';
import { createFileLogger } from '../platform/logger.ts';
import { dataFiles, resolveDataDir } from '../platform/paths.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext, type CliIo } from './cli-context.ts';
import { appError } from '../../shared/errors/result.ts';
import { emitError } from './output.ts';
import { launchCommand } from './launch-command.ts';

/** A top-level command, loaded on demand so a run pays only for the modules it uses. */
export interface LazyCommand {
  readonly name: string;
  load(): Promise<CliCommand>;
  /** True when this invocation needs no app services (e.g. it works on its own --state database). */
  readonly standalone?: (args: readonly string[]) => boolean;
}

const ownState = (args: readonly string[]): boolean => args.includes('--state') || args.some((a) => a.startsWith('--state='));
// A saved connection's password lives in the keychain, which comes with the app services.
const usesSaved = (args: readonly string[]): boolean => args.some((a) => /^--(source|target)-connection\b/.test(a));

/** Every top-level command. */
export const commands: readonly LazyCommand[] = [
  { name: 'serve', load: async () => (await import('./commands/serve.ts')).serveCommand },
  { name: 'connections', load: async () => (await import('./commands/connections.ts')).connectionsCommand },
  { name: 'check', load: async () => (await import('./commands/check.ts')).checkCommand },
  { name: 'audit', load: async () => (await import('./commands/audit.ts')).auditCommand },
  { name: 'migrate', load: async () => (await import('./commands/migrate.ts')).migrateCommand, standalone: (args) => ownState(args) && !usesSaved(args) },
  { name: 'plan', load: async () => (await import('./commands/plan.ts')).planCommand, standalone: ownState },
  { name: 'domains', load: async () => (await import('./commands/provisioning.ts')).domainsCommand },
  { name: 'mailboxes', load: async () => (await import('./commands/provisioning.ts')).mailboxesCommand },
  { name: 'aliases', load: async () => (await import('./commands/provisioning.ts')).aliasesCommand },
  { name: 'groups', load: async () => (await import('./commands/provisioning.ts')).groupsCommand },
  { name: 'import', load: async () => (await import('./commands/import.ts')).importCommand },
  { name: 'routing', load: async () => (await import('./commands/console.ts')).routingCommand },
  { name: 'storage', load: async () => (await import('./commands/console.ts')).storageCommand },
  { name: 'relay', load: async () => (await import('./commands/console.ts')).relayCommand },
];

async function help(): Promise<string> {
  const loaded = await Promise.all(commands.map((c) => c.load()));
  return [
    'Mailroom — provisioning, deliverability and migration for business email.',
    '',
    'Usage:',
    ...loaded.map((c) => `  ${c.usage.split('\n').join('\n  ')}`),
    '',
    'Global options: --json (machine-readable output), --data-dir DIR (default: MAILROOM_HOME or the OS config folder).',
    'Exit codes: 0 ok, 1 the operation found problems or failed, 2 usage or I/O error.',
  ].join('\n');
}

/** Runs the CLI with the given arguments and streams; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, overrides: { vault?: CredentialVault } = {}): Promise<number> {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
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
  let keychain: typeof import('../platform/keychain-vault.ts') | null = null;
  const ctx: CliContext = {
    io,
    json,
    dataDir: dataDir ?? '',
    services: () => {
      if (!compose || !keychain) throw new Error('app services were not loaded for this command');
      services ??= compose.composeServices({
        dataDir: dataDir ?? '',
        // In-process callers (tests) may pass a vault; the installed CLI always uses the OS keychain.
        vault: overrides.vault ?? new keychain.KeychainVault(io.env['MAILROOM_KEYCHAIN_SERVICE'] ?? 'Mailroom'),
        logger: createFileLogger(dataFiles(dataDir ?? '').log),
        transport: 'loopback',
        command: launchCommand(io.env),
      });
      return services;
    },
    call: (channel, ...callArgs) => ctx.services().router.dispatch(channel, callArgs) as never,
  };
  try {
    if (!dataDir) throw new UsageError('--data-dir needs a directory.');
    const entry = commands.find((c) => c.name === name);
    if (!entry) throw new UsageError(`Unknown command "${name}". Run \`mailroom help\`.`);
    // A standalone invocation (e.g. migrate --state F.db) loads neither the app services nor the keychain binding.
    const [command, appModules] = await Promise.all([entry.load(), entry.standalone?.(args) ? null : Promise.all([import('../app/compose.ts'), import('../platform/keychain-vault.ts')])]);
    [compose, keychain] = appModules ?? [null, null];
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      emitError(ctx, appError('input.invalid', error.message));
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
  // Commands load lazily after this line; cached compiled code halves their start-up (imapflow, zod, SQLite).
  enableCompileCache();
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = ExitCode.usage;
    },
  );
}
