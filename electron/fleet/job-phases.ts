/**
 * Where one fleet job's time goes, in ms: each phase since the one before, `idle` since the
 * worker's previous job ended (BullMQ handing over the next), and the awaited time and count of a
 * step called inside a phase (durable()).
 */
export class Phases {
  private at = performance.now();
  private readonly spent: Record<string, number> = {};

  constructor(previousEnd: number | null) {
    if (previousEnd !== null) this.spent['idle'] = this.at - previousEnd;
  }

  /** Ends the phase `name` now. */
  mark(name: string): void {
    const now = performance.now();
    this.spent[name] = (this.spent[name] ?? 0) + now - this.at;
    this.at = now;
  }

  /** `step` with its awaited time added to `name` and its calls counted in `nameCalls`. */
  timed(name: string, step: () => Promise<void>): () => Promise<void> {
    return async () => {
      const t = performance.now();
      try {
        await step();
      } finally {
        this.spent[name] = (this.spent[name] ?? 0) + performance.now() - t;
        this.spent[`${name}Calls`] = (this.spent[`${name}Calls`] ?? 0) + 1;
      }
    };
  }

  /** The phases, rounded to 0.1 ms. */
  ms(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.spent).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }
}
