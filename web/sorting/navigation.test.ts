import { describe, expect, it } from 'vitest';
import { neighbourUnit } from './navigation';

describe('neighbourUnit', () => {
  const order = [7, 2, 9, 4]; // the table sorted by some metric
  it('moves one row down or up the table order, not the unit ids', () => {
    expect(neighbourUnit(order, [2], 1)).toBe(9);
    expect(neighbourUnit(order, [2], -1)).toBe(7);
    expect(neighbourUnit(order, [9], 1)).toBe(4);
  });
  it('starts at the first (last) row when nothing shown is selected', () => {
    expect(neighbourUnit(order, [], 1)).toBe(7);
    expect(neighbourUnit(order, [], -1)).toBe(4);
    expect(neighbourUnit(order, [42], 1)).toBe(7); // a unit the filter now hides
  });
  it('goes past the last selected row (down) or before the first (up) of a multiple selection', () => {
    expect(neighbourUnit(order, [2, 7], 1)).toBe(9); // selection is sorted by id, the table is not
    expect(neighbourUnit(order, [4, 9], -1)).toBe(2);
  });
  it('stops at either end (null), and has nothing to give in an empty table', () => {
    expect(neighbourUnit(order, [4], 1)).toBeNull();
    expect(neighbourUnit(order, [7], -1)).toBeNull();
    expect(neighbourUnit([], [], 1)).toBeNull();
  });
});
