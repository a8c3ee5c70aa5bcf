import { encodeNpy, encodeNpyStrings } from '../../core/formats/npy';
import { dataFrameToCsv, type PdColumn } from './pythonCsv';
import { numpyFolderSortingFiles, PyFloat, pyJson, spikeVector, type SiSortingInput } from './spikeinterfaceSorting';

/**
 * A SpikeInterface SortingAnalyzer folder (`create_sorting_analyzer(sorting, recording,
 * format="binary_folder", folder=…, sparse=False)` then `analyzer.compute([...])`), written as
 * SpikeInterface 0.105.0 (commit a5f7dbb3e39b, 2026-07-23) writes it with probeinterface 0.3.2
 * (commit 709250857a14): core/sortinganalyzer.py `SortingAnalyzer.create_binary_folder`,
 * `set_sorting_property("main_channel_id", …)`, `AnalyzerExtension._save_params/_save_importing_provenance/
 * _save_run_info/_save_data`; core/recording_tools.py `get_rec_attributes`; core/base.py `to_dict` /
 * `dump_to_json`; probeinterface io.py `write_probeinterface` and probe.py `Probe.to_dict`.
 *
 * - `spikeinterface_info.json` {version, dev_mode, object: "SortingAnalyzer"}, `settings.json`
 *   {return_in_uV, peak_sign, peak_mode}: `json.dump(check_json(…), f, indent=4)`.
 * - `sorting/`: the NumpyFolderSorting of `sorting.save(folder=…)` (spikeinterfaceSorting.ts), plus
 *   `properties/main_channel_id.npy` (channel ids of the units' main channels).
 * - `recording.json`: the recording's `dump_to_json(relative_to=folder)`; here a BinaryFolderRecording
 *   (`recording.save(folder=…)` then loaded), whose `folder_path` is what the caller says (relative
 *   when it existed at dump time: SI makes only existing paths relative). Pointing it at a folder that is
 *   not there is the case of an analyzer whose recording is gone.
 * - `recording_info/recording_attributes.json` (get_rec_attributes, indent 4) and `probegroup.json`
 *   (write_probeinterface of the recording's probe: one probe, `set_contacts(positions, shapes="circle",
 *   shape_params={"radius": r})`, `set_device_channel_indices(arange(n))`, attached with set_probe).
 * - `extensions/<name>/` params.json, info.json, run_info.json (indent 4) and the data as `np.save`:
 *   random_spikes (method "all": `random_spikes_indices` int64), noise_levels (`noise_levels` float32 (C,)),
 *   templates (`average`, `std` float32 (U, T, C), T = nbefore + nafter); quality_metrics and
 *   template_metrics (BaseMetricExtension: `metrics.csv`, the DataFrame indexed by unit id as
 *   `to_csv(index=True)` writes it (pythonCsv.ts), and `runtime_s.json`, `json.dump` of the per-metric
 *   run times; params.json with the `_set_params` keys, `metric_params` as given rather than every
 *   metric's defaults; template_metrics' `peaks_data` is not written).
 * Not written: `sorting_provenance.pickle` and `sorting/provenance.pkl` (pickles of the source sorting,
 * which depend on what it was), `sparsity_mask.npy` (a dense analyzer: np.save of a bool array, which
 * core/formats/npy.ts does not encode).
 */
