import { describe, expect, it } from 'vitest';
import { shankGroups, shankOfChannel } from './shanks';

describe('shankGroups', () => {
  it('one shank for a single-shank probe (all channels in group 0)', () => {
    const geom = Array.from({ length: 6 }, (_, c) => [[43, 11][c % 2], 20 * Math.floor(c / 2)] as [number, number]);
    const s = shankGroups([0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0], geom);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ group: 0, label: 'shank 0', channelIds: [0, 1, 2, 3, 4, 5], bounds: { minX: 11, maxX: 43, minY: 0, maxY: 40 } });
  });
  it('a 4-shank Neuropixels 2.0 probe: electrodes grouped per shank, 250 µm apart, labelled by shank', () => {
    // Channels interleaved over shanks, as an imro table may order them.
    const ids = Array.from({ length: 16 }, (_, c) => c);
    const groups = ids.map((c) => c % 4);
    const geom = ids.map((c) => [250 * (c % 4) + [27, 59][Math.floor(c / 4) % 2], 15 * Math.floor(c / 8)] as [number, number]);
    const s = shankGroups(ids, groups, geom);
    expect(s.map((x) => x.label)).toEqual(['shank 0', 'shank 1', 'shank 2', 'shank 3']);
    expect(s[2].channelIds).toEqual([2, 6, 10, 14]);
    expect(s[3].bounds).toEqual({ minX: 777, maxX: 809, minY: 0, maxY: 15 });
    expect(shankOfChannel(s).get(13)).toBe(1);
  });
  it('groups that overlap in x are not called shanks; groups of the wrong length count as one', () => {
    const geom: [number, number][] = [[0, 0], [0, 20], [0, 40], [0, 60]];
    expect(shankGroups([0, 1, 2, 3], [0, 1, 0, 1], geom).map((x) => x.label)).toEqual(['group 0', 'group 1']);
    expect(shankGroups([0, 1, 2, 3], [0, 1], geom).map((x) => x.channelIds)).toEqual([[0, 1, 2, 3]]);
    expect(shankGroups([0, 1, 2, 3], undefined, geom)).toHaveLength(1);
  });
});
