import { describe, expect, it } from 'vitest';
import { percentile, robustRange } from './robustRange';

describe('percentile', () => {
  it('interpolates between ranks as numpy\'s default', () => {
    const s = [1, 2, 3, 4, 10];
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 100)).toBe(10);
    expect(percentile(s, 50)).toBe(3);
    expect(percentile(s, 90)).toBeCloseTo(7.6, 12); // rank 3.6: 4 + 0.6·6
    expect(percentile([5], 99.5)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('robustRange', () => {
  it('outliers do not set the range: 0.5–99.5th percentiles, padded by 5 %', () => {
    const v = Array.from({ length: 1001 }, (_, i) => i / 1000); // 0 … 1
    v[0] = -1000;
    v[1000] = 1e6;
    const r = robustRange([v]);
    // ranks 5 and 995 of 1001 values
    expect(r.percentiles[0]).toBeCloseTo(0.005, 12);
    expect(r.percentiles[1]).toBeCloseTo(0.995, 12);
    expect(r.range[0]).toBeCloseTo(0.005 - 0.05 * 0.99, 12);
    expect(r.range[1]).toBeCloseTo(0.995 + 0.05 * 0.99, 12);
    expect(r.numOutside).toBe(10);
  });

  it('pools the arrays of every unit and skips non-finite values', () => {
    const a = robustRange([[1, 2, NaN], Float32Array.from([3, Infinity])], [0, 100], 0);
    expect(a.range).toEqual([1, 3]);
    expect(a.numOutside).toBe(0);
  });

  it('constant and empty', () => {
    expect(robustRange([[4, 4, 4]]).range).toEqual([3.6, 4.4]);
    expect(robustRange([[0, 0]]).range).toEqual([-1, 1]);
    expect(robustRange([[]]).range).toEqual([0, 1]);
  });
});
