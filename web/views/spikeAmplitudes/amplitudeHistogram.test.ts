import { describe, expect, it } from 'vitest';
import { amplitudeHistogram, amplitudeHistogramBins } from './amplitudeHistogram';

describe('amplitudeHistogram', () => {
  it('bins amplitudes in [lo + k·w, lo + (k+1)·w), the top edge in the last bin', () => {
    const r = amplitudeHistogram({ amplitudes: [0, 0.99, 1, 2.5, 3.999, 4, 9.99, 10], ampRange: [0, 10], numBins: 10 });
    expect(Array.from(r.counts)).toEqual([2, 1, 1, 1, 1, 0, 0, 0, 0, 2]);
    expect(r.numOutside).toBe(0);
  });

  it('counts what lies outside the axis (and NaN) apart', () => {
    const r = amplitudeHistogram({ amplitudes: Float32Array.from([-1, 5, 11, NaN, 20]), ampRange: [0, 10], numBins: 2 });
    expect(Array.from(r.counts)).toEqual([0, 1]);
    expect(r.numOutside).toBe(4);
  });

  it('keeps only the spikes in the visible time window (ends included)', () => {
    const amplitudes = [1, 2, 3, 4, 5];
    const timesSec = [0, 1, 2, 3, 4];
    const r = amplitudeHistogram({ amplitudes, timesSec, timeRange: [1, 3], ampRange: [0, 6], numBins: 6 });
    expect(Array.from(r.counts)).toEqual([0, 0, 1, 1, 1, 0]);
    expect(() => amplitudeHistogram({ amplitudes, timesSec: [0], timeRange: [0, 1], ampRange: [0, 6], numBins: 6 })).toThrow(RangeError);
  });

  it('agrees with a direct count on edges that do not divide evenly (w = 0.7 / 7)', () => {
    const amplitudes = Array.from({ length: 701 }, (_, i) => i / 1000); // 0 … 0.7, many on bin edges
    const r = amplitudeHistogram({ amplitudes, ampRange: [0, 0.7], numBins: 7 });
    const w = 0.7 / 7;
    const direct = new Array<number>(7).fill(0);
    for (const a of amplitudes) {
      let k = 0;
      while (k < 6 && a >= (k + 1) * w) k++;
      direct[k]++;
    }
    expect(Array.from(r.counts)).toEqual(direct);
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(701);
  });

  it('refuses an empty axis or no bins; about 5 px per bin, 10 to 100', () => {
    expect(() => amplitudeHistogram({ amplitudes: [1], ampRange: [1, 1], numBins: 3 })).toThrow(RangeError);
    expect(() => amplitudeHistogram({ amplitudes: [1], ampRange: [0, 1], numBins: 0 })).toThrow(RangeError);
    expect([20, 300, 1000].map(amplitudeHistogramBins)).toEqual([10, 60, 100]);
  });
});
