/** A bound on requests in flight shared by concurrent callers: each `run` waits for a free slot, first come first served. */
export class WriteSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Runs `task` once a slot is free and gives the slot back when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so a caller arriving now cannot jump the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
