import { describe, expect, it } from 'vitest';
import { depthOrder, HEATMAP_ABOVE_CHANNELS, tracesMode } from './channelOrder';

describe('traces row order', () => {
  it('puts the top of the probe (largest y) first, ties left to right', () => {
    const geom: [number, number][] = [[0, 0], [20, 0], [0, 20], [20, 20], [10, 40]];
    expect(depthOrder([0, 1, 2, 3, 4], geom)).toEqual([4, 2, 3, 0, 1]);
  });

  it('orders only the channels asked for, by their own positions', () => {
    const geom: [number, number][] = [[0, 30], [0, 10], [0, 20]];
    expect(depthOrder([1, 2], geom)).toEqual([2, 1]);
  });

  it('keeps the recording order without a full geometry, and breaks exact ties by index', () => {
    expect(depthOrder([2, 0, 1], undefined)).toEqual([2, 0, 1]);
    expect(depthOrder([0, 1, 5], [[0, 0], [0, 1]])).toEqual([0, 1, 5]);
    expect(depthOrder([3, 1, 2], [[0, 0], [0, 0], [0, 0], [0, 0]])).toEqual([1, 2, 3]);
  });

  it('chooses the heat map above the threshold only in auto', () => {
    expect(tracesMode('auto', HEATMAP_ABOVE_CHANNELS)).toBe('lines');
    expect(tracesMode('auto', HEATMAP_ABOVE_CHANNELS + 1)).toBe('heatmap');
    expect(tracesMode('lines', 384)).toBe('lines');
    expect(tracesMode('heatmap', 4)).toBe('heatmap');
  });
});
