import { describe, expect, it } from 'vitest';
import { MAX_FILTERED_OVERVIEW_SEGMENTS, maxFilteredDsFactor, planSegments, planTraces } from './segments';

describe('trace segments', () => {
  it('reads raw samples when zoomed in, min/max pairs when zoomed out', () => {
    const zoomedIn = planSegments({ startFrame: 0, endFrame: 3000, numFrames: 60_000, numChannels: 16, widthPx: 1000 });
    expect(zoomedIn).toEqual({ dsFactor: 3, segmentSize: 6250, framesPerSegment: 18_750, segmentNums: [0] });
    const all = planSegments({ startFrame: 0, endFrame: 60_000, numFrames: 60_000, numChannels: 16, widthPx: 1000 });
    expect(all.dsFactor).toBe(81);
    expect(all.segmentNums).toEqual([0]);
    const raw = planSegments({ startFrame: 6000, endFrame: 6900, numFrames: 60_000, numChannels: 16, widthPx: 1000 });
    expect(raw.dsFactor).toBe(1);
    expect(raw.segmentNums).toEqual([0, 1]);
  });

  it('stays inside the recording', () => {
    const p = planSegments({ startFrame: 59_500, endFrame: 70_000, numFrames: 60_000, numChannels: 384, widthPx: 800 });
    expect(p.segmentSize).toBe(261);
    expect(p.segmentNums.at(-1)).toBe(Math.ceil(60_000 / p.framesPerSegment) - 1);
  });
});

describe('filtered trace plans', () => {
  const np = { numChannels: 384, widthPx: 1000, filtered: true };
  it('the coarsest filtered level keeps a segment within the worker\'s raw-read cap', () => {
    // 384 channels, 261 pairs: 261 · 243 · 384 = 24 M ≤ 64 Mi; 261 · 729 · 384 = 73 M (issue 18's refusal).
    expect(maxFilteredDsFactor(384, 261)).toBe(243);
    expect(maxFilteredDsFactor(16, 6250)).toBe(243);
    expect(maxFilteredDsFactor(1, 1)).toBe(3 ** 15);
  });

  it('zoomed out past it, a filtered view reads that level\'s segments instead of a refused one', () => {
    const p = planTraces({ startFrame: 0, endFrame: 180_000, numFrames: 180_000, ...np });
    expect(planSegments({ startFrame: 0, endFrame: 180_000, numFrames: 180_000, ...np }).dsFactor).toBe(729);
    expect(p).toMatchObject({ dsFactor: 243, segmentSize: 261, rawFallback: false, segmentNums: [0, 1, 2] });
    expect(p.segmentSize * p.dsFactor * 384).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it('wider than MAX_FILTERED_OVERVIEW_SEGMENTS of them, it falls back to the raw pyramid', () => {
    const window = MAX_FILTERED_OVERVIEW_SEGMENTS * 261 * 243;
    const fits = planTraces({ startFrame: 0, endFrame: window, numFrames: 10 * window, ...np });
    expect(fits.rawFallback).toBe(false);
    expect(fits.segmentNums).toHaveLength(MAX_FILTERED_OVERVIEW_SEGMENTS);
    const wide = planTraces({ startFrame: 0, endFrame: window + 1, numFrames: 10 * window, ...np });
    expect(wide.rawFallback).toBe(true);
    expect(wide.filteredWindowFrames).toBe(window);
    expect(wide.dsFactor).toBe(planSegments({ startFrame: 0, endFrame: window + 1, numFrames: 10 * window, ...np }).dsFactor);
  });

  it('changes nothing for an unfiltered view or a zoom the worker filters', () => {
    const raw = planTraces({ startFrame: 0, endFrame: 180_000, numFrames: 180_000, ...np, filtered: false });
    expect(raw).toMatchObject({ dsFactor: 729, rawFallback: false });
    const near = planTraces({ startFrame: 0, endFrame: 3000, numFrames: 180_000, ...np });
    expect(near).toMatchObject(planSegments({ startFrame: 0, endFrame: 3000, numFrames: 180_000, ...np }));
  });
});
