import { z } from 'zod';
import { sortingsCost } from '../cost';
import { requestOf, type TaskContract } from '../contract';
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
