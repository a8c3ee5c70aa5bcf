import { describe, expect, it } from 'vitest';
import { bestMatchingUnits, countMatchingEvents } from '../../kernels/spikeTrains';
import { MAX_AGREEMENT_PAIRS, type SortingAgreement } from '../contracts/comparison';
import { bestMatchingUnitsTask, sortingAgreementTask } from './comparison';
import { runRounds, SORTING_B_URI, SORTING_URI, testDataset } from './testing/fakeRelay';

const data = testDataset();
const trainsB = () => {
  const s = data.relay.sortings.get(SORTING_B_URI)!;
  return new Map(s.unitIds.map((u, i) => [u, s.trains[i]]));
};

describe('get_best_matching_units.2', () => {
  it('one round (both sortings); equals bestMatchingUnits (0.4 ms = 12 frames at 30 kHz)', async () => {
    const { result, rounds } = await runRounds(bestMatchingUnitsTask, { sorting_uri: SORTING_URI, compare_sorting_uri: SORTING_B_URI, sorting_selector: 'A' }, data.relay);
    expect(rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }, { type: 'sorting', sorting: SORTING_B_URI }]]);
    expect(result).toEqual(bestMatchingUnits({ sorting: data.trainsNarrow, compareSorting: trainsB(), sortingSelector: 'A', sampleRateHz: 30000 }));
    // Unit 1 was jittered by ±3 frames (within 0.4 ms), unit 6 halved; the empty unit matches nothing.
    expect(result).toMatchObject({ 1: '10B', 6: '11B', 3: '-1B' });
  });

  it('selector B reports the other side as A; comparing a sorting with itself asks for it once', async () => {
    const { result } = await runRounds(bestMatchingUnitsTask, { sorting_uri: SORTING_B_URI, compare_sorting_uri: SORTING_URI, sorting_selector: 'B', configuration: {} }, data.relay);
    expect(result).toMatchObject({ 10: '1A', 11: '6A' });
    const self = await runRounds(bestMatchingUnitsTask, { sorting_uri: SORTING_URI, compare_sorting_uri: SORTING_URI, sorting_selector: 'A' }, data.relay);
    expect(self.rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }]]);
    expect(self.result).toMatchObject({ 1: '1B', 6: '6B' });
  });

  it.each([
    ['selector C', { sorting_uri: SORTING_URI, compare_sorting_uri: SORTING_B_URI, sorting_selector: 'C' }],
    ['no compare sorting', { sorting_uri: SORTING_URI, sorting_selector: 'A' }],
    ['an unknown kwarg', { sorting_uri: SORTING_URI, compare_sorting_uri: SORTING_B_URI, sorting_selector: 'A', delta_ms: 1 }],
  ])('refuses %s', (_, kw) => expect(bestMatchingUnitsTask.kwargs.safeParse(kw).success).toBe(false));
});

describe('sortingview.sorting_agreement.1', () => {
  it('every pair: matching events by the reference definition, agreement m / (n1 + n2 − m); Hungarian matches at 0.5', async () => {
    const { result, rounds } = await runRounds(sortingAgreementTask, { sorting_uri: SORTING_URI, compare_sorting_uri: SORTING_B_URI }, data.relay);
    expect(rounds).toEqual([[{ type: 'sorting', sorting: SORTING_URI }, { type: 'sorting', sorting: SORTING_B_URI }]]);
    const r = result as SortingAgreement;
    const a = data.trainsNarrow;
    const b = trainsB();
    expect(r.unit_ids_a).toEqual([...a.keys()]);
    expect(r.unit_ids_b).toEqual([...b.keys()]);
    expect(r.delta_frames).toBe(12);
    const K2 = r.unit_ids_b.length;
    const over: [number, number][] = [];
    r.unit_ids_a.forEach((u, i) => r.unit_ids_b.forEach((v, j) => {
      const t1 = Float64Array.from(a.get(u)!).sort();
      const t2 = Float64Array.from(b.get(v)!).sort();
      const m = countMatchingEvents(t1, t2, 12);
      expect(r.match_counts.data[i * K2 + j]).toBe(m);
      const denom = t1.length + t2.length - m;
      expect(r.agreement.data[i * K2 + j]).toBeCloseTo(denom ? m / denom : 0, 6);
      if (denom && m / denom >= 0.5) over.push([u, v]);
    }));
    expect(r.spike_counts_a).toEqual([...a.values()].map((t) => t.length));
    // Here no unit has two pairs at or over 0.5, so the Hungarian matches are exactly those pairs.
    expect(new Set(over.map((p) => p[0])).size).toBe(over.length);
    expect(r.matches.map((x) => [x.a, x.b])).toEqual(over);
    expect(over).toContainEqual([1, 10]);
  });

  it('more pairs than MAX_AGREEMENT_PAIRS: a task error that says what to compare instead, before any work', async () => {
    const relay = testDataset().relay;
    const many = (n: number) => ({ sampleRateHz: 30000, unitIds: Array.from({ length: n }, (_, i) => i), trains: Array.from({ length: n }, () => new Float64Array(0)) });
    const A = `sha1://${'e1'.repeat(20)}/a.json`;
    const B = `sha1://${'e2'.repeat(20)}/b.json`;
    relay.sortings.set(A, many(1300));
    relay.sortings.set(B, many(1200));
    await expect(runRounds(sortingAgreementTask, { sorting_uri: A, compare_sorting_uri: B }, relay))
      .rejects.toThrow(`Comparing 1300 × 1200 units is 1560000 pairs; the agreement matrix holds at most ${MAX_AGREEMENT_PAIRS}. Compare sortings with fewer units (e.g. curated ones)`);
  });

  it('refuses a configuration it does not take', () => {
    expect(sortingAgreementTask.kwargs.safeParse({ sorting_uri: SORTING_URI, compare_sorting_uri: SORTING_B_URI, sorting_selector: 'A' }).success).toBe(false);
  });
});
