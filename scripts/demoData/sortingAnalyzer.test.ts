import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smallAnalyzer } from './sortingAnalyzer.fixtures';
import { binaryFolderRecordingFiles, sortingAnalyzerFiles } from './sortingAnalyzer';
import { writeFiles } from './spikeinterfaceSorting';

/**
 * SpikeInterface is not installable here (no network: `import spikeinterface` fails), so the files are
 * checked against the writer's rules with Python itself: every JSON file is what Python's json module
 * prints for the same value (`json.dumps(json.load(f), indent=4)`: float vs int, separators, key order as
 * given), every .npy is what numpy loads with the dtype and shape SpikeInterface saves; the key orders
 * are those of the writer code (SpikeInterface 0.105.0 a5f7dbb3, probeinterface 0.3.2 709250857a14).
 */
const PY = String.raw`
import json, sys, pathlib
import numpy as np
root = pathlib.Path(sys.argv[1])
out = {}
for p in sorted(root.rglob('*')):
    rel = p.relative_to(root).as_posix()
    if p.suffix == '.json':
        text = p.read_text()
        obj = json.loads(text)
        indent = None if rel in ('sorting/numpysorting_info.json',) else 4
        out[rel] = {'same_as_python': json.dumps(obj, indent=indent) == text, 'keys': list(obj.keys())}
    elif p.suffix == '.npy':
        a = np.load(p)
        out[rel] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'first': a.ravel()[:3].tolist()}
print(json.dumps(out))
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function pythonView(files: ReturnType<typeof sortingAnalyzerFiles>): Promise<Record<string, any>> {
  const dir = mkdtempSync(join(tmpdir(), 'si-analyzer-'));
  dirs.push(dir);
  await writeFiles(dir, files);
  return JSON.parse(execFileSync('python3', ['-c', PY, dir], { encoding: 'utf8' }));
}

describe('sortingAnalyzerFiles: a binary_folder SortingAnalyzer as SpikeInterface 0.105.0 writes it', () => {
  it('JSON as Python prints it, keys in the writer\'s order', async () => {
    const py = await pythonView(sortingAnalyzerFiles(smallAnalyzer()));
    for (const [file, v] of Object.entries(py)) if ('same_as_python' in v) expect(v.same_as_python, file).toBe(true);
    expect(py['spikeinterface_info.json'].keys).toEqual(['version', 'dev_mode', 'object']); // create_binary_folder
    expect(py['settings.json'].keys).toEqual(['return_in_uV', 'peak_sign', 'peak_mode']);
    expect(py['recording_info/recording_attributes.json'].keys).toEqual(['channel_ids', 'sampling_frequency', 'num_channels', 'num_samples', 'is_filtered', 'properties', 'dtype']); // get_rec_attributes
    expect(py['recording_info/probegroup.json'].keys).toEqual(['specification', 'version', 'probes']); // write_probeinterface
    expect(py['recording.json'].keys).toEqual(['class', 'module', 'version', 'kwargs', 'annotations', 'properties', 'relative_paths', 'probegroup']); // to_dict + _extra_metadata_to_dict
    for (const ext of ['random_spikes', 'noise_levels', 'templates']) {
      expect(py[`extensions/${ext}/info.json`].keys).toEqual(['class', 'module', 'version']); // retrieve_importing_provenance
      expect(py[`extensions/${ext}/run_info.json`].keys).toEqual(['run_completed', 'runtime_s']);
    }
    expect(py['extensions/templates/params.json'].keys).toEqual(['operators', 'ms_before', 'ms_after']); // ComputeTemplates._set_params
    expect(py['extensions/random_spikes/params.json'].keys).toEqual(['method', 'max_spikes_per_unit', 'margin_size', 'seed']);
  });

  it('the values: Python floats where numpy/Python had floats, the probe by probeinterface\'s to_dict', () => {
    const f = sortingAnalyzerFiles(smallAnalyzer());
    const text = (k: string) => new TextDecoder().decode(f[k] as Uint8Array);
    expect(text('spikeinterface_info.json')).toBe('{\n    "version": "0.105.0",\n    "dev_mode": true,\n    "object": "SortingAnalyzer"\n}');
    const attrs = text('recording_info/recording_attributes.json');
    expect(attrs).toContain('"sampling_frequency": 30000.0,');
    expect(attrs).toContain('"gain_to_uV": [\n            0.195,');
    expect(attrs).toContain('"offset_to_uV": [\n            0.0,');
    expect(attrs).toMatch(/"dtype": "int16"\n}$/);
    const probe = JSON.parse(text('recording_info/probegroup.json'));
    expect(Object.keys(probe.probes[0])).toEqual(['ndim', 'si_units', 'annotations', 'contact_annotations', 'contact_positions', 'contact_plane_axes', 'contact_shapes', 'contact_shape_params', 'device_channel_indices']);
    expect(text('recording_info/probegroup.json')).toContain('"contact_positions": [\n                [\n                    0.0,\n                    0.0\n                ],');
    expect(JSON.parse(text('recording.json')).kwargs).toEqual({ folder_path: '../rec_gone' });
    expect(text('extensions/templates/params.json')).toBe('{\n    "operators": [\n        "average",\n        "std"\n    ],\n    "ms_before": 1.0,\n    "ms_after": 2.0\n}');
    expect(text('extensions/noise_levels/params.json')).toBe('{}');
  });

  it('.npy files: the dtypes and shapes numpy loads', async () => {
    const py = await pythonView(sortingAnalyzerFiles(smallAnalyzer()));
    expect(py['sorting/spikes.npy']).toMatchObject({ shape: [6] });
    expect(py['sorting/properties/main_channel_id.npy']).toEqual({ dtype: '<i8', shape: [3], first: [0, 5, 9] });
    expect(py['extensions/random_spikes/random_spikes_indices.npy']).toEqual({ dtype: '<i8', shape: [6], first: [0, 1, 2] });
    expect(py['extensions/noise_levels/noise_levels.npy']).toMatchObject({ dtype: '<f4', shape: [3] });
    expect(py['extensions/noise_levels/noise_levels.npy'].first[0]).toBeCloseTo(3.9, 6);
    expect(py['extensions/templates/average.npy']).toMatchObject({ dtype: '<f4', shape: [3, 90, 3] }); // nbefore 30 + nafter 60
    expect(py['extensions/templates/std.npy']).toMatchObject({ dtype: '<f4', shape: [3, 90, 3], first: [1, 2, 3] });
    const str = await pythonView(sortingAnalyzerFiles({ ...smallAnalyzer({ channelIds: ['A', 'bb', 'c'] }) }));
    expect(str['sorting/properties/main_channel_id.npy']).toEqual({ dtype: '<U2', shape: [3], first: ['A', 'bb', 'c'] });
  });

  it('binaryFolderRecordingFiles: recording.save(folder=…) of the analyzer\'s recording', async () => {
    const { recording: r } = smallAnalyzer();
    const traces = [Int16Array.from({ length: 30 }, (_, i) => i - 15), new Int16Array(6)];
    const files = binaryFolderRecordingFiles({ ...r, samplingFrequency: 30000, traces });
    const py = await pythonView(files);
    for (const [file, v] of Object.entries(py)) if ('same_as_python' in v) expect(v.same_as_python, file).toBe(true);
    expect(py['binary.json'].keys).toEqual(['class', 'module', 'version', 'kwargs', 'annotations', 'properties', 'relative_paths']);
    expect(py['si_folder.json'].keys).toEqual(['class', 'module', 'version', 'kwargs', 'annotations', 'properties', 'relative_paths', 'probegroup']);
    const binary = JSON.parse(new TextDecoder().decode(files['binary.json'] as Uint8Array));
    expect(Object.keys(binary.kwargs)).toEqual(['file_paths', 'sampling_frequency', 't_starts', 'num_channels', 'dtype', 'channel_ids', 'time_axis', 'file_offset', 'gain_to_uV', 'offset_to_uV', 'is_filtered']); // BinaryRecordingExtractor._kwargs
    expect(binary.kwargs).toMatchObject({ file_paths: ['traces_cached_seg0.raw', 'traces_cached_seg1.raw'], dtype: '<i2', channel_ids: [0, 5, 9] });
    expect(py['properties/gain_to_uV.npy']).toEqual({ dtype: '<f8', shape: [3], first: [0.195, 0.195, 0.195] });
    expect(py['properties/group.npy']).toEqual({ dtype: '<i8', shape: [3], first: [0, 0, 1] });
    expect(files['traces_cached_seg0.raw']).toEqual(new Uint8Array(traces[0].buffer));
    expect(files['probegroup.json']).toEqual(sortingAnalyzerFiles(smallAnalyzer())['recording_info/probegroup.json']);
    expect(() => binaryFolderRecordingFiles({ ...r, samplingFrequency: 1, traces: [new Int16Array(4)] })).toThrow('segment 0 has 4 samples, not a whole number of 3-channel frames');
  });

  it('refuses inputs SpikeInterface could not have written', () => {
    expect(() => sortingAnalyzerFiles(smallAnalyzer({ groups: [0] }))).toThrow('recording.groups has 1 values for 3 channels');
    expect(() => sortingAnalyzerFiles(smallAnalyzer({ numSamples: [1000] }))).toThrow(/different numbers of segments/);
    const a = smallAnalyzer();
    expect(() => sortingAnalyzerFiles({ ...a, extensions: { noiseLevels: new Float32Array(2) } })).toThrow('noiseLevels has 2 values for 3 channels');
    expect(() => sortingAnalyzerFiles({ ...a, mainChannelIndex: [0] })).toThrow('mainChannelIndex has 1 values for 3 units');
  });
});
