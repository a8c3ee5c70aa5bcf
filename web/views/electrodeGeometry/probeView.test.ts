import { describe, expect, it } from 'vitest';
import { autoViewport, boundsOf, clampViewport, fitScale, fromPx, minElectrodeGap, panBy, READABLE_PITCH_PX, scaleLimits, showsAll, stripPy, stripY, toPx, visibleRange, zoomAt } from './probeView';

/** Neuropixels 1.0: 384 channels, x = 43, 11, 59, 27 cycling, 20 µm rows of two. */
const np1 = Array.from({ length: 384 }, (_, c) => [[43, 11, 59, 27][c % 4], 20 * Math.floor(c / 2)] as [number, number]);
const small = Array.from({ length: 16 }, (_, c) => [0, 25 * c] as [number, number]);

describe('bounds and gap', () => {
  it('of a Neuropixels 1.0 probe', () => {
    expect(boundsOf(np1)).toEqual({ minX: 11, maxX: 59, minY: 0, maxY: 3820 });
    // Neighbours in a row are 32 µm apart; across rows (43,0)–(59,20) or (27,20): hypot(16, 20).
    expect(minElectrodeGap(np1)).toBeCloseTo(Math.hypot(16, 20), 9);
    expect(minElectrodeGap(small)).toBe(25);
    expect(minElectrodeGap([[0, 0]])).toBe(20);
  });
});

describe('transforms', () => {
  const v = { scale: 2, cx: 35, cy: 1000 };
  it('maps µm to pixels with y up, and back', () => {
    expect(toPx(v, 400, 300, 35, 1000)).toEqual([200, 150]);
    expect(toPx(v, 400, 300, 45, 1010)).toEqual([220, 130]);
    const [x, y] = fromPx(v, 400, 300, 220, 130);
    expect([x, y]).toEqual([45, 1010]);
    expect(visibleRange(v, 400, 300)).toEqual({ x: [-65, 135], y: [925, 1075] });
  });
  it('zoom keeps the point under the cursor and changes the visible range by the factor', () => {
    const z = zoomAt(v, 2, 300, 60, 400, 300, [0.1, 100]);
    expect(z.scale).toBe(4);
    const before = fromPx(v, 400, 300, 300, 60);
    const after = fromPx(z, 400, 300, 300, 60);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
    const r0 = visibleRange(v, 400, 300), r1 = visibleRange(z, 400, 300);
    expect(r1.y[1] - r1.y[0]).toBeCloseTo((r0.y[1] - r0.y[0]) / 2, 9);
    // Within limits: at the limit nothing changes.
    expect(zoomAt(v, 10, 0, 0, 400, 300, [0.1, 2])).toBe(v);
    expect(zoomAt(v, 10, 0, 0, 400, 300, [0.1, 5]).scale).toBe(5);
  });
  it('a drag pans the probe with the pointer', () => {
    const p = panBy(v, 40, -20);
    // The point that was at (200, 150) is now at (240, 130).
    expect(toPx(p, 400, 300, 35, 1000)).toEqual([240, 130]);
  });
  it('clamps the centre onto the probe', () => {
    const b = boundsOf(np1);
    expect(clampViewport({ scale: 1, cx: 500, cy: -100 }, b)).toEqual({ scale: 1, cx: 59, cy: 0 });
    const inside = { scale: 1, cx: 30, cy: 100 };
    expect(clampViewport(inside, b)).toBe(inside);
  });
});

describe('autoViewport', () => {
  it('fits a small probe whole', () => {
    const b = boundsOf(small);
    const v = autoViewport(b, 25, 400, 500, null);
    expect(v.scale).toBeCloseTo(fitScale(b, 25, 400, 500), 9);
    expect(showsAll(v, b, 400, 500)).toBe(true);
  });
  it('shows a 3.8 mm Neuropixels probe at a readable scale, not 2 px per electrode', () => {
    const b = boundsOf(np1);
    const gap = minElectrodeGap(np1);
    const w = 500, h = 420;
    // Fitted, neighbouring electrodes would be 420 / 3820 · 25.6 ≈ 2.8 px apart.
    expect(fitScale(b, gap, w, h) * gap).toBeLessThan(4);
    const v = autoViewport(b, gap, w, h, null);
    expect(v.scale * gap).toBeCloseTo(READABLE_PITCH_PX, 9);
    expect(showsAll(v, b, w, h)).toBe(false);
    const r = visibleRange(v, w, h);
    // The probe's width is in view; the top end of the probe at the top.
    expect(r.x[0]).toBeLessThan(11);
    expect(r.x[1]).toBeGreaterThan(59);
    expect(r.y[1]).toBeGreaterThan(3820);
    expect(r.y[0]).toBeGreaterThan(3000);
  });
  it('centres on the focus (the selected units), clamped so the view stays on the probe', () => {
    const b = boundsOf(np1);
    const gap = minElectrodeGap(np1);
    const one = autoViewport(b, gap, 500, 420, { x: 43, y: 1500, minY: 1500, maxY: 1500 });
    expect(one.cy).toBe(1500);
    expect(one.scale * gap).toBeCloseTo(READABLE_PITCH_PX, 9);
    const low = autoViewport(b, gap, 500, 420, { x: 43, y: 0, minY: 0, maxY: 0 });
    const r = visibleRange(low, 500, 420);
    expect(r.y[0]).toBeLessThan(0);
    expect(r.y[0]).toBeGreaterThan(-30);
  });
  it('zooms out to show every selected unit when they are far apart, never below the fit', () => {
    const b = boundsOf(np1);
    const gap = minElectrodeGap(np1);
    const v = autoViewport(b, gap, 500, 420, { x: 35, y: 1500, minY: 1000, maxY: 2000 });
    const r = visibleRange(v, 500, 420);
    expect(r.y[0]).toBeLessThan(1000);
    expect(r.y[1]).toBeGreaterThan(2000);
    expect(v.scale * gap).toBeLessThan(READABLE_PITCH_PX);
    // Centred on the extent's middle, not the units' mean (three units low, one high: all in view).
    const skewed = visibleRange(autoViewport(b, gap, 500, 420, { x: 35, y: 1250, minY: 1000, maxY: 2000 }), 500, 420);
    expect(skewed.y[0]).toBeLessThan(1000);
    expect(skewed.y[1]).toBeGreaterThan(2000);
    expect(autoViewport(b, gap, 500, 420, { x: 35, y: 1900, minY: 0, maxY: 3820 }).scale).toBeCloseTo(fitScale(b, gap, 500, 420), 9);
  });
  it('zoom limits reach below the fit and well beyond the readable scale', () => {
    const b = boundsOf(np1);
    const gap = minElectrodeGap(np1);
    const [lo, hi] = scaleLimits(b, gap, 500, 420);
    expect(lo).toBeLessThan(fitScale(b, gap, 500, 420));
    expect(hi * gap).toBeGreaterThan(READABLE_PITCH_PX * 4);
  });
});

describe('overview strip', () => {
  it('maps the probe\'s height onto the strip and back', () => {
    const b = boundsOf(np1);
    const s = { top: 10, bottom: 410 };
    expect(stripPy(s, b, 0)).toBe(410);
    expect(stripPy(s, b, 3820)).toBe(10);
    expect(stripY(s, b, stripPy(s, b, 1234))).toBeCloseTo(1234, 9);
  });
});
