import { z } from 'zod';
import type { NdArray } from '../../protocol/ndarray';
import { snippetTaskCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { dataUriSchema, recordingAndSorting, snippetLenSchema, unitKwarg, unitSelectionSchema, unitSelectionsSchema, type SortingRef, type UnitSelection } from './kwargs';

/**
 * sortingview.template_similarity.1 `{recording_uri, sorting_uri, unit_ids?, snippet_len?}` →
 * `{unit_ids, similarity f32[K][K], merge_suggestions: [{unit_ids: [a, b], similarity}], threshold,
 * spikes_per_unit}`: cosine similarity of the units' average waveforms (views/templateSimilarity.ts).
 * `unit_ids` (default: every unit) may hold merge groups.
 */
const kwargs = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  unit_ids: unitSelectionsSchema.optional(),
  snippet_len: snippetLenSchema.optional(),
}).strict();

export interface MergeSuggestion { unit_ids: [UnitSelection, UnitSelection]; similarity: number }
export interface TemplateSimilarityResult {
  unit_ids: UnitSelection[]; similarity: NdArray<'float32'>; merge_suggestions: MergeSuggestion[]; threshold: number; spikes_per_unit: number;
}

export const templateSimilarityContract: TaskContract<z.infer<typeof kwargs>, TemplateSimilarityResult> = {
  functionId: 'sortingview.template_similarity.1',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs,
  result: z.object({
    unit_ids: z.array(unitSelectionSchema),
    similarity: ndarrayOf('float32', 2),
    merge_suggestions: z.array(z.object({ unit_ids: z.tuple([unitSelectionSchema, unitSelectionSchema]), similarity: z.number() })),
    threshold: z.number(),
    spikes_per_unit: z.number(),
  }),
};

/** `units` absent = every unit of the sorting (omitted from the kwargs). */
export const templateSimilarityRequest = (ref: SortingRef, units?: readonly UnitSelection[]) =>
  requestOf(templateSimilarityContract, { ...recordingAndSorting(ref), ...(units ? { unit_ids: units.map(unitKwarg) } : {}) });
