import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smallAnalyzer } from '../../scripts/demoData/sortingAnalyzer.fixtures';
import { sortingAnalyzerFiles } from '../../scripts/demoData/sortingAnalyzer';
import { writeFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { detectFormat } from './detect';

const root = mkdtempSync(join(tmpdir(), 'si-analyzer-detect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('detectFormat: SortingAnalyzer folders', () => {
  it('add-recording → its recording (si_binary_folder on the analyzer), with notes; add-sorting → its sorting/', async () => {
    const a = join(root, 'analyzer');
    await writeFiles(a, sortingAnalyzerFiles(smallAnalyzer()));
    const notes: string[] = [];
    expect(await detectFormat(a, { kind: 'recording', onNote: (n) => notes.push(n) })).toEqual({ recording_format: 'si_binary_folder', data: { folder: a } });
    expect(notes).toEqual([
      `${a} has 2 segments; sortingview shows segment 0`,
      `${a}: this analyzer's recording is not available (recording.json points at ${join(root, 'rec_gone')}); sortingview uses its recording_info (rate, length, channels, probe), and views that need raw traces will say they cannot be shown`,
      `${a}: its noise_levels and templates give the noise level, average waveforms and template similarity, as its traces are gone`,
      `${a} holds the extensions random_spikes; sortingview does not read them yet (its views compute their own)`,
    ]);
    expect(await detectFormat(join(a, 'spikeinterface_info.json'), { kind: 'recording' })).toEqual({ recording_format: 'si_binary_folder', data: { folder: a } });
    const sortingNotes: string[] = [];
    expect(await detectFormat(a, { kind: 'sorting', onNote: (n) => sortingNotes.push(n) })).toEqual({ sorting_format: 'si_numpy_folder', data: { folder: join(a, 'sorting') } });
    expect(sortingNotes).toEqual([`${join(a, 'sorting')} has 2 segments; sortingview shows segment 0 (its frames count from the start of the recording's segment 0)`]);
  });

  it('string unit ids are numbered, and the user is told', async () => {
    const a = join(root, 'analyzer_str');
    const input = smallAnalyzer();
    await writeFiles(a, sortingAnalyzerFiles({ ...input, sorting: { ...input.sorting, unitIds: ['x', 'y', 'z'] } }));
    const notes: string[] = [];
    await detectFormat(a, { kind: 'sorting', onNote: (n) => notes.push(n) });
    expect(notes[0]).toBe(`${join(a, 'sorting')} has string unit ids; sortingview numbers units by their position in unit_ids (SpikeInterface's unit_index): 0 = "x", 1 = "y", 2 = "z"`);
  });

  it('refuses a zarr analyzer and an incomplete folder by name', async () => {
    const z = join(root, 'analyzer.zarr');
    mkdirSync(z);
    writeFileSync(join(z, '.zattrs'), JSON.stringify({ spikeinterface_info: { version: '0.105.0', dev_mode: false, object: 'SortingAnalyzer' } }));
    await expect(detectFormat(z, { kind: 'recording' })).rejects.toThrow(`${z}: is a SortingAnalyzer saved with format="zarr", which this relay does not read; save a copy as a folder with analyzer.save_as(format="binary_folder", folder=…) and add that`);
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'spikeinterface_info.json'), '{"version": "0.105.0", "dev_mode": false, "object": "SortingAnalyzer"}');
    await expect(detectFormat(bad, { kind: 'sorting' })).rejects.toThrow(`${bad}: has spikeinterface_info.json but no recording_info/recording_attributes.json`);
    mkdirSync(join(bad, 'recording_info'));
    writeFileSync(join(bad, 'recording_info', 'recording_attributes.json'), '{}');
    await expect(detectFormat(bad, { kind: 'sorting' })).rejects.toThrow(`${join(bad, 'sorting')}: is not a NumpyFolderSorting (numpysorting_info.json + spikes.npy), which is how a SortingAnalyzer saves its sorting`);
  });
});