export interface SiAnalyzerInput {
  sorting: SiSortingInput;
  recording: {
    channelIds: readonly (number | string)[];
    /** Frames of each segment (`num_samples`). */
    numSamples: readonly number[];
    /** numpy dtype name of the traces ("int16", "float32" …). */
    dtype: string;
    isFiltered: boolean;
    gainToUv: readonly number[];
    offsetToUv: readonly number[];
    /** Channel groups (the `group` property), in channel order. */
    groups: readonly number[];
    /** Contact positions in µm, one per channel, in channel order (device_channel_indices 0…n−1). */
    positions: readonly (readonly [number, number])[];
    contactRadiusUm?: number;
    /** `kwargs.folder_path` of recording.json as written, and whether SI made it relative to the analyzer folder. */
    folderPath: string;
    relativePaths: boolean;
  };
  /** Index into channelIds of each unit's main channel. */
  mainChannelIndex: readonly number[];
  extensions?: {
    /** Per channel, in µV (return_in_uV). */
    noiseLevels?: Float32Array;
    /** [unit][frame][channel] C order, and its std; nbefore = int(msBefore·fs/1000). */
    templates?: { msBefore: number; msAfter: number; average: Float32Array; std: Float32Array };
    /**
     * compute("spike_amplitudes") (ComputeSpikeAmplitudes at a5f7dbb3: a BaseSpikeVectorExtension, params
     * {}): one float32 per row of the spike vector, given here as a function of the spike's unit index,
     * sample and segment, so a test need not know the vector's order.
     */
    spikeAmplitudes?: (unitIndex: number, sample: number, segment: number) => number;
    /** compute("quality_metrics"): the metrics DataFrame's columns, in unit order. */
    qualityMetrics?: MetricsExtensionInput;
    /** compute("template_metrics"). */
    templateMetrics?: MetricsExtensionInput;
  };
  /** `runtime_s` written in every run_info.json (a measured time in SI). */
  runtimeSec?: number;
  version?: string;
  /** `spikeinterface.DEV_MODE`: True at commit a5f7dbb3 (a source checkout), False in a release wheel. */
  devMode?: boolean;
  probeinterfaceVersion?: string;
}

export interface MetricsExtensionInput {
  /** One column per metric column (several for a metric with several outputs), values in unit order. */
  columns: readonly PdColumn[];
  /** `params["metric_names"]` (default: the column names). */
  metricNames?: readonly string[];
  /** `lineterminator` of to_csv: os.linesep, "\r\n" for an analyzer saved on Windows. */
  lineterminator?: string;
}

const SI_VERSION = '0.105.0';
const PI_VERSION = '0.3.2';
const enc = (s: string) => new TextEncoder().encode(s);
const floats = (xs: readonly number[]) => xs.map((x) => new PyFloat(x));
const stringIds = (ids: readonly (number | string)[]) => ids.length > 0 && typeof ids[0] === 'string';

/** `np.save(np.asarray(ids))`: int64 for integer ids, `<U n` for strings. */
function idsNpy(ids: readonly (number | string)[]): Uint8Array {
  if (stringIds(ids)) return encodeNpyStrings(ids as string[]);
  return encodeNpy('int64', [ids.length], BigInt64Array.from(ids as number[], BigInt));
}

/** `int(ms * fs / 1000)`, as ComputeTemplates.nbefore / nafter. */
export const msToSamples = (ms: number, fs: number) => Math.trunc((ms * fs) / 1000);

/** probeinterface `Probe.to_dict(array_as_list=True)` of the probe described above, keys in `_dump_attr_names` order. */
function probeDict(r: Pick<SiAnalyzerInput['recording'], 'positions' | 'contactRadiusUm'>) {
  const n = r.positions.length;
  return {
    ndim: 2,
    si_units: 'um',
    annotations: {},
    contact_annotations: {},
    contact_positions: r.positions.map((p) => floats(p)),
    contact_plane_axes: r.positions.map(() => [floats([1, 0]), floats([0, 1])]),
    contact_shapes: r.positions.map(() => 'circle'),
    contact_shape_params: r.positions.map(() => ({ radius: r.contactRadiusUm ?? 5 })),
    device_channel_indices: Array.from({ length: n }, (_, i) => i),
  };
}

/**
 * The files of `recording.save(folder=…)` (format "binary", core/base.py `save_to_folder`,
 * core/baserecording.py `_save`) of an int16 recording carrying gains, offsets, groups and the probe
 * above: `probegroup.json`, `properties/{gain_to_uV,offset_to_uV,group}.npy`, `traces_cached_seg<k>.raw`,
 * `binary.json` (the BinaryRecordingExtractor's dump) and `si_folder.json` (the BinaryFolderRecording's).
 * `provenance.json` (a dump of the source recording, which depends on what it was) is not written.
 */
