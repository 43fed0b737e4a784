// One memory bound for a migration run, in MB, split into the byte limits of the copy path.
// Message bodies are what the copy holds in proportion to its speed; they get a share of what the
// bound leaves above the runtime's own floor (Node, SQLite, imapflow, TLS: ≈70 MB measured). Every body
// held (read ahead, in a batch being filled, uploading) counts against inFlightBytes (body-budget.ts);
// the read-ahead and batch sizes only shape how that share is used.
// The V8 heap limits that go with it are set by the launcher (the CLI's shebang).

const MB = 1024 * 1024;
// What Node, better-sqlite3, imapflow and the TLS sessions take with nothing in flight (bench/migrate).
const RUNTIME_FLOOR_MB = 64;
// Each body is held about twice while in flight: the read buffer and the APPEND's segments.
const COPIES_PER_BODY = 2;

/**
 * The bound when MAILROOM_MEMORY_MB is unset: 8 MB of bodies in flight, 1 MB batches. (It was 192 while
 * a drop-proxy run with 96 had duplicated a batch; the cause was a stale read of the target folder,
 * fixed in message-meta.ts's lockCurrentView, not the bound.)
 */
export const DEFAULT_MEMORY_MB = 96;
/** Smallest bound accepted: below it the copy could not hold one batch. */
export const MIN_MEMORY_MB = 72;

/** Byte limits of the copy path, derived from one memory bound. */
export interface MemoryBudget {
  /** The bound it was derived from. */
  readonly memoryMb: number;
  /** Bodies held by the copy, all folders together: read ahead, batched, or not yet answered by the target. */
  readonly inFlightBytes: number;
  /** Bodies a source connection reads ahead of the copier before it pauses the socket. */
  readonly readAheadBytes: number;
  /** Largest MULTIAPPEND batch (a single larger message still goes alone). */
  readonly batchBytes: number;
  /** Messages of one folder scanned and copied at a time (a UID window): what a folder's size costs in memory. */
  readonly uidWindow: number;
}

/** Messages per UID window when MAILROOM_UID_WINDOW is unset. */
export const DEFAULT_UID_WINDOW = 5000;

/** The byte limits for a bound of `memoryMb` (whole MB, ≥ MIN_MEMORY_MB). */
export function memoryBudget(memoryMb: number = DEFAULT_MEMORY_MB, uidWindow: number = DEFAULT_UID_WINDOW): MemoryBudget {
  const bodies = (Math.max(memoryMb, MIN_MEMORY_MB) - RUNTIME_FLOOR_MB) * MB / COPIES_PER_BODY;
  const inFlightBytes = Math.min(Math.floor(bodies / 2), 64 * MB);
  return {
    memoryMb,
    inFlightBytes,
    readAheadBytes: clamp(Math.floor(bodies / 24), MB / 4, 2 * MB),
    batchBytes: clamp(Math.floor(inFlightBytes / 8), MB / 2, 2 * MB),
    uidWindow,
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

/** MAILROOM_UID_WINDOW (a whole number ≥ 1; tests set a small one), else DEFAULT_UID_WINDOW. */
export function runUidWindow(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['MAILROOM_UID_WINDOW'] ?? '');
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_UID_WINDOW;
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(Math.max(n, low), high);
}
