import { describe, expect, it } from 'vitest';
import { axisKey, axisLabel, axisOptions, axisValues, defaultAxes, parseAxisKey, phyGrid, shortAxisLabel, type FeatureData } from './axisChoices';

// 2 spikes, channels 12 and 40, 3 PCs: features[s][c][j] = 100·s + 10·c + j.
const d: FeatureData = {
  channelIds: [12, 40],
  features: Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => { const s = Math.floor(i / 6); const c = Math.floor((i % 6) / 3); return 100 * s + 10 * c + (i % 3); }),
  numPcs: 3,
  timepoints: [30000, 45000],
  explainedVarianceRatio: [0.634, 0.2, 0.052],
};

describe('axis choices', () => {
  it('keys round-trip; unknown channels and PCs are refused', () => {
    for (const a of [{ kind: 'time' as const }, { kind: 'feature' as const, channelId: 40, pc: 3 }]) expect(parseAxisKey(axisKey(a), d)).toEqual(a);
    expect(parseAxisKey('ch13:pc1', d)).toBeNull();
    expect(parseAxisKey('ch12:pc4', d)).toBeNull();
    expect(parseAxisKey('ch12:pc0', d)).toBeNull();
    expect(parseAxisKey('nonsense', d)).toBeNull();
  });

  it('names: channel, PC and its share of the variance; time in seconds', () => {
    expect(axisLabel({ kind: 'feature', channelId: 12, pc: 1 }, d)).toBe('ch 12 · PC1 (63 % var.)');
    expect(axisLabel({ kind: 'feature', channelId: 40, pc: 3 }, d)).toBe('ch 40 · PC3 (5.2 % var.)');
    expect(axisLabel({ kind: 'time' }, d)).toBe('time (s)');
    expect(axisOptions(d).map((o) => o.key)).toEqual(['time', 'ch12:pc1', 'ch12:pc2', 'ch12:pc3', 'ch40:pc1', 'ch40:pc2', 'ch40:pc3']);
  });

  it('phy\'s default: first channel PC1 against second channel PC1; one channel: its PC1 against its PC2', () => {
    expect(defaultAxes(d)).toEqual({ x: { kind: 'feature', channelId: 12, pc: 1 }, y: { kind: 'feature', channelId: 40, pc: 1 } });
    expect(defaultAxes({ channelIds: [7], numPcs: 3 })).toEqual({ x: { kind: 'feature', channelId: 7, pc: 1 }, y: { kind: 'feature', channelId: 7, pc: 2 } });
  });

  it('values: the feature of each spike on that channel and PC, or its time', () => {
    expect(Array.from(axisValues({ kind: 'feature', channelId: 40, pc: 2 }, d, 30000))).toEqual([11, 111]);
    expect(Array.from(axisValues({ kind: 'feature', channelId: 12, pc: 3 }, d, 30000))).toEqual([2, 102]);
    expect(Array.from(axisValues({ kind: 'time' }, d, 30000))).toEqual([1, 1.5]);
    expect(() => axisValues({ kind: 'feature', channelId: 99, pc: 1 }, d, 30000)).toThrow(RangeError);
  });

  it('phy\'s default grid: x = dims[column], y = dims[row] with dims 0A 1A 0B 1B, time on the diagonal', () => {
    const g = phyGrid(d).map((row) => row.map((c) => `${shortAxisLabel(c.x)},${shortAxisLabel(c.y)}`).join('  '));
    expect(g).toEqual([
      'time,ch 12 PC1  ch 40 PC1,ch 12 PC1  ch 12 PC2,ch 12 PC1  ch 40 PC2,ch 12 PC1',
      'ch 12 PC1,ch 40 PC1  time,ch 40 PC1  ch 12 PC2,ch 40 PC1  ch 40 PC2,ch 40 PC1',
      'ch 12 PC1,ch 12 PC2  ch 40 PC1,ch 12 PC2  time,ch 12 PC2  ch 40 PC2,ch 12 PC2',
      'ch 12 PC1,ch 40 PC2  ch 40 PC1,ch 40 PC2  ch 12 PC2,ch 40 PC2  time,ch 40 PC2',
    ]);
    expect(phyGrid({ channelIds: [7], numPcs: 3 }).map((row) => row.map((c) => axisKey(c.x)))).toEqual([
      ['time', 'ch7:pc2', 'ch7:pc3'], ['ch7:pc1', 'time', 'ch7:pc3'], ['ch7:pc1', 'ch7:pc2', 'time'],
    ]);
  });
});