export function binaryFolderRecordingFiles(r: Omit<SiAnalyzerInput['recording'], 'folderPath' | 'relativePaths' | 'numSamples' | 'dtype'> & {
  samplingFrequency: number; traces: readonly Int16Array[]; version?: string; probeinterfaceVersion?: string;
}): Record<string, Uint8Array | ''> {
  const version = r.version ?? SI_VERSION;
  const nch = r.channelIds.length;
  const files: Record<string, Uint8Array | ''> = {};
  files['probegroup.json'] = enc(pyJson({ specification: 'probeinterface', version: r.probeinterfaceVersion ?? PI_VERSION, probes: [probeDict(r)] }, 4));
  files['properties'] = '';
  files['properties/gain_to_uV.npy'] = encodeNpy('float64', [nch], Float64Array.from(r.gainToUv));
  files['properties/offset_to_uV.npy'] = encodeNpy('float64', [nch], Float64Array.from(r.offsetToUv));
  files['properties/group.npy'] = encodeNpy('int64', [nch], BigInt64Array.from(r.groups, BigInt));
  r.traces.forEach((t, k) => {
    if (t.length % nch !== 0) throw new Error(`binaryFolderRecordingFiles: segment ${k} has ${t.length} samples, not a whole number of ${nch}-channel frames`);
    files[`traces_cached_seg${k}.raw`] = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
  });
  const mainProperties = (p: { group: unknown; gain: unknown; offset: unknown }) =>
    ({ group: p.group, gain_to_uV: p.gain, offset_to_uV: p.offset, gain_to_physical_unit: null, offset_to_physical_unit: null, physical_unit: null });
  files['binary.json'] = enc(pyJson({
    class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', module: 'spikeinterface', version,
    kwargs: {
      file_paths: r.traces.map((_, k) => `traces_cached_seg${k}.raw`), sampling_frequency: new PyFloat(r.samplingFrequency), t_starts: null,
      num_channels: nch, dtype: '<i2', channel_ids: [...r.channelIds], time_axis: 0, file_offset: 0,
      gain_to_uV: floats(r.gainToUv), offset_to_uV: floats(r.offsetToUv), is_filtered: r.isFiltered,
    },
    annotations: { is_filtered: r.isFiltered },
    properties: mainProperties({ group: null, gain: floats(r.gainToUv), offset: floats(r.offsetToUv) }), // set_channel_gains/offsets only
    relative_paths: true,
  }, 4));
  files['si_folder.json'] = enc(pyJson({
    class: 'spikeinterface.core.binaryfolder.BinaryFolderRecording', module: 'spikeinterface', version,
    kwargs: { folder_path: '.' }, annotations: { is_filtered: r.isFiltered },
    properties: mainProperties({ group: [...r.groups], gain: floats(r.gainToUv), offset: floats(r.offsetToUv) }),
    relative_paths: true, probegroup: { probes: [probeDict(r)] },
  }, 4));
  return files;
}

