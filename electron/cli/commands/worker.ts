import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { readSecret } from '../password-input.ts';
import { FleetKeyError, openFleetKey } from '../../fleet/fleet-key.ts';
import { keychainKeyName, openKeychainFleetKey } from '../../fleet/fleet-keychain.ts';
import { DEFAULT_QUEUE_PREFIX, parseRedisUrl, type RedisOptions } from '../../fleet/fleet-redis.ts';
import { FleetWorker } from '../../fleet/fleet-worker.ts';
import { checkStateUrl, StateUrlError } from '../../fleet/job-state.ts';
import { VaultUnavailableError, type CredentialVault } from '../../platform/credential-vault.ts';

const OPTIONS = {
  redis: { type: 'string' },
  state: { type: 'string' },
  concurrency: { type: 'string' },
  key: { type: 'string' },
  'queue-prefix': { type: 'string' },
} as const;

/** Environment variable with the fleet key's passphrase (else it is asked on the terminal). */
export const FLEET_PASSPHRASE_ENV = 'MAILROOM_FLEET_PASSPHRASE';

/** `mailroom worker`: a fleet member taking per-mailbox migration jobs from BullMQ until SIGTERM. */
export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'take mailbox migration jobs from a fleet queue (BullMQ on Redis)',
  usage: `mailroom worker --redis redis[s]://[USER@]HOST[:PORT][/DB] --state sqlite:/path/state.db --key FLEET.key|keychain:NAME [--concurrency N]
         Runs the fleet's mailbox jobs with the desktop's engine until SIGTERM (running copies stop at a safe point
         and go back to the queue). --concurrency: mailboxes at a time in EACH target lane (one lane per preset and one for other IMAP: 5 lanes, so up to 5 × N mailboxes at once; default 2). Redis password: MAILROOM_REDIS_PASSWORD (never in the URL). The key's passphrase:
         MAILROOM_FLEET_PASSPHRASE or the terminal. MAILROOM_FLEET_LOCK_MS: how long a silent worker keeps its jobs (30000). MAILROOM_FLEET_TIMINGS=1: log each job's phases (ms).
         MAILROOM_FLEET_UPLOAD_BUDGET=BYTES: a target user's daily upload budget on every lane, instead of the presets'.`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, OPTIONS, false);
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const connection = redisOption(ctx, values.redis);
    if (!values.state) throw new UsageError('--state is required (sqlite:/path/state.db shared by the workers of this machine).');
    try {
      checkStateUrl(values.state);
    } catch (error) {
      if (error instanceof StateUrlError) throw new UsageError(error.message);
      throw error;
    }
    const concurrency = values.concurrency === undefined ? 2 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be 1..64 mailboxes.');
    const lockMs = Number(ctx.io.env['MAILROOM_FLEET_LOCK_MS'] ?? 30_000);
    if (!Number.isInteger(lockMs) || lockMs < 1000) throw new UsageError('MAILROOM_FLEET_LOCK_MS must be at least 1000.');
    if (!values.key) throw new UsageError('--key is required: the fleet key file (mailroom fleet keygen --out FILE).');
    const identity = await openKey(ctx, values.key);
    const log = (line: string): void => void ctx.io.stderr.write(`${new Date().toISOString()} ${line}\n`);
    const worker = new FleetWorker({ connection, prefix: values['queue-prefix'] ?? DEFAULT_QUEUE_PREFIX, stateUrl: values.state, identity, concurrency, lockMs, log, timings: ctx.io.env['MAILROOM_FLEET_TIMINGS'] === '1', ...budgetOption(ctx) });
    worker.start();
    await new Promise<void>((done) => {
      const stop = (signal: string): void => {
        log(`${signal}: stopping; running mailboxes stop at a safe point and go back to the queue`);
        worker.stop().then(done, (error: unknown) => {
          log(`stop failed: ${(error as Error).message}`);
          done();
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    log('stopped');
    // Every job is back in Redis and every state write committed by now. A copy aborted while it was still
    // connecting can leave a socket behind that would keep a stopped worker alive: name it, then exit anyway.
    // Unref'd, so it fires only when something does hold the process open.
    setTimeout(() => {
      log(`exiting although still open: ${process.getActiveResourcesInfo().join(', ')}`);
      process.exit(ExitCode.ok);
    }, 3_000).unref();
    return ExitCode.ok;
  },
};

// MAILROOM_FLEET_UPLOAD_BUDGET: bytes per target user per day, for a tenant whose quota is below its preset's.
function budgetOption(ctx: CliContext): { uploadBudget?: number } {
  const text = ctx.io.env['MAILROOM_FLEET_UPLOAD_BUDGET'];
  if (text === undefined) return {};
  const bytes = Number(text);
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError('MAILROOM_FLEET_UPLOAD_BUDGET must be a number of bytes (at least 1).');
  return { uploadBudget: bytes };
}

/** --redis parsed, or a one-line usage error (a password inside the URL is one). */
export function redisOption(ctx: CliContext, url: string | undefined): RedisOptions {
  if (!url) throw new UsageError('--redis is required (redis://HOST:6379 or rediss://… for TLS).');
  const parsed = parseRedisUrl(url, ctx.io.env);
  if (typeof parsed === 'string') throw new UsageError(parsed);
  return parsed;
}

async function openKey(ctx: CliContext, file: string): Promise<string> {
  const name = keychainName(file);
  if (name !== null) return fromKeychain(ctx, name);
  const passphrase = await readSecret(ctx.io, { ...(ctx.io.env[FLEET_PASSPHRASE_ENV] ? { env: FLEET_PASSPHRASE_ENV } : {}), prompt: `Passphrase of the fleet key ${file}` });
  try {
    return await openFleetKey(file, passphrase);
  } catch (error) {
    if (error instanceof FleetKeyError) throw new UsageError(error.message);
    throw error;
  }
}

function keychainName(key: string): string | null {
  try {
    return keychainKeyName(key);
  } catch (error) {
    if (error instanceof FleetKeyError) throw new UsageError(error.message);
    throw error;
  }
}

/** The keychain a fleet command reads: the CLI's (MAILROOM_KEYCHAIN_SERVICE, default Mailroom). */
export async function fleetKeychain(ctx: CliContext): Promise<CredentialVault> {
  return new (await import('../../platform/keychain-vault.ts')).KeychainVault(ctx.io.env['MAILROOM_KEYCHAIN_SERVICE'] ?? 'Mailroom');
}

async function fromKeychain(ctx: CliContext, name: string): Promise<string> {
  try {
    return await openKeychainFleetKey(await fleetKeychain(ctx), name);
  } catch (error) {
    if (error instanceof FleetKeyError) throw new UsageError(error.message);
    if (error instanceof VaultUnavailableError) throw new UsageError(error.message);
    throw error;
  }
}
