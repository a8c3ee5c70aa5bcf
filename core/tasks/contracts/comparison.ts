import { z } from 'zod';
import type { NdArray } from '../../protocol/ndarray';
import { sortingsCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { byUnitId, dataUriSchema, metricsConfigurationSchema } from './kwargs';

/**
 * get_best_matching_units.2 `{sorting_uri, compare_sorting_uri, sorting_selector: 'A' | 'B',
 * configuration?}` → `{uid: "<matchId><B|A>"}` for every unit of `sorting_uri` ("-1B": no match),
 * spikecomparison's `best_match_12` as 2021 reported it (views/comparison.ts). `configuration` is
 * the units table's (accepted, unused).
 */
const kwargs = z.object({
  sorting_uri: dataUriSchema,
  compare_sorting_uri: dataUriSchema,
  sorting_selector: z.enum(['A', 'B']),
  configuration: metricsConfigurationSchema.optional(),
}).strict();

export const bestMatchingUnitsContract: TaskContract<z.infer<typeof kwargs>, Record<string, string>> = {
  functionId: 'get_best_matching_units.2',
  kind: 'pure',
  relayCost: sortingsCost(2),
  kwargs,
  result: byUnitId(z.string().regex(/^-?\d+[AB]?$/)),
};

export const bestMatchingUnitsRequest = (sortingUri: string, compareSortingUri: string, selector: 'A' | 'B') =>
  requestOf(bestMatchingUnitsContract, { sorting_uri: sortingUri, compare_sorting_uri: compareSortingUri, sorting_selector: selector });

/**
 * sortingview.sorting_agreement.1 `{sorting_uri, compare_sorting_uri}` → `{unit_ids_a, unit_ids_b,
 * spike_counts_a, spike_counts_b, agreement f32[A][B], match_counts i32[A][B], matches: [{a, b,
 * agreement}], delta_frames}`: every pair's agreement as SpikeInterface's compare_two_sorters scores it
 * (matching events within 0.4 ms; agreement = m / (n1 + n2 − m)), and its Hungarian matches at
 * match_score 0.5 (views/comparison.ts). At most MAX_AGREEMENT_PAIRS unit pairs.
 */
// The result holds two [A][B] arrays, 8 bytes a pair: 1.5 M pairs (1200 × 1200 units) are a 12 MB result for the browser
// (the Hungarian match of 1200 × 1200 sparse scores takes 0.2 s here).
export const MAX_AGREEMENT_PAIRS = 1_500_000;
const agreementKwargs = z.object({ sorting_uri: dataUriSchema, compare_sorting_uri: dataUriSchema }).strict();

export interface SortingAgreement {
  unit_ids_a: number[]; unit_ids_b: number[]; spike_counts_a: number[]; spike_counts_b: number[];
  agreement: NdArray<'float32'>; match_counts: NdArray<'int32'>; matches: { a: number; b: number; agreement: number }[]; delta_frames: number;
}

export const sortingAgreementContract: TaskContract<z.infer<typeof agreementKwargs>, SortingAgreement> = {
  functionId: 'sortingview.sorting_agreement.1',
  kind: 'pure',
  relayCost: sortingsCost(2),
  kwargs: agreementKwargs,
  result: z.object({
    unit_ids_a: z.array(z.number()), unit_ids_b: z.array(z.number()),
    spike_counts_a: z.array(z.number()), spike_counts_b: z.array(z.number()),
    agreement: ndarrayOf('float32', 2), match_counts: ndarrayOf('int32', 2),
    matches: z.array(z.object({ a: z.number(), b: z.number(), agreement: z.number() })),
    delta_frames: z.number(),
  }),
};

export const sortingAgreementRequest = (sortingUri: string, compareSortingUri: string) =>
  requestOf(sortingAgreementContract, { sorting_uri: sortingUri, compare_sorting_uri: compareSortingUri });
