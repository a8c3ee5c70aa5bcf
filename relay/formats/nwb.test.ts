import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNwbFile, type NwbContent } from '../../scripts/demoData/nwbWrite';
import { openHdf5 } from './hdf5';
import { openNwbRecording, openNwbSorting } from './nwb';
import { localOpenFile, memoryOpenFile, newReadLog } from './testing';
import { FormatError } from './types';

let dir: string;
const T = 300;
const C = 4;

function content(extra: Partial<NwbContent> = {}): NwbContent {
  return {
    sampleRateHz: 30000, startingTimeSec: 2,
    traces: new Int16Array(T * C).map((_, i) => Math.floor(i / C) * 10 + (i % C)), numChannels: C, conversion: 2.5e-6,
    electrodes: { ids: [10, 11, 12, 13], relX: [0, 32, 0, 32], relY: [0, 0, 20, 20], groupNames: ['shank0', 'shank0', 'shank1', 'shank1'] },
    units: { ids: [3, 5], spikeTimesSec: [new Float64Array([2.001, 2.5]), new Float64Array([2.1, 2.0002, 3])] },
    ...extra,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nwb-test-'));
  await writeNwbFile(join(dir, 'a.nwb'), content());
  await writeNwbFile(join(dir, 'ts.nwb'), content({ useTimestamps: true, seriesName: 'ElectricalSeriesAP' }));
  await writeNwbFile(join(dir, 'two.nwb'), content({ extraSeries: [{ name: 'ElectricalSeriesLF', rateHz: 2500, traces: new Int16Array(10 * C), numChannels: C }] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NWB recording', () => {
  it('reads an ElectricalSeries lazily from a local path', async () => {
    const log = newReadLog();
    const r = await openNwbRecording({ recording_format: 'nwb', data: { path: join(dir, 'a.nwb') } }, localOpenFile({ log }));
    expect(r.info).toMatchObject({ sampleRateHz: 30000, numFrames: T, channelIds: [10, 11, 12, 13], channelGroups: [0, 0, 1, 1], geom: [[0, 0], [32, 0], [0, 20], [32, 20]], dtype: 'int16' });
    expect(r.info.gainUvPerBit).toBeCloseTo(2.5, 12);
    expect(Array.from(await r.readTraces(5, 7, [13, 11]))).toEqual([53, 51, 63, 61]);
    const s = await r.readSnippets(new Float64Array([10, 200]), 1, 2, [12]);
    expect(Array.from(s)).toEqual([92, 102, 112, 1992, 2002, 2012]);
    expect(log.reads.reduce((n, x) => n + x.length, 0)).toBeLessThanOrEqual(64); // the signature only: HDF5 reads the host file itself
    await expect(r.readSnippets(new Float64Array([299]), 1, 2, [12])).rejects.toThrow(/leaves recording/);
    await r.close();
  });

  it('copies to a temp file when there is no host path (sha1 manifest files), under a cap', async () => {
    const bytes = new Uint8Array(await readFile(join(dir, 'a.nwb')));
    const open = memoryOpenFile({ 'sha1://abc/a.nwb': bytes });
    const r = await openNwbRecording({ recording_format: 'nwb', data: { path: 'sha1://abc/a.nwb' } }, open);
    expect(Array.from(await r.readTraces(0, 1, [10]))).toEqual([0]);
    await r.close();
    await expect(openHdf5(await open('sha1://abc/a.nwb'), { copyCapBytes: 1000 })).rejects.toThrow(/copying is capped at 1000 bytes. Register it by its path/);
  });

  it('uses timestamps and picks a series by name', async () => {
    const r = await openNwbRecording({ recording_format: 'nwb', data: { path: join(dir, 'ts.nwb'), electrical_series_name: 'ElectricalSeriesAP' } }, localOpenFile());
    expect(r.info.sampleRateHz).toBeCloseTo(30000, 6);
    await r.close();
    await expect(openNwbRecording({ recording_format: 'nwb', data: { path: join(dir, 'two.nwb') } }, localOpenFile()))
      .rejects.toThrow(/has 2 ElectricalSeries \(\/acquisition\/ElectricalSeries, \/acquisition\/ElectricalSeriesLF\); name one/);
    const lf = await openNwbRecording({ recording_format: 'nwb', data: { path: join(dir, 'two.nwb'), electrical_series_name: 'ElectricalSeriesLF' } }, localOpenFile());
    expect(lf.info).toMatchObject({ sampleRateHz: 2500, numFrames: 10 });
    await lf.close();
  });

  it('reports truncated and non-HDF5 files', async () => {
    const bytes = await readFile(join(dir, 'a.nwb'));
    await writeFile(join(dir, 'cut.nwb'), bytes.subarray(0, bytes.length - 500));
    await writeFile(join(dir, 'junk.nwb'), 'not an hdf5 file at all');
    const err = await openNwbRecording({ recording_format: 'nwb', data: { path: join(dir, 'cut.nwb') } }, localOpenFile()).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(new RegExp(`^${join(dir, 'cut.nwb')}: HDF5 cannot open it: truncated file: eof = \\d+`));
    await expect(openNwbRecording({ recording_format: 'nwb', data: { path: join(dir, 'junk.nwb') } }, localOpenFile())).rejects.toThrow(/junk.nwb: is not an HDF5 file/);
  });
});

describe('NWB units', () => {
  it('splits spike_times by spike_times_index into frames relative to the series start', async () => {
    const s = await openNwbSorting({ sorting_format: 'nwb', data: { path: join(dir, 'a.nwb') } }, localOpenFile());
    expect(s.sampleRateHz).toBe(30000);
    expect(s.unitIds).toEqual([3, 5]);
    expect(Array.from(s.spikeTrain(3))).toEqual([30, 15000]);
    expect(Array.from(s.spikeTrain(5))).toEqual([6, 3000, 30000]);
  });

  it('needs a rate when the series is ambiguous', async () => {
    await expect(openNwbSorting({ sorting_format: 'nwb', data: { path: join(dir, 'two.nwb') } }, localOpenFile())).rejects.toThrow(/give data.samplerate or data.electrical_series_name/);
    const s = await openNwbSorting({ sorting_format: 'nwb', data: { path: join(dir, 'two.nwb'), samplerate: 1000 } }, localOpenFile());
    expect(Array.from(s.spikeTrain(5))).toEqual([2000, 2100, 3000]);
  });
});
