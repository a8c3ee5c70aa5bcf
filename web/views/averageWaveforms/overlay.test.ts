import { describe, expect, it } from 'vitest';
import { indexInSet, unionChannels } from './overlay';

const unit = (ids: number[], locs: [number, number][]) => ({ channel_ids: { data: Int32Array.from(ids) }, channel_locations: { data: Float32Array.from(locs.flat()) } });

describe('unionChannels', () => {
  it('keeps the first unit\'s channels in order, then adds the others\' new channels with their locations', () => {
    const a = unit([5, 4, 6], [[43, 40], [11, 40], [59, 60]]);
    const b = unit([6, 7, 4], [[59, 60], [27, 60], [11, 40]]);
    const s = unionChannels([a, b]);
    expect(s.ids).toEqual([5, 4, 6, 7]);
    expect(Array.from(s.locations)).toEqual([43, 40, 11, 40, 59, 60, 27, 60]);
    expect(indexInSet(s, b.channel_ids.data)).toEqual([2, 3, 1]);
    expect(indexInSet(s, Int32Array.from([99]))).toEqual([-1]);
  });
  it('of disjoint neighbourhoods is all of their channels; of none is empty', () => {
    const s = unionChannels([unit([1, 2], [[0, 0], [0, 20]]), unit([100, 101], [[0, 1000], [0, 1020]])]);
    expect(s.ids).toEqual([1, 2, 100, 101]);
    expect(unionChannels([]).ids).toEqual([]);
  });
});
