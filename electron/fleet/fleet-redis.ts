import { PRESETS, PRESET_NAMES } from '../migration/presets.ts';
import { withoutCredentials } from './job-state.ts';

/** The ioredis options a fleet process connects with (BullMQ passes them on). */
export interface RedisOptions {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls?: Record<string, never>;
  // BullMQ's blocking commands must wait through a Redis restart instead of failing after 20 retries.
  readonly maxRetriesPerRequest: null;
}

/** Environment variable that holds the Redis password: a password in the URL would be a secret in argv. */
export const REDIS_PASSWORD_ENV = 'MAILROOM_REDIS_PASSWORD';

/**
 * Parses `redis://[USER@]HOST[:PORT][/DB]` or `rediss://…` (TLS) into connection options; the
 * password comes from MAILROOM_REDIS_PASSWORD. Returns a one-line message for anything else.
 */
export function parseRedisUrl(text: string, env: NodeJS.ProcessEnv): RedisOptions | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--redis "${withoutCredentials(text)}" is not a URL like redis://host:6379`;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `--redis must be redis:// or rediss:// (TLS), not ${url.protocol}//`;
  if (url.password) return `--redis: a password in the URL is not accepted (it would show in the process list); set ${REDIS_PASSWORD_ENV} instead`;
  if (!url.hostname) return `--redis "${withoutCredentials(text)}" names no host`;
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return `--redis: the path must be a database number (redis://host:6379/0), not "/${db}"`;
  const password = env[REDIS_PASSWORD_ENV];
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(password ? { password } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** Default BullMQ key prefix of Mailroom's fleet queues (tests use their own). */
export const DEFAULT_QUEUE_PREFIX = 'mailroom';

/** The lane of a job: one BullMQ queue per target provider, so that provider's limits are that queue's policy. */
export type Lane = (typeof LANES)[number];

/** Every lane: one per provider preset, and `imap` for targets without one. */
export const LANES: readonly string[] = [...PRESET_NAMES, 'imap'];

/** The queue name of a lane. */
export function queueName(lane: string): string {
  return `migrate-${lane}`;
}

/** The lane a pair goes to, from its target preset. */
export function laneOf(targetPreset: string | undefined): string {
  return targetPreset && PRESETS[targetPreset] ? targetPreset : 'imap';
}

/** How a lane's workers run its jobs: BullMQ's limiter, and the upload connections one mailbox may open. */
export interface LanePolicy {
  /** At most `max` mailboxes start per `duration` ms in the whole fleet: a login burst is what providers throttle first. */
  readonly limiter: { readonly max: number; readonly duration: number };
  /** Cap on a job's upload connections: the provider's simultaneous IMAP connections per account. */
  readonly connectionsPerMailbox: number;
}

/** The lane's policy from its preset (reference/migration.md §3); `imap` is unlimited but for a sane start rate. */
export function lanePolicy(lane: string): LanePolicy {
  const preset = PRESETS[lane];
  if (!preset) return { limiter: { max: 50, duration: 1000 }, connectionsPerMailbox: 32 };
  return { limiter: { max: preset.maxConnections, duration: 1000 }, connectionsPerMailbox: preset.maxConnections };
}

/** Redis key of a worker's heartbeat hash (expires when the worker stops beating). */
export function heartbeatKey(prefix: string, host: string, pid: number): string {
  return `${prefix}:fleet:worker:${host}:${pid}`;
}

/** Pattern matching every heartbeat key under a prefix. */
export function heartbeatPattern(prefix: string): string {
  return `${prefix}:fleet:worker:*`;
}
