import { describe, expect, it } from 'vitest';
import { BodyBudget, type BodyGate } from '../../../../electron/migration/body-budget.ts';
import { FolderCopier, type CopyContext } from '../../../../electron/migration/folder-copier.ts';
import type { AppendItem } from '../../../../electron/migration/append-connection.ts';
import { gatedStream } from '../../../support/gated-stream.ts';
import { memoryBudget } from '../../../../electron/migration/memory-budget.ts';
import type { FetchedBody } from '../../../../electron/imap/fetch-parse.ts';
import type { MessageRow } from '../../../../electron/migration/state-store.ts';

describe('the run body budget', () => {
  it('counts what is taken until it is released or its upload ends, and blocks readers only while an upload is out', () => {
    const b = new BodyBudget(1000);
    b.take(1200);
    expect(b.blocked).toBe(false);
    b.startUpload();
    expect(b.blocked).toBe(true);
    const seen: number[] = [];
    const off = b.onChange(() => seen.push(b.bytes));
    b.release(100);
    expect(b.blocked).toBe(true);
    b.endUpload(500);
    expect([b.bytes, b.uploading, b.blocked]).toEqual([600, 0, false]);
    off();
    b.release(5000);
    expect(seen).toEqual([1100, 600]);
    expect(b.bytes).toBe(0);
  });

  it('once over the limit, keeps readers waiting until an eighth of it is free again', () => {
    const b = new BodyBudget(800);
    b.startUpload();
    b.take(900);
    expect(b.blocked).toBe(true);
    b.release(150);
    expect([b.bytes, b.blocked]).toEqual([750, true]);
    b.release(50);
    expect([b.bytes, b.blocked]).toEqual([700, false]);
    b.take(100);
    expect(b.blocked).toBe(false);
    b.take(1);
    expect(b.blocked).toBe(true);
  });

  it('never blocks with nothing uploading, so one message larger than the limit still goes', () => {
    const b = new BodyBudget(10);
    b.take(1_000_000);
    expect(b.blocked).toBe(false);
  });
});

// What the copy holds, folders at once: bodies read off the source and not yet answered by the target.
interface Tally {
  read: number;
  answered: number;
  peak: number;
}

const BODY = 100 * 1024;

// A source that makes each body as it is asked for. `gatedBodies` does what FetchConnection's does with the
// gate: counts each body, and while the gate is blocked yields null once and waits for it to change.
function fakeSource(tally: Tally): object {
  const make = (uid: number): FetchedBody => {
    tally.read += BODY;
    tally.peak = Math.max(tally.peak, tally.read - tally.answered);
    return { uid, content: Buffer.alloc(BODY, 97), flags: [], internalDate: new Date(0) };
  };
  const uids = (set: string): number[] => {
    const [a, b] = set.split(':').map(Number);
    return Array.from({ length: b! - a! + 1 }, (_, i) => a! + i);
  };
  return {
    alive: true,
    async *bodies(set: string): AsyncGenerator<FetchedBody> {
      for (const uid of uids(set)) yield make(uid);
    },
    gatedBodies: (set: string, _readAhead: number, gate: BodyGate) => gatedStream(uids(set), gate, make),
  };
}

function context(tally: Tally, answerMs: number, signal?: AbortSignal): CopyContext {
  const budget = memoryBudget(96);
  const noop = (): void => undefined;
  return {
    store: { setState: noop, settle: noop, fail: noop, setKeys: noop },
    pool: {
      submit: async (_mailbox: string, items: readonly AppendItem[]) => {
        await new Promise((r) => setTimeout(r, answerMs));
        tally.answered += items.reduce((n, i) => n + i.content.length, 0);
        return [{ count: items.length, outcome: { ok: true, uidValidity: 1, uids: null } }];
      },
    },
    counters: { copied: 0, skipped: 0, failed: 0, bytes: 0, total: 0 },
    warnings: [],
    signal,
    budget,
    bodies: new BodyBudget(budget.inFlightBytes),
    inFlight: { bytes: 0 },
    durable: async () => undefined,
    report: noop,
  } as unknown as CopyContext;
}

interface CopierInside {
  fetcher: object;
  copyBodies(rows: readonly MessageRow[]): Promise<void>;
  settleAll(): Promise<void>;
}

function copier(ctx: CopyContext, tally: Tally, name: string): CopierInside {
  const c = new FolderCopier(ctx, { sourcePath: name, targetPath: name } as never, { status: null } as never) as unknown as CopierInside;
  c.fetcher = fakeSource(tally);
  return c;
}

const rows = (name: string, count: number): MessageRow[] =>
  Array.from({ length: count }, (_, i) => ({ sourcePath: name, uidValidity: 1, uid: i + 1, key: `k${name}${i}`, size: BODY, internalDate: 0, targetPath: name }) as unknown as MessageRow);

describe('a copy of several folders at once', () => {
  it('holds the bodies of six folders within the in-flight bound, their waiting batches and read-ahead included', async () => {
    const tally: Tally = { read: 0, answered: 0, peak: 0 };
    const ctx = context(tally, 15);
    const folders = ['a', 'b', 'c', 'd', 'e', 'f'];
    await Promise.all(
      folders.map(async (f) => {
        const c = copier(ctx, tally, f);
        await c.copyBodies(rows(f, 200));
        await c.settleAll();
      }),
    );
    expect(tally.answered).toBe(6 * 200 * BODY);
    expect(ctx.counters.copied).toBe(1200);
    // Over the bound by at most the body each folder was reading when it was reached.
    expect(tally.peak).toBeLessThanOrEqual(ctx.budget.inFlightBytes + folders.length * BODY);
    expect((ctx as unknown as { bodies: BodyBudget }).bodies.bytes).toBe(0);
  });

  it('sends a message larger than the whole bound alone, and ends', async () => {
    const tally: Tally = { read: 0, answered: 0, peak: 0 };
    const ctx = context(tally, 5);
    const big = new BodyBudget(BODY / 2);
    (ctx as unknown as { bodies: BodyBudget }).bodies = big;
    const c = copier(ctx, tally, 'big');
    await c.copyBodies(rows('big', 5));
    await c.settleAll();
    expect(tally.answered).toBe(5 * BODY);
    expect(big.bytes).toBe(0);
  });

  it('gives every byte back when cancelled while readers wait on the budget', async () => {
    const tally: Tally = { read: 0, answered: 0, peak: 0 };
    const abort = new AbortController();
    const ctx = context(tally, 200, abort.signal);
    const copies = ['a', 'b', 'c'].map((f) => {
      const c = copier(ctx, tally, f);
      return c.copyBodies(rows(f, 500)).catch((e: Error) => e.message);
    });
    setTimeout(() => abort.abort(), 100);
    const t0 = performance.now();
    expect(await Promise.all(copies)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect((ctx as unknown as { bodies: BodyBudget }).bodies.bytes).toBe(0);
  });
});
