import { describe, expect, it } from 'vitest';
import { taskHash } from '../../protocol/hash';
import { findTask, taskFunctionIds } from '../catalog';

/**
 * Task identity: sha1 of the deterministic JSON of {functionId, kwargs} (2021's
 * JSONStringifyDeterministic). Expected hashes computed independently with Python:
 *   sha1(json.dumps({'functionId': f, 'kwargs': kw}, sort_keys=True, separators=(',', ':')))
 * Every request below leaves its optional kwargs out (the defaults); the schemas accept it and
 * return it unchanged (no `.default()`), so a hash of the request and of the parsed kwargs agree,
 * and a kwarg added later (e.g. get_timeseries_segment's `filter`) leaves the old hashes alone.
 */
const R = 'sha1://a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1/recording.json';
const S = 'sha1://d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4/sorting.json';

const CASES: [string, Record<string, unknown>, string][] = [
  ['get_timeseries_segment.1', {recording_uri: R, ds_factor: 1, segment_num: 3, segment_size: 3125}, 'adae507218d84745279b890847051c0a9b9e525c'],
  ['get_timeseries_segment.1', {recording_uri: R, ds_factor: 27, segment_num: 0, segment_size: 3125}, 'dcf5cd00c995729f2b5a68f18bdc1f201f7e9159'],
  ['get_firing_data.1', {recording_uri: R, sorting_uri: S}, 'f37b0dedfb31424fd1571f1aa43c4c876c82c3c6'],
  ['get_isi_violation_rates.1', {recording_uri: R, sorting_uri: S, configuration: {isi_threshold_msec: 2.5}}, '45a0d4284fc31af55ba731f10e11325556e2a6c1'],
  ['get_peak_channels.1', {recording_uri: R, sorting_uri: S}, '515d622599ae6b9f55e031f8c7b54d8a10bc3f22'],
  ['get_unit_snrs.1', {recording_uri: R, sorting_uri: S, snippet_len: [50, 80], configuration: {}}, 'd7db48ae62224262f82ec15b99023d902cc34c23'],
  ['fetch_unit_metrics.1', {unit_metrics_uri: 'sha1://0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a/metrics.json'}, '8f62c1a4373dc2238ede726e6a286eeca9685d0e'],
  ['sortingview.units_summary.1', {recording_uri: R, sorting_uri: S}, '86167e7251155cc735358b02556fe94379b3e926'],
  ['fetch_average_waveform.2', {recording_uri: R, sorting_uri: S, unit_id: [3, 12]}, '98fc6ee2c17327ceef7fc7046c30bb651168eb82'],
  ['fetch_correlogram_plot_data.6', {sorting_uri: S, unit_x: 3, unit_y: null, subsample: true}, '1ab4e454d0d94a36ccdd2fcd99c973183749004f'],
  ['sortingview.fetch_correlogram_matrix.1', {sorting_uri: S, unit_ids: [1, [2, 3]]}, '874764aadf69fc510ed41658bd743df1547214f5'],
  ['individual_cluster_features.1', {recording_uri: R, sorting_uri: S, unit_id: 7}, 'c15e3027bbb8bb7d922df771766f9651c969bdeb'],
  ['pair_cluster_features.4', {recording_uri: R, sorting_uri: S, unit_id1: 7, unit_id2: 9}, '0fe0e6ae76241b2a180333187a4925ad7fb61998'],
  ['fetch_spike_amplitudes.1', {recording_uri: R, sorting_uri: S, unit_id: 7}, '2668a407e74769f10f6835e695ee911d439833b7'],
  ['get_best_matching_units.2', {sorting_uri: S, compare_sorting_uri: 'sha1://f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6/sorting-b.json', sorting_selector: 'A'}, '9341ee79c886b3ed8c4212beb314ead106177650'],
  ['sortingview.template_similarity.1', {recording_uri: R, sorting_uri: S}, '151b0318ae564c7e10b4758a8330ae2870ae0991'],
  ['sortingview.fetch_raster.1', {sorting_uri: S, start_sec: 0, end_sec: 12.5}, 'acf2c0debe9782aa09c65a4f3e3edccdc9dd834d'],
  ['sortingview.fetch_isi_histogram.1', {sorting_uri: S, unit_id: 7}, '25fdc912873934f0a04f30ef6a7a83f16eed33bf'],
  ['sortingview.fetch_firing_rate.1', {sorting_uri: S, unit_id: 7, duration_sec: 12.5}, 'f94e12c1e16b965f93e283e8158439e974e30316'],
  ['sortingview.fetch_feature_space.1', {recording_uri: R, sorting_uri: S, unit_ids: [7, [2, 3]]}, 'eb148380ef7757eb1dc54b56377160c873c7e460'],
  ['sortingview.merge_group_summary.1', {recording_uri: R, sorting_uri: S, unit_ids: [3, 12]}, 'd4c1e4f1f8101e64bd96b2e248c8dd06d945a672'],
  ['sortingview.sorting_agreement.1', {sorting_uri: S, compare_sorting_uri: 'sha1://f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6/sorting-b.json'}, '1110095e22fcc2e75a39631d26c23a4f56567ee0'],
];

describe('task hashes (2021 JSONStringifyDeterministic), optional kwargs omitted unless shown', () => {
  it.each(CASES)('%s %j', (functionId, kwargs, expected) => {
    const task = findTask(functionId)!;
    expect(task.kind).toBe('pure');
    const parsed = task.kwargs.safeParse(kwargs);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(kwargs);
    expect(taskHash(functionId, parsed.data as Record<string, unknown>)).toBe(expected);
    expect(taskHash(functionId, kwargs)).toBe(expected);
  });

  it('a default sent explicitly is another task (clients omit defaults, as 2021 precalculation did)', () => {
    const [, kw, h] = CASES[0];
    expect(taskHash('get_timeseries_segment.1', { ...kw, filter: 'none' })).not.toBe(h);
    expect(taskHash('get_timeseries_segment.1', { ...kw, filter: 'none' })).toBe('0d813d94d934b8692ed2b33d499e874c3769c11a');
  });

  it('every view task of the catalog is covered', () => {
    const covered = new Set(CASES.map(([id]) => id));
    for (const id of ['recording_info.3', 'sorting_info.3', 'sortingview.get_backend_info.1', 'sortingview.test_sleep.1', 'sortingview.test_error.1']) covered.add(id);
    expect([...covered].sort()).toEqual(taskFunctionIds({ diagnosticTasks: true }));
  });
});
