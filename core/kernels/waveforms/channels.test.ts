import { beforeAll, describe, expect, it } from 'vitest';
import { channelNeighborhood, MAD_TO_SIGMA, noiseBlockFrames, noiseLevels, peakChannelIndex, peakToPeak } from './channels';
import { expectClose } from './testing/close';
import { ndarray, runOracleById } from '../../../test/oracles/runOracle';
import { synthRecording } from './testing/synth';
import { medianInPlace } from './stats';

describe('peak channel', () => {
  it('is the argmax of peak-to-peak of a [T][C] waveform', () => {
    // ch0: 1, −2, 0 → ptp 3;  ch1: 5, 5, 4 → ptp 1
    const wave = [1, 5, -2, 5, 0, 4];
    expect(Array.from(peakToPeak(wave, 3, 2))).toEqual([3, 1]);
    expect(peakChannelIndex(wave, 3, 2)).toBe(0);
  });
  it('takes the first channel on ties, and −1 without channels', () => {
    expect(peakChannelIndex([0, 0, 2, 2], 2, 2)).toBe(0);
    expect(peakChannelIndex([], 3, 0)).toBe(-1);
  });
});

describe('channelNeighborhood', () => {
  const grid = [[0, 0], [20, 0], [0, 20], [20, 20], [0, 40], [20, 40]];
  it('orders by distance, ties by channel index', () => {
    // From channel 2 (0,20): 0 and 3 and 4 are 20 µm away; 1, 5 are √800.
    expect(Array.from(channelNeighborhood(grid, 2, 15))).toEqual([2, 0, 3, 4, 1, 5]);
    expect(Array.from(channelNeighborhood(grid, 2, 3))).toEqual([2, 0, 3]);
  });
  it('puts the peak first even when other channels share its position (tetrodes)', () => {
    const tetrode = [[0, 0], [0, 0], [0, 0], [0, 0]];
    expect(Array.from(channelNeighborhood(tetrode, 2, 15))).toEqual([2, 0, 1, 3]);
  });
  it('chooses among candidates only, which must include the peak', () => {
    expect(Array.from(channelNeighborhood(grid, 2, 15, [5, 2, 1]))).toEqual([2, 1, 5]);
    expect(() => channelNeighborhood(grid, 2, 15, [0, 1])).toThrow(/not a candidate/);
  });
});

describe('noiseLevels', () => {
  it('is MAD/0.6745 with the median subtracted first', () => {
    // [1, 2, 3, 4, 100]: median 3, |x − 3| = [2, 1, 0, 1, 97], median 1.
    const traces = Float64Array.from([1, 2, 3, 4, 100]);
    expect(noiseLevels(traces, 1)[0]).toBeCloseTo(1 / MAD_TO_SIGMA, 12);
    // The same channel shifted by a DC offset of 1000 has the same noise; a flat channel has none.
    const two = new Float64Array(10);
    traces.forEach((v, i) => { two[2 * i] = v + 1000; two[2 * i + 1] = 7; });
    expect(Array.from(noiseLevels(two, 2))).toEqual([1 / MAD_TO_SIGMA, 0]);
  });
  it('int16 traces (counted) give exactly the general path\'s levels: odd and even counts, half-integer medians, extremes, flat', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const frames of [1, 2, 5, 6, 999, 1000]) {
      const C = 5;
      const t = new Int16Array(frames * C);
      for (let f = 0; f < frames; f++) {
        t[f * C] = Math.round((rnd() - 0.5) * 40) + 500; // noise on a DC offset
        t[f * C + 1] = rnd() < 0.5 ? -32768 : 32767; // the extremes
        t[f * C + 2] = 7; // flat
        t[f * C + 3] = Math.round((rnd() - 0.5) * 3); // few distinct values: half-integer medians
        t[f * C + 4] = Math.round((rnd() - 0.5) * 20000);
      }
      const counted = noiseLevels(t, C);
      const general = noiseLevels(Array.from(t), C);
      expect(Array.from(counted)).toEqual(Array.from(general));
    }
  });
  it('uses the first second of the recording', () => {
    expect(noiseBlockFrames(30000, 10 ** 6)).toBe(30000);
    expect(noiseBlockFrames(30000, 1000)).toBe(1000);
  });
  it('median matches numpy on even and odd counts', () => {
    expect(medianInPlace(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
    expect(medianInPlace(Float64Array.from([5, 5, 5]))).toBe(5);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });
});

describe('oracle parity', () => {
  const rec = synthRecording({
    seed: 11, numFrames: 6000, numChannels: 32, flatChannel: 5,
    units: [{ unitId: 1, peakChannel: 3, amplitude: 150, count: 40 }],
  });
  const geom = rec.geom;
  const peaks = [0, 7, 16, 31];
  const candidates = [1, 3, 5, 8, 9, 12, 13, 20, 21, 30, 31];
  let out: Record<string, any>;
  beforeAll(() => {
    out = runOracleById('waveforms', [
      { id: 'noise', op: 'noise', traces: ndarray(rec.traces, [rec.numFrames, rec.numChannels]) },
      ...peaks.map((p) => ({ id: `nb${p}`, op: 'neighborhood', geom, peak: p, maxSize: 15 })),
      { id: 'nbc', op: 'neighborhood', geom, peak: 12, maxSize: 5, candidates },
    ]);
  });
  it('noise levels per channel (int16 with DC offsets, one flat channel)', () => {
    const mine = noiseLevels(rec.traces, rec.numChannels);
    expect(mine[5]).toBe(0);
    expectClose(mine, out.noise, 1e-12);
  });
  it('neighbourhoods on a 2×16 probe, exactly', () => {
    for (const p of peaks) expect(Array.from(channelNeighborhood(geom, p))).toEqual(out[`nb${p}`]);
    expect(Array.from(channelNeighborhood(geom, 12, 5, candidates))).toEqual(out.nbc);
  });
});
