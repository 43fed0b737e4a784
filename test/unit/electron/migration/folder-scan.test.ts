import { describe, expect, it } from 'vitest';
import { windowRange } from '../../../../electron/migration/folder-scan.ts';
import { DEFAULT_UID_WINDOW, memoryBudget, runUidWindow } from '../../../../electron/migration/memory-budget.ts';

describe('UID windows', () => {
  it('names a bounded range up to the last UID, or N:* when UIDNEXT is unknown', () => {
    expect(windowRange(1, 5000, 12_000)).toBe('1:5000');
    expect(windowRange(10_001, 5000, 12_000)).toBe('10001:12000');
    expect(windowRange(7, 5000, Infinity)).toBe('7:*');
  });

  it('takes MAILROOM_UID_WINDOW when it is a whole number of at least 1, else the default', () => {
    expect(runUidWindow({ MAILROOM_UID_WINDOW: '7' })).toBe(7);
    for (const bad of ['0', '-3', '2.5', 'lots', '']) expect(runUidWindow({ MAILROOM_UID_WINDOW: bad })).toBe(DEFAULT_UID_WINDOW);
    expect(runUidWindow({})).toBe(DEFAULT_UID_WINDOW);
    expect(memoryBudget(96, 7).uidWindow).toBe(7);
  });
});
