import { spikeTrainsOfChunk } from '../../data/decode';
import { bestMatchingUnits } from '../../kernels/spikeTrains';
import { bestMatchingUnitsContract } from '../contracts/comparison';
import { implement } from '../types';

/**
 * get_best_matching_units.2 (contracts/comparison.ts) → `{uid: "<matchId><B|A>"}` for every unit of `sorting_uri` ("-1B": no match),
 * spikecomparison's `best_match_12` as 2021 reported it (`bestMatchingUnits`):
 *
 * - two spikes match when they are at most delta = 0.4 ms apart (spikecomparison's default
 *   `delta_time`), i.e. int(0.4 / 1000 · fs) frames: 12 at 30 kHz, with the sampling frequency of
 *   `sorting_uri`. Both sortings must count frames of the same recording;
 * - agreement = matches / (n1 + n2 − matches); the best match is the compared unit with the highest
 *   agreement if it is ≥ 0.1 (chance score), else -1;
 * - the suffix names the other side of the comparison view: 'B' when this is sorting A.
 *
 * `configuration` is the units table's (accepted, unused). One round: both `sorting` chunks.
 */
export const bestMatchingUnitsTask = implement(bestMatchingUnitsContract, async (k, ctx) => {
  const same = k.sorting_uri === k.compare_sorting_uri;
  const chunks = await ctx.data.require(same ? [{ type: 'sorting', sorting: k.sorting_uri }]
    : [{ type: 'sorting', sorting: k.sorting_uri }, { type: 'sorting', sorting: k.compare_sorting_uri }]);
  const [a, b = a] = chunks;
  const sorting = spikeTrainsOfChunk(a);
  const compare = spikeTrainsOfChunk(b);
  return bestMatchingUnits({ sorting: sorting.trains, compareSorting: compare.trains, sortingSelector: k.sorting_selector, sampleRateHz: sorting.sampleRateHz });
});
