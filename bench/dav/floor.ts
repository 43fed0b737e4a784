// The server's floor for the bench: the cheapest client there is (one plain PUT at a time, Node's
// fetch, nothing read back) writing the same items into a fresh collection, with the time of each
// PUT by how full the collection was, so the server's own cost per write can be told from a tool's.
import type { RadicaleServer } from '../../test/support/radicale.ts';
import { putItem, seedCollection, type SeedCollection } from '../../test/support/dav-corpus.ts';

/** Items per second of sequential single PUTs, and the median PUT in each tenth of the fill. */
export interface PutFloor {
  readonly items: number;
  readonly seconds: number;
  readonly itemsPerSecond: number;
  /** Median milliseconds of one PUT while the collection held 0–10 %, 10–20 %, … of the items. */
  readonly medianMsByFill: number[];
}

/** PUTs every item of `c` one after another into a new collection of `user`; measures each PUT. */
export async function sequentialPutFloor(server: RadicaleServer, user: string, password: string, c: SeedCollection): Promise<PutFloor> {
  const url = await seedCollection(server, user, password, { ...c, items: [] });
  const auth = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  const times: number[] = [];
  const started = performance.now();
  for (const item of c.items) {
    const t = performance.now();
    await putItem(url + item.name, auth, c.kind, item.text);
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  const tenth = Math.max(1, Math.floor(times.length / 10));
  const medianMsByFill = Array.from({ length: Math.min(10, times.length) }, (_, k) => median(times.slice(k * tenth, (k + 1) * tenth)));
  return { items: c.items.length, seconds: +seconds.toFixed(2), itemsPerSecond: Math.round(c.items.length / seconds), medianMsByFill };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1);
}
