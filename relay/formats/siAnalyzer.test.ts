import { describe, expect, it } from 'vitest';
import { smallAnalyzer } from '../../scripts/demoData/sortingAnalyzer.fixtures';
import { binaryFolderRecordingFiles, sortingAnalyzerFiles } from '../../scripts/demoData/sortingAnalyzer';
import { encodeNpy } from '../../core/formats/npy';
import { openRecording, openSorting } from './open';
import { openSiAnalyzerRecording } from './siAnalyzer';
import { memoryOpenFile } from './testing';
import { RequestError } from './types';

const A = '/lab/sorted/analyzer';
type Files = Record<string, Uint8Array | string>;
/** The generator's files under `dir` (folders dropped: memoryOpenFile holds files only). */
function under(dir: string, files: ReturnType<typeof sortingAnalyzerFiles>): Files {
  return Object.fromEntries(Object.entries(files).filter(([, v]) => v !== '').map(([k, v]) => [`${dir}/${k}`, v as Uint8Array]));
}
const obj = (folder = A, segment?: number) => ({ recording_format: 'si_binary_folder' as const, data: { folder, ...(segment === undefined ? {} : { segment }) } });

/** `recording.save(folder=dir)` of the small analyzer's recording, `frames` frames in segment 0 (sample i = i), 20 in segment 1. */
function binaryFolder(dir: string, frames: number): Files {
  const traces = [Int16Array.from({ length: frames * 3 }, (_, i) => i), new Int16Array(20 * 3)];
  return under(dir, binaryFolderRecordingFiles({ ...smallAnalyzer().recording, samplingFrequency: 30000, traces }));
}

