import { z } from 'zod';
import type { NdArray } from '../../protocol/ndarray';
import { snippetTaskCost } from '../cost';
import { ndarrayOf, requestOf, type TaskContract } from '../contract';
import { dataUriSchema, recordingAndSorting, snippetLenSchema, unitKwarg, unitSelectionSchema, type SortingRef, type UnitSelection } from './kwargs';

/**
 * The feature view across units (phy's FeatureView): the selected units' spikes in ONE shared PC space.
 *
 * sortingview.fetch_feature_space.1 `{recording_uri, sorting_uri, unit_ids: [unit or merge group, …]
 * (1–16), channel_ids? (1–15 distinct), snippet_len?, max_spikes_per_unit? (1–1000, default 1000)}` →
 * - `channel_ids` i32 [C]: the channels of the features. Default: each unit's peak channel (in the
 *   order of unit_ids, each once), then the rest of the first unit's neighbourhood, nearest first, to 15.
 * - `spike_counts` i32 [U]: rows of each unit, in the order of unit_ids (a unit without a spike inside
 *   the recording has 0); rows are unit by unit.
 * - `timepoints` f64 [N]: each row's spike frame (the units' deterministic ≤ 1000-spike sample, the
 *   one the cluster views use).
 * - `features` f32 [N, C, 3]: phy's `features` (n_spikes × n_channels × n_pcs): each spike's waveform
 *   on each channel, minus its time mean, projected on 3 temporal principal components of ONE PCA
 *   fitted on every (spike, channel) waveform of the selected units together (a stride of spikes
 *   when they exceed 30 000 rows), not centred, as Kilosort's wPCA; each PC's largest loading is
 *   negative (Kilosort's sign), so a spike's PC1 on a channel grows with its (negative-trough)
 *   amplitude there and is near 0 where it does not reach. Raw units of the recording.
 * - `explained_variance` f32 [3]: mean square of those waveforms (each about its own time mean)
 *   along each PC; `explained_variance_ratio` f32 [3]: its share of their total (s² / Σ‖row‖²).
 * - `components` f32 [3, T]: the PCs' shapes over the snippet's T frames.
 */
export const FEATURE_SPACE_MAX_UNITS = 16;
export const FEATURE_SPACE_MAX_CHANNELS = 15;
export const FEATURE_SPACE_MAX_SPIKES = 1000;

const kwargs = z.object({
  recording_uri: dataUriSchema,
  sorting_uri: dataUriSchema,
  unit_ids: z.array(unitSelectionSchema).min(1).max(FEATURE_SPACE_MAX_UNITS),
  channel_ids: z.array(z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1)).min(1).max(FEATURE_SPACE_MAX_CHANNELS)
    .refine((ids) => new Set(ids).size === ids.length, 'channel_ids lists each channel once').optional(),
  snippet_len: snippetLenSchema.optional(),
  max_spikes_per_unit: z.number().int().min(1).max(FEATURE_SPACE_MAX_SPIKES).optional(),
}).strict();
export type FeatureSpaceKwargs = z.infer<typeof kwargs>;

export interface FeatureSpaceResult {
  channel_ids: NdArray<'int32'>;
  spike_counts: NdArray<'int32'>;
  timepoints: NdArray<'float64'>;
  features: NdArray<'float32'>;
  explained_variance: NdArray<'float32'>;
  explained_variance_ratio: NdArray<'float32'>;
  components: NdArray<'float32'>;
}

export const featureSpaceContract: TaskContract<FeatureSpaceKwargs, FeatureSpaceResult> = {
  functionId: 'sortingview.fetch_feature_space.1',
  kind: 'pure',
  // Round A on every channel for the peaks and one gather round (≤ 16 × 1000 snippets on ≤ 15 channels), as the other snippet tasks.
  relayCost: snippetTaskCost,
  kwargs,
  result: z.object({
    channel_ids: ndarrayOf('int32', 1),
    spike_counts: ndarrayOf('int32', 1),
    timepoints: ndarrayOf('float64', 1),
    features: ndarrayOf('float32', 3),
    explained_variance: ndarrayOf('float32', 1),
    explained_variance_ratio: ndarrayOf('float32', 1),
    components: ndarrayOf('float32', 2),
  }),
};

/** The request for these units (ids or merge groups, in the order given); channels only when chosen. */
export const featureSpaceRequest = (ref: SortingRef, units: readonly UnitSelection[], channelIds?: readonly number[]) =>
  requestOf(featureSpaceContract, {
    ...recordingAndSorting(ref), unit_ids: units.map(unitKwarg), ...(channelIds?.length ? { channel_ids: [...channelIds] } : {}),
  });
