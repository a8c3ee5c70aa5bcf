import { describe, expect, it } from 'vitest';
import { rowsBetween } from './rangeSelect';

describe('rowsBetween', () => {
  const order = [7, 2, 9, 4, 1]; // the table sorted by some metric
  it('takes the rows between the anchor and the target in table order, either direction', () => {
    expect(rowsBetween(order, 2, 4)).toEqual([2, 9, 4]);
    expect(rowsBetween(order, 1, 9)).toEqual([9, 4, 1]);
    expect(rowsBetween(order, 9, 9)).toEqual([9]);
  });
  it('without an anchor (or one no longer shown) selects just the target', () => {
    expect(rowsBetween(order, null, 4)).toEqual([4]);
    expect(rowsBetween(order, 42, 4)).toEqual([4]);
    expect(rowsBetween(order, 2, 42)).toEqual([]);
  });
});