describe('SortingAnalyzer recording (si_binary_folder on the analyzer folder)', () => {
  it('recording gone: the info from recording_info/, noise from the noise_levels extension, trace reads refused', async () => {
    const r = await openRecording(obj(), memoryOpenFile(under(A, sortingAnalyzerFiles(smallAnalyzer()))));
    expect(r.info).toMatchObject({
      sampleRateHz: 30000, numFrames: 1000, channelIds: [0, 5, 9], channelGroups: [0, 0, 1],
      geom: [[0, 0], [16, 20], [32, 40]], dtype: 'int16', sourceDtype: 'int16', gainUvPerBit: 0.195, tracesAvailable: false,
    });
    // 3.9, 7.8, 5.85 µV (float32) ÷ 0.195 µV per bit
    expect((r.info as unknown as { noiseLevels: number[] }).noiseLevels.map((x) => Math.round(x * 1e4) / 1e4)).toEqual([20, 40, 30]);
    const message = `${A}: this analyzer's recording is not available (recording.json points at /lab/sorted/rec_gone); views that need raw traces cannot be shown.`;
    await expect(r.readTraces(0, 10, [0])).rejects.toThrow(message);
    await expect(r.readTraces(0, 10, [0])).rejects.toBeInstanceOf(RequestError);
    await expect(r.readSnippets(new Float64Array([50]), 10, 10, [5])).rejects.toThrow(message);
    const seg1 = await openSiAnalyzerRecording(A, 1, memoryOpenFile(under(A, sortingAnalyzerFiles(smallAnalyzer()))));
    expect(seg1.info.numFrames).toBe(20);
    expect(seg1.tracesUnavailable).toBe(`${message} To see them, put the recording back where recording.json points, or add the raw recording with \`sortingview workspace add-recording <its path>\` and this analyzer's sorting with \`--recording-id\` of it`);
  });

  it('the templates extension: info.templates (nbefore = int(ms_before·fs/1000)), rows read by unit id in unit_ids order, refusals', async () => {
    const input = smallAnalyzer();
    const files = under(A, sortingAnalyzerFiles({ ...input, sorting: { ...input.sorting, unitIds: [7, 2, 4] } }));
    const r = await openRecording(obj(), memoryOpenFile(files));
    expect(r.info.templates).toEqual({ nbefore: 30, numSamples: 90, units: 'uV', maxSpikesPerUnit: null }); // random_spikes method "all"
    expect(r.templates!.sortingFolder).toBe(`${A}/sorting`);
    expect(r.templates!.unitIds).toEqual([7, 2, 4]);
    const avg = input.extensions!.templates!.average;
    const row = 90 * 3;
    // Unit 2 is row 1 of unit_ids [7, 2, 4]; unit 7 row 0.
    expect(Array.from(await r.templates!.read([2, 7]))).toEqual([...Array.from(avg.subarray(row, 2 * row)), ...Array.from(avg.subarray(0, row))]);
    await expect(r.templates!.read([3])).rejects.toThrow(`${A}/extensions/templates/average.npy has no template for unit 3`);
    // settings.json return_in_uV False: raw units.
    const raw = await openRecording(obj(), memoryOpenFile({ ...files, [`${A}/settings.json`]: new TextEncoder().encode('{"return_in_uV": false}') }));
    expect(raw.info.templates?.units).toBe('raw');
    // A templates array that does not fit the recording or the sorting is an error naming the file.
    const wrong = { ...files, [`${A}/extensions/templates/average.npy`]: encodeNpy('float32', [2, 90, 3], new Float32Array(2 * row)) };
    await expect(openRecording(obj(), memoryOpenFile(wrong))).rejects.toThrow(`${A}/extensions/templates/average.npy: has 2 templates for the 3 units of ${A}/sorting/numpysorting_info.json`);
    const noTemplates = Object.fromEntries(Object.entries(files).filter(([k]) => !k.includes('/templates/')));
    expect((await openRecording(obj(), memoryOpenFile(noTemplates))).info.templates).toBeUndefined();
  });

  it('the spike_amplitudes extension: each unit\'s amplitudes in its train\'s order, segment 0 only; a stale extension refused', async () => {
    const input = smallAnalyzer();
    // Units 2, 4 (empty), 7 by index 0, 1, 2; segment 1 has one spike of unit 2 (frame 7).
    const stored = (u: number, sample: number, seg: number) => -(100 * u + sample + 0.5 * seg);
    const files = under(A, sortingAnalyzerFiles({ ...input, extensions: { ...input.extensions, spikeAmplitudes: stored } }));
    const r = await openRecording(obj(), memoryOpenFile(files));
    expect(r.info.spikeAmplitudes).toEqual({ units: 'uV' });
    expect(r.spikeAmplitudes!.sortingFolder).toBe(`${A}/sorting`);
    const [two, four, seven] = await r.spikeAmplitudes!.read([2, 4, 7]);
    // Unit 2's segment-0 frames 100, 40, 500 ascending: 40, 100, 500.
    expect(Array.from(two!)).toEqual([40, 100, 500].map((f) => -(f)));
    expect(Array.from(four!)).toEqual([]);
    expect(Array.from(seven!)).toEqual([41, 900].map((f) => -(200 + f)));
    const seg1 = await openSiAnalyzerRecording(A, 1, memoryOpenFile(files));
    expect(Array.from((await seg1.spikeAmplitudes!.read([2]))[0]!)).toEqual([-7.5]);
    await expect(r.spikeAmplitudes!.read([3])).rejects.toThrow(`${A}/extensions/spike_amplitudes/amplitudes.npy has no amplitudes for unit 3`);
    const stale = { ...files, [`${A}/extensions/spike_amplitudes/amplitudes.npy`]: encodeNpy('float32', [3], new Float32Array(3)) };
    const rs = await openRecording(obj(), memoryOpenFile(stale));
    await expect(rs.spikeAmplitudes!.read([2])).rejects.toThrow(/holds 3 values for the 6 spikes of/);
  });

  it('recording there (a BinaryFolderRecording, relative or absolute path): traces through siBinaryFolder', async () => {
    const files = { ...under(A, sortingAnalyzerFiles(smallAnalyzer({ folderPath: '../rec' }))), ...binaryFolder('/lab/sorted/rec', 1000) };
    const r = await openRecording(obj(), memoryOpenFile(files));
    expect(r.info).toMatchObject({ numFrames: 1000, channelIds: [0, 5, 9], geom: [[0, 0], [16, 20], [32, 40]], channelGroups: [0, 0, 1], tracesAvailable: true });
    expect(Array.from(await r.readTraces(10, 11, [5, 9]))).toEqual([31, 32]);
    const abs = { ...under(A, sortingAnalyzerFiles(smallAnalyzer({ folderPath: '/data/rec', relativePaths: false }))), ...binaryFolder('/data/rec', 1000) };
    expect(Array.from(await (await openRecording(obj(), memoryOpenFile(abs))).readTraces(0, 1, [0]))).toEqual([0]);
  });

  it('a recording.json naming another recording, extractor or pickle: refused or marked unavailable, with the reason', async () => {
    const wrong = { ...under(A, sortingAnalyzerFiles(smallAnalyzer({ folderPath: '../rec' }))), ...binaryFolder('/lab/sorted/rec', 999) };
    await expect(openRecording(obj(), memoryOpenFile(wrong)))
      .rejects.toThrow(`${A}: recording.json points at /lab/sorted/rec, whose recording has 999 frames in segment 0, not 1000 (recording_info/recording_attributes.json); it is not this analyzer's recording`);
    const files = under(A, sortingAnalyzerFiles(smallAnalyzer()));
    const filtered = { ...files, [`${A}/recording.json`]: JSON.stringify({ class: 'spikeinterface.preprocessing.filter.BandpassFilterRecording', kwargs: { recording: {} } }) };
    expect((await openSiAnalyzerRecording(A, 0, memoryOpenFile(filtered))).tracesUnavailable)
      .toMatch(/not available \(recording.json describes a BandpassFilterRecording; this relay reads an analyzer's recording only when it is a BinaryFolderRecording/);
    const { [`${A}/recording.json`]: _, ...noJson } = files;
    expect((await openSiAnalyzerRecording(A, 0, memoryOpenFile({ ...noJson, [`${A}/recording.pickle`]: 'x' }))).tracesUnavailable).toMatch(/not available \(it was saved as recording.pickle/);
  });

  it('older analyzers: no probegroup.json (location property), no noise_levels, and broken folders', async () => {
    const files = under(A, sortingAnalyzerFiles({ ...smallAnalyzer(), extensions: {} }));
    delete files[`${A}/recording_info/probegroup.json`];
    const attrs = JSON.parse(new TextDecoder().decode(files[`${A}/recording_info/recording_attributes.json`] as Uint8Array));
    attrs.properties.location = [[1, 2], [3, 4], [5, 6]];
    attrs.properties.gain_to_uV = [1, 2, 3];
    files[`${A}/recording_info/recording_attributes.json`] = JSON.stringify(attrs);
    const r = await openSiAnalyzerRecording(A, 0, memoryOpenFile(files));
    expect(r.info).toMatchObject({ geom: [[1, 2], [3, 4], [5, 6]], gainUvPerBit: null, channelGainsUvPerBit: [1, 2, 3], noiseLevels: null });
    await expect(openSiAnalyzerRecording(A, 2, memoryOpenFile(files))).rejects.toThrow(`${A}/recording_info/recording_attributes.json: has 2 segment(s); segment 2 does not exist`);
    const badNoise = { ...files, [`${A}/extensions/noise_levels/noise_levels.npy`]: encodeNpy('float32', [2], new Float32Array(2)) };
    await expect(openSiAnalyzerRecording(A, 0, memoryOpenFile(badNoise))).rejects.toThrow('noise_levels.npy: is shaped (2); expected (3,), one level per channel');
    const { [`${A}/recording_info/recording_attributes.json`]: _, ...noAttrs } = files;
    await expect(openRecording(obj(), memoryOpenFile(noAttrs))).rejects.toThrow(`${A}: is not a SpikeInterface SortingAnalyzer folder with format="binary_folder"`);
    const probe = { ...files, [`${A}/recording_info/probegroup.json`]: JSON.stringify({ probes: [{ contact_positions: [[0, 0]], device_channel_indices: [1] }] }) };
    await expect(openSiAnalyzerRecording(A, 0, memoryOpenFile(probe))).rejects.toThrow('probegroup.json: places 1 of 3 channels');
  });

  it('its sorting/ is a NumpyFolderSorting: SpikeInterface\'s unit ids, the empty unit kept', async () => {
    const s = await openSorting({ sorting_format: 'si_numpy_folder', data: { folder: `${A}/sorting` } }, memoryOpenFile(under(A, sortingAnalyzerFiles(smallAnalyzer()))));
    expect(s.unitIds).toEqual([2, 4, 7]);
    expect(Array.from(s.spikeTrain(2))).toEqual([40, 100, 500]);
    expect(Array.from(s.spikeTrain(4))).toEqual([]);
  });
});
