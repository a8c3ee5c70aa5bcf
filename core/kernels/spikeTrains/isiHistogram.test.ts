import { beforeAll, describe, expect, it } from 'vitest';
import { runOracle } from '../../../test/oracles/runOracle';
import { isiHistogram, isiHistogramNumBins, MAX_ISI_HISTOGRAM_BINS } from './isi';
import { asSortingMap, edgeCaseSorting, randomSorting } from './testing/sortings';
import { SpikeTrainInputError } from './trains';

const f64 = (xs: number[]) => Float64Array.from(xs);
const at30k = { sampleRateHz: 30000, binSizeMsec: 0.5, maxIsiMsec: 5 }; // 10 bins of 15 frames

describe('isiHistogram by hand', () => {
  it('bins consecutive differences into [k·b, (k+1)·b); an ISI on an edge goes to the bin above', () => {
    // ISIs 0 (duplicate), 14, 15, 29, 30, 149, 150, 1000 frames.
    const t = f64([0, 0, 14, 29, 58, 88, 237, 387, 1387]);
    const r = isiHistogram(t, at30k);
    expect(Array.from(r.binCounts)).toEqual([2, 2, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(r.numIsis).toBe(8);
    expect(r.numAbove).toBe(2); // 150 frames = 5 ms is not below the top edge; nor is 1000
  });

  it('sorts an unsorted train first, and counts nothing for 0 or 1 spikes', () => {
    expect(isiHistogram(f64([30, 0, 15]), at30k)).toEqual(isiHistogram(f64([0, 15, 30]), at30k));
    for (const t of [f64([]), f64([7])]) {
      const r = isiHistogram(t, at30k);
      expect([r.numIsis, r.numAbove, r.binCounts.reduce((a, b) => a + b, 0)]).toEqual([0, 0, 0]);
    }
  });

  it('refuses a maximum that is not a whole number of bins, too many bins and bad rates', () => {
    expect(isiHistogramNumBins(0.5, 50)).toBe(100);
    expect(isiHistogramNumBins(0.1, 0.3)).toBe(3); // 0.3 / 0.1 = 2.9999999999999996 in float64
    expect(() => isiHistogramNumBins(0.3, 1)).toThrow(/whole number of 0.3 ms bins/);
    expect(() => isiHistogramNumBins(0.01, 1000)).toThrow(new RegExp(`more than ${MAX_ISI_HISTOGRAM_BINS}`));
    expect(() => isiHistogram(f64([0, 1]), { ...at30k, sampleRateHz: 0 })).toThrow(SpikeTrainInputError);
    expect(() => isiHistogram(f64([0, 1]), { ...at30k, binSizeMsec: -1 })).toThrow(SpikeTrainInputError);
  });
});

describe('parity with numpy (np.diff, np.searchsorted on np.arange(n + 1) * b)', () => {
  const configs = [
    { name: 'edge cases at 30 kHz, 0.5 ms bins to 50 ms', s: edgeCaseSorting(51), bin: 0.5, max: 50 },
    { name: 'random units at 30 kHz, 1 ms bins to 100 ms', s: randomSorting(52, 10, 60), bin: 1, max: 100 },
    { name: 'edge cases at 24414.0625 Hz, 0.5 ms bins', s: edgeCaseSorting(53, 30, 24414.0625), bin: 0.5, max: 50 },
    { name: 'random units at 32000.3 Hz (edges off the frame grid), 0.1 ms bins to 20 ms', s: randomSorting(54, 6, 40, 32000.3), bin: 0.1, max: 20 },
    { name: 'edge cases at 20 kHz, 0.25 ms bins to 10 ms', s: edgeCaseSorting(55, 20, 20000), bin: 0.25, max: 10 },
  ];
  let results: Record<string, { counts: number[]; num_isis: number; num_above: number }>[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', configs.map(({ s, bin, max }) => ({
      op: 'isi_histogram', trains: asSortingMap(s.trains), sample_rate: s.sampleRateHz, bin_size_msec: bin, max_isi_msec: max,
    })));
  });
  configs.forEach(({ name, s, bin, max }, k) => {
    it(name, () => {
      const o = results[k];
      const trains = asSortingMap(s.trains);
      expect(Object.keys(o)).toEqual([...trains.keys()].map(String));
      let inBins = 0;
      for (const [u, t] of trains) {
        const r = isiHistogram(t, { sampleRateHz: s.sampleRateHz, binSizeMsec: bin, maxIsiMsec: max });
        expect(Array.from(r.binCounts), `unit ${u}`).toEqual(o[String(u)].counts);
        expect([r.numIsis, r.numAbove]).toEqual([o[String(u)].num_isis, o[String(u)].num_above]);
        inBins += r.numIsis - r.numAbove;
      }
      expect(inBins).toBeGreaterThan(0);
    });
  });
});
