import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchConnection } from '../../../../electron/migration/fetch-connection.ts';
import type { LandedRow, StateStore } from '../../../../electron/migration/state-store.ts';
import { prefetchViews, type DeepFolder } from '../../../../electron/migration/verify-prefetch.ts';

// A target connection that records what was sent and answers only when told: a batch is pipelined when
// every command of it was sent before the first answer came.
function target(holds: Record<string, number[]>) {
  const sent: string[] = [];
  const waiting: (() => void)[] = [];
  let open = '';
  const later = <T>(answer: () => T): Promise<T> => new Promise((resolve) => waiting.push(() => resolve(answer())));
  const raw = {
    examine: (path: string) => {
      sent.push(`EXAMINE ${path}`);
      return later(() => {
        open = path;
        return { uidValidity: 7, exists: holds[path]!.length };
      });
    },
    collect: (command: string) => {
      sent.push(command);
      return later(() => {
        const asked = command.replace('UID SEARCH UID ', '').split(',').flatMap((part) => {
          const [a, b] = part.split(':').map(Number);
          return Array.from({ length: (b ?? a!) - a! + 1 }, (_, i) => a! + i);
        });
        const found = asked.filter((u) => holds[open]!.includes(u));
        return { status: 'OK', text: 'done', responses: [{ text: `* SEARCH ${found.join(' ')}`, literals: [] }] };
      });
    },
  } as unknown as FetchConnection;
  const answerAll = async (): Promise<void> => {
    while (waiting.length > 0) {
      waiting.shift()!();
      await Promise.resolve();
    }
  };
  return { raw, sent, answerAll };
}

const rows = (uids: number[]): LandedRow[] => uids.map((uid) => ({ uid, key: `k${uid}`, targetUid: uid + 100, targetUidValidity: 7 }) as LandedRow);
const store = (landed: Record<string, number[]>): StateStore =>
  ({ landedPage: (path: string, _v: number, after: number, limit: number) => rows(landed[path]!.filter((u) => u > after)).slice(0, limit) }) as unknown as StateStore;
const folder = (name: string): DeepFolder => ({ sourcePath: name, uidValidity: 1, targetPath: `T/${name}` });
const noClient = () => Promise.reject(new Error('not used'));

describe('the deep check opens small folders a batch at a time (verify-prefetch.ts)', () => {
  beforeEach(() => {
    process.env['MAILROOM_UID_WINDOW'] = '10';
  });
  afterEach(() => {
    delete process.env['MAILROOM_UID_WINDOW'];
  });

  it('sends every EXAMINE and SEARCH of the batch before the first answer, and answers presence from them', async () => {
    const t = target({ 'T/A': [101, 102], 'T/B': [103] });
    const pending = prefetchViews(t.raw, noClient, store({ A: [1, 2, 3], B: [3] }), [folder('A'), folder('B')]);
    await Promise.resolve();
    expect(t.sent).toEqual(['EXAMINE T/A', 'UID SEARCH UID 101:103', 'EXAMINE T/B', 'UID SEARCH UID 103']);
    await t.answerAll();
    const { views, reached } = await pending;
    expect(reached).toBe(2);
    expect([...(await views.get('A')!.present([101, 102, 103]))].sort()).toEqual([101, 102]);
    expect([...(await views.get('B')!.present([103]))]).toEqual([103]);
    expect(views.get('A')!.exists).toBe(2);
  });

  it('stops the batch at one page of UIDs in all and passes over a folder that fills a page', async () => {
    const t = target({ 'T/A': [], 'T/Big': [], 'T/C': [], 'T/D': [] });
    const pending = prefetchViews(t.raw, noClient, store({ A: [1, 2, 3, 4, 5, 6], Big: Array.from({ length: 12 }, (_, i) => i + 1), C: [1, 2, 3], D: [1, 2] }), [folder('A'), folder('Big'), folder('C'), folder('D')]);
    await Promise.resolve();
    await t.answerAll();
    const { views, reached } = await pending;
    // A (6 UIDs) and C (3) fit a page of 10; D would pass it and waits for the next batch; Big is checked page by page.
    expect([...views.keys()]).toEqual(['A', 'C']);
    expect(reached).toBe(3);
    expect(t.sent.filter((c) => c.startsWith('EXAMINE'))).toEqual(['EXAMINE T/A', 'EXAMINE T/C']);
  });
});