/** The analyzer's files, relative path → bytes ('' = a folder). */
export function sortingAnalyzerFiles(a: SiAnalyzerInput): Record<string, Uint8Array | ''> {
  const version = a.version ?? SI_VERSION;
  const r = a.recording;
  const nch = r.channelIds.length;
  const numUnits = a.sorting.unitIds.length;
  for (const [name, v] of [['gainToUv', r.gainToUv], ['offsetToUv', r.offsetToUv], ['groups', r.groups], ['positions', r.positions]] as const) {
    if (v.length !== nch) throw new Error(`sortingAnalyzerFiles: recording.${name} has ${v.length} values for ${nch} channels`);
  }
  if (a.mainChannelIndex.length !== numUnits) throw new Error(`sortingAnalyzerFiles: mainChannelIndex has ${a.mainChannelIndex.length} values for ${numUnits} units`);
  if (r.numSamples.length !== a.sorting.segments.length) throw new Error('sortingAnalyzerFiles: the recording and the sorting have different numbers of segments');
  const files: Record<string, Uint8Array | ''> = {};

  files['spikeinterface_info.json'] = enc(pyJson({ version, dev_mode: a.devMode ?? true, object: 'SortingAnalyzer' }, 4));
  files['settings.json'] = enc(pyJson({ return_in_uV: true, peak_sign: 'both', peak_mode: 'extremum' }, 4));
  for (const [rel, bytes] of Object.entries(numpyFolderSortingFiles({ ...a.sorting, version }))) files[`sorting/${rel}`] = bytes;
  files['sorting/properties/main_channel_id.npy'] = idsNpy(a.mainChannelIndex.map((i) => r.channelIds[i]));

  // A loaded BinaryFolderRecording's properties: BinaryRecordingExtractor sets gain_to_uV and
  // offset_to_uV, then properties/*.npy (group) are loaded; dump_to_json keeps _main_properties only.
  const properties = { gain_to_uV: floats(r.gainToUv), offset_to_uV: floats(r.offsetToUv), group: [...r.groups] };
  const probegroup = { probes: [probeDict(r)] };
  files['recording.json'] = enc(pyJson({
    class: 'spikeinterface.core.binaryfolder.BinaryFolderRecording', module: 'spikeinterface', version,
    kwargs: { folder_path: r.folderPath },
    annotations: { is_filtered: r.isFiltered },
    properties: { group: properties.group, gain_to_uV: properties.gain_to_uV, offset_to_uV: properties.offset_to_uV, gain_to_physical_unit: null, offset_to_physical_unit: null, physical_unit: null },
    relative_paths: r.relativePaths,
    probegroup,
  }, 4));

  files['recording_info'] = '';
  files['recording_info/recording_attributes.json'] = enc(pyJson({
    channel_ids: [...r.channelIds], sampling_frequency: new PyFloat(a.sorting.samplingFrequency), num_channels: nch,
    num_samples: [...r.numSamples], is_filtered: r.isFiltered, properties, dtype: r.dtype,
  }, 4));
  files['recording_info/probegroup.json'] = enc(pyJson({ specification: 'probeinterface', version: a.probeinterfaceVersion ?? PI_VERSION, ...probegroup }, 4));

  /** `cls`: a class of core/analyzer_extension_core.py, or a dotted path. `other`: data files other than .npy, by file name. */
  const extension = (name: string, cls: string, params: Record<string, unknown>, data: Record<string, Uint8Array>, other: Record<string, Uint8Array> = {}) => {
    files[`extensions/${name}`] = '';
    files[`extensions/${name}/params.json`] = enc(pyJson(params, 4));
    files[`extensions/${name}/info.json`] = enc(pyJson({ class: cls.includes('.') ? cls : `spikeinterface.core.analyzer_extension_core.${cls}`, module: 'spikeinterface', version }, 4));
    files[`extensions/${name}/run_info.json`] = enc(pyJson({ run_completed: true, runtime_s: new PyFloat(a.runtimeSec ?? 0.0125) }, 4));
    for (const [k, v] of Object.entries(data)) files[`extensions/${name}/${k}.npy`] = v;
    for (const [k, v] of Object.entries(other)) files[`extensions/${name}/${k}`] = v;
  };
  const totalSpikes = a.sorting.segments.reduce((n, units) => n + units.reduce((m, t) => m + t.length, 0), 0);
  extension('random_spikes', 'ComputeRandomSpikes', { method: 'all', max_spikes_per_unit: 500, margin_size: null, seed: null },
    { random_spikes_indices: encodeNpy('int64', [totalSpikes], BigInt64Array.from({ length: totalSpikes }, (_, i) => BigInt(i))) });
  const ext = a.extensions ?? {};
  if (ext.noiseLevels) {
    if (ext.noiseLevels.length !== nch) throw new Error(`sortingAnalyzerFiles: noiseLevels has ${ext.noiseLevels.length} values for ${nch} channels`);
    extension('noise_levels', 'ComputeNoiseLevels', {}, { noise_levels: encodeNpy('float32', [nch], ext.noiseLevels) });
  }
  if (ext.templates) {
    const t = ext.templates;
    const T = msToSamples(t.msBefore, a.sorting.samplingFrequency) + msToSamples(t.msAfter, a.sorting.samplingFrequency);
    for (const [k, v] of [['average', t.average], ['std', t.std]] as const) {
      if (v.length !== numUnits * T * nch) throw new Error(`sortingAnalyzerFiles: templates.${k} has ${v.length} values; expected ${numUnits}·${T}·${nch}`);
    }
    extension('templates', 'ComputeTemplates', { operators: ['average', 'std'], ms_before: new PyFloat(t.msBefore), ms_after: new PyFloat(t.msAfter) },
      { average: encodeNpy('float32', [numUnits, T, nch], t.average), std: encodeNpy('float32', [numUnits, T, nch], t.std) });
  }
  if (ext.spikeAmplitudes) {
    const v = spikeVector(a.sorting);
    const amps = Float32Array.from(v.sample, (smp, i) => ext.spikeAmplitudes!(Number(v.unit[i]), Number(smp), Number(v.segment[i])));
    extension('spike_amplitudes', 'spikeinterface.postprocessing.spike_amplitudes.ComputeSpikeAmplitudes', {}, { amplitudes: encodeNpy('float32', [amps.length], amps) });
  }
  // BaseMetricExtension._set_params: metric_names, metrics_to_compute, delete_existing_metrics, metric_params, periods, then the subclass's own.
  const metricsExtension = (name: string, cls: string, m: MetricsExtensionInput, own: Record<string, unknown>) => {
    const names = [...(m.metricNames ?? m.columns.map((c) => c.name))];
    for (const c of m.columns) if (c.values.length !== numUnits) throw new Error(`sortingAnalyzerFiles: ${name} column ${c.name} has ${c.values.length} values for ${numUnits} units`);
    extension(name, cls, { metric_names: names, metrics_to_compute: names, delete_existing_metrics: false, metric_params: Object.fromEntries(names.map((n) => [n, {}])), periods: null, ...own }, {}, {
      'metrics.csv': enc(dataFrameToCsv({ index: a.sorting.unitIds, columns: m.columns }, { lineterminator: m.lineterminator })),
      'runtime_s.json': enc(pyJson(Object.fromEntries(names.map((n) => [n, new PyFloat(0.001)])))),
    });
  };
  if (ext.qualityMetrics) {
    metricsExtension('quality_metrics', 'spikeinterface.metrics.quality.quality_metrics.ComputeQualityMetrics', ext.qualityMetrics, { use_valid_periods: false, seed: null, skip_pc_metrics: false });
  }
  if (ext.templateMetrics) {
    metricsExtension('template_metrics', 'spikeinterface.metrics.template.template_metrics.ComputeTemplateMetrics', ext.templateMetrics, {
      upsampling_factor: 10, template_operator: 'average', include_multi_channel_metrics: false, depth_direction: 'y',
      min_thresh_detect_peaks_troughs: new PyFloat(0.3), edge_exclusion_ms: new PyFloat(0.09), min_peak_trough_distance_ratio: new PyFloat(0.2), min_extremum_distance_samples: 3,
    });
  }
  return files;
}

/**
 * `cluster_si_unit_ids.tsv` as `export_to_phy` (spikeinterface/exporters/to_phy.py, 0.105.0) writes it
 * for the analyzer's non-empty `unitIds`: `pd.DataFrame({"cluster_id": range(n), "si_unit_id": unit_ids})
 * .to_csv(path, sep="\t", index=False)`; int64 ids, or an object column of strings.
 */
export function exportToPhySiUnitIdsTsv(unitIds: readonly (number | string)[], lineterminator = '\n'): string {
  const si: PdColumn = stringIds(unitIds)
    ? { name: 'si_unit_id', dtype: 'object', values: unitIds }
    : { name: 'si_unit_id', dtype: 'int64', values: unitIds as number[] };
  return dataFrameToCsv({ index: unitIds.map((_, i) => i), columns: [{ name: 'cluster_id', dtype: 'int64', values: unitIds.map((_, i) => i) }, si] }, { sep: '\t', index: false, lineterminator });
}
