import { beforeAll, describe, expect, it } from 'vitest';
import { runOracle } from '../../../test/oracles/runOracle';
import { firingRateOverTime, MAX_FIRING_RATE_BINS } from './firing';
import { asSortingMap, edgeCaseSorting, randomSorting } from './testing/sortings';
import { SpikeTrainInputError } from './trains';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('firingRateOverTime by hand', () => {
  it('counts spikes in [k·b, (k+1)·b) and divides by the bin\'s duration', () => {
    // 1 kHz, 10 s, 2 s bins: 5 bins of 2000 frames.
    const r = firingRateOverTime(f64([0, 1999, 2000, 2000, 5000, 9999]), { sampleRateHz: 1000, durationSec: 10, binSizeSec: 2 });
    expect(Array.from(r.edgesSec)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(Array.from(r.counts)).toEqual([2, 2, 1, 0, 1]);
    expect(Array.from(r.ratesHz)).toEqual([1, 1, 0.5, 0, 0.5]);
    expect(r.numOutside).toBe(0);
  });

  it('widens the last bin with the remainder instead of a sliver', () => {
    // 10.5 s in 2 s bins: 5 bins, the last [8, 10.5).
    const r = firingRateOverTime(f64([10400, 10499, 10500, -1]), { sampleRateHz: 1000, durationSec: 10.5, binSizeSec: 2 });
    expect(Array.from(r.edgesSec)).toEqual([0, 2, 4, 6, 8, 10.5]);
    expect(Array.from(r.counts)).toEqual([0, 0, 0, 0, 2]);
    expect(r.ratesHz[4]).toBe(2 / 2.5);
    expect(r.numOutside).toBe(2); // at the end and before 0
    // Shorter than one bin: one bin, the whole recording.
    const one = firingRateOverTime(f64([1, 2, 3]), { sampleRateHz: 1000, durationSec: 0.5, binSizeSec: 2 });
    expect([Array.from(one.edgesSec), Array.from(one.ratesHz)]).toEqual([[0, 0.5], [6]]);
  });

  it('refuses non-positive sizes and too many bins', () => {
    expect(() => firingRateOverTime(f64([]), { sampleRateHz: 30000, durationSec: 0, binSizeSec: 1 })).toThrow(SpikeTrainInputError);
    expect(() => firingRateOverTime(f64([]), { sampleRateHz: 30000, durationSec: 10, binSizeSec: 0 })).toThrow(SpikeTrainInputError);
    expect(() => firingRateOverTime(f64([]), { sampleRateHz: 30000, durationSec: 3600, binSizeSec: 0.01 })).toThrow(new RegExp(`more than ${MAX_FIRING_RATE_BINS}`));
  });
});

describe('parity with numpy (np.searchsorted on np.arange(n + 1) * b, end edge = the recording\'s end)', () => {
  const configs = [
    { name: 'edge cases, 40 s at 30 kHz in 1 s bins', s: edgeCaseSorting(61), durationSec: 40, bin: 1 },
    { name: 'random units, 37.3 s in 0.1 s bins (a wide last bin)', s: randomSorting(62, 10, 37.3), durationSec: 37.3, bin: 0.1 },
    { name: 'edge cases at 24414.0625 Hz, 30 s in 0.7 s bins', s: edgeCaseSorting(63, 30, 24414.0625), durationSec: 30, bin: 0.7 },
    { name: 'random units at 32000.3 Hz, 12.25 s in 0.05 s bins', s: randomSorting(64, 5, 12.25, 32000.3), durationSec: 12.25, bin: 0.05 },
    { name: 'edge cases, a duration shorter than a bin', s: edgeCaseSorting(65, 4), durationSec: 4, bin: 5 },
  ];
  let results: Record<string, { edges_sec: number[]; counts: number[]; rates_hz: number[]; num_outside: number }>[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', configs.map(({ s, durationSec, bin }) => ({
      op: 'firing_rate', trains: asSortingMap(s.trains), sample_rate: s.sampleRateHz, duration_sec: durationSec, bin_size_sec: bin,
    })));
  });
  configs.forEach(({ name, s, durationSec, bin }, k) => {
    it(name, () => {
      const o = results[k];
      const trains = asSortingMap(s.trains);
      expect(Object.keys(o)).toEqual([...trains.keys()].map(String));
      let total = 0;
      for (const [u, t] of trains) {
        const r = firingRateOverTime(t, { sampleRateHz: s.sampleRateHz, durationSec, binSizeSec: bin });
        const ou = o[String(u)];
        expect(Array.from(r.counts), `unit ${u}`).toEqual(ou.counts);
        expect(Array.from(r.edgesSec)).toEqual(ou.edges_sec);
        expect(Array.from(r.ratesHz)).toEqual(ou.rates_hz);
        expect(r.numOutside).toBe(ou.num_outside);
        total += r.counts.reduce((a, b) => a + b, 0);
      }
      expect(total).toBeGreaterThan(0);
    });
  });
});
