import { beforeAll, describe, expect, it } from 'vitest';
import { channelMajor, coarsenMinMax, concatMinMax, finerSegments, minMaxDownsample, timeseriesSegmentFrames } from './minmax';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { synthRecording } from './testing/synth';

describe('minmax by hand', () => {
  // 5 frames × 2 channels: ch0 = 1 5 2 8 3, ch1 = 0 0 −1 0 9
  const x = Int16Array.from([1, 0, 5, 0, 2, -1, 8, 0, 3, 9]);
  it('segment frames are clipped at the end of the recording', () => {
    expect(timeseriesSegmentFrames(100, 3, 0, 10)).toEqual({ startFrame: 0, endFrame: 30, numBlocks: 10 });
    expect(timeseriesSegmentFrames(100, 3, 3, 10)).toEqual({ startFrame: 90, endFrame: 100, numBlocks: 4 });
    expect(timeseriesSegmentFrames(100, 3, 4, 10)).toEqual({ startFrame: 100, endFrame: 100, numBlocks: 0 });
    expect(timeseriesSegmentFrames(100, 1, 9, 10)).toEqual({ startFrame: 90, endFrame: 100, numBlocks: 10 });
    expect(() => timeseriesSegmentFrames(100, 0, 0, 10)).toThrow(/positive integer/);
  });
  it('interleaves (min, max) per block, keeping the last partial block', () => {
    const r = minMaxDownsample(x, 2, 2);
    expect(r.shape).toEqual([2, 6]);
    expect(Array.from(r.data)).toEqual([1, 5, 2, 8, 3, 3, /**/ 0, 0, -1, 0, 9, 9]);
  });
  it('ds_factor 1 is the traces, channel-major', () => {
    const r = channelMajor(x, 2);
    expect(r.shape).toEqual([2, 5]);
    expect(Array.from(r.data)).toEqual([1, 5, 2, 8, 3, 0, 0, -1, 0, 9]);
  });
  it('a coarser level is the min of mins and the max of maxes', () => {
    const c = coarsenMinMax(minMaxDownsample(x, 2, 2), 2);
    expect(Array.from(c.data)).toEqual([1, 8, 3, 3, -1, 0, 9, 9]);
    expect(Array.from(c.data)).toEqual(Array.from(minMaxDownsample(x, 2, 4).data));
    expect(Array.from(coarsenMinMax(c, 1).data)).toEqual(Array.from(c.data));
  });
});

describe('pyramid', () => {
  it('segment n at ds·k is coarsen(k finer segments at ds), up to the end of the recording', () => {
    const rec = synthRecording({ seed: 2, numFrames: 10_007, numChannels: 3, units: [{ unitId: 1, peakChannel: 1, amplitude: 200, count: 30 }] });
    const { traces, numFrames: F, numChannels: C } = rec;
    const seg = (ds: number, n: number, size: number) => {
      const { startFrame, endFrame } = timeseriesSegmentFrames(F, ds, n, size);
      return minMaxDownsample(traces.subarray(startFrame * C, endFrame * C), C, ds);
    };
    const size = 200;
    for (let n = 0; n * size * 27 < F; n++) {
      const { first, count } = finerSegments(n, 3);
      const parts = Array.from({ length: count }, (_, i) => seg(9, first + i, size));
      expect(Array.from(coarsenMinMax(concatMinMax(parts), 3).data)).toEqual(Array.from(seg(27, n, size).data));
    }
  });
});

describe('oracle parity', () => {
  const rec = synthRecording({ seed: 6, numFrames: 25_001, numChannels: 5, dtype: 'float32', units: [{ unitId: 1, peakChannel: 2, amplitude: 150, count: 60 }] });
  const F = rec.numFrames;
  const C = rec.numChannels;
  const cases = [
    { ds: 1, segmentNum: 0, segmentSize: 1000 }, { ds: 1, segmentNum: 25, segmentSize: 1000 },
    { ds: 3, segmentNum: 2, segmentSize: 1000 }, { ds: 3, segmentNum: 8, segmentSize: 1000 },
    { ds: 10, segmentNum: 0, segmentSize: 2000 }, { ds: 10, segmentNum: 1, segmentSize: 2000 },
    { ds: 81, segmentNum: 0, segmentSize: 500 }, { ds: 3, segmentNum: 9, segmentSize: 1000 },
  ];
  let out: Record<string, any>;
  beforeAll(() => {
    const traces = ndarray(rec.traces, [F, C]);
    out = runOracleById('waveforms', cases.map((c, i) => ({ id: `c${i}`, op: 'minmax', traces, ...c })));
  });
  it('get_timeseries_segment.1 matches numpy exactly (including the clipped last segments)', () => {
    cases.forEach((c, i) => {
      const { startFrame, endFrame } = timeseriesSegmentFrames(F, c.ds, c.segmentNum, c.segmentSize);
      const block = rec.traces.subarray(startFrame * C, endFrame * C);
      const r = c.ds === 1 ? channelMajor(block, C) : minMaxDownsample(block, C, c.ds);
      const o = out[`c${i}`] as number[][];
      expect(r.shape).toEqual([C, o[0]?.length ?? 0]);
      expect(Array.from(r.data)).toEqual(o.flat().map(Math.fround));
    });
  });
});
