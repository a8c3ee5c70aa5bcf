import { describe, expect, it } from 'vitest';
import { niceFloor, scaleBar, scaleBarLabel } from './scaleBar';

describe('niceFloor', () => {
  it('rounds down to 1, 2 or 5 × 10^k', () => {
    expect(niceFloor(1)).toBe(1);
    expect(niceFloor(1.99)).toBe(1);
    expect(niceFloor(2)).toBe(2);
    expect(niceFloor(4.9)).toBe(2);
    expect(niceFloor(5)).toBe(5);
    expect(niceFloor(9.99)).toBe(5);
    expect(niceFloor(10)).toBe(10);
    expect(niceFloor(1000)).toBe(1000);
    expect(niceFloor(73)).toBe(50);
    expect(niceFloor(0.37)).toBe(0.2);
    expect(niceFloor(0.001)).toBe(0.001);
    expect(niceFloor(123456)).toBe(100000);
  });
  it('is NaN for what has no scale', () => {
    expect(niceFloor(0)).toBeNaN();
    expect(niceFloor(-3)).toBeNaN();
    expect(niceFloor(Infinity)).toBeNaN();
  });
});

describe('scaleBar', () => {
  it('picks the longest round bar that fits', () => {
    // 0.5 px per µV, 60 px available: 120 µV fit, the bar is 100 µV = 50 px.
    expect(scaleBar(0.5, 60)).toEqual({ value: 100, px: 50 });
    // Amplitude scaled up ×1.4: 0.7 px/µV, 85.7 µV fit → 50 µV = 35 px.
    expect(scaleBar(0.7, 60)).toEqual({ value: 50, px: 35 });
  });
  it('never exceeds maxPx and is at least maxPx / 2.5', () => {
    for (let p = 0.013; p < 90; p *= 1.37) {
      const b = scaleBar(p, 80)!;
      expect(b.px).toBeLessThanOrEqual(80 + 1e-9);
      expect(b.px).toBeGreaterThanOrEqual(80 / 2.5 - 1e-9);
    }
  });
  it('is null without a scale', () => {
    expect(scaleBar(0, 50)).toBeNull();
    expect(scaleBar(1, 0)).toBeNull();
    expect(scaleBar(NaN, 50)).toBeNull();
  });
});

describe('scaleBarLabel', () => {
  it('names the units, and says raw when there is no gain', () => {
    expect(scaleBarLabel(100, 'uV')).toBe('100 µV');
    expect(scaleBarLabel(0.5, 'uV')).toBe('0.5 µV');
    expect(scaleBarLabel(200, 'raw')).toBe('200 raw');
    expect(scaleBarLabel(0.1 + 0.2, 'um')).toBe('0.3 µm');
  });
});
