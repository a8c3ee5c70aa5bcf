import { describe, expect, it } from 'vitest';
import { simplifyMergeGroups } from '../../core/reducers/curation';
import { curatedSorting, subsorting } from './curated';
import { sortingFromTrains } from './sortingUtils';

const parent = () => sortingFromTrains(new Map([
  [1, new Float64Array([10, 50])], [2, new Float64Array([20, 50])], [3, new Float64Array([5])], [4, new Float64Array([40])], [7, new Float64Array([1, 99])],
]), 30000, 'parent', { 2: ['accept'], 4: ['mua'], 7: ['noise'] });

describe('merge groups', () => {
  it('unions intersecting groups, sorts, drops singletons', () => {
    expect(simplifyMergeGroups([[4, 2], [7], [2, 1], [9, 8]])).toEqual([[1, 2, 4], [8, 9]]);
    expect(simplifyMergeGroups([])).toEqual([]);
  });
});

describe('curated', () => {
  it('merged unit takes the smallest id and the sorted union of trains', () => {
    const s = curatedSorting(parent(), [[4, 2], [2, 1]]);
    expect(s.unitIds).toEqual([1, 3, 7]);
    expect(Array.from(s.spikeTrain(1))).toEqual([10, 20, 40, 50, 50]);
    expect(Array.from(s.spikeTrain(3))).toEqual([5]);
    expect(() => s.spikeTrain(2)).toThrow(/unit 2 is merged into unit 1/);
    expect(s.initialLabels).toEqual({ 1: ['accept', 'mua'], 7: ['noise'] });
  });

  it('refuses a group naming an unknown unit', () => {
    expect(() => curatedSorting(parent(), [[1, 99]])).toThrow(/merge group \[1, 99\] names unit 99/);
  });
});

describe('subsorting', () => {
  it('keeps the listed units and shifts the window to frame 0', () => {
    const s = subsorting(parent(), { start_frame: 10, end_frame: 50, unit_ids: [2, 1] });
    expect(s.unitIds).toEqual([1, 2]);
    expect(Array.from(s.spikeTrain(1))).toEqual([0]);
    expect(Array.from(s.spikeTrain(2))).toEqual([10]);
    expect(() => s.spikeTrain(7)).toThrow(/not in subsorting/);
    expect(s.initialLabels).toEqual({ 2: ['accept'] });
  });
});
