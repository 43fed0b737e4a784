import type { FleetSettings, FleetSettingsInput, FleetStatus, FleetStatusInput, FleetTarget } from '../../shared/domain/fleet.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { Db } from '../db/database.ts';
import { SettingsRepo } from '../db/settings-repo.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import { FleetKeyError, readRecipient } from './fleet-key.ts';
import { DEFAULT_QUEUE_PREFIX, parseRedisUrl, REDIS_PASSWORD_ENV, type RedisOptions } from './fleet-redis.ts';
import { checkStateUrl, StateUrlError } from './job-state.ts';

const SETTINGS_KEY = 'fleet';
/** Keychain account of the fleet's Redis password. */
export const REDIS_PASSWORD_ACCOUNT = 'fleet:redis-password';

interface Stored {
  readonly redis: string;
  readonly state: string;
  readonly recipient: string;
  readonly prefix?: string;
}

/** A fleet batch's connection, ready for BullMQ: Redis options with the keychain's password, and the recipient to seal to. */
export interface FleetConnection {
  readonly connection: RedisOptions;
  readonly prefix: string;
  readonly state: string;
  readonly recipient: string;
}

/**
 * The console's fleet settings: Redis URL, state URL, prefix and the fleet's public recipient in the
 * settings table (none of them secret), the Redis password in the keychain only.
 */
export class FleetSettingsStore {
  private readonly settings: SettingsRepo;
  private readonly vault: CredentialVault;

  constructor(db: Db, vault: CredentialVault) {
    this.settings = new SettingsRepo(db);
    this.vault = vault;
  }

  /** The settings as the renderer may see them. */
  async read(): Promise<Result<FleetSettings>> {
    const s = this.settings.get<Stored>(SETTINGS_KEY);
    const password = await this.vault.get(REDIS_PASSWORD_ACCOUNT);
    return ok({ redis: s?.redis ?? null, state: s?.state ?? null, recipient: s?.recipient ?? null, prefix: s?.prefix ?? null, hasRedisPassword: password !== null });
  }

  /** Checks and stores the settings; answers them as stored. */
  async write(input: FleetSettingsInput): Promise<Result<FleetSettings>> {
    const checked = checkTarget({ redis: input.redis, state: input.state });
    if (!checked.ok) return checked;
    // A pasted .pub file may carry comment lines; only the recipient is kept. Never a path: the renderer names no files here.
    const line = input.recipient.split('\n').map((l) => l.trim()).find((l) => l.startsWith('age1'));
    if (!line) return err('input.invalid', "The fleet's public key must be its age recipient (age1…), the contents of FLEET.key.pub.");
    let recipient: string;
    try {
      recipient = readRecipient(line);
    } catch (error) {
      if (error instanceof FleetKeyError) return err('input.invalid', error.message);
      throw error;
    }
    this.settings.put(SETTINGS_KEY, { redis: input.redis, state: input.state, recipient, ...(input.prefix ? { prefix: input.prefix } : {}) } satisfies Stored);
    if (input.redisPassword === null) await this.vault.delete(REDIS_PASSWORD_ACCOUNT);
    else if (input.redisPassword !== undefined) await this.vault.set(REDIS_PASSWORD_ACCOUNT, input.redisPassword);
    return this.read();
  }

  /** A batch's fleet target checked before the batch is created: its URLs, a recipient to seal to, and mail-only pairs. */
  check(target: FleetTarget, davPairs: number): Result<void> {
    const checked = checkTarget(target);
    if (!checked.ok) return checked;
    // Workers run the mail engine only; calendars and contacts would silently stay behind.
    if (davPairs > 0) return err('backend.unsupported', `${davPairs} mailbox(es) of this batch also move calendars and contacts, which only this machine copies: run the batch here.`);
    if (!this.settings.get<Stored>(SETTINGS_KEY)?.recipient) return err('input.invalid', "Set the fleet's public key (FLEET.key.pub) in the fleet settings first: credentials are sealed to it.");
    return ok(undefined);
  }

  /** The fleet at a Redis URL (its password from the keychain, else MAILROOM_REDIS_PASSWORD); BullMQ loads only when asked. */
  async status(input: FleetStatusInput): Promise<Result<FleetStatus>> {
    const password = await this.vault.get(REDIS_PASSWORD_ACCOUNT);
    const env = password ? { ...process.env, [REDIS_PASSWORD_ENV]: password } : process.env;
    return (await import('./fleet-status.ts')).fleetStatusResult(input, env);
  }

  /** What a fleet batch connects with; the Redis password read from the keychain now. */
  async connect(target: FleetTarget): Promise<Result<FleetConnection>> {
    const recipient = this.settings.get<Stored>(SETTINGS_KEY)?.recipient;
    if (!recipient) return err('input.invalid', "No fleet public key is set: credentials cannot be sealed.");
    const parsed = parseRedisUrl(target.redis, {});
    if (typeof parsed === 'string') return err('input.invalid', parsed);
    const password = await this.vault.get(REDIS_PASSWORD_ACCOUNT);
    return ok({ connection: { ...parsed, ...(password ? { password } : {}) }, prefix: target.prefix ?? DEFAULT_QUEUE_PREFIX, state: target.state, recipient });
  }
}

function checkTarget(target: FleetTarget): Result<void> {
  const parsed = parseRedisUrl(target.redis, {});
  if (typeof parsed === 'string') return err('input.invalid', parsed.replace(/^--redis/, 'The fleet Redis URL'));
  try {
    checkStateUrl(target.state);
  } catch (error) {
    if (error instanceof StateUrlError) return err('input.invalid', error.message.replace(/^--state/, 'The fleet state URL'));
    throw error;
  }
  return ok(undefined);
}
