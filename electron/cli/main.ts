#!/usr/bin/env node
import { composeServices, type Services } from '../app/compose.ts';
import { KeychainVault } from '../platform/keychain-vault.ts';
import { VaultUnavailableError } from '../platform/credential-vault.ts';
import { createFileLogger } from '../platform/logger.ts';
import { dataFiles, resolveDataDir } from '../platform/paths.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext, type CliIo } from './cli-context.ts';
import { checkCommand } from './commands/check.ts';
import { connectionsCommand } from './commands/connections.ts';
import { serveCommand } from './commands/serve.ts';
import { migrateCommand } from './commands/migrate.ts';
import { auditCommand } from './commands/audit.ts';
import { aliasesCommand, domainsCommand, groupsCommand, mailboxesCommand } from './commands/provisioning.ts';
import { importCommand } from './commands/import.ts';
import { appError } from '../../shared/errors/result.ts';
import { emitError } from './output.ts';

/** Every top-level command. */
export const commands: readonly CliCommand[] = [
  serveCommand,
  connectionsCommand,
  checkCommand,
  auditCommand,
  migrateCommand,
  domainsCommand,
  mailboxesCommand,
  aliasesCommand,
  groupsCommand,
  importCommand,
];

function help(): string {
  return [
    'Mailroom — provisioning, deliverability and migration for business email.',
    '',
    'Usage:',
    ...commands.map((c) => `  ${c.usage.split('\n').join('\n  ')}`),
    '',
    'Global options: --json (machine-readable output), --data-dir DIR (default: MAILROOM_HOME or the OS config folder).',
    'Exit codes: 0 ok, 1 the operation found problems or failed, 2 usage or I/O error.',
  ].join('\n');
}

/** Runs the CLI with the given arguments and streams; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const dirAt = rest.indexOf('--data-dir');
  const dataDir = dirAt >= 0 ? rest[dirAt + 1] : resolveDataDir(io.env);
  if (dirAt >= 0) rest.splice(dirAt, 2);
  const [name, ...args] = rest;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(help() + '\n');
    return name ? ExitCode.ok : ExitCode.usage;
  }
  let services: Services | null = null;
  const ctx: CliContext = {
    io,
    json,
    dataDir: dataDir ?? '',
    services: () => {
      services ??= composeServices({
        dataDir: dataDir ?? '',
        vault: new KeychainVault(io.env['MAILROOM_KEYCHAIN_SERVICE'] ?? 'Mailroom'),
        logger: createFileLogger(dataFiles(dataDir ?? '').log),
        transport: 'loopback',
      });
      return services;
    },
    call: (channel, ...callArgs) => ctx.services().router.dispatch(channel, callArgs) as never,
  };
  try {
    if (!dataDir) throw new UsageError('--data-dir needs a directory.');
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`Unknown command "${name}". Run \`mailroom help\`.`);
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
