/** One cumulative progress reading: when, and how much had been copied by then. */
export interface ProgressSample {
  /** Milliseconds (any monotonic clock). */
  readonly t: number;
  readonly messages: number;
  readonly bytes: number;
}

/** Rates over a window: messages and bytes per second. */
export interface Rates {
  readonly messagesPerSecond: number;
  readonly bytesPerSecond: number;
}

/** Samples kept per batch; at one sample a second that is ten minutes of chart. */
export const MAX_SAMPLES = 600;

/** Adds a sample; a counter that went backwards (a resumed run starting over) restarts the series. */
export function addSample(samples: readonly ProgressSample[], next: ProgressSample): ProgressSample[] {
  const last = samples.at(-1);
  if (last && (next.messages < last.messages || next.t < last.t)) return [next];
  // Two events in the same millisecond: keep the later totals only.
  const base = last && last.t === next.t ? samples.slice(0, -1) : samples;
  const out = [...base, next];
  return out.length > MAX_SAMPLES ? out.slice(out.length - MAX_SAMPLES) : out;
}

/** Average rates over the last `windowMs` of samples (sliding window, so a stall shows quickly). */
export function ratesOver(samples: readonly ProgressSample[], windowMs = 10_000): Rates | null {
  const last = samples.at(-1);
  if (!last) return null;
  let first = last;
  for (let i = samples.length - 1; i >= 0; i -= 1) {
    const s = samples[i]!;
    first = s;
    if (last.t - s.t >= windowMs) break;
  }
  const seconds = (last.t - first.t) / 1000;
  if (seconds <= 0) return null;
  return { messagesPerSecond: (last.messages - first.messages) / seconds, bytesPerSecond: (last.bytes - first.bytes) / seconds };
}

/** Per-interval rates for a chart: x in seconds since the first sample, y in msg/s and MB/s. */
export function rateSeries(samples: readonly ProgressSample[]): { readonly x: number[]; readonly messages: number[]; readonly megabytes: number[] } {
  const x: number[] = [];
  const messages: number[] = [];
  const megabytes: number[] = [];
  const t0 = samples[0]?.t ?? 0;
  for (let i = 1; i < samples.length; i += 1) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const dt = (b.t - a.t) / 1000;
    if (dt <= 0) continue;
    x.push((b.t - t0) / 1000);
    messages.push((b.messages - a.messages) / dt);
    megabytes.push((b.bytes - a.bytes) / dt / 1_048_576);
  }
  return { x, messages, megabytes };
}
