import { describe, expect, it } from 'vitest';
import { SI_FIXTURES } from '../../scripts/demoData/spikeinterfaceSorting.fixtures';
import { npzSortingBytes, numpyFolderSortingFiles } from '../../scripts/demoData/spikeinterfaceSorting';
import { encodeNpy, encodeNpyRecords } from '../../core/formats/npy';
import { openNpy2Sorting } from './npySorting';
import { openSorting } from './open';
import { openSiNumpyFolder, siUnitIds } from './siSorting';
import { memoryOpenFile } from './testing';
import type { SortingReader } from './types';
import { encodeNpz } from './zip';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const F = '/si/sorting';
/** The files of fixture `name` (written by SpikeInterface itself) under `dir`. */
const files = (name: keyof typeof SI_FIXTURES, dir = F) =>
  Object.fromEntries(Object.entries(SI_FIXTURES[name].files).map(([k, v]) => [`${dir}/${k}`, b64(v)]));
const trains = (s: SortingReader) => Object.fromEntries(s.unitIds.map((u) => [u, Array.from(s.spikeTrain(u))]));

describe('SpikeInterface NumpyFolderSorting (si_numpy_folder)', () => {
  it('reads integer ids, keeps the empty unit, serves segment 0 unless told', async () => {
    const open = memoryOpenFile(files('nf_int'));
    const s = await openSiNumpyFolder({ sorting_format: 'si_numpy_folder', data: { folder: F } }, open);
    expect(s.sampleRateHz).toBe(30000);
    expect(trains(s)).toEqual({ 0: [5, 40, 100], 3: [], 7: [5, 7] });
    expect(s.unitNames).toBeUndefined();
    const s1 = await openSorting({ sorting_format: 'si_numpy_folder', data: { folder: F, segment: 1 } }, open);
    expect(trains(s1)).toEqual({ 0: [1], 3: [2, 3], 7: [] });
    await expect(openSiNumpyFolder({ sorting_format: 'si_numpy_folder', data: { folder: F, segment: 2 } }, open))
      .rejects.toThrow(`${F}/numpysorting_info.json: has 2 segment(s); segment 2 does not exist (segments count from 0)`);
  });

  it('string ids: numbered by unit_index, the strings kept in unitNames', async () => {
    const s = await openSiNumpyFolder({ sorting_format: 'si_numpy_folder', data: { folder: F } }, memoryOpenFile(files('nf_str')));
    expect(s.sampleRateHz).toBe(32000.5);
    expect(trains(s)).toEqual({ 0: [5, 100], 1: [40], 2: [5, 7, 9] });
    expect(s.unitNames).toEqual({ 0: 'a', 1: 'bb', 2: 'unit-3' });
  });

  it('reports a spike vector that does not match its info', async () => {
    const good = numpyFolderSortingFiles({ samplingFrequency: 1000, unitIds: [1, 2], segments: [[[1], [2]]] });
    const info = good['numpysorting_info.json'] as Uint8Array;
    const i64 = (xs: number[]) => BigInt64Array.from(xs, BigInt);
    const bad = (spikes: Uint8Array) => memoryOpenFile({ [`${F}/numpysorting_info.json`]: info, [`${F}/spikes.npy`]: spikes });
    const rec = (u: number[], seg: number[]) => encodeNpyRecords([
      { name: 'sample_index', dtype: 'int64', data: i64(u.map((_, i) => i)) }, { name: 'unit_index', dtype: 'int64', data: i64(u) }, { name: 'segment_index', dtype: 'int64', data: i64(seg) }]);
    const open = (o: ReturnType<typeof bad>) => openSiNumpyFolder({ sorting_format: 'si_numpy_folder', data: { folder: F } }, o);
    await expect(open(bad(rec([0, 2], [0, 0])))).rejects.toThrow(`${F}/spikes.npy: spike 1 has unit_index 2; unit_ids has 2 units`);
    await expect(open(bad(rec([0], [1])))).rejects.toThrow(`${F}/spikes.npy: spike 0 has segment_index 1; numpysorting_info.json has 1 segment(s)`);
    await expect(open(bad(encodeNpy('int64', [2], i64([1, 2]))))).rejects.toThrow(`${F}/spikes.npy: is a plain <i8 array, not a structured array`);
    await expect(open(bad(encodeNpyRecords([{ name: 'sample_index', dtype: 'int64', data: i64([1]) }]))))
      .rejects.toThrow(`${F}/spikes.npy: has no unit_index field (it has: sample_index); expected SpikeInterface's spike vector`);
    await expect(open(memoryOpenFile({ [`${F}/numpysorting_info.json`]: '{"unit_ids": [1]}', [`${F}/spikes.npy`]: rec([0], [0]) })))
      .rejects.toThrow(/numpysorting_info.json: is not a SpikeInterface numpysorting_info.json: sampling_frequency/);
    const cut = (good['spikes.npy'] as Uint8Array).subarray(0, 200);
    await expect(open(bad(cut))).rejects.toThrow(/spikes.npy: header says shape \(2\) of \[\('sample_index', '<i8'\), .*\(48 data bytes\) but the file has 8 data bytes \(truncated\)/);
  });
});

describe('SpikeInterface .npz (npy2)', () => {
  const npy2 = (uri: string, segment?: number) => ({ sorting_format: 'npy2' as const, data: { npz_uri: uri, ...(segment === undefined ? {} : { segment }) } });

  it('NpzSortingExtractor files: an empty unit (float64 labels), two segments, string ids', async () => {
    const a = await openNpy2Sorting(npy2('/a.npz'), memoryOpenFile({ '/a.npz': b64(SI_FIXTURES.npz_int.files['npz_int.npz']) }));
    expect(trains(a)).toEqual({ 0: [5, 40, 100], 3: [], 7: [5, 7] });
    const full = memoryOpenFile({ '/b.npz': b64(SI_FIXTURES.npz_int_full.files['npz_int_full.npz']) });
    expect(trains(await openNpy2Sorting(npy2('/b.npz'), full))).toEqual({ 1: [7], 2: [5, 40, 100] });
    expect(trains(await openNpy2Sorting(npy2('/b.npz', 1), full))).toEqual({ 1: [1, 2], 2: [3] });
    await expect(openNpy2Sorting(npy2('/b.npz', 2), full)).rejects.toThrow('/b.npz: has 2 segment(s); segment 2 does not exist');
    const str = await openNpy2Sorting(npy2('/c.npz'), memoryOpenFile({ '/c.npz': b64(SI_FIXTURES.npz_str.files['npz_str.npz']) }));
    expect(str.sampleRateHz).toBe(25000);
    expect(trains(str)).toEqual({ 0: [5, 100], 1: [5, 7] });
    expect(str.unitNames).toEqual({ 0: 'x', 1: 'yy' });
  });

  it('NpzFolderSorting: its sorting_cached.npz', async () => {
    const s = await openSorting(npy2(`${F}/sorting_cached.npz`), memoryOpenFile(files('npzf')));
    expect(trains(s)).toEqual({ 0: [1, 2], 1: [3] });
    expect(s.unitNames).toEqual({ 0: 'a', 1: 'b' });
  });

  it('a label that is not a unit id, and a segment of a 2021 npz', async () => {
    const z = npzSortingBytes({ samplingFrequency: 100, unitIds: [1, 2], segments: [[[5], [6]]] });
    const entries = { unit_ids: encodeNpy('int64', [1], new BigInt64Array([1n])) };
    const broken = encodeNpz({ ...entries, num_segment: encodeNpy('int64', [1], new BigInt64Array([1n])), sampling_frequency: encodeNpy('float64', [1], new Float64Array([100])),
      spike_indexes_seg0: encodeNpy('int64', [1], new BigInt64Array([5n])), spike_labels_seg0: encodeNpy('int64', [1], new BigInt64Array([9n])) });
    await expect(openNpy2Sorting(npy2('/x.npz'), memoryOpenFile({ '/x.npz': broken }))).rejects.toThrow('/x.npz[spike_labels_seg0]: spike 0 has label 9, which is not in unit_ids');
    expect(trains(await openNpy2Sorting(npy2('/y.npz'), memoryOpenFile({ '/y.npz': z })))).toEqual({ 1: [5], 2: [6] });
    const old = encodeNpz({ spike_indexes: encodeNpy('int64', [1], new BigInt64Array([5n])), spike_labels: encodeNpy('int32', [1], new Int32Array([1])), sampling_frequency: encodeNpy('float64', [], new Float64Array([1000])) });
    await expect(openNpy2Sorting(npy2('/o.npz', 1), memoryOpenFile({ '/o.npz': old }))).rejects.toThrow('/o.npz: has one segment (a 2021 npz); segment 1 does not exist');
  });
});

describe('siUnitIds', () => {
  it('keeps integers and canonical integer strings, numbers anything else by position', () => {
    expect(siUnitIds([3, 1], 'x')).toEqual({ ids: [3, 1] });
    expect(siUnitIds(['12', '0', '-4'], 'x')).toEqual({ ids: [12, 0, -4] });
    // "007" would come back as "7": not lossless, so positions and names.
    expect(siUnitIds(['007', '8'], 'x')).toEqual({ ids: [0, 1], names: { 0: '007', 1: '8' } });
    expect(() => siUnitIds([1, 1], 'u.json')).toThrow('u.json: has duplicate unit ids (1, 1)');
    expect(() => siUnitIds([1.5], 'u.json')).toThrow('u.json: unit id 1.5 is not an integer');
  });
});
