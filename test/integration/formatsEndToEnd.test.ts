import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../core/client/runTask';
import { loadWorkspace } from '../../core/feeds';
import { parseWorkspaceUri } from '../../core/feeds/workspaceUri';
import { resultToPlainJson } from '../../core/protocol';
import { createDemoWorkspace, ensureDemoData, type DemoWorkspace } from '../../emulator/demo';
import type { LocalStack } from '../../emulator/stack';
import { gcsBlobStore } from '../../adapters/gcs/gcsBlobStore';
import type { DemoData } from '../../scripts/demoData/makeDemoData';
import { startTestStack } from './stackHarness';
import { randomBytes } from 'node:crypto';
import { workspaceAddRecording, workspaceAddSorting, type WorkspaceDeps } from '../../relay/commands/workspace';
import { encodeNpy } from '../../core/formats/npy';
import { detectFormat, openSorting } from '../../relay/formats';
import { localOpenFile } from '../../relay/formats/local';
import { npzSortingBytes, numpyFolderSortingFiles, writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { mkdirSync, writeFileSync } from 'node:fs';

/**
 * `add-recording` → task on the local stack → result, for every demo format: SpikeGLX + phy (plain
 * paths under --data-dir), MDA (sha1:// in a kachery store), NWB (HDF5); and the demo's phy sorting
 * as SpikeInterface would save it (NumpyFolderSorting with string unit ids, NpzSortingExtractor .npz
 * with an extra empty unit), added with `workspace add-sorting <folder | .npz>`; a Kilosort folder whose
 * dat_path is an Open Ephys continuous.dat, added with `add-recording <kilosort folder>`.
 */
let stack: LocalStack;
let demo: DemoData;
let ws: DemoWorkspace;
const paths = new Map<string, { recordingUri: string; sortingUri: string }>();
/** The demo phy sorting's units (ascending) and spike counts, the truth for the SpikeInterface copies. */
let phyUnits: { id: number; count: number }[] = [];
const deps = { fetch, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now: () => performance.now() };
const run = (functionId: string, kwargs: Record<string, unknown>) =>
  runTask({ apiUrl: stack.apiUrl, backend: stack.label, functionId, kwargs, timeoutMs: 60_000 }, deps).then((r) => resultToPlainJson(r.result) as Record<string, any>);

beforeAll(async () => {
  demo = await ensureDemoData(mkdtempSync(join(tmpdir(), 'sv-demo-')), 1, () => {});
  stack = await startTestStack({ auth: false, pubsub: 'ours', relay: { dataDirs: [demo.outDir], kacheryStorageDir: demo.kacheryStorageDir } });
  ws = await createDemoWorkspace({ demo, env: stack.env, backendUri: stack.backendUri, storageUrl: stack.storage.url, appUrl: stack.webUrl });
  const store = gcsBlobStore(new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url }).bucket(stack.bucket));
  const { state } = await loadWorkspace(store, parseWorkspaceUri(ws.workspaceUri).feedId);
  for (const { label, recordingId, sortingId } of ws.all) {
    paths.set(label, {
      recordingUri: state.recordings.find((r) => r.recordingId === recordingId)!.recordingPath,
      sortingUri: state.sortings.find((s) => s.sortingId === sortingId)!.sortingPath,
    });
  }

  // The phy sorting saved as SpikeInterface saves sortings, then added as a lab would.
  const phy = await openSorting(demo.phy.sorting, localOpenFile());
  phyUnits = phy.unitIds.map((id) => ({ id, count: phy.spikeTrain(id).length }));
  const trains = phy.unitIds.map((id) => Array.from(phy.spikeTrain(id)));
  await writeFiles(join(demo.outDir, 'si_sorting'), numpyFolderSortingFiles({ samplingFrequency: phy.sampleRateHz, unitIds: phy.unitIds.map((id) => `u${id}`), segments: [trains] }));
  writeFileSync(join(demo.outDir, 'si_sorting.npz'), npzSortingBytes({ samplingFrequency: phy.sampleRateHz, unitIds: [...phy.unitIds, 999], segments: [[...trains, []]] }));
  const storage = new Storage({ projectId: 'demo-sortingview', apiEndpoint: stack.storage.url });
  const notes: string[] = [];
  const deps: WorkspaceDeps = {
    env: { ...stack.env, SORTINGVIEW_BACKEND: stack.backendUri, KACHERY_STORAGE_DIR: demo.kacheryStorageDir, SORTINGVIEW_USER: 'demo@localhost' },
    cwd: demo.outDir,
    openStores: (t) => ({ public: gcsBlobStore(storage.bucket(t.bucket)), private: gcsBlobStore(storage.bucket(t.privateBucket)) }),
    random: (n) => randomBytes(n), now: Date.now, detectFormat, stdout: () => {}, stderr: (l) => notes.push(l),
  };
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
}, 180_000);
afterAll(async () => stack?.stop());

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
