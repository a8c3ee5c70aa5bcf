import { describe, expect, it } from 'vitest';
import { stableStringify, taskHash } from '../../protocol';
import { findTask } from '../catalog';
import type { TaskRequest } from '../contract';
import { averageWaveformRequest } from './averageWaveform';
import { individualClusterFeaturesRequest, pairClusterFeaturesRequest } from './clusterFeatures';
import { bestMatchingUnitsRequest } from './comparison';
import { autocorrelogramRequest, correlogramMatrixRequest, crossCorrelogramRequest } from './correlograms';
import type { SortingRef } from './kwargs';
import { rasterRequest } from './raster';
import { recordingInfoRequest, sortingInfoRequest, timeseriesDsFactor, timeseriesSegmentRequest, timeseriesSegmentSize } from './recording';
import { sortingPageRequests } from './sortingPage';
import { spikeAmplitudesRequest } from './spikeAmplitudes';
import { templateSimilarityRequest } from './templateSimilarity';
import { unitMetricsRequest } from './unitMetrics';
import { unitsSummaryRequest } from './unitsTable';

const rec = `sha1://${'a'.repeat(40)}/rec.json`;
const sor = `sha1://${'b'.repeat(40)}/sorting.json`;
const ref: SortingRef = { recordingUri: rec, sortingUri: sor, snippetLen: [50, 80] };
const ref2: SortingRef = { ...ref, snippetLen: [30, 60] };

const all = (r: SortingRef): TaskRequest[] => [
  recordingInfoRequest(rec), sortingInfoRequest(sor), unitsSummaryRequest(r), unitMetricsRequest(`sha1://${'c'.repeat(40)}/m.json`),
  averageWaveformRequest(r, 3), averageWaveformRequest(r, [7, 3]), autocorrelogramRequest(r, 3), crossCorrelogramRequest(r, 3, [4, 5]),
  correlogramMatrixRequest(r, [1, [2, 3]]), individualClusterFeaturesRequest(r, 2), pairClusterFeaturesRequest(r, 1, 2),
  spikeAmplitudesRequest(r, 5), templateSimilarityRequest(r), templateSimilarityRequest(r, [1, [2, 9]]), rasterRequest(r, 12.5), rasterRequest(r, 12.5, [4]),
  bestMatchingUnitsRequest(sor, `sha1://${'d'.repeat(40)}/s2.json`, 'A'),
  timeseriesSegmentRequest(rec, { dsFactor: 9, segmentNum: 2, segmentSize: 6250 }), timeseriesSegmentRequest(rec, { dsFactor: 1, segmentNum: 0, segmentSize: 100, filter: 'bandpass' }),
];

describe('task contracts and their requests', () => {
  it('every request carries its contract\'s result guard', () => {
    for (const t of all(ref)) expect(t.result, t.functionId).toBe(findTask(t.functionId)!.result);
  });

  it('every builder\'s kwargs pass its task\'s schema unchanged (so GUI and precalculation hash alike)', () => {
    for (const r of [ref, ref2]) {
      for (const t of all(r)) {
        const task = findTask(t.functionId);
        expect(task, t.functionId).toBeDefined();
        const parsed = task!.kwargs.safeParse(t.kwargs);
        expect(parsed.success, `${t.functionId}: ${parsed.error?.message}`).toBe(true);
        expect(stableStringify(parsed.data)).toBe(stableStringify(t.kwargs));
      }
    }
  });

  it('omits defaults: snippet_len [50, 80], filter, unit_ids = every unit', () => {
    expect(averageWaveformRequest(ref, 3).kwargs).toEqual({ recording_uri: rec, sorting_uri: sor, unit_id: 3 });
    expect(averageWaveformRequest({ recordingUri: rec, sortingUri: sor }, 3).kwargs).toEqual({ recording_uri: rec, sorting_uri: sor, unit_id: 3 });
    expect(averageWaveformRequest(ref2, 3).kwargs).toEqual({ recording_uri: rec, sorting_uri: sor, unit_id: 3, snippet_len: [30, 60] });
    expect(templateSimilarityRequest(ref).kwargs).not.toHaveProperty('unit_ids');
    expect(timeseriesSegmentRequest(rec, { dsFactor: 1, segmentNum: 0, segmentSize: 10 }).kwargs).not.toHaveProperty('filter');
    expect(autocorrelogramRequest(ref, 4).kwargs).toEqual({ sorting_uri: sor, unit_x: 4, unit_y: null, subsample: true });
  });

  it('sends merge groups ascending, and a group of one as its id', () => {
    expect(averageWaveformRequest(ref, [9, 2, 9]).kwargs.unit_id).toEqual([2, 9]);
    expect(averageWaveformRequest(ref, [4]).kwargs.unit_id).toBe(4);
    expect(taskHash('x.1', averageWaveformRequest(ref, [9, 2]).kwargs)).toBe(taskHash('x.1', averageWaveformRequest(ref, [2, 9]).kwargs));
  });

  it('refuses a correlogram matrix over more than 20 units', () => {
    expect(() => correlogramMatrixRequest(ref, Array.from({ length: 21 }, (_, i) => i))).toThrow(/1 to 20 units/);
  });

  it('segments and zoom levels as in 2021', () => {
    expect(timeseriesSegmentSize(16)).toBe(6250);
    expect(timeseriesSegmentSize(384)).toBe(261);
    expect(timeseriesDsFactor(400, 1000, 16)).toBe(1);
    expect(timeseriesDsFactor(3000, 1000, 16)).toBe(3);
    expect(timeseriesDsFactor(30_000, 1000, 16)).toBe(81);
    expect(timeseriesDsFactor(30_000, 1000, 384)).toBe(81);
    expect(timeseriesDsFactor(30_000, 4000, 384)).toBe(27);
    expect(timeseriesDsFactor(30_000, 4000, 16)).toBe(9);
  });

  it('lists the default page\'s tasks for precalculation, with the GUI\'s exact kwargs', () => {
    const tasks = sortingPageRequests(ref, [1, 2], { numFrames: 60_000, sampleRateHz: 30_000 });
    expect(tasks.map((t) => t.functionId)).toEqual([
      'recording_info.3', 'sorting_info.3', 'sortingview.units_summary.1',
      'fetch_average_waveform.2', 'fetch_correlogram_plot_data.6', 'fetch_average_waveform.2', 'fetch_correlogram_plot_data.6',
      'sortingview.template_similarity.1', 'sortingview.fetch_raster.1',
    ]);
    expect(tasks[3]).toEqual(averageWaveformRequest(ref, 1));
    expect(tasks.at(-1)!.kwargs).toEqual({ sorting_uri: sor, start_sec: 0, end_sec: 2 });
  });
});
