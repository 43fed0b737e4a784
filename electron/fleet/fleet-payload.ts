import type { CopyMailboxOptions } from '../../shared/domain/migration-copy.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { jobIdOf } from '../migration/mailbox-copy.ts';
import { sealSecret, unsealSecret } from './fleet-key.ts';

/** One side of a fleet job: the endpoint without its secret, and the secret sealed to the fleet's recipient. */
export interface SealedEndpoint extends Omit<ImapEndpoint, 'auth'> {
  readonly authKind: 'password' | 'xoauth2';
  /** Armored age message, readable only with the fleet's identity. */
  readonly sealedSecret: string;
}

/** The data of one BullMQ job: one mailbox pair of a batch. Nothing in it is readable without the fleet's key. */
export interface FleetJobData {
  readonly format: 'mailroom-fleet-job/1';
  /** The pair's migration job id (jobIdOf): its state's key, and (as queueJobId) its BullMQ id, so adding the pair again is idempotent. */
  readonly jobId: string;
  readonly batchId: string;
  readonly source: SealedEndpoint;
  readonly target: SealedEndpoint;
  readonly options: CopyMailboxOptions;
}

/**
 * The BullMQ id of a pair's job: its migration job id behind a letter prefix. BullMQ refuses a custom id
 * that reads as an integer, and 16 hex digits are all decimal about once in 1,850 pairs (once in six 300-mailbox batches).
 */
export function queueJobId(jobId: string): string {
  return `pair-${jobId}`;
}

/** The pair's migration job id of a BullMQ job id (queueJobId's inverse). */
export function pairJobId(queueId: string): string {
  return queueId.replace(/^pair-/, '');
}

/** Seals a pair's two endpoints into a job payload. */
export async function sealJob(batchId: string, source: ImapEndpoint, target: ImapEndpoint, options: CopyMailboxOptions, recipient: string): Promise<FleetJobData> {
  return {
    format: 'mailroom-fleet-job/1',
    jobId: jobIdOf(source, target),
    batchId,
    source: await sealEndpoint(source, recipient),
    target: await sealEndpoint(target, recipient),
    options,
  };
}

/** Opens a payload's endpoints with the fleet's identity (FleetKeyError when sealed to another key). */
export async function unsealJob(data: FleetJobData, identity: string): Promise<{ source: ImapEndpoint; target: ImapEndpoint }> {
  return { source: await unsealEndpoint(data.source, identity), target: await unsealEndpoint(data.target, identity) };
}

async function sealEndpoint(endpoint: ImapEndpoint, recipient: string): Promise<SealedEndpoint> {
  const { auth, ...rest } = endpoint;
  const oauth = 'accessToken' in auth;
  return { ...rest, authKind: oauth ? 'xoauth2' : 'password', sealedSecret: await sealSecret(oauth ? auth.accessToken : auth.password, recipient) };
}

async function unsealEndpoint(sealed: SealedEndpoint, identity: string): Promise<ImapEndpoint> {
  const { authKind, sealedSecret, ...rest } = sealed;
  const secret = await unsealSecret(sealedSecret, identity);
  return { ...rest, auth: authKind === 'xoauth2' ? { accessToken: secret } : { password: secret } };
}
