import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoData, type DemoData } from '../../scripts/demoData/makeDemoData';
import { detectFormat } from './detect';
import { localOpenFile } from './local';
import { openRecording, openSorting } from './open';
import { encodeNpy } from '../../core/formats/npy';
import { encodeZip } from './zip';
import { npzFolderSortingFiles, npzSortingBytes, numpyFolderSortingFiles, writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';

let dir: string;
let demo: DemoData;
const open = localOpenFile();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'detect-'));
  demo = await makeDemoData({ outDir: join(dir, 'demo'), durationSec: 0.2, numUnits: 3, seed: 2 });
  const rec = join(dir, 'oe', '2021-01-01_12-00-00', 'Record Node 101', 'experiment1', 'recording1');
  await mkdir(join(rec, 'continuous', 'Rhythm_FPGA-100.0'), { recursive: true });
  await writeFile(join(rec, 'structure.oebin'), JSON.stringify({ continuous: [{ folder_name: 'Rhythm_FPGA-100.0/', sample_rate: 30000, num_channels: 2, channels: [{ channel_name: 'CH1', bit_volts: 0.195, units: 'uV' }, { channel_name: 'CH2', bit_volts: 0.195, units: 'uV' }] }] }));
  await writeFile(join(rec, 'continuous', 'Rhythm_FPGA-100.0', 'continuous.dat'), new Uint8Array(40));
  await mkdir(join(dir, 'si'));
  await writeFile(join(dir, 'si', 'binary.json'), JSON.stringify({ class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', relative_paths: true, kwargs: { file_paths: ['traces_cached_seg0.raw'], sampling_frequency: 30000, num_channels: 2, dtype: '<i2', time_axis: 0, file_offset: 0 } }));
  await writeFile(join(dir, 'si', 'traces_cached_seg0.raw'), new Uint8Array(40));
  await writeFile(join(dir, 's.npz'), encodeZip({
    'spike_indexes.npy': encodeNpy('int64', [1], new BigInt64Array([5n])), 'spike_labels.npy': encodeNpy('int32', [1], new Int32Array([1])),
    'sampling_frequency.npy': encodeNpy('float64', [], new Float64Array([30000])),
  }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('detectFormat', () => {
  it('SpikeGLX from the .bin, the .meta or the run folder', async () => {
    const expected = { recording_format: 'spikeglx', data: { bin_path: demo.spikeglx.binPath, meta_path: demo.spikeglx.metaPath } };
    expect(await detectFormat(demo.spikeglx.binPath)).toEqual(expected);
    expect(await detectFormat(demo.spikeglx.metaPath)).toEqual(expected);
    expect(await detectFormat(join(demo.outDir, 'spikeglx'))).toEqual(expected);
  });

  it('phy folder as a sorting, and its dat_path as the recording', async () => {
    expect(await detectFormat(demo.phy.folder)).toEqual({ sorting_format: 'phy', data: { folder: demo.phy.folder } });
    expect(await detectFormat(join(demo.phy.folder, 'params.py'))).toEqual({ sorting_format: 'phy', data: { folder: demo.phy.folder } });
    expect(await detectFormat(demo.phy.folder, { kind: 'recording' })).toEqual({ recording_format: 'spikeglx', data: { bin_path: demo.spikeglx.binPath, meta_path: demo.spikeglx.metaPath } });
  });

  it('a phy folder whose dat_path is a plain binary becomes bin2', async () => {
    const ks = join(dir, 'ks');
    await mkdir(ks);
    await writeFile(join(dir, 'rec.dat'), new Uint8Array(3 * 2 * 50));
    await writeFile(join(ks, 'params.py'), "dat_path = '../rec.dat'\nn_channels_dat = 3\ndtype = 'int16'\noffset = 0\nsample_rate = 25000.\n");
    await writeFile(join(ks, 'spike_times.npy'), encodeNpy('int64', [1], new BigInt64Array([7n])));
    await writeFile(join(ks, 'channel_map.npy'), encodeNpy('int32', [2], new Int32Array([0, 2])));
    await writeFile(join(ks, 'channel_positions.npy'), encodeNpy('float64', [2, 2], new Float64Array([0, 0, 0, 40])));
    const rec = await detectFormat(ks, { kind: 'recording' });
    expect(rec).toMatchObject({ recording_format: 'bin2', data: { raw: join(dir, 'rec.dat'), raw_num_channels: 3, num_frames: 50, samplerate: 25000, dtype: 'int16', channel_ids: [0, 2] } });
    const r = await openRecording(rec as never, open);
    expect(r.info.geom).toEqual([[0, 0], [0, 40]]);
  });

  it('MDA folder, raw.mda and firings.mda', async () => {
    const rec = await detectFormat(demo.mda.folder);
    expect(rec).toMatchObject({ recording_format: 'mda', data: { raw: join(demo.mda.folder, 'raw.mda'), params: { samplerate: 30000 } } });
    expect((await openRecording(rec as never, open)).info.channelIds).toHaveLength(16);
    expect(await detectFormat(join(demo.mda.folder, 'firings.mda'))).toEqual({ sorting_format: 'mda', data: { firings: join(demo.mda.folder, 'firings.mda'), samplerate: 30000 } });
    expect(await detectFormat(demo.mda.folder, { kind: 'sorting' })).toMatchObject({ sorting_format: 'mda' });
  });

  it('NWB as recording or sorting', async () => {
    expect(await detectFormat(demo.nwb.path)).toEqual({ recording_format: 'nwb', data: { path: demo.nwb.path } });
    const s = await detectFormat(demo.nwb.path, { kind: 'sorting' });
    expect(s).toEqual({ sorting_format: 'nwb', data: { path: demo.nwb.path } });
    expect((await openSorting(s as never, open)).sampleRateHz).toBe(30000);
  });

  it('Open Ephys session, SpikeInterface folder, npz', async () => {
    const oe = await detectFormat(join(dir, 'oe'));
    expect(oe).toMatchObject({ recording_format: 'openephys', data: { oebin_path: expect.stringMatching(/recording1\/structure.oebin$/) } });
    expect((await openRecording(oe as never, open)).info.numFrames).toBe(10);
    const si = await detectFormat(join(dir, 'si'));
    expect(si).toEqual({ recording_format: 'si_binary_folder', data: { folder: join(dir, 'si') } });
    expect((await openRecording(si as never, open)).info.numFrames).toBe(10);
    expect(await detectFormat(join(dir, 's.npz'))).toEqual({ sorting_format: 'npy2', data: { npz_uri: join(dir, 's.npz') } });
  });

  it('SpikeInterface sorting folders are sortings, although they hold si_folder.json as recording folders do', async () => {
    const input = { samplingFrequency: 30000, unitIds: ['a', 'b'], segments: [[[3, 1], [2]], [[5], [6]]] };
    const nf = join(dir, 'si_sorting');
    await writeFiles(nf, numpyFolderSortingFiles(input));
    const notes: string[] = [];
    const s = await detectFormat(nf, { kind: 'sorting', onNote: (m) => notes.push(m) });
    expect(s).toEqual({ sorting_format: 'si_numpy_folder', data: { folder: nf } });
    expect(notes).toEqual([
      `${nf} has string unit ids; sortingview numbers units by their position in unit_ids (SpikeInterface's unit_index): 0 = "a", 1 = "b"`,
      `${nf} has 2 segments; sortingview shows segment 0 (its frames count from the start of the recording's segment 0)`,
    ]);
    expect(await detectFormat(join(nf, 'si_folder.json'))).toEqual(s);
    const r = await openSorting(s as never, open);
    expect(r.unitNames).toEqual({ 0: 'a', 1: 'b' });
    expect(Array.from(r.spikeTrain(0))).toEqual([1, 3]);
    // The SI recording folder next to it is still a recording; one of two segments says which it serves.
    expect(await detectFormat(join(dir, 'si'))).toMatchObject({ recording_format: 'si_binary_folder' });
    const two = join(dir, 'si2');
    await mkdir(two);
    await writeFile(join(two, 'binary.json'), JSON.stringify({ class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', kwargs: { file_paths: ['traces_cached_seg0.raw', 'traces_cached_seg1.raw'] } }));
    notes.length = 0;
    expect(await detectFormat(two, { onNote: (m) => notes.push(m) })).toEqual({ recording_format: 'si_binary_folder', data: { folder: two } });
    expect(notes).toEqual([`${two} has 2 segments; sortingview shows segment 0`]);

    const npzf = join(dir, 'si_npz_folder');
    await writeFiles(npzf, npzFolderSortingFiles(input));
    notes.length = 0;
    expect(await detectFormat(npzf, { onNote: (m) => notes.push(m) })).toEqual({ sorting_format: 'npy2', data: { npz_uri: join(npzf, 'sorting_cached.npz') } });
    expect(notes).toEqual([`${join(npzf, 'sorting_cached.npz')} has string unit ids; sortingview numbers units by their position in unit_ids (SpikeInterface's unit_index): 0 = "a", 1 = "b"`]);
    await writeFile(join(dir, 'si.npz'), npzSortingBytes({ samplingFrequency: 20000, unitIds: [4, 9], segments: [[[10, 5], [7]]] }));
    notes.length = 0;
    const npz = await detectFormat(join(dir, 'si.npz'), { onNote: (m) => notes.push(m) });
    expect(notes).toEqual([]); // integer ids are shown as they are
    expect(npz).toEqual({ sorting_format: 'npy2', data: { npz_uri: join(dir, 'si.npz') } });
    expect(Array.from((await openSorting(npz as never, open)).spikeTrain(4))).toEqual([5, 10]);
  });

  it('a SpikeInterface sorting folder of another class is refused by name', async () => {
    const z = join(dir, 'si_zarr_like');
    await mkdir(z);
    await writeFile(join(z, 'si_folder.json'), JSON.stringify({ class: 'spikeinterface.core.zarrextractors.ZarrSortingExtractor', kwargs: {} }));
    await expect(detectFormat(z)).rejects.toThrow(`${join(z, 'si_folder.json')}: describes a spikeinterface.core.zarrextractors.ZarrSortingExtractor, a sorting format this relay does not read`);
    const half = join(dir, 'si_half');
    await mkdir(half);
    await writeFile(join(half, 'numpysorting_info.json'), '{}');
    await expect(detectFormat(half)).rejects.toThrow(`${half}: has numpysorting_info.json but no spikes.npy`);
  });

  it('Open Ephys streams are checked when the recording is added, in --stream terms', async () => {
    const rec = join(dir, 'oe2', 'Record Node 101', 'experiment1', 'recording1');
    const chs = [{ channel_name: 'CH1', bit_volts: 0.195, units: 'uV' }, { channel_name: 'CH2', bit_volts: 0.195, units: 'uV' }];
    const streams = ['ProbeA-AP', 'ProbeA-LFP', 'ProbeB-AP'].map((n) => ({ folder_name: `Neuropix-PXI-100.${n}/`, stream_name: n, sample_rate: n.endsWith('LFP') ? 2500 : 30000, num_channels: 2, channels: chs }));
    for (const st of streams) {
      await mkdir(join(rec, 'continuous', st.folder_name), { recursive: true });
      await writeFile(join(rec, 'continuous', st.folder_name, 'continuous.dat'), new Uint8Array(40));
    }
    const oebin = join(rec, 'structure.oebin');
    await writeFile(oebin, JSON.stringify({ continuous: streams }));
    const session = join(dir, 'oe2');
    await expect(detectFormat(session)).rejects.toThrow(`${oebin}: has 3 continuous streams (ProbeA-AP, ProbeA-LFP, ProbeB-AP); choose one with --stream, e.g. --stream ProbeA-AP`);
    await expect(detectFormat(session, { stream: 'ProbeC' })).rejects.toThrow(`${oebin}: has no stream "ProbeC" (--stream); its streams are ProbeA-AP, ProbeA-LFP, ProbeB-AP, e.g. --stream ProbeA-AP`);
    await expect(detectFormat(oebin, { stream: 'AP' })).rejects.toThrow(`${oebin}: --stream AP matches 2 streams (ProbeA-AP, ProbeB-AP); give one exactly, e.g. --stream ProbeA-AP`);
    const notes: string[] = [];
    const lfp = await detectFormat(session, { stream: 'LFP', onNote: (m) => notes.push(m) });
    expect(lfp).toEqual({ recording_format: 'openephys', data: { oebin_path: oebin, stream: 'ProbeA-LFP' } });
    expect(notes).toEqual(['--stream LFP is the stream ProbeA-LFP (stored by that name)']);
    expect((await openRecording(lfp as never, open)).info.sampleRateHz).toBe(2500);
    expect(await detectFormat(oebin, { stream: 'Neuropix-PXI-100.ProbeB-AP' })).toEqual({ recording_format: 'openephys', data: { oebin_path: oebin, stream: 'ProbeB-AP' } });
  });

  it('a SpikeGLX folder with AP and LF says which it adds; an LF-only folder gives LF', async () => {
    const run = join(dir, 'sglx_run', 'run_g0', 'run_g0_imec0');
    await mkdir(run, { recursive: true });
    for (const f of ['run_g0_t0.imec0.ap.bin', 'run_g0_t0.imec0.ap.meta', 'run_g0_t0.imec0.lf.bin', 'run_g0_t0.imec0.lf.meta']) await writeFile(join(run, f), '');
    const notes: string[] = [];
    expect(await detectFormat(join(dir, 'sglx_run'), { onNote: (m) => notes.push(m) })).toMatchObject({ recording_format: 'spikeglx', data: { bin_path: join(run, 'run_g0_t0.imec0.ap.bin') } });
    expect(notes).toEqual([`${join(dir, 'sglx_run')} holds the AP stream run_g0_t0.imec0.ap.bin and the LF stream run_g0_t0.imec0.lf.bin: adding AP (${join(run, 'run_g0_t0.imec0.ap.bin')}); to add LF, pass ${join(run, 'run_g0_t0.imec0.lf.bin')} itself`]);
    const lfOnly = join(dir, 'sglx_lf');
    await mkdir(lfOnly);
    for (const f of ['x.imec0.lf.bin', 'x.imec0.lf.meta']) await writeFile(join(lfOnly, f), '');
    expect(await detectFormat(lfOnly)).toEqual({ recording_format: 'spikeglx', data: { bin_path: join(lfOnly, 'x.imec0.lf.bin'), meta_path: join(lfOnly, 'x.imec0.lf.meta') } });
  });

  it('a Kilosort folder on an Open Ephys continuous.dat keeps the bit_volts gain and its own geometry', async () => {
    const rec = join(dir, 'oe_ks', 'recording1');
    const stream = join(rec, 'continuous', 'Rhythm_FPGA-100.0');
    await mkdir(stream, { recursive: true });
    await writeFile(join(rec, 'structure.oebin'), JSON.stringify({ continuous: [{ folder_name: 'Rhythm_FPGA-100.0/', sample_rate: 30000, num_channels: 3,
      channels: [{ channel_name: 'CH1', bit_volts: 0.195, units: 'uV' }, { channel_name: 'CH2', bit_volts: 0.195, units: 'uV' }, { channel_name: 'ADC1', bit_volts: 0.00015, units: 'V' }] }] }));
    await writeFile(join(stream, 'continuous.dat'), new Uint8Array(3 * 2 * 10));
    const ks = join(dir, 'oe_ks', 'kilosort4');
    await mkdir(ks);
    const params = (n: number) => `dat_path = '../recording1/continuous/Rhythm_FPGA-100.0/continuous.dat'\nn_channels_dat = ${n}\ndtype = 'int16'\noffset = 0\nsample_rate = 30000.0\nhp_filtered = False\n`;
    await writeFile(join(ks, 'params.py'), params(3));
    await writeFile(join(ks, 'spike_times.npy'), encodeNpy('int64', [1], new BigInt64Array([7n])));
    await writeFile(join(ks, 'channel_map.npy'), encodeNpy('int32', [2], new Int32Array([0, 1])));
    await writeFile(join(ks, 'channel_positions.npy'), encodeNpy('float64', [2, 2], new Float64Array([0, 0, 32, 20])));
    const notes: string[] = [];
    const r = await detectFormat(ks, { kind: 'recording', onNote: (m) => notes.push(m) });
    expect(r).toMatchObject({ recording_format: 'bin2', data: { raw: join(stream, 'continuous.dat'), channel_ids: [0, 1], channel_gains_uv_per_bit: { 0: 0.195, 1: 0.195 } } });
    expect(notes).toEqual([`dat_path is the Open Ephys stream Rhythm_FPGA-100.0: gains from its structure.oebin bit_volts (${join(rec, 'structure.oebin')})`]);
    const info = (await openRecording(r as never, open)).info;
    expect(info).toMatchObject({ gainUvPerBit: 0.195, geom: [[0, 0], [32, 20]], numFrames: 10 });
    await writeFile(join(ks, 'params.py'), params(2));
    await writeFile(join(stream, 'continuous.dat'), new Uint8Array(2 * 2 * 10));
    await expect(detectFormat(ks, { kind: 'recording' })).rejects.toThrow(`${join(ks, 'params.py')}: n_channels_dat = 2, but ${join(rec, 'structure.oebin')} says stream Rhythm_FPGA-100.0 has 3 channels`);
  });

  it('says when it does not know a path', async () => {
    await writeFile(join(dir, 'x.txt'), 'hi');
    await expect(detectFormat(join(dir, 'x.txt'))).rejects.toThrow(/is not a recording or sorting file/);
    await expect(detectFormat(join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    await mkdir(join(dir, 'empty'));
    await expect(detectFormat(join(dir, 'empty'))).rejects.toThrow(/holds no recording or sorting/);
  });
});
