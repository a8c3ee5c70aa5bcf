import { describe, expect, it } from 'vitest';
import { planSegments } from './segments';

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
