import { beforeAll, describe, expect, it } from 'vitest';
import { firingData, formatRate2021 } from './firing';
import { runOracle } from '../../../test/oracles/runOracle';
import { asSortingMap, edgeCaseSorting, randomSorting, seededRandom } from './testing/sortings';
import { SpikeTrainInputError } from './trains';

describe('get_firing_data.1', () => {
  it('count and a 2-decimal rate string per unit, keyed by the unit id as a string', () => {
    const r = firingData({ spikeTrains: new Map([[3, new Float64Array(15)], [7, new Float64Array(0)]]), numFrames: 60000, sampleRateHz: 30000 });
    expect(r).toEqual({ 3: { count: 15, rate: '7.50' }, 7: { count: 0, rate: '0.00' } });
  });

  it('rounds exact ties half to even like Decimal.quantize (toFixed would round up)', () => {
    expect([0.125, 0.375, 0.625, 0.875, 2.125, 1.005, 2.675, 1234.5].map(formatRate2021))
      .toEqual(['0.12', '0.38', '0.62', '0.88', '2.12', '1.00', '2.67', '1234.50']);
  });

  it('zero duration is an input error (2021: ZeroDivisionError)', () => {
    expect(() => firingData({ spikeTrains: new Map([[1, new Float64Array(2)]]), numFrames: 0, sampleRateHz: 30000 })).toThrow(SpikeTrainInputError);
  });
});

describe('parity with the 2021 Decimal formatting (python oracle)', () => {
  const rng = seededRandom(41);
  const values = [
    ...Array.from({ length: 400 }, (_, i) => i / 8),
    ...Array.from({ length: 400 }, () => rng() * 100),
    ...Array.from({ length: 200 }, () => Math.round(rng() * 1e6) / 1000),
    ...Array.from({ length: 100 }, () => rng() * 1e9),
    0, 1e-9, 0.005, 0.015, 0.025, 0.045, 99.995, 1e15 + 0.125,
  ];
  const sortings = [edgeCaseSorting(42), randomSorting(43, 10, 37.3), randomSorting(44, 5, 3.7, 24414.0625)];
  let results: unknown[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', [
      { op: 'decimal_rates', values },
      ...sortings.map((s) => ({ op: 'firing', trains: asSortingMap(s.trains), num_frames: s.numFrames, sample_rate: s.sampleRateHz })),
    ]);
  });

  it(`formats ${values.length} rates exactly like Decimal(x).quantize(Decimal('.01'))`, () => {
    expect(values.map(formatRate2021)).toEqual(results[0]);
  });

  it('firingData matches get_firing_data on synthetic sortings', () => {
    sortings.forEach((s, k) => {
      expect(firingData({ spikeTrains: asSortingMap(s.trains), numFrames: s.numFrames, sampleRateHz: s.sampleRateHz })).toEqual(results[k + 1]);
    });
  });
});
