import { z } from 'zod';
import type { NdArray } from '../../protocol/ndarray';
import { snippetTaskCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { dataUriSchema, recordingAndSorting, unitTaskKwargsSchema, snippetLenSchema, unitKwarg, unitSelectionSchema, type SortingRef, type UnitSelection } from './kwargs';

/**
 * Cluster views (PCA), on the units' neighbourhood channels and ≤ 1000 sampled spikes each.
 *
 * individual_cluster_features.1 `{recording_uri, sorting_uri, unit_id, snippet_len?}` →
 * `{timepoints f32 (frames), x, y}`: the kernel's 2-component PCA.
 * pair_cluster_features.4 `{recording_uri, sorting_uri, unit_id1, unit_id2, snippet_len?}` →
 * `{timepoints, x, y, labels i32}` on the channels both neighbourhoods share: x on avg2 − avg1,
 * y = PC1 of the residuals. A label is the unit id (for a merge group, its smallest id).
 */
const individualKwargs = unitTaskKwargsSchema;

export interface ClusterFeaturesResult { timepoints: NdArray<'float32'>; x: NdArray<'float32'>; y: NdArray<'float32'> }
const features = { timepoints: ndarrayOf('float32', 1), x: ndarrayOf('float32', 1), y: ndarrayOf('float32', 1) };

export const individualClusterFeaturesContract: TaskContract<z.infer<typeof individualKwargs>, ClusterFeaturesResult> = {
  functionId: 'individual_cluster_features.1',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs: individualKwargs,
  result: z.object(features),
};

const pairKwargs = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  unit_id1: unitSelectionSchema,
  unit_id2: unitSelectionSchema,
  snippet_len: snippetLenSchema.optional(),
}).strict();

export type PairClusterFeaturesResult = ClusterFeaturesResult & { labels: NdArray<'int32'> };

export const pairClusterFeaturesContract: TaskContract<z.infer<typeof pairKwargs>, PairClusterFeaturesResult> = {
  functionId: 'pair_cluster_features.4',
  kind: 'pure',
  relayCost: snippetTaskCost,
  kwargs: pairKwargs,
  result: z.object({ ...features, labels: ndarrayOf('int32', 1) }),
};

export const individualClusterFeaturesRequest = (ref: SortingRef, unit: UnitSelection) =>
  requestOf(individualClusterFeaturesContract, { ...recordingAndSorting(ref), unit_id: unitKwarg(unit) });

export const pairClusterFeaturesRequest = (ref: SortingRef, unit1: UnitSelection, unit2: UnitSelection) =>
  requestOf(pairClusterFeaturesContract, { ...recordingAndSorting(ref), unit_id1: unitKwarg(unit1), unit_id2: unitKwarg(unit2) });
