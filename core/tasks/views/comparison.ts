import { spikeTrainsOfChunk, type SpikeTrains } from '../../data/decode';
import { bestMatchingUnits, compareSortings } from '../../kernels/spikeTrains';
import { ndarray } from '../../protocol/ndarray';
import { TaskError } from '../../taskError';
import { bestMatchingUnitsContract, MAX_AGREEMENT_PAIRS, sortingAgreementContract } from '../contracts/comparison';
import { implement, type TaskContext } from '../types';

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
  const [sorting, compare] = await loadTwoSortings(ctx, k.sorting_uri, k.compare_sorting_uri);
  return bestMatchingUnits({ sorting: sorting.trains, compareSorting: compare.trains, sortingSelector: k.sorting_selector, sampleRateHz: sorting.sampleRateHz });
});

/** One round: both `sorting` chunks (one when they are the same sorting). */
async function loadTwoSortings(ctx: TaskContext, a: string, b: string): Promise<[SpikeTrains, SpikeTrains]> {
  const chunks = await ctx.data.require(a === b ? [{ type: 'sorting', sorting: a }] : [{ type: 'sorting', sorting: a }, { type: 'sorting', sorting: b }]);
  const first = spikeTrainsOfChunk(chunks[0]!);
  return [first, chunks[1] ? spikeTrainsOfChunk(chunks[1]) : first];
}

/**
 * sortingview.sorting_agreement.1 (contracts/comparison.ts): the whole agreement matrix of the two
 * sortings (compareSortings: spikecomparison's count_matching_events, agreement and Hungarian match
 * at 0.5), with the sampling frequency of `sorting_uri`, for the comparison page's matrix.
 */
export const sortingAgreementTask = implement(sortingAgreementContract, async (k, ctx) => {
  const [a, b] = await loadTwoSortings(ctx, k.sorting_uri, k.compare_sorting_uri);
  const pairs = a.unitIds.length * b.unitIds.length;
  if (pairs > MAX_AGREEMENT_PAIRS) {
    throw new TaskError(`Comparing ${a.unitIds.length} × ${b.unitIds.length} units is ${pairs} pairs; the agreement matrix holds at most ${MAX_AGREEMENT_PAIRS}. Compare sortings with fewer units (e.g. curated ones)`);
  }
  const c = compareSortings({ spikeTrains1: a.trains, spikeTrains2: b.trains, sampleRateHz: a.sampleRateHz });
  const K1 = c.unitIds1.length;
  const K2 = c.unitIds2.length;
  const matches = c.unitIds1.flatMap((u, i) => {
    const j = c.hungarian.match12[i]!;
    return j < 0 ? [] : [{ a: u, b: c.unitIds2[j]!, agreement: c.agreement[i * K2 + j]! }];
  });
  return {
    unit_ids_a: c.unitIds1, unit_ids_b: c.unitIds2,
    spike_counts_a: c.unitIds1.map((u) => a.trains.get(u)!.length), spike_counts_b: c.unitIds2.map((u) => b.trains.get(u)!.length),
    agreement: ndarray('float32', [K1, K2], Float32Array.from(c.agreement)),
    match_counts: ndarray('int32', [K1, K2], c.matchCounts),
    matches,
    delta_frames: c.deltaFrames,
  };
});
