import { describe, expect, it } from 'vitest';
import { gaps } from '../../../../electron/migration/condstore-reader.ts';

const search = (...lines: string[]) => lines.map((text) => ({ text }) as never);

describe('gaps: the UIDs of a window that a UID SEARCH answer does not name', () => {
  it('reduces an answer to the missing ranges, at both ends and inside', () => {
    expect(gaps(1, 10, search('* SEARCH 2 3 4 7 9'))).toEqual([[1, 1], [5, 6], [8, 8], [10, 10]]);
  });

  it('names nothing when every UID is there, and the whole window when none is', () => {
    expect(gaps(5, 8, search('* SEARCH 8 6 5 7'))).toEqual([]);
    expect(gaps(5, 8, search('* SEARCH'))).toEqual([[5, 8]]);
    expect(gaps(5, 8, [])).toEqual([[5, 8]]);
  });

  it('joins answers split over several lines, ignores UIDs outside the window and a MODSEQ suffix', () => {
    expect(gaps(10, 20, search('* SEARCH 10 11 3', '* OK still here', '* SEARCH 12 25 (MODSEQ 917162500)'))).toEqual([[13, 20]]);
  });
});
