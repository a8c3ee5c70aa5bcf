import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, parseWorkspaceUri, readFeed, workspaceSubfeedHash } from '../../core/feeds';
import { noiseLevels, templateSimilarity } from '../../core/kernels/waveforms';
import { workspaceAddRecording, workspaceAddSorting } from '../../relay/commands/workspace';
import { resolveTarget } from '../../relay/commands/workspaceContext';
import { openRecording, openSorting } from '../../relay/formats';
import { localOpenFile } from '../../relay/formats/local';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { binaryFolderRecordingFiles, sortingAnalyzerFiles } from '../../scripts/demoData/sortingAnalyzer';
import { writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { startDemoStack, type DemoStack } from './stackHarness';

/**
 * A SpikeInterface SortingAnalyzer folder (binary_folder, written by scripts/demoData/sortingAnalyzer.ts)
 * of the demo's SpikeGLX recording and phy sorting plus an empty unit 999, whose recording.json points at
 * `../si_recording_gone`, a folder that does not exist: `workspace add-recording <analyzer>` and
 * `add-sorting <analyzer> --recording-id R` on the local stack, then tasks through the relay. And a small
 * analyzer whose recording is there (a BinaryFolderRecording saved beside it): its traces are served.
 */
let h: DemoStack;
let demo: DemoData;
let recordingUri = '';
let sortingUri = '';
let units: { id: number; count: number }[] = [];
let numFrames = 0;
let sampleRateHz = 0;
/** The noise_levels extension's values in raw units (what recording_info.3 reports). */
let noiseRaw: Float32Array;
let notes: string[] = [];
/** The templates extension, [unit][90 samples][channel] in µV: unit i peaks at sample 30 on channel index 13·i mod C. */
const TEMPLATE_SAMPLES = 90;
let templates: Float32Array;
let channelIds: number[] = [];
/** The spike_amplitudes extension's value of a spike: names its unit index and frame, so a mix-up shows. */
const storedAmplitude = (unitIndex: number, sample: number) => -(unitIndex * 10 + (sample % 1009) / 100);
function templateValue(j: number, C: number): number {
  const c = j % C;
  const t = Math.floor(j / C) % TEMPLATE_SAMPLES;
  const u = Math.floor(j / (C * TEMPLATE_SAMPLES));
  return t === 30 ? -(60 + u) / (1 + Math.abs(c - ((13 * u) % C))) : 0.5 * Math.sin(t + c);
}
/** The analyzer with its recording: 4 channels, 1 s at 30 kHz, 0.195 µV per bit. */
const small = {
  channelIds: [0, 1, 2, 3], positions: [[0, 0], [0, 20], [16, 40], [16, 60]] as [number, number][], numFrames: 30000,
  traces: Int16Array.from({ length: 30000 * 4 }, (_, i) => ((i * 7919) % 200) - 100),
  uris: { recording: '', sorting: '' },
  sortingId: '',
  /** What add-sorting returned about the analyzer's quality_metrics / template_metrics. */
  metricsUri: undefined as string | null | undefined,
};
const run = (functionId: string, kwargs: Record<string, unknown>) => h.run(functionId, kwargs);

beforeAll(async () => {
  h = await startDemoStack(1);
  ({ demo, notes } = h);
  const { ws, cliDeps } = h;

  const rec = await openRecording(demo.spikeglx.recording, localOpenFile());
  const phy = await openSorting(demo.phy.sorting, localOpenFile());
  const { info } = rec;
  numFrames = info.numFrames;
  sampleRateHz = info.sampleRateHz;
  // noise_levels as SpikeInterface keeps them: µV (return_in_uV), one per channel.
  const block = await rec.readTraces(0, Math.min(numFrames, Math.round(sampleRateHz)), info.channelIds);
  await rec.close();
  const gain = info.gainUvPerBit!;
  const noiseUv = Float32Array.from(noiseLevels(block, info.channelIds.length), (x) => x * gain);
  noiseRaw = Float32Array.from(noiseUv, (x) => x / gain);
  units = [...phy.unitIds.map((id) => ({ id, count: phy.spikeTrain(id).length })), { id: 999, count: 0 }];
  templates = Float32Array.from({ length: units.length * TEMPLATE_SAMPLES * info.channelIds.length }, (_, j) => templateValue(j, info.channelIds.length));
  channelIds = info.channelIds;
  await writeFiles(join(demo.outDir, 'si_analyzer'), sortingAnalyzerFiles({
    sorting: { samplingFrequency: phy.sampleRateHz, unitIds: units.map((u) => u.id), segments: [[...phy.unitIds.map((id) => Array.from(phy.spikeTrain(id))), []]] },
    recording: {
      channelIds: info.channelIds, numSamples: [numFrames], dtype: 'int16', isFiltered: false,
      gainToUv: info.channelIds.map(() => gain), offsetToUv: info.channelIds.map(() => 0), groups: info.channelGroups, positions: info.geom,
      folderPath: '../si_recording_gone', relativePaths: true,
    },
    mainChannelIndex: units.map(() => 0),
    extensions: {
      noiseLevels: noiseUv, templates: { msBefore: 1, msAfter: 2, average: templates, std: new Float32Array(templates.length) },
      spikeAmplitudes: storedAmplitude,
    },
  }));

  const added = await workspaceAddRecording(ws.workspaceUri, 'si_analyzer', { label: 'si_analyzer' }, cliDeps);
  recordingUri = added.recordingUri;
  ({ sortingUri } = await workspaceAddSorting(ws.workspaceUri, 'si_analyzer', { label: 'si_analyzer', recordingId: added.recordingId }, cliDeps));

  const rec4 = {
    channelIds: small.channelIds, isFiltered: false, gainToUv: [0.195, 0.195, 0.195, 0.195], offsetToUv: [0, 0, 0, 0], groups: [0, 0, 0, 0], positions: small.positions,
  };
  await writeFiles(join(demo.outDir, 'si_rec_small'), binaryFolderRecordingFiles({ ...rec4, samplingFrequency: 30000, traces: [small.traces] }));
  await writeFiles(join(demo.outDir, 'si_analyzer_small'), sortingAnalyzerFiles({
    sorting: { samplingFrequency: 30000, unitIds: [3, 8], segments: [[[1000, 5000, 20000], [7000]]] },
    recording: { ...rec4, numSamples: [small.numFrames], dtype: 'int16', folderPath: '../si_rec_small', relativePaths: true },
    mainChannelIndex: [0, 2],
    extensions: {
      qualityMetrics: {
        columns: [
          { name: 'num_spikes', dtype: 'int64', values: [3, 1] },
          { name: 'snr', dtype: 'float64', values: [12.873041152954102, null] },
          { name: 'isi_violations_ratio', dtype: 'float64', values: [0, 1e-5] },
        ],
      },
      templateMetrics: { columns: [{ name: 'peak_to_valley', dtype: 'float64', values: [null, -0.0003] }] },
    },
  }));
  const smallRec = await workspaceAddRecording(ws.workspaceUri, 'si_analyzer_small', { label: 'si_analyzer_small' }, cliDeps);
  small.uris.recording = smallRec.recordingUri;
  const smallSorting = await workspaceAddSorting(ws.workspaceUri, 'si_analyzer_small', { label: 'si_analyzer_small', recordingId: smallRec.recordingId }, cliDeps);
  small.uris.sorting = smallSorting.sortingUri;
  small.sortingId = smallSorting.sortingId;
  small.metricsUri = smallSorting.metricsUri;
}, 180_000);
afterAll(async () => h?.stack.stop());

describe('a SortingAnalyzer folder whose recording is gone, through the relay', () => {
  it('add-recording says the recording is not available and which extensions are not read', () => {
    expect(notes).toContain(`Note: ${join(demo.outDir, 'si_analyzer')}: this analyzer's recording is not available (recording.json points at ${join(demo.outDir, 'si_recording_gone')}); sortingview uses its recording_info (rate, length, channels, probe), and views that need raw traces will say they cannot be shown`);
    expect(notes).toContain(`Note: ${join(demo.outDir, 'si_analyzer')}: its noise_levels, spike_amplitudes and templates give the noise level, spike amplitudes, average waveforms and template similarity, as its traces are gone`);
    expect(notes).toContain(`Note: ${join(demo.outDir, 'si_analyzer')} holds the extensions random_spikes; sortingview does not read them yet (its views compute their own)`);
  });

  it('sorting_info.3: SpikeInterface\'s unit ids exactly, the empty unit included', async () => {
    const info = await run('sorting_info.3', { sorting_uri: sortingUri });
    expect(info.unit_ids).toEqual(units.map((u) => u.id));
    expect(info.samplerate).toBe(sampleRateHz);
    expect(info.sorting_object).toEqual({ sorting_format: 'si_numpy_folder', data: { folder: join(demo.outDir, 'si_analyzer', 'sorting') } });
  });

  it('get_firing_data.1: the recording\'s info (rate, length) from recording_info/, without its traces', async () => {
    const firing = await run('get_firing_data.1', { recording_uri: recordingUri, sorting_uri: sortingUri });
    expect(units.map((u) => firing[String(u.id)].count)).toEqual(units.map((u) => u.count));
    const big = units.reduce((a, b) => (b.count > a.count ? b : a));
    expect(Number(firing[String(big.id)].rate)).toBeCloseTo(big.count / (numFrames / sampleRateHz), 2);
  });

  it('fetch_average_waveform.2: the templates extension\'s template (µV, its own 90 samples), a merge group\'s weighted by spike counts', async () => {
    const C = channelIds.length;
    const [i, u] = [...units.entries()].find(([, x]) => x.count > 0)!;
    const w = await run('fetch_average_waveform.2', { recording_uri: recordingUri, sorting_uri: sortingUri, unit_id: u.id });
    expect(w.units).toBe('uV');
    expect(w.num_spikes).toBe(u.count);
    expect(w.channel_ids[0]).toBe(channelIds[(13 * i) % C]);
    expect(w.average_waveform[0]).toHaveLength(TEMPLATE_SAMPLES);
    for (const [m, ch] of (w.channel_ids as number[]).entries()) {
      const c = channelIds.indexOf(ch);
      for (const t of [0, 29, 30, 31, 89]) expect(w.average_waveform[m][t]).toBeCloseTo(templates[(i * TEMPLATE_SAMPLES + t) * C + c]!, 4);
    }
    const [j, v] = [...units.entries()].filter(([, x]) => x.count > 0)[1]!;
    const g = await run('fetch_average_waveform.2', { recording_uri: recordingUri, sorting_uri: sortingUri, unit_id: [u.id, v.id].sort((a, b) => a - b) });
    expect(g.num_spikes).toBe(u.count + v.count);
    const c0 = channelIds.indexOf(g.channel_ids[0]);
    const weighted = (u.count * templates[(i * TEMPLATE_SAMPLES + 30) * C + c0]! + v.count * templates[(j * TEMPLATE_SAMPLES + 30) * C + c0]!) / (u.count + v.count);
    expect(g.average_waveform[0][30]).toBeCloseTo(weighted, 4);
  });

  it('sortingview.template_similarity.1: the kernel on the same stored templates', async () => {
    const ids = units.filter((x) => x.count > 0).slice(0, 4).map((x) => x.id);
    const sim = await run('sortingview.template_similarity.1', { recording_uri: recordingUri, sorting_uri: sortingUri, unit_ids: ids });
    const shown = [];
    for (const id of ids) {
      const w = await run('fetch_average_waveform.2', { recording_uri: recordingUri, sorting_uri: sortingUri, unit_id: id });
      shown.push({ channelIds: w.channel_ids as number[], waveform: Float32Array.from((w.average_waveform as number[][]).flat()) });
    }
    const expected = templateSimilarity(shown);
    expect((sim.similarity as number[][]).flat().map((x) => Math.round(x * 1e5))).toEqual(Array.from(expected.data, (x) => Math.round(x * 1e5)));
    expect(sim.similarity[0][0]).toBeCloseTo(1, 5);
  });

  it('fetch_spike_amplitudes.1: the spike_amplitudes extension, every spike of the unit in time order', async () => {
    const [i, u] = [...units.entries()].find(([, x]) => x.count > 0)!;
    const a = await run('fetch_spike_amplitudes.1', { recording_uri: recordingUri, sorting_uri: sortingUri, unit_id: u.id });
    expect(a.amplitudes).toHaveLength(u.count);
    const frames = a.timepoints as number[];
    expect(frames).toEqual([...frames].sort((x, y) => x - y));
    expect((a.amplitudes as number[]).map((x) => Math.round(x * 100))).toEqual(frames.map((f) => Math.round(Math.fround(storedAmplitude(i, f)) * 100)));
    expect(a).toMatchObject({ units: 'uV', window: [0, 1], peak_channel: channelIds[(13 * i) % channelIds.length] });
  });

  it('the templates are the analyzer\'s own sorting\'s: with another sorting of its recording the task says so', async () => {
    const phySorting = h.paths.get('spikeglx')!.sortingUri;
    await expect(run('fetch_average_waveform.2', { recording_uri: recordingUri, sorting_uri: phySorting, unit_id: units[0]!.id })).rejects.toThrow(/are its own sorting's/);
  });

  it('views that need raw traces say so (get_timeseries_segment.1); recording_info.3 works without them', async () => {
    const why = /this analyzer's recording is not available \(recording\.json points at \S*si_recording_gone\); views that need raw traces cannot be shown/;
    await expect(run('get_timeseries_segment.1', { recording_uri: recordingUri, ds_factor: 1, segment_num: 0, segment_size: 100 })).rejects.toThrow(why);
    // The noise level comes from the noise_levels extension (µV ÷ gain: served units), not from traces.
    const info = await run('recording_info.3', { recording_uri: recordingUri });
    const levels = Array.from(noiseRaw).sort((a, b) => a - b);
    const m = levels.length >> 1;
    expect(info.noise_level).toBeCloseTo(levels.length % 2 ? levels[m] : (levels[m - 1] + levels[m]) / 2, 3);
    expect(info.num_frames).toBe(numFrames);
  });
});

describe('a SortingAnalyzer folder whose recording is there, through the relay', () => {
  it('recording_info.3: the analyzer\'s info and probe, the noise level from the BinaryFolderRecording\'s traces', async () => {
    const info = await run('recording_info.3', { recording_uri: small.uris.recording });
    const levels = Array.from(noiseLevels(small.traces, 4)).sort((a, b) => a - b);
    expect(info).toMatchObject({ sampling_frequency: 30000, num_frames: small.numFrames, channel_ids: small.channelIds, geom: small.positions, gain_uv_per_bit: 0.195 });
    expect(info.noise_level).toBeCloseTo((levels[1] + levels[2]) / 2, 4);
    expect(info.recording_object).toEqual({ recording_format: 'si_binary_folder', data: { folder: join(demo.outDir, 'si_analyzer_small') } });
  });

  it('get_timeseries_segment.1 serves its samples, sorting_info.3 its units', async () => {
    const seg = await run('get_timeseries_segment.1', { recording_uri: small.uris.recording, ds_factor: 1, segment_num: 0, segment_size: 100 });
    expect(seg.traces).toHaveLength(4);
    expect(seg.traces[2].slice(0, 3)).toEqual([0, 1, 2].map((f) => small.traces[f * 4 + 2]));
    expect((await run('sorting_info.3', { sorting_uri: small.uris.sorting })).unit_ids).toEqual([3, 8]);
  });

  it('add-sorting attached its quality_metrics and template_metrics: SET_UNIT_METRICS_FOR_SORTING, then fetch_unit_metrics.1 (NaN → null)', async () => {
    expect(small.metricsUri).toMatch(/^sha1:\/\/[0-9a-f]{40}\/unit_metrics\.json$/);
    const store = h.cliDeps.openStores(resolveTarget({}, h.cliDeps.env)).public;
    const { feedId } = parseWorkspaceUri(h.ws.workspaceUri);
    const actions = (await readFeed(store, feedId, workspaceSubfeedHash())).map((m) => (m.message as { action: { type: string } }).action);
    expect(actions.filter((a) => a.type === 'SET_UNIT_METRICS_FOR_SORTING')).toContainEqual({ type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId: small.sortingId, metricsUri: small.metricsUri } });
    expect((await loadWorkspace(store, feedId)).state.sortings.find((s) => s.sortingId === small.sortingId)!.unitMetricsUri).toBe(small.metricsUri);

    const metrics = await run('fetch_unit_metrics.1', { unit_metrics_uri: small.metricsUri }) as unknown as { name: string; label: string; tooltip: string; data: Record<string, number | null> }[];
    expect(metrics.map((m) => [m.name, m.label])).toEqual([['num_spikes', 'Spikes'], ['snr', 'SNR'], ['isi_violations_ratio', 'ISI violations ratio'], ['peak_to_valley', 'Peak to valley']]);
    expect(metrics.map((m) => m.data)).toEqual([{ 3: 3, 8: 1 }, { 3: 12.873041152954102, 8: null }, { 3: 0, 8: 1e-5 }, { 3: null, 8: -0.0003 }]);
    expect(metrics[3].tooltip).toBe('peak_to_valley from template_metrics/metrics.csv');
  });

  it('add-sorting attaches nothing for an analyzer without metric extensions, and warned about nothing', async () => {
    expect(notes.filter((n) => n.startsWith('Warning'))).toEqual([]);
    const { state } = await loadWorkspace(h.cliDeps.openStores(resolveTarget({}, h.cliDeps.env)).public, parseWorkspaceUri(h.ws.workspaceUri).feedId);
    expect(state.sortings.find((s) => s.sortingPath === sortingUri)!.unitMetricsUri).toBeUndefined();
  });
});
