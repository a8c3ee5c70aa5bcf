import { describe, expect, it } from 'vitest';
import { openOpenEphysRecording } from './openephys';
import { bytesOf, memoryOpenFile } from './testing';

const ch = (name: string, bv = 0.195, units = 'uV') => ({ channel_name: name, description: '', identifier: '', history: '', bit_volts: bv, units });
const oebin = (streams: object[] = [
  { folder_name: 'Rhythm_FPGA-100.0/', sample_rate: 30000, source_processor_name: 'Rhythm FPGA', num_channels: 4, channels: [ch('CH1'), ch('CH2'), ch('CH3'), ch('ADC1', 0.00015, 'V')] },
]) => JSON.stringify({ 'GUI version': '0.5.5', continuous: streams, events: [], spikes: [] });

function dat(frames: number, nch: number) {
  return bytesOf(new Int16Array(frames * nch).map((_, i) => i));
}

const rec = '/oe/2021-01-01_12-00-00/Record Node 101/experiment1/recording1';

describe('Open Ephys binary', () => {
  it('serves the neural channels of continuous.dat with bit_volts gain', async () => {
    const open = memoryOpenFile({ [`${rec}/structure.oebin`]: oebin(), [`${rec}/continuous/Rhythm_FPGA-100.0/continuous.dat`]: dat(100, 4) });
    const r = await openOpenEphysRecording({ recording_format: 'openephys', data: { folder: rec } }, open);
    expect(r.info).toMatchObject({ sampleRateHz: 30000, numFrames: 100, channelIds: [0, 1, 2], gainUvPerBit: 0.195, geom: [[0, 0], [0, 20], [0, 40]] });
    expect(Array.from(await r.readTraces(2, 3, [2, 0]))).toEqual([10, 8]);
  });

  it('picks a stream by name and refuses to guess among several', async () => {
    const streams = [
      { folder_name: 'Neuropix-PXI-100.ProbeA-AP/', stream_name: 'ProbeA-AP', sample_rate: 30000, num_channels: 2, channels: [ch('CH1', 0.195), ch('CH2', 0.195)] },
      { folder_name: 'Neuropix-PXI-100.ProbeA-LFP/', stream_name: 'ProbeA-LFP', sample_rate: 2500, num_channels: 2, channels: [ch('CH1'), ch('CH2')] },
    ];
    const files = { [`${rec}/structure.oebin`]: oebin(streams), [`${rec}/continuous/Neuropix-PXI-100.ProbeA-LFP/continuous.dat`]: dat(10, 2) };
    await expect(openOpenEphysRecording({ recording_format: 'openephys', data: { folder: rec } }, memoryOpenFile(files))).rejects.toThrow(/2 continuous streams \(ProbeA-AP, ProbeA-LFP\); name one with data.stream/);
    const r = await openOpenEphysRecording({ recording_format: 'openephys', data: { oebin_path: `${rec}/structure.oebin`, stream: 'LFP' } }, memoryOpenFile(files));
    expect(r.info.sampleRateHz).toBe(2500);
    expect(r.info.numFrames).toBe(10);
  });

  it('reports a truncated continuous.dat and a malformed .oebin', async () => {
    const cut = dat(100, 4).subarray(0, 797);
    await expect(openOpenEphysRecording({ recording_format: 'openephys', data: { folder: rec } },
      memoryOpenFile({ [`${rec}/structure.oebin`]: oebin(), [`${rec}/continuous/Rhythm_FPGA-100.0/continuous.dat`]: cut })))
      .rejects.toThrow(`${rec}/continuous/Rhythm_FPGA-100.0/continuous.dat: 797 bytes is not a whole number of 4-channel int16 frames`);
    await expect(openOpenEphysRecording({ recording_format: 'openephys', data: { folder: rec } }, memoryOpenFile({ [`${rec}/structure.oebin`]: '{"continuous": [{}]}' })))
      .rejects.toThrow(/is not an Open Ephys structure.oebin: continuous.0.folder_name/);
    await expect(openOpenEphysRecording({ recording_format: 'openephys', data: { folder: rec } }, memoryOpenFile({ [`${rec}/structure.oebin`]: '{"continuous": [' })))
      .rejects.toThrow(/structure.oebin: is not valid JSON/);
  });
});
