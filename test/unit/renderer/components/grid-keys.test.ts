// @vitest-environment jsdom
import type { KeyboardEvent } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { moveGridFocus } from '../../../../renderer/components/grid-keys.ts';

function grid(rows: number): HTMLDivElement {
  const el = document.createElement('div');
  for (let i = 0; i < rows; i++) {
    const row = document.createElement('div');
    row.dataset['index'] = String(i);
    row.tabIndex = 0;
    row.append(document.createElement('span'));
    el.append(row);
  }
  document.body.append(el);
  return el;
}

function press(key: string, target: Element) {
  const preventDefault = vi.fn();
  return { event: { key, target, preventDefault } as unknown as KeyboardEvent<HTMLElement>, preventDefault };
}

describe('moveGridFocus', () => {
  it('moves down and up with arrows or j/k, clamped to the rows, and focuses the row on the next frame', async () => {
    const el = grid(3);
    const scrollToIndex = vi.fn();
    const ref = { current: el };
    const down = press('j', el.children[1]!.firstElementChild!);
    expect(moveGridFocus(down.event, 3, ref, { scrollToIndex })).toBeNull();
    expect(down.preventDefault).toHaveBeenCalled();
    expect(scrollToIndex).toHaveBeenLastCalledWith(2);
    await new Promise((done) => requestAnimationFrame(done));
    expect(document.activeElement).toBe(el.children[2]);
    expect(moveGridFocus(press('ArrowDown', el.children[2]!).event, 3, ref, { scrollToIndex })).toBeNull();
    expect(scrollToIndex).toHaveBeenLastCalledWith(2);
    expect(moveGridFocus(press('ArrowUp', el.children[0]!).event, 3, ref, { scrollToIndex })).toBeNull();
    expect(scrollToIndex).toHaveBeenLastCalledWith(0);
    el.remove();
  });

  it('returns the row index for other keys and null off a row', () => {
    const el = grid(2);
    const scrollToIndex = vi.fn();
    const enter = press('Enter', el.children[1]!);
    expect(moveGridFocus(enter.event, 2, { current: el }, { scrollToIndex })).toBe(1);
    expect(enter.preventDefault).not.toHaveBeenCalled();
    expect(moveGridFocus(press('Enter', el).event, 2, { current: el }, { scrollToIndex })).toBeNull();
    expect(scrollToIndex).not.toHaveBeenCalled();
    el.remove();
  });
});
