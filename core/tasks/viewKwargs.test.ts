import { describe, expect, it } from 'vitest';
import { stableStringify, taskHash } from '../protocol';
import { findTask } from './catalog';
import {
  autocorrelogramTask, averageWaveformTask, bestMatchingUnitsTask, correlogramMatrixTask, crossCorrelogramTask,
  individualClusterFeaturesTask, pairClusterFeaturesTask, rasterTask, recordingInfoTask, sortingInfoTask, sortingPageTasks,
  spikeAmplitudesTask, templateSimilarityTask, timeseriesDsFactor, timeseriesSegmentSize, timeseriesSegmentTask,
  unitMetricsTask, unitsSummaryTask, type SortingRef, type TaskSpec,
} from './viewKwargs';

const rec = `sha1://${'a'.repeat(40)}/rec.json`;
const sor = `sha1://${'b'.repeat(40)}/sorting.json`;
const ref: SortingRef = { recordingUri: rec, sortingUri: sor, snippetLen: [50, 80] };
const ref2: SortingRef = { ...ref, snippetLen: [30, 60] };

const all = (r: SortingRef): TaskSpec[] => [
  recordingInfoTask(rec), sortingInfoTask(sor), unitsSummaryTask(r), unitMetricsTask(`sha1://${'c'.repeat(40)}/m.json`),
  averageWaveformTask(r, 3), averageWaveformTask(r, [7, 3]), autocorrelogramTask(r, 3), crossCorrelogramTask(r, 3, [4, 5]),
  correlogramMatrixTask(r, [1, [2, 3]]), individualClusterFeaturesTask(r, 2), pairClusterFeaturesTask(r, 1, 2),
  spikeAmplitudesTask(r, 5), templateSimilarityTask(r), templateSimilarityTask(r, [1, [2, 9]]), rasterTask(r, 12.5), rasterTask(r, 12.5, [4]),
  bestMatchingUnitsTask(sor, `sha1://${'d'.repeat(40)}/s2.json`, 'A'),
  timeseriesSegmentTask(rec, { dsFactor: 9, segmentNum: 2, segmentSize: 6250 }), timeseriesSegmentTask(rec, { dsFactor: 1, segmentNum: 0, segmentSize: 100, filter: 'bandpass' }),
];

describe('view kwargs', () => {
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
    expect(averageWaveformTask(ref, 3).kwargs).toEqual({ recording_uri: rec, sorting_uri: sor, unit_id: 3 });
    expect(averageWaveformTask({ recordingUri: rec, sortingUri: sor }, 3).kwargs).toEqual({ recording_uri: rec, sorting_uri: sor, unit_id: 3 });
    expect(averageWaveformTask(ref2, 3).kwargs).toEqual({ recording_uri: rec, sorting_uri: sor, unit_id: 3, snippet_len: [30, 60] });
    expect(templateSimilarityTask(ref).kwargs).not.toHaveProperty('unit_ids');
    expect(timeseriesSegmentTask(rec, { dsFactor: 1, segmentNum: 0, segmentSize: 10 }).kwargs).not.toHaveProperty('filter');
    expect(autocorrelogramTask(ref, 4).kwargs).toEqual({ sorting_uri: sor, unit_x: 4, unit_y: null, subsample: true });
  });

  it('sends merge groups ascending, and a group of one as its id', () => {
    expect(averageWaveformTask(ref, [9, 2, 9]).kwargs.unit_id).toEqual([2, 9]);
    expect(averageWaveformTask(ref, [4]).kwargs.unit_id).toBe(4);
    expect(taskHash('x.1', averageWaveformTask(ref, [9, 2]).kwargs)).toBe(taskHash('x.1', averageWaveformTask(ref, [2, 9]).kwargs));
  });

  it('refuses a correlogram matrix over more than 20 units', () => {
    expect(() => correlogramMatrixTask(ref, Array.from({ length: 21 }, (_, i) => i))).toThrow(/1 to 20 units/);
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
    const tasks = sortingPageTasks(ref, [1, 2], { numFrames: 60_000, sampleRateHz: 30_000 });
    expect(tasks.map((t) => t.functionId)).toEqual([
      'recording_info.3', 'sorting_info.3', 'sortingview.units_summary.1',
      'fetch_average_waveform.2', 'fetch_correlogram_plot_data.6', 'fetch_average_waveform.2', 'fetch_correlogram_plot_data.6',
      'sortingview.template_similarity.1', 'sortingview.fetch_raster.1',
    ]);
    expect(tasks[3]).toEqual(averageWaveformTask(ref, 1));
    expect(tasks.at(-1)!.kwargs).toEqual({ sorting_uri: sor, start_sec: 0, end_sec: 2 });
  });
});
