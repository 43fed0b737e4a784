import type { Redis } from 'ioredis';
import { PRESETS } from '../migration/presets.ts';

/** Which way the bytes go: into the target provider (upload) or out of the source provider (download). */
export type VolumeDirection = 'upload' | 'download';

/** One user's byte budget on one provider, per window (Gmail: 500 MB uploaded, 2,500 MB downloaded a day). */
export interface VolumeLimit {
  readonly provider: string;
  readonly direction: VolumeDirection;
  readonly user: string;
  readonly bytes: number;
}

/** What a charge or a check found for one limit: the bytes used in its window so far, and when the window resets (ms). */
export interface VolumeUse {
  readonly limit: VolumeLimit;
  readonly used: number;
  readonly resetAt: number;
  readonly exhausted: boolean;
}

// Providers count a day per user; a fixed UTC day is the window here (Google does not say where its day starts).
const WINDOW_MS = 86_400_000;

// INCRBY and the expiry in one step: workers on other machines charging the same user never lose a charge,
// and the key outlives its window by an hour (a late charge never meets a key without an expiry).
const CHARGE = `local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
return used`;

/** The byte budgets a job's users have: the target preset's upload and the source preset's download, per user per day. */
export function volumeLimitsOf(job: { readonly targetPreset?: string; readonly sourcePreset?: string; readonly targetUser: string; readonly sourceUser: string }, override?: number): VolumeLimit[] {
  const limits: VolumeLimit[] = [];
  const upload = override ?? (job.targetPreset ? PRESETS[job.targetPreset]?.uploadBytesPerDay : null);
  if (upload) limits.push({ provider: job.targetPreset ?? 'imap', direction: 'upload', user: job.targetUser, bytes: upload });
  const download = job.sourcePreset ? PRESETS[job.sourcePreset]?.downloadBytesPerDay : null;
  if (download) limits.push({ provider: job.sourcePreset!, direction: 'download', user: job.sourceUser, bytes: download });
  return limits;
}

/** Per user per provider per day byte accounting in Redis, shared by every worker of the fleet. */
export class VolumeBudget {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(redis: Redis, prefix: string, now: () => number = Date.now) {
    this.redis = redis;
    this.prefix = prefix;
    this.now = now;
  }

  /** Redis key of a limit's current window. */
  key(limit: VolumeLimit): string {
    return `${this.prefix}:fleet:volume:${limit.provider}:${limit.direction}:${limit.user}:${Math.floor(this.now() / WINDOW_MS)}`;
  }

  /** Adds `bytes` to every limit's window (atomically) and returns the most used one. */
  async charge(limits: readonly VolumeLimit[], bytes: number): Promise<VolumeUse | null> {
    let worst: VolumeUse | null = null;
    for (const limit of limits) {
      const resetAt = (Math.floor(this.now() / WINDOW_MS) + 1) * WINDOW_MS;
      const used = Number(await this.redis.eval(CHARGE, 1, this.key(limit), Math.max(0, Math.round(bytes)), resetAt + 3_600_000));
      const use = { limit, used, resetAt, exhausted: used >= limit.bytes };
      if (!worst || use.used / limit.bytes > worst.used / worst.limit.bytes) worst = use;
    }
    return worst;
  }

  /** The most used limit without charging anything (a job's check before it starts). */
  check(limits: readonly VolumeLimit[]): Promise<VolumeUse | null> {
    return this.charge(limits, 0);
  }
}

/** The one line `fleet status` and the console show for a job held by its volume budget. */
export function volumeHoldReason(use: VolumeUse): string {
  const { user, direction, provider, bytes } = use.limit;
  return `${user}: the ${provider} ${direction} budget is spent (${use.used} of ${bytes} bytes today); resumes at ${new Date(use.resetAt).toISOString()}`;
}
