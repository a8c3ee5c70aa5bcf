import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../core/formats/npy';
import { openPhySorting, parsePhyParams } from './phy';
import { memoryOpenFile } from './testing';
import { FormatError } from './types';

const P = '/ks/out';
const params = "dat_path = r'../rec.bin'\nn_channels_dat = 385\ndtype = 'int16'\noffset = 0\nsample_rate = 30000.\nhp_filtered = False\n";
const files = (extra: Record<string, Uint8Array | string> = {}): Record<string, Uint8Array | string> => ({
  [`${P}/params.py`]: params,
  [`${P}/spike_times.npy`]: encodeNpy('uint64', [6, 1], new BigUint64Array([10n, 20n, 30n, 40n, 50n, 60n])),
  [`${P}/spike_clusters.npy`]: encodeNpy('int32', [6], new Int32Array([3, 0, 3, 5, 0, 3])),
  [`${P}/spike_templates.npy`]: encodeNpy('uint32', [6], new Uint32Array([1, 1, 1, 1, 1, 1])),
  [`${P}/cluster_group.tsv`]: 'cluster_id\tgroup\n0\tgood\n3\tnoise\n5\tunsorted\n9\tgood\n',
  [`${P}/cluster_KSLabel.tsv`]: 'cluster_id\tKSLabel\n0\tmua\n3\tgood\n5\tgood\n',
  ...extra,
});

describe('phy / Kilosort', () => {
  it('reads spike_times + spike_clusters, sample_rate and manual labels', async () => {
    const s = await openPhySorting({ sorting_format: 'phy', data: { folder: P } }, memoryOpenFile(files()));
    expect(s.sampleRateHz).toBe(30000);
    expect(s.unitIds).toEqual([0, 3, 5]);
    expect(Array.from(s.spikeTrain(3))).toEqual([10, 30, 60]);
    expect(s.initialLabels).toEqual({ 0: ['accept'], 3: ['noise'] });
  });

  it('falls back to spike_templates.npy and cluster_KSLabel.tsv', async () => {
    const f = files();
    delete f[`${P}/spike_clusters.npy`];
    delete f[`${P}/cluster_group.tsv`];
    const s = await openPhySorting({ sorting_format: 'phy', data: { folder: P } }, memoryOpenFile(f));
    expect(s.unitIds).toEqual([1]);
    expect(s.initialLabels).toBeUndefined();
    const g = files();
    delete g[`${P}/cluster_group.tsv`];
    const s2 = await openPhySorting({ sorting_format: 'phy', data: { folder: P } }, memoryOpenFile(g));
    expect(s2.initialLabels).toEqual({ 0: ['mua'], 3: ['accept'], 5: ['accept'] });
  });

  it('reports inconsistent or truncated files', async () => {
    const short = files({ [`${P}/spike_clusters.npy`]: encodeNpy('int32', [5], new Int32Array(5)) });
    await expect(openPhySorting({ sorting_format: 'phy', data: { folder: P } }, memoryOpenFile(short))).rejects.toThrow(`${P}/spike_clusters.npy: has 5 entries but spike_times.npy has 6`);
    const cut = files();
    cut[`${P}/spike_times.npy`] = (cut[`${P}/spike_times.npy`] as Uint8Array).subarray(0, 130);
    await expect(openPhySorting({ sorting_format: 'phy', data: { folder: P } }, memoryOpenFile(cut))).rejects.toThrow(/spike_times.npy: header says shape \(6, 1\) of <u8 \(48 data bytes\) but the file has 2 data bytes \(truncated\)/);
    await expect(openPhySorting({ sorting_format: 'phy', data: { folder: P } }, memoryOpenFile(files({ [`${P}/params.py`]: 'dtype = "int16"\n' })))).rejects.toThrow(FormatError);
    await expect(openPhySorting({ sorting_format: 'phy', data: { folder: P } }, memoryOpenFile(files({ [`${P}/cluster_group.tsv`]: 'cluster_id\tgroup\nabc\tgood\n' })))).rejects.toThrow(/cluster_group.tsv.*"abc" is not an integer cluster id/);
  });

  it('parses params.py literals', () => {
    expect(parsePhyParams("dat_path = ['a.bin', 'b.bin']\nx = 1e3  # comment\ny = None\nz = \"C:\\\\d\\\\r.bin\"\n", 'p')).toEqual({ dat_path: ['a.bin', 'b.bin'], x: 1000, y: null, z: 'C:\\d\\r.bin' });
    expect(() => parsePhyParams('import os\n', 'params.py')).toThrow(/params.py: line 1/);
  });
});
