import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../core/formats/npy';
import { binaryFolderRecordingFiles } from '../../scripts/demoData/sortingAnalyzer';
import { smallAnalyzer } from '../../scripts/demoData/sortingAnalyzer.fixtures';
import { openSiBinaryFolder } from './siBinaryFolder';
import { bytesOf, memoryOpenFile } from './testing';

const F = '/si/rec_folder';
const binaryJson = (kw: Record<string, unknown> = {}) => JSON.stringify({
  class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', module: 'spikeinterface', version: '0.100.0', relative_paths: true,
  kwargs: { file_paths: ['traces_cached_seg0.raw'], sampling_frequency: 30000.0, t_starts: null, num_channels: 3, channel_ids: ['0', '1', '2'], time_axis: 0, dtype: '<i2', file_offset: 0, gain_to_uV: [0.195, 0.195, 0.195], offset_to_uV: [0, 0, 0], is_filtered: false, ...kw },
});
const probeJson = JSON.stringify({
  specification: 'probeinterface', version: '0.2.21',
  probes: [{ ndim: 2, si_units: 'um', contact_positions: [[0, 0], [16, 20], [32, 40]], device_channel_indices: [2, 0, 1], shank_ids: ['', '', ''] }],
});
const traces = (frames: number, nch = 3) => bytesOf(new Int16Array(frames * nch).map((_, i) => i));

describe('SpikeInterface binary folder', () => {
  it('reads binary.json, probe.json (device_channel_indices) and gains', async () => {
    const open = memoryOpenFile({ [`${F}/binary.json`]: binaryJson(), [`${F}/probe.json`]: probeJson, [`${F}/traces_cached_seg0.raw`]: traces(50) });
    const r = await openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, open);
    expect(r.info).toMatchObject({ sampleRateHz: 30000, numFrames: 50, channelIds: [0, 1, 2], geom: [[16, 20], [32, 40], [0, 0]], gainUvPerBit: 0.195, dtype: 'int16' });
    expect(Array.from(await r.readTraces(10, 11, [1, 2]))).toEqual([31, 32]);
  });

  it('reads the positions from probegroup.json, as SpikeInterface 0.105 recording.save(folder=…) writes them', async () => {
    const rec = smallAnalyzer({ positions: [[0, 0], [16, 20], [32, 40]] }).recording;
    const files = binaryFolderRecordingFiles({ ...rec, samplingFrequency: 30000, traces: [new Int16Array(10 * 3)] });
    expect(Object.keys(files)).toContain('probegroup.json');
    expect(Object.keys(files)).not.toContain('probe.json');
    const open = memoryOpenFile(Object.fromEntries(Object.entries(files).filter(([, v]) => v !== '').map(([k, v]) => [`${F}/${k}`, v as Uint8Array])));
    const r = await openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, open);
    expect(r.info).toMatchObject({ numFrames: 10, geom: [[0, 0], [16, 20], [32, 40]], channelGroups: [...rec.groups] });
  });

  it('prefers probegroup.json to probe.json and names the file that places too few channels', async () => {
    const probegroup = JSON.stringify({ specification: 'probeinterface', version: '0.3.2', probes: [{ contact_positions: [[1, 2], [3, 4], [5, 6]], device_channel_indices: [0, 1, 2] }] });
    const base = { [`${F}/binary.json`]: binaryJson(), [`${F}/probe.json`]: probeJson, [`${F}/traces_cached_seg0.raw`]: traces(5) };
    const r = await openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, memoryOpenFile({ ...base, [`${F}/probegroup.json`]: probegroup }));
    expect(r.info.geom).toEqual([[1, 2], [3, 4], [5, 6]]);
    const short = JSON.stringify({ probes: [{ contact_positions: [[1, 2], [3, 4], [5, 6]], device_channel_indices: [0, -1, 2] }] });
    await expect(openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, memoryOpenFile({ ...base, [`${F}/probegroup.json`]: short })))
      .rejects.toThrow(`${F}/probegroup.json: places 2 of 3 channels`);
  });

  it('reads float32 with a file offset, old num_chan and location.npy', async () => {
    const data = new Float32Array(4 + 20 * 3).map((_, i) => i - 4);
    const open = memoryOpenFile({
      [`${F}/binary.json`]: binaryJson({ dtype: 'float32', num_channels: undefined, num_chan: 3, file_offset: 16, channel_ids: ['a', 'b', 'c'], gain_to_uV: 1 }),
      [`${F}/properties/location.npy`]: encodeNpy('float64', [3, 2], new Float64Array([0, 0, 0, 25, 0, 50])),
      [`${F}/properties/group.npy`]: encodeNpy('int64', [3], new BigInt64Array([0n, 0n, 1n])),
      [`${F}/traces_cached_seg0.raw`]: bytesOf(data),
    });
    const r = await openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, open);
    expect(r.info).toMatchObject({ numFrames: 20, channelIds: [0, 1, 2], geom: [[0, 0], [0, 25], [0, 50]], channelGroups: [0, 0, 1], dtype: 'float32', gainUvPerBit: 1 });
    expect(Array.from(await r.readTraces(1, 2, [0, 2]))).toEqual([3, 5]);
  });

  it('reports a truncated traces file and a foreign folder', async () => {
    const open = memoryOpenFile({ [`${F}/binary.json`]: binaryJson(), [`${F}/probe.json`]: probeJson, [`${F}/traces_cached_seg0.raw`]: traces(50).subarray(0, 299) });
    await expect(openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, open))
      .rejects.toThrow(`${F}/traces_cached_seg0.raw: 299 bytes is not a whole number of 3-channel int16 frames`);
    await expect(openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, memoryOpenFile({})))
      .rejects.toThrow(/is not a SpikeInterface binary folder/);
    await expect(openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F } }, memoryOpenFile({ [`${F}/binary.json`]: binaryJson({ dtype: '>i2' }) })))
      .rejects.toThrow(/dtype ">i2"/);
    await expect(openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: F, segment: 1 } }, memoryOpenFile({ [`${F}/binary.json`]: binaryJson() })))
      .rejects.toThrow(/segment 1 does not exist/);
  });
});
