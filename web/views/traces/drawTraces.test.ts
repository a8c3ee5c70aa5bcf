import { describe, expect, it } from 'vitest';
import { channelScaleOf, scaleRows } from './drawTraces';

describe('per-channel gains in the traces view', () => {
  it('each channel\'s µV per bit over the median one; none when there are no per-channel gains', () => {
    // NP1.0 imroTbl AP gains 500, 500, 1000, 250 → µV per bit 2.34, 2.34, 1.17, 4.69 (median 2.34).
    const uvPerBit = [500, 500, 1000, 250].map((g) => 1e6 * 0.6 / 512 / g);
    expect(channelScaleOf(uvPerBit)).toEqual([1, 1, 0.5, 2]);
    expect(channelScaleOf(undefined)).toBeUndefined();
    expect(channelScaleOf([])).toBeUndefined();
    expect(channelScaleOf([1, 0, 2])).toBeUndefined();
  });

  it('a heat map\'s rows scaled by their channels\' factors, in row order', () => {
    const cells = Float32Array.from([1, 2, 3, 1, 2, 3]);
    scaleRows(cells, 3, [2, 0], [1, 1, 0.5]);
    expect(Array.from(cells)).toEqual([0.5, 1, 1.5, 1, 2, 3]);
  });
});
