import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';
import { readSecret } from '../password-input.ts';
import { MIN_PASSPHRASE_LENGTH } from '../../platform/file-vault.ts';
import { FleetKeyError, generateFleetKey, writeFleetKey, writeKeyFile } from '../../fleet/fleet-key.ts';
import type { FleetStatus } from '../../../shared/domain/fleet.ts';
import { fleetStatusResult } from '../../fleet/fleet-status.ts';
import { createKeychainFleetKey, KEYCHAIN_KEY_SCHEME, keychainKeyName } from '../../fleet/fleet-keychain.ts';
import { VaultUnavailableError } from '../../platform/credential-vault.ts';
import { FLEET_PASSPHRASE_ENV, fleetKeychain, redisOption } from './worker.ts';

/** `mailroom fleet keygen | status`: the fleet's key pair, and what its workers and batches are doing. */
export const fleetCommand: CliCommand = {
  name: 'fleet',
  summary: "the migration fleet's key pair and status",
  usage: `mailroom fleet keygen --keychain NAME [--pub FILE]   keeps the identity in the OS keychain (workers: --key keychain:NAME)
mailroom fleet keygen --out FILE   writes an age key pair: FILE (the identity, sealed with a passphrase from
         MAILROOM_FLEET_PASSPHRASE or the terminal) and FILE.pub (the recipient controllers seal credentials to), both 0600
mailroom fleet status --redis redis[s]://HOST[:PORT] [--json]   workers (host, pid, jobs, throughput, last heartbeat)
         and batches (waiting, held by a provider's volume budget, active, completed, failed, stopped by pause or
         cancel, retries, messages/s). A worker runs up to --concurrency mailboxes in each of its lanes (one per preset).`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'keygen') return keygen(rest, ctx);
    if (sub === 'status') return status(rest, ctx);
    throw new UsageError(`fleet needs keygen or status, not "${sub ?? ''}".`);
  },
};

async function keygen(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string' }, keychain: { type: 'string' }, pub: { type: 'string' } }, false);
  if (values.keychain !== undefined) return keygenInKeychain(ctx, values.keychain, values.out, values.pub);
  if (!values.out) throw new UsageError('--out FILE (or --keychain NAME) is required.');
  const passphrase = await readSecret(ctx.io, { ...(ctx.io.env[FLEET_PASSPHRASE_ENV] ? { env: FLEET_PASSPHRASE_ENV } : {}), prompt: 'Passphrase for the new fleet key' });
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new UsageError(`The fleet key's passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  const pair = await generateFleetKey(passphrase);
  try {
    writeFleetKey(values.out, pair);
  } catch (error) {
    if (error instanceof FleetKeyError) throw new UsageError(error.message);
    throw error;
  }
  emit(ctx, { key: values.out, public: `${values.out}.pub`, recipient: pair.recipient }, () => `${pair.recipient}\nFleet key written to ${values.out} (sealed) and ${values.out}.pub.`);
  return ExitCode.ok;
}

// The identity goes only into the keychain; the recipient is printed and, with --pub FILE, written (0600).
async function keygenInKeychain(ctx: CliContext, name: string, out: string | undefined, pub: string | undefined): Promise<number> {
  if (out !== undefined) throw new UsageError('Give --out FILE or --keychain NAME, not both.');
  let recipient: string;
  try {
    keychainKeyName(`${KEYCHAIN_KEY_SCHEME}${name}`);
    recipient = await createKeychainFleetKey(await fleetKeychain(ctx), name);
    if (pub !== undefined) writeKeyFile(pub, `${recipient}\n`);
  } catch (error) {
    if (error instanceof FleetKeyError || error instanceof VaultUnavailableError) throw new UsageError(error.message);
    throw error;
  }
  emit(ctx, { key: `${KEYCHAIN_KEY_SCHEME}${name}`, ...(pub ? { public: pub } : {}), recipient }, () => `${recipient}\nFleet key kept in the keychain as ${KEYCHAIN_KEY_SCHEME}${name}${pub ? `; recipient written to ${pub}` : ''}.`);
  return ExitCode.ok;
}

async function status(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { redis: { type: 'string' }, 'queue-prefix': { type: 'string' } }, false);
  redisOption(ctx, values.redis);
  const read = await fleetStatusResult({ redis: values.redis!, ...(values['queue-prefix'] ? { prefix: values['queue-prefix'] } : {}) }, ctx.io.env);
  // Redis down, refusing the password or the certificate: expected outcomes, said in one line.
  if (!read.ok) {
    emitError(ctx, read.error);
    return ExitCode.failed;
  }
  const s = read.value;
  emit(ctx, s, () => human(s));
  return ExitCode.ok;
}

function human(s: FleetStatus): string {
  const now = Date.now();
  const workers = s.workers.length === 0
    ? 'No worker is running.'
    : table(['HOST', 'PID', 'ACTIVE', 'PER LANE', 'DONE', 'FAILED', 'MSG/S', 'LAST HEARTBEAT'], s.workers.map((w) => [w.host, String(w.pid), `${w.active}/${w.concurrency * w.lanes}`, `${w.concurrency} × ${w.lanes} lanes`, String(w.jobsDone), String(w.jobsFailed), String(w.throughput), `${Math.round((now - w.lastBeat) / 1000)} s ago`]));
  const batches = s.batches.length === 0
    ? 'No batch in the queues.'
    : table(['BATCH', 'WAITING', 'HELD', 'ACTIVE', 'COMPLETED', 'FAILED', 'STOPPED', 'RETRIES', 'MESSAGES', 'MSG/S'], s.batches.map((b) => [b.batchId, String(b.waiting), String(b.held), String(b.active), String(b.completed), String(b.failed), String(b.stopped), String(b.retries), String(b.messages), String(b.messagesPerSecond)]));
  const held = s.batches.filter((b) => b.heldReason).map((b) => `${b.batchId}: ${b.held} held, e.g. ${b.heldReason}`);
  return [workers, batches, ...(held.length > 0 ? [held.join('\n')] : [])].join('\n\n');
}
