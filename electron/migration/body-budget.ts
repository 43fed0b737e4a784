// Bodies a run's copy holds, all folders together, counted against one limit from the moment a body is
// parsed off the source (read-ahead, a batch being filled, one uploading) until the target answers it or
// the copy drops it. Only reading waits on it: a held body is already counted, so sending it never does.

/** What a body stream needs of the run's budget: count what it parses, and know when to stop reading. */
export interface BodyGate {
  /** Counts bytes parsed off the source. */
  take(bytes: number): void;
  /** Gives back bytes no longer held. */
  release(bytes: number): void;
  /** True while a reader should wait: over the limit, with an upload out that will give bytes back. */
  readonly blocked: boolean;
  /** Calls `listener` whenever bytes come back or an upload ends; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/**
 * The run's body budget. Reading waits only while an upload is out: every wait ends when an upload is
 * answered or dropped (the pipeline's stall time bounds both; a throttled upload's backoff is bounded and
 * ends at pause or cancel), and with nothing uploading a reader
 * always goes on, so a folder whose batch holds the budget can fill it and send it, and one message
 * larger than the limit still goes alone. Once over the limit, reading waits until an eighth of it is
 * free again: readers let go at every answer read a message or two each and fill batches of a few.
 */
export class BodyBudget implements BodyGate {
  /** Bytes the copy may hold before reading waits. */
  readonly limit: number;
  private held = 0;
  private uploads = 0;
  private holding = false;
  private readonly listeners = new Set<() => void>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.held;
  }

  /** Uploads out now. */
  get uploading(): number {
    return this.uploads;
  }

  /** True while a reader should wait. */
  get blocked(): boolean {
    return this.holding;
  }

  /** Counts bytes parsed off the source. */
  take(bytes: number): void {
    this.held += bytes;
    this.update();
  }

  /** Gives back bytes no longer held (answered, dropped, or never sent). */
  release(bytes: number): void {
    if (bytes <= 0) return;
    this.held = Math.max(0, this.held - bytes);
    this.changed();
  }

  /** An upload of held bytes went out. */
  startUpload(): void {
    this.uploads++;
    this.update();
  }

  /** An upload ended (answered or dropped) and gives back its `bytes`. */
  endUpload(bytes: number): void {
    this.uploads = Math.max(0, this.uploads - 1);
    this.held = Math.max(0, this.held - bytes);
    this.changed();
  }

  /** Calls `listener` whenever bytes come back or an upload ends; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private update(): void {
    if (this.uploads === 0) this.holding = false;
    else if (this.held > this.limit) this.holding = true;
    else if (this.held <= this.limit - this.limit / 8) this.holding = false;
  }

  private changed(): void {
    this.update();
    for (const l of [...this.listeners]) l();
  }
}
