import type { Virtualizer } from '@tanstack/react-virtual';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeRectAfterLayout, ROWS_IN_ONE_FRAME, rowsAtStep, scrollAfterMount, TABLE_STEPS } from '../../../../renderer/components/virtual-table.tsx';

/** A scroll area that counts how often its layout is read and records every scroll write. */
function scrollArea() {
  const area = { reads: 0, writes: [] as unknown[], scrollTo: (to: unknown) => area.writes.push(to) };
  Object.defineProperty(area, 'clientWidth', { get: () => ((area.reads += 1), 1150) });
  Object.defineProperty(area, 'clientHeight', { get: () => ((area.reads += 1), 600) });
  return area;
}

const virtualizerOf = (element: object) => ({ scrollElement: element, options: { horizontal: false, isRtl: false } }) as unknown as Virtualizer<HTMLDivElement, Element>;

afterEach(() => vi.unstubAllGlobals());

describe('the scroll area size, taken after the browser laid it out', () => {
  it('reads no layout while mounting, and reports the size when the ResizeObserver calls', () => {
    let observed: (() => void) | undefined;
    const disconnect = vi.fn();
    vi.stubGlobal('ResizeObserver', class {
      constructor(callback: () => void) {
        observed = callback;
      }
      observe() {}
      disconnect = disconnect;
    });
    const area = scrollArea();
    const report = vi.fn();
    const stop = observeRectAfterLayout(virtualizerOf(area), report);
    expect(area.reads).toBe(0);
    expect(report).not.toHaveBeenCalled();
    observed!();
    expect(report).toHaveBeenCalledWith({ width: 1150, height: 600 });
    stop!();
    expect(disconnect).toHaveBeenCalledOnce();
  });

  it('keeps the first guess where there is no ResizeObserver', () => {
    vi.stubGlobal('ResizeObserver', undefined);
    const area = scrollArea();
    expect(observeRectAfterLayout(virtualizerOf(area), vi.fn())).toBeUndefined();
    expect(area.reads).toBe(0);
  });
});

describe('scroll writes after mount', () => {
  it('skips only the first write of a new scroll area, to 0 where it already is', () => {
    const area = scrollArea();
    scrollAfterMount(0, { adjustments: 0, behavior: undefined }, virtualizerOf(area));
    expect(area.writes).toEqual([]);
    scrollAfterMount(0, { adjustments: 0, behavior: undefined }, virtualizerOf(area));
    scrollAfterMount(520, { adjustments: 0, behavior: 'smooth' }, virtualizerOf(area));
    expect(area.writes).toEqual([{ top: 0, behavior: undefined }, { top: 520, behavior: 'smooth' }]);
  });

  it('writes a first scroll that goes anywhere but 0', () => {
    const area = scrollArea();
    scrollAfterMount(0, { adjustments: 52, behavior: undefined }, virtualizerOf(area));
    expect(area.writes).toEqual([{ top: 52, behavior: undefined }]);
  });
});

describe("a new table's rows over its first frames", () => {
  const onScreen = Array.from({ length: 17 }, (_, i) => i);

  it('draws none with the page, then the upper third, two thirds, and all of them', () => {
    expect(rowsAtStep(onScreen, 0)).toEqual([]);
    expect(rowsAtStep(onScreen, TABLE_STEPS.rows)).toEqual(onScreen.slice(0, 6));
    expect(rowsAtStep(onScreen, TABLE_STEPS.rows + 1)).toEqual(onScreen.slice(0, 12));
    expect(rowsAtStep(onScreen, TABLE_STEPS.allRows)).toEqual(onScreen);
    expect(rowsAtStep(onScreen, TABLE_STEPS.overscan)).toEqual(onScreen);
  });

  it('draws a few rows in one frame', () => {
    expect(rowsAtStep([0], TABLE_STEPS.rows)).toEqual([0]);
    expect(rowsAtStep(onScreen.slice(0, ROWS_IN_ONE_FRAME), TABLE_STEPS.rows)).toEqual(onScreen.slice(0, ROWS_IN_ONE_FRAME));
    expect(rowsAtStep(onScreen.slice(0, ROWS_IN_ONE_FRAME + 1), TABLE_STEPS.rows)).toHaveLength(3);
  });
});
