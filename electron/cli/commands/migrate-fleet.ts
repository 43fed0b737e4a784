import type { CopyMailboxOptions, CopyMailboxProgress, CopyMailboxReport } from '../../../shared/domain/migration-copy.ts';
import type { Result } from '../../../shared/errors/result.ts';
import type { ImapEndpoint } from '../../imap/imap-endpoint.ts';
import { runFleetBatch } from '../../fleet/fleet-controller.ts';
import { FleetKeyError, readRecipient } from '../../fleet/fleet-key.ts';
import { DEFAULT_QUEUE_PREFIX } from '../../fleet/fleet-redis.ts';
import { openJobState, StateUrlError } from '../../fleet/job-state.ts';
import { UsageError, type CliContext } from '../cli-context.ts';
import { redisOption } from './worker.ts';

/** Where `mailroom migrate --fleet` sends a batch. */
export interface FleetFlags {
  readonly redis: string;
  readonly state: string | undefined;
  /** The fleet's public key file (FLEET.key.pub) or its age1… recipient; else MAILROOM_FLEET_RECIPIENT. */
  readonly key: string | undefined;
  readonly prefix: string | undefined;
}

/** Runs the pairs on the fleet and follows them to the end; each pair's report (or why the fleet gave up) in order. */
export async function runOnFleet(
  ctx: CliContext,
  flags: FleetFlags,
  pairs: readonly { source: ImapEndpoint; target: ImapEndpoint }[],
  options: CopyMailboxOptions,
  onProgress: (p: CopyMailboxProgress) => void,
): Promise<Result<CopyMailboxReport>[]> {
  const connection = redisOption(ctx, flags.redis);
  const key = flags.key ?? ctx.io.env['MAILROOM_FLEET_RECIPIENT'];
  if (!key) throw new UsageError('--fleet needs --fleet-key FLEET.key.pub (or MAILROOM_FLEET_RECIPIENT): credentials are sealed to it.');
  let recipient: string;
  try {
    recipient = readRecipient(key);
  } catch (error) {
    if (error instanceof FleetKeyError) throw new UsageError(error.message);
    throw error;
  }
  if (!flags.state) throw new UsageError('--fleet needs --state, the state URL the workers share (sqlite:/path/state.db).');
  try {
    // Created here, once, so the workers starting on it never race to build its schema.
    await (await openJobState(flags.state, 'fleet-controller')).close();
  } catch (error) {
    if (error instanceof StateUrlError) throw new UsageError(error.message);
    throw error;
  }
  return runFleetBatch({ connection, prefix: flags.prefix ?? DEFAULT_QUEUE_PREFIX, recipient, pairs, options, onProgress });
}
