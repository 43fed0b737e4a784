/** What a fleet worker tells the fleet about itself, every few seconds. */
export interface FleetWorkerBeat {
  readonly host: string;
  readonly pid: number;
  /** Mailboxes at a time in each lane (`--concurrency`); the worker runs up to concurrency × lanes at once. */
  readonly concurrency: number;
  /** Lanes (one BullMQ queue per target provider) the worker takes jobs from. */
  readonly lanes: number;
  readonly active: number;
  readonly jobsDone: number;
  readonly jobsFailed: number;
  readonly messages: number;
  /** Messages copied per second over the last beat interval. */
  readonly throughput: number;
  readonly startedAt: number;
  readonly lastBeat: number;
}

/** A batch's totals on the fleet. */
export interface FleetBatchStatus {
  readonly batchId: string;
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  /** Jobs that gave up; jobs the console paused or cancelled are `stopped`, not failed. */
  readonly failed: number;
  readonly stopped: number;
  /** Jobs waiting for a provider's volume window (a user's daily upload or download budget spent), the first one's reason and the earliest resume (ms). */
  readonly held: number;
  readonly heldReason: string | null;
  readonly heldUntil: number | null;
  /** Starts beyond each job's first: a stall after a kill, a release on SIGTERM, a retried error, a throttle. */
  readonly retries: number;
  readonly messages: number;
  /** Messages copied per second from the batch's first start to its last finish (or now). */
  readonly messagesPerSecond: number;
}

/** Every live worker and every batch still in the fleet's queues (`mailroom fleet status`, migration.fleetStatus). */
export interface FleetStatus {
  readonly workers: readonly FleetWorkerBeat[];
  readonly batches: readonly FleetBatchStatus[];
}

/** Input of migration.fleetStatus: the fleet's Redis (its password from MAILROOM_REDIS_PASSWORD, never in the URL). */
export interface FleetStatusInput {
  readonly redis: string;
  /** BullMQ key prefix of the fleet's queues (default "mailroom"). */
  readonly prefix?: string;
}

/** Where a console batch runs on a fleet: its Redis (no password in the URL) and the state its workers share. */
export interface FleetTarget {
  readonly redis: string;
  /** State URL the workers share (sqlite:/path/state.db, postgres://…). */
  readonly state: string;
  /** BullMQ key prefix (default "mailroom"). */
  readonly prefix?: string;
}

/** The console's fleet settings as the renderer sees them: public values, and only whether a Redis password is kept. */
export interface FleetSettings {
  readonly redis: string | null;
  readonly state: string | null;
  /** The fleet's age recipient (public): every credential is sealed to it. */
  readonly recipient: string | null;
  readonly prefix: string | null;
  readonly hasRedisPassword: boolean;
}

/** Input of migration.setFleetSettings; a Redis password goes to the keychain (null removes it, absent keeps it). */
export interface FleetSettingsInput {
  readonly redis: string;
  readonly state: string;
  readonly recipient: string;
  readonly prefix?: string;
  readonly redisPassword?: string | null;
}
