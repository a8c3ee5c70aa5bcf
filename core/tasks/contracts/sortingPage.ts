import type { TaskRequest } from '../contract';
import { averageWaveformRequest } from './averageWaveform';
import { autocorrelogramRequest } from './correlograms';
import type { SortingRef } from './kwargs';
import { rasterRequest } from './raster';
import { recordingInfoRequest, sortingInfoRequest } from './recording';
import { templateSimilarityRequest } from './templateSimilarity';
import { unitsSummaryRequest } from './unitsTable';

/**
 * The tasks a sorting page opens with its default views, for precalculation: the units table, each
 * unit's average waveform and autocorrelogram, the template similarity and the raster. (The GUI
 * asks for these with merges not applied; merged views are computed on demand.) The same builders
 * as the views', so precalculated results hash exactly as the GUI's requests.
 */
export function sortingPageRequests(ref: SortingRef, unitIds: readonly number[], recording?: { numFrames: number; sampleRateHz: number }): TaskRequest[] {
  const out: TaskRequest[] = [recordingInfoRequest(ref.recordingUri), sortingInfoRequest(ref.sortingUri), unitsSummaryRequest(ref)];
  for (const u of unitIds) out.push(averageWaveformRequest(ref, u), autocorrelogramRequest(ref, u));
  out.push(templateSimilarityRequest(ref));
  if (recording) out.push(rasterRequest(ref, recording.numFrames / recording.sampleRateHz));
  return out;
}
