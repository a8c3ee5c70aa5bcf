import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../core/formats/npy';
import { noiseLevels } from '../../core/kernels/waveforms';
import { workspaceAddRecording, workspaceAddSorting } from '../../relay/commands/workspace';
import { openSorting } from '../../relay/formats';
import { localOpenFile } from '../../relay/formats/local';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { npzSortingBytes, numpyFolderSortingFiles, writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { startDemoStack, type DemoStack } from './stackHarness';

/**
 * `add-recording` → task on the local stack → result, for every demo format: SpikeGLX + phy (plain
 * paths under --data-dir), MDA (sha1:// in a kachery store), NWB (HDF5); and the demo's phy sorting
 * as SpikeInterface would save it (NumpyFolderSorting with string unit ids, NpzSortingExtractor .npz
 * with an extra empty unit), added with `workspace add-sorting <folder | .npz>`; a Kilosort folder whose
 * dat_path is an Open Ephys continuous.dat, added with `add-recording <kilosort folder>`; a 1536-channel NP2.0
 * quad-base (NP2020) SpikeGLX recording, whose first second is over one chunk.
 */
let h: DemoStack;
let demo: DemoData;
let paths: DemoStack['paths'];
/** The demo phy sorting's units (ascending) and spike counts, the truth for the SpikeInterface copies. */
let phyUnits: { id: number; count: number }[] = [];
const run = (functionId: string, kwargs: Record<string, unknown>) => h.run(functionId, kwargs);
const NP2020_FRAMES = 30000;
const np2020 = { traces: new Int16Array(0) };

beforeAll(async () => {
  h = await startDemoStack(1);
  ({ demo, paths } = h);
  const { ws, cliDeps: deps, notes } = h;

  // The phy sorting saved as SpikeInterface saves sortings, then added as a lab would.
  const phy = await openSorting(demo.phy.sorting, localOpenFile());
  phyUnits = phy.unitIds.map((id) => ({ id, count: phy.spikeTrain(id).length }));
  const trains = phy.unitIds.map((id) => Array.from(phy.spikeTrain(id)));
  await writeFiles(join(demo.outDir, 'si_sorting'), numpyFolderSortingFiles({ samplingFrequency: phy.sampleRateHz, unitIds: phy.unitIds.map((id) => `u${id}`), segments: [trains] }));
  writeFileSync(join(demo.outDir, 'si_sorting.npz'), npzSortingBytes({ samplingFrequency: phy.sampleRateHz, unitIds: [...phy.unitIds, 999], segments: [[...trains, []]] }));
  const recordingUri = paths.get('spikeglx')!.recordingUri;
  const recordingId = ws.all.find((a) => a.label === 'spikeglx')!.recordingId;
  for (const [label, input] of [['si_numpy_folder', 'si_sorting'], ['si_npz', 'si_sorting.npz']]) {
    const { sortingUri } = await workspaceAddSorting(ws.workspaceUri, input, { label, recordingId }, deps);
    paths.set(label, { recordingUri, sortingUri });
  }

  // Kilosort on an Open Ephys stream: 1 s of 3 channels (2 neural + ADC), bit_volts 0.195.
  const oeRec = join(demo.outDir, 'oe_ks', 'recording1');
  mkdirSync(join(oeRec, 'continuous', 'Rhythm_FPGA-100.0'), { recursive: true });
  writeFileSync(join(oeRec, 'structure.oebin'), JSON.stringify({ continuous: [{ folder_name: 'Rhythm_FPGA-100.0/', sample_rate: 30000, num_channels: 3,
    channels: [{ channel_name: 'CH1', bit_volts: 0.195, units: 'uV' }, { channel_name: 'CH2', bit_volts: 0.195, units: 'uV' }, { channel_name: 'ADC1', bit_volts: 0.00015, units: 'V' }] }] }));
  writeFileSync(join(oeRec, 'continuous', 'Rhythm_FPGA-100.0', 'continuous.dat'), new Uint8Array(new Int16Array(30000 * 3).map((_, i) => ((i * 7919) % 200) - 100).buffer));
  const ks = join(demo.outDir, 'oe_ks', 'kilosort4');
  mkdirSync(ks);
  writeFileSync(join(ks, 'params.py'), "dat_path = '../recording1/continuous/Rhythm_FPGA-100.0/continuous.dat'\nn_channels_dat = 3\ndtype = 'int16'\noffset = 0\nsample_rate = 30000.0\nhp_filtered = False\n");
  writeFileSync(join(ks, 'spike_times.npy'), encodeNpy('int64', [1], new BigInt64Array([700n])));
  writeFileSync(join(ks, 'channel_map.npy'), encodeNpy('int32', [2], new Int32Array([0, 1])));
  writeFileSync(join(ks, 'channel_positions.npy'), encodeNpy('float64', [2, 2], new Float64Array([0, 0, 32, 20])));
  const { recordingUri: oeKsUri } = await workspaceAddRecording(ws.workspaceUri, 'oe_ks/kilosort4', { label: 'oe_ks' }, deps);
  paths.set('oe_ks', { recordingUri: oeKsUri, sortingUri: '' });
  expect(notes.some((n) => n.includes('dat_path is the Open Ephys stream Rhythm_FPGA-100.0'))).toBe(true);

  // An NP2.0 quad-base (NP2020) recording: 1536 AP channels + sync, 1 s, 92 MB, a meta without ~snsGeomMap.
  const npDir = join(demo.outDir, 'np2020', 'quad_g0', 'quad_g0_imec0');
  mkdirSync(npDir, { recursive: true });
  const bin = join(npDir, 'quad_g0_t0.imec0.ap.bin');
  np2020.traces = Int16Array.from({ length: NP2020_FRAMES * 1537 }, (_, i) => (i % 1537 === 1536 ? 0 : ((Math.imul(i, 2654435761) >>> 20) % 401) - 200));
  writeFileSync(bin, new Uint8Array(np2020.traces.buffer));
  const C = 1536;
  const meta: [string, string][] = [
    ['acqApLfSy', `${C},0,1`], ['appVersion', '20240129'], ['fileName', bin], ['fileSizeBytes', String(np2020.traces.byteLength)],
    ['fileTimeSecs', String(NP2020_FRAMES / 30000)], ['firstSample', '0'], ['imAiRangeMax', '0.62'], ['imAiRangeMin', '-0.62'], ['imMaxInt', '8192'],
    ['imDatPrb_pn', 'NP2020'], ['imDatPrb_type', '2020'], ['imSampRate', '30000'], ['nSavedChans', String(C + 1)], ['snsApLfSy', `${C},0,1`],
    ['snsSaveChanSubset', 'all'], ['typeThis', 'imec'],
    // (channel shank bank reference electrode): 384 channels on each of the 4 shanks.
    ['~imroTbl', `(2020,${C})` + Array.from({ length: C }, (_, c) => `(${c} ${Math.floor(c / 384)} 0 0 ${c % 384})`).join('')],
    ['~snsChanMap', `(${C},0,1)` + Array.from({ length: C }, (_, c) => `(AP${c};${c}:${c})`).join('') + `(SY0;${C}:${C})`],
  ];
  writeFileSync(join(npDir, 'quad_g0_t0.imec0.ap.meta'), meta.map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const { recordingUri: npUri } = await workspaceAddRecording(ws.workspaceUri, 'np2020/quad_g0/quad_g0_imec0/quad_g0_t0.imec0.ap.bin', { label: 'np2020' }, deps);
  paths.set('np2020', { recordingUri: npUri, sortingUri: '' });
}, 180_000);
afterAll(async () => h?.stack.stop());

describe.each(['spikeglx', 'mda', 'nwb'])('%s through the relay', (label) => {
  it('recording_info.3, sorting_info.3 and a trace segment', async () => {
    const { recordingUri, sortingUri } = paths.get(label)!;
    const info = await run('recording_info.3', { recording_uri: recordingUri });
    const expected = { spikeglx: demo.spikeglx.numFrames, mda: demo.mda.numFrames, nwb: demo.nwb.numFrames }[label];
    expect(info.num_frames).toBe(expected);
    expect(info.sampling_frequency).toBeGreaterThan(0);
    expect(info.channel_ids.length).toBe(info.geom.length);
    if (label === 'spikeglx') {
      expect(info.channel_ids).toHaveLength(384); // the sync channel is not served
      expect(info.gain_uv_per_bit).toBeCloseTo(demo.spikeglx.gainUvPerBit, 6);
    }
    const sorting = await run('sorting_info.3', { sorting_uri: sortingUri });
    expect(sorting.unit_ids.length).toBeGreaterThan(0);
    const seg = await run('get_timeseries_segment.1', { recording_uri: recordingUri, ds_factor: 9, segment_num: 0, segment_size: 200 });
    expect(seg.traces).toHaveLength(info.channel_ids.length);
    expect(seg.traces[0]).toHaveLength(400);
    // A real signal: the min/max pairs are not all equal.
    expect(new Set(seg.traces[0]).size).toBeGreaterThan(10);
  });
});

describe('SpikeInterface sortings through the relay', () => {
  it('NumpyFolderSorting with string ids: units numbered by unit_index, every spike there', async () => {
    const { recordingUri, sortingUri } = paths.get('si_numpy_folder')!;
    const info = await run('sorting_info.3', { sorting_uri: sortingUri });
    expect(info.unit_ids).toEqual(phyUnits.map((_, i) => i));
    const firing = await run('get_firing_data.1', { recording_uri: recordingUri, sorting_uri: sortingUri });
    expect(phyUnits.map((_, i) => firing[String(i)].count)).toEqual(phyUnits.map((u) => u.count));
  });

  it('NpzSortingExtractor .npz: integer ids as written, the empty unit kept', async () => {
    const { recordingUri, sortingUri } = paths.get('si_npz')!;
    const info = await run('sorting_info.3', { sorting_uri: sortingUri });
    expect(info.unit_ids).toEqual([...phyUnits.map((u) => u.id), 999]);
    const firing = await run('get_firing_data.1', { recording_uri: recordingUri, sorting_uri: sortingUri });
    expect(phyUnits.map((u) => firing[String(u.id)].count)).toEqual(phyUnits.map((u) => u.count));
    expect(firing['999'].count).toBe(0);
  });
});

describe('Kilosort on an Open Ephys continuous.dat through the relay', () => {
  it('recording_info.3 has the bit_volts gain and Kilosort\'s channel positions', async () => {
    const info = await run('recording_info.3', { recording_uri: paths.get('oe_ks')!.recordingUri });
    expect(info.gain_uv_per_bit).toBeCloseTo(0.195, 9);
    expect(info.channel_ids).toEqual([0, 1]);
    expect(info.geom).toEqual([[0, 0], [32, 20]]);
  });
});

describe('an NP2.0 quad-base (NP2020, 1536 channels) recording through the relay', () => {
  it('recording_info.3: every channel, its four shanks, the NP2.0 gain, the noise level from as many frames as one chunk holds', async () => {
    const info = await run('recording_info.3', { recording_uri: paths.get('np2020')!.recordingUri });
    expect(info.channel_ids).toHaveLength(1536);
    expect(info.num_frames).toBe(NP2020_FRAMES);
    expect(info.gain_uv_per_bit).toBeCloseTo(1e6 * 0.62 / 8192 / 100, 9);
    expect(new Set(info.channel_groups)).toEqual(new Set([0, 1, 2, 3]));
    // 64 MiB / (1536 × 2 bytes) = 21 845 frames of the second: the noise of exactly those.
    const frames = Math.floor((64 * 1024 * 1024) / (1536 * 2));
    const block = new Int16Array(frames * 1536);
    for (let f = 0; f < frames; f++) block.set(np2020.traces.subarray(f * 1537, f * 1537 + 1536), f * 1536);
    const levels = Array.from(noiseLevels(block, 1536)).sort((a, b) => a - b);
    expect(info.noise_level).toBeCloseTo((levels[767]! + levels[768]!) / 2, 4);
  });

  it('get_timeseries_segment.1 serves all 1536 channels of a segment', async () => {
    const seg = await run('get_timeseries_segment.1', { recording_uri: paths.get('np2020')!.recordingUri, ds_factor: 1, segment_num: 0, segment_size: 100 });
    expect(seg.traces).toHaveLength(1536);
    expect(seg.traces[1535].slice(0, 3)).toEqual([0, 1, 2].map((f) => np2020.traces[f * 1537 + 1535]));
  });
});
