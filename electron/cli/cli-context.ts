import type { Readable, Writable } from 'node:stream';
import type { Services } from '../app/compose.ts';
import type { Api } from '../../shared/ipc/contract.ts';

/** Standard streams and environment, injected so commands are testable in-process. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** Exit codes: 0 ok, 1 the operation found problems or failed, 2 usage or I/O error. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** Raised for a usage mistake; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What every command receives. */
export interface CliContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly dataDir: string;
  /** Where this run keeps secrets, for messages: "the OS keychain" or "the vault file" (--vault / MAILROOM_VAULT). */
  readonly secretStore: string;
  /** Opens the cache and services on first use. */
  services(): Services;
  /** The typed contract (`ctx.api.mailboxes.create(...)`), dispatched through the router: mutations are journaled exactly as from the console. */
  readonly api: Api;
}

/** A top-level command (`mailroom <name> ...`). */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], ctx: CliContext): Promise<number>;
}
