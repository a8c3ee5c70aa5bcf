import type { SpikeTrains } from '../../data/decode';
import { averageWaveformOfMean, templateSimilarity, type AverageWaveform, type Template } from '../../kernels/waveforms';
import type { SnippetLen, UnitSelection } from '../contracts/kwargs';
import { templateSimilarityContract, type MergeSuggestion } from '../contracts/templateSimilarity';
import { implement, type TaskContext } from '../types';
import { recordingGeometryOf, storedTemplates } from './averageWaveform';
import { loadRecordingAndSorting, selectionTimes, snippetLenOf, type RecordingRef } from './common';
import { forEachUnitMean, unitNeighborhoods, waveformSetup } from './unitWaveforms';

/**
 * sortingview.template_similarity.1 (contracts/templateSimilarity.ts).
 *
 * Templates are the average waveforms of fetch_average_waveform.2 (same sample, same neighbourhood);
 * similarity is the kernel's cosine on the union of the two neighbourhoods, DC removed, no lag
 * (SpikeInterface's `template_similarity` method 'cosine', support 'union'). Merge suggestions are
 * the pairs at or above MERGE_SUGGESTION_SIMILARITY, most similar first: the halves of an over-split
 * unit reach 0.95–1, distinct neighbours with similar shapes rarely 0.9 because their amplitude
 * profiles over the channels differ. A unit without spikes has similarity 0 and is never suggested.
 * `unit_ids` (default: every unit) may hold merge groups. Rounds as fetch_average_waveform.2, with
 * all units in each round; many units may be sampled with fewer spikes each (`spikes_per_unit`).
 * A SortingAnalyzer whose traces are gone gives its `templates` extension instead (fromStoredTemplates).
 */
export const MERGE_SUGGESTION_SIMILARITY = 0.9;

export const templateSimilarityTask = implement(templateSimilarityContract, async (k, ctx) => {
  const { recording, sorting } = await loadRecordingAndSorting(ctx, k.recording_uri, k.sorting_uri);
  const selections: UnitSelection[] = k.unit_ids ?? sorting.unitIds;
  const { results, spikesPerUnit, T } = recording.info.tracesAvailable === false && recording.info.templates
    ? await fromStoredTemplates(ctx, k, recording, sorting, selections)
    : await fromTraces(ctx, k, recording, sorting, selections);
  // A unit without spikes: a flat template on one channel, similar to nothing.
  const flat: Template = { channelIds: [recording.info.channelIds[0]], waveform: new Float32Array(T) };
  const similarity = templateSimilarity(results.map((t) => t ?? flat));
  const K = selections.length;
  const suggestions: MergeSuggestion[] = [];
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const s = similarity.data[i * K + j];
      if (results[i] && results[j] && s >= MERGE_SUGGESTION_SIMILARITY) suggestions.push({ unit_ids: [selections[i], selections[j]], similarity: s });
    }
  }
  suggestions.sort((a, b) => b.similarity - a.similarity);
  return { unit_ids: selections, similarity, merge_suggestions: suggestions, threshold: MERGE_SUGGESTION_SIMILARITY, spikes_per_unit: spikesPerUnit };
});

const templateOf = (w: AverageWaveform): Template => ({ channelIds: Array.from(w.channel_ids.data), waveform: w.average_waveform.data });

/** The average waveforms fetch_average_waveform.2 computes, all units in each round. */
async function fromTraces(ctx: TaskContext, k: { snippet_len?: SnippetLen }, recording: RecordingRef, sorting: SpikeTrains, selections: UnitSelection[]) {
  const setup = waveformSetup(recording, snippetLenOf(k));
  const units = selections.map((selection) => ({ selection, times: selectionTimes(sorting, selection) }));
  const nbhds = await unitNeighborhoods(ctx, setup, units, { adaptive: true });
  const { results, spikesPerUnit } = await forEachUnitMean(ctx, setup, units, nbhds, (_, m, channelIds): Template =>
    templateOf(averageWaveformOfMean({ ...m, channelIds, recording: recordingGeometryOf(recording) })), { adaptive: true });
  return { results, spikesPerUnit, T: setup.snippetLen[0] + setup.snippetLen[1] };
}

/**
 * A SortingAnalyzer whose traces are gone: its `templates` extension, as fetch_average_waveform.2
 * shows them (the same kernel then, so a merge group's similarity is its weighted template's).
 * `spikesPerUnit`: the analyzer's random_spikes sample, or (every spike) the largest unit's count.
 */
async function fromStoredTemplates(ctx: TaskContext, k: { recording_uri: string; sorting_uri: string }, recording: RecordingRef, sorting: SpikeTrains, selections: UnitSelection[]) {
  const stored = await storedTemplates(ctx, k, recording, sorting, selections);
  const { maxSpikesPerUnit, numSamples } = recording.info.templates!;
  const largest = Math.max(0, ...stored.map((w) => w?.num_spikes ?? 0));
  return { results: stored.map((w) => (w ? templateOf(w) : undefined)), spikesPerUnit: maxSpikesPerUnit === null ? largest : Math.min(maxSpikesPerUnit, largest), T: numSamples };
}
