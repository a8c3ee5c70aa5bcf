import { describe, expect, it } from 'vitest';
import { selectedFocus, unitMarkers } from './unitMarkers';

const pos = new Map<number, [number, number]>([[0, [43, 0]], [1, [11, 0]], [2, [59, 20]], [3, [27, 20]]]);
const peaks: Record<number, number | null> = { 10: 2, 11: 2, 12: 0, 13: null, 14: 7 };

describe('unitMarkers', () => {
  it('puts each unit at its peak channel\'s electrode, selected first, side by side when they share one', () => {
    const m = unitMarkers([10, 11, 12, 13, 14], new Set([11]), (u) => peaks[u], pos);
    expect(m).toEqual([
      { unitId: 11, channelId: 2, x: 59, y: 20, selected: true, slot: 0, at: 'peak-channel' },
      { unitId: 10, channelId: 2, x: 59, y: 20, selected: false, slot: 1, at: 'peak-channel' },
      { unitId: 12, channelId: 0, x: 43, y: 0, selected: false, slot: 0, at: 'peak-channel' },
    ]);
  });
  it('skips units without a peak channel or whose channel is not on the probe; draws selected units a filter hides', () => {
    const m = unitMarkers([12], new Set([10]), (u) => peaks[u], pos);
    expect(m.map((x) => [x.unitId, x.selected])).toEqual([[10, true], [12, false]]);
    expect(unitMarkers([13, 14], new Set(), (u) => peaks[u], pos)).toEqual([]);
  });
  it('a unit whose centre of mass is known is drawn there, taking no slot at its peak channel', () => {
    const m = unitMarkers([10, 11], new Set([11]), (u) => peaks[u], pos, (u) => (u === 11 ? { x: 50, y: 14 } : null));
    expect(m).toEqual([
      { unitId: 11, channelId: 2, x: 50, y: 14, selected: true, slot: 0, at: 'centre-of-mass' },
      { unitId: 10, channelId: 2, x: 59, y: 20, selected: false, slot: 0, at: 'peak-channel' },
    ]);
  });
  it('centres on the selected units', () => {
    const m = unitMarkers([10, 12], new Set([10, 12]), (u) => peaks[u], pos);
    expect(selectedFocus(m)).toEqual({ x: 51, y: 10, minY: 0, maxY: 20 });
    expect(selectedFocus(unitMarkers([10], new Set(), (u) => peaks[u], pos))).toBeNull();
  });
});
