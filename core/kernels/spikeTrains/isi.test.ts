import { beforeAll, describe, expect, it } from 'vitest';
import { isiViolationRates, isiViolations } from './isi';
import { runOracle } from '../../../test/oracles/runOracle';
import { asSortingMap, edgeCaseSorting, randomSorting } from './testing/sortings';
import { SpikeTrainInputError } from './trains';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('isi_violations by hand (Hill et al.: nv * duration / (2 N^2 (thr - minIsi)))', () => {
  const p = { durationFrames: 30000, isiThresholdFrames: 75 };

  it('counts ISIs strictly below the threshold', () => {
    // ISIs 10, 90, 900: one violation; 1 * 30000 / (2 * 16 * 75) = 12.5.
    const r = isiViolations(f64([0, 10, 100, 1000]), p);
    expect(r.numViolations).toBe(1);
    expect(r.fpRate).toBeCloseTo(12.5, 12);
    expect(isiViolations(f64([0, 75]), p).numViolations).toBe(0); // exactly 2.5 ms at 30 kHz is allowed
    expect(isiViolations(f64([0, 74]), p).numViolations).toBe(1);
  });

  it('duplicates are violations when minIsi is 0 (the default)', () => {
    expect(isiViolations(f64([5, 5, 5]), p).numViolations).toBe(2);
  });

  it('minIsi > 0 drops spike i+1 wherever the original ISI is <= minIsi, all at once', () => {
    // Original ISIs 5, 5, 190: spikes 1 and 2 go; kept [0, 200]; no violation; N = 2.
    const r = isiViolations(f64([0, 5, 10, 200]), { ...p, minIsiFrames: 6 });
    expect([r.numSpikes, r.numViolations, r.fpRate]).toEqual([2, 0, 0]);
    const r2 = isiViolations(f64([0, 5, 50, 200]), { ...p, minIsiFrames: 6 });
    expect([r2.numSpikes, r2.numViolations]).toEqual([3, 1]); // kept [0, 50, 200]: ISI 50 < 75
    expect(r2.fpRate).toBeCloseTo((1 / (2 * 3 * 69)) / (3 / 30000), 12);
  });

  it('edge cases: 1 spike → 0, no spikes → NaN (null in the task result), bad duration → error', () => {
    expect(isiViolations(f64([7]), p).fpRate).toBe(0);
    expect(isiViolations(new Float64Array(0), p).fpRate).toBeNaN();
    expect(() => isiViolations(f64([1, 2]), { ...p, durationFrames: 0 })).toThrow(SpikeTrainInputError);
    expect(() => isiViolations(f64([1, 2]), { ...p, minIsiFrames: 75 })).toThrow(/exceed/);
    const rates = isiViolationRates({ spikeTrains: new Map([[4, new Float64Array(0)], [9, f64([0, 10])]]), numFrames: 30000, sampleRateHz: 30000 });
    expect(rates['4']).toBeNull();
    expect(rates['9']).toBeCloseTo(1 * 30000 / (2 * 4 * 75), 12);
  });

  it('sorts an unsorted train first (get_isi_violation_rates 0.1.2 did np.sort)', () => {
    expect(isiViolations(f64([100, 0, 10]), p)).toEqual(isiViolations(f64([0, 10, 100]), p));
  });

  it('honours configuration.unit_ids and string keys', () => {
    const rates = isiViolationRates({ spikeTrains: new Map([[1, f64([0, 1])], [2, f64([0])]]), numFrames: 100, sampleRateHz: 30000, unitIds: [2] });
    expect(rates).toEqual({ 2: 0 });
    expect(() => isiViolationRates({ spikeTrains: new Map(), numFrames: 100, sampleRateHz: 30000, unitIds: [3] })).toThrow(/unit 3/);
  });
});

describe('parity with spikemetrics.isi_violations (numpy oracle)', () => {
  const configs = [
    { name: 'edge cases, 2.5 ms at 30 kHz', s: edgeCaseSorting(31), thr: 2.5, minIsi: 0 },
    { name: 'random units, 1.5 ms at 30 kHz', s: randomSorting(32, 12, 120), thr: 1.5, minIsi: 0 },
    { name: 'edge cases at 20 kHz, 0.5 ms', s: edgeCaseSorting(33, 40, 20000), thr: 0.5, minIsi: 0 },
    { name: 'edge cases at 32 kHz, min_isi 0.3 ms', s: edgeCaseSorting(34, 40, 32000), thr: 2.5, minIsi: 0.3 },
    { name: 'random units at 24414.0625 Hz, min_isi 0.1 ms', s: randomSorting(35, 8, 60, 24414.0625), thr: 2, minIsi: 0.1 },
  ];
  let results: Record<string, { rate: number | null; num_violations: number }>[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', configs.map(({ s, thr, minIsi }) => ({
      op: 'isi', trains: asSortingMap(s.trains), num_frames: s.numFrames, sample_rate: s.sampleRateHz, isi_threshold_msec: thr, min_isi_msec: minIsi,
    })));
  });
  configs.forEach(({ name, s, thr, minIsi }, k) => {
    it(name, () => {
      const rates = isiViolationRates({ spikeTrains: asSortingMap(s.trains), numFrames: s.numFrames, sampleRateHz: s.sampleRateHz, isiThresholdMsec: thr, minIsiMsec: minIsi });
      const o = results[k];
      expect(Object.keys(rates)).toEqual(Object.keys(o));
      for (const [u, r] of Object.entries(rates)) {
        if (o[u].rate === null) expect(r).toBeNull();
        else expect(Math.abs((r as number) - o[u].rate!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(o[u].rate!)));
      }
      expect(Object.values(o).some((x) => x.num_violations > 0)).toBe(true);
    });
  });
});
