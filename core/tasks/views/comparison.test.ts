import { describe, expect, it } from 'vitest';
import { bestMatchingUnits } from '../../kernels/spikeTrains';
import { bestMatchingUnitsTask } from './comparison';
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
