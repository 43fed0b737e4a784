// One memory bound for a migration run, in MB, split into the byte limits of the copy path.
// Message bodies are the only thing the copy holds in proportion to what it moves; everything
// else (state rows, UID lists) is kept per window of UIDs, so the bound does not depend on the
// mailbox's size. What the runtime needs before a byte is copied (Node, SQLite, imapflow, TLS) is
// measured at ≈70 MB; the bodies get a share of what the bound leaves above that.

const MB = 1024 * 1024;
// What Node, better-sqlite3, imapflow and the TLS sessions take with nothing in flight (bench/migrate).
const RUNTIME_FLOOR_MB = 64;
// Each body is held about twice while in flight: the read buffer and the APPEND's segments.
const COPIES_PER_BODY = 2;

/** The bound the shipped launcher sets (MAILROOM_MEMORY_MB) and the default when nothing is set. */
export const DEFAULT_MEMORY_MB = 96;
/** Smallest bound accepted: below it the copy could not hold one batch. */
export const MIN_MEMORY_MB = 72;

/** Byte limits of the copy path, derived from one memory bound. */
export interface MemoryBudget {
  /** The bound it was derived from. */
  readonly memoryMb: number;
  /** Bodies read and not yet answered by the target, all folders together. */
  readonly inFlightBytes: number;
  /** Bodies a source connection reads ahead of the copier before it pauses the socket. */
  readonly readAheadBytes: number;
  /** Largest MULTIAPPEND batch (a single larger message still goes alone). */
  readonly batchBytes: number;
  /** Source UIDs a folder pass lists, keys and copies at a time. */
  readonly windowMessages: number;
}

/** The byte limits for a bound of `memoryMb` (whole MB, ≥ MIN_MEMORY_MB). */
export function memoryBudget(memoryMb: number = DEFAULT_MEMORY_MB): MemoryBudget {
  const bodies = (Math.max(memoryMb, MIN_MEMORY_MB) - RUNTIME_FLOOR_MB) * MB / COPIES_PER_BODY;
  const inFlightBytes = Math.min(Math.floor(bodies / 2), 64 * MB);
  return {
    memoryMb,
    inFlightBytes,
    readAheadBytes: clamp(Math.floor(bodies / 24), MB / 4, 2 * MB),
    batchBytes: clamp(Math.floor(inFlightBytes / 8), MB / 2, 2 * MB),
    windowMessages: 5000,
  };
}

/** The bound from MAILROOM_MEMORY_MB, or null when unset; throws on a value that is not a whole number ≥ MIN_MEMORY_MB. */
export function memoryMbFromEnv(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env['MAILROOM_MEMORY_MB'];
  if (raw === undefined || raw === '') return null;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < MIN_MEMORY_MB) throw new RangeError(`MAILROOM_MEMORY_MB must be a whole number of MB, at least ${MIN_MEMORY_MB} (got "${raw}").`);
  return mb;
}

/** The run's bound: MAILROOM_MEMORY_MB (set by the launcher) or DEFAULT_MEMORY_MB; an unusable value was already refused by the CLI. */
export function runMemoryMb(): number {
  try {
    return memoryMbFromEnv() ?? DEFAULT_MEMORY_MB;
  } catch {
    return DEFAULT_MEMORY_MB;
  }
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}
