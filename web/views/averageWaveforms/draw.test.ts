import { describe, expect, it } from 'vitest';
import { amplitudeScaleBar, channelSlots, compressGaps, pxPerUnit } from './draw';

describe('compressGaps', () => {
  it('keeps a contiguous neighbourhood as it is', () => {
    expect(compressGaps([0, 20, 20, 40, 60])).toEqual([0, 20, 20, 40, 60]);
  });
  it('shortens the empty probe between two distant neighbourhoods to two rows', () => {
    expect(compressGaps([2000, 2020, 2040, 2500, 2520])).toEqual([2000, 2020, 2040, 2080, 2100]);
    expect(compressGaps([40, 0])).toEqual([40, 0]);
  });
});

describe('channelSlots', () => {
  it('geometry: an overlay of distant units gets slots as tall as one unit\'s would', () => {
    const near = Float32Array.from([43, 0, 11, 0, 59, 20, 27, 20, 43, 40, 11, 40]);
    const far = Float32Array.from([...near, 43, 1000, 11, 1000, 59, 1020, 27, 1020, 43, 1040, 11, 1040]);
    const a = channelSlots(near, 6, 400, 300, 'geom');
    const b = channelSlots(far, 12, 400, 600, 'geom');
    // Twice the channels in twice the height (plus the two-row break): each slot at least 3/4 as tall.
    expect(b[0].h).toBeGreaterThan(a[0].h * 0.75);
    // The distant block is drawn above (higher on the probe), in order.
    expect(b[6].y).toBeLessThan(b[0].y);
  });
  it('vertical: stacked from the top of the probe down', () => {
    const s = channelSlots(Float32Array.from([0, 0, 0, 20, 0, 40]), 3, 100, 96, 'vertical');
    expect(s.map((x) => x.y)).toEqual([62, 34, 6]);
  });
});

describe('amplitudeScaleBar', () => {
  it('a round value whose pixels follow the amplitude scale', () => {
    // A 40-px slot spans 80 µV (8 × 10 µV noise): 0.5 px/µV; up to 60 px → 100 µV = 50 px.
    expect(pxPerUnit(40, 80, 1)).toBe(0.5);
    expect(amplitudeScaleBar(40, 300, 80, 1)).toEqual({ value: 100, px: 50 });
    expect(amplitudeScaleBar(40, 300, 80, 1.4)).toEqual({ value: 50, px: 35 });
    // A short panel limits the bar.
    expect(amplitudeScaleBar(40, 60, 80, 1)!.px).toBeLessThanOrEqual(36);
  });
});
