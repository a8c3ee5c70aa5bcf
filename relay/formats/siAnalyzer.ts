import { z } from 'zod';
import type { RecordingObject } from '../../core/protocol/dataObjects';
import { parseNpy, parseNpyHeader, parseNpyRecords } from '../../core/formats/npy';
import { dtypeSize, parseDtypeName, servedDtypeOf, toFloat64, viewAs } from './dtypes';
import { joinPath, loadBytes, loadJson, normalizePath, readRange, readWholeFile, tryOpen } from './files';
import { openSiBinaryFolder } from './siBinaryFolder';
import { siUnitIds } from './siSorting';
import { readProbeLayout } from './probeGroup';
import { FormatError, RequestError, type OpenFile, type RecordingInfo, type RecordingReader, type SpikeAmplitudesReader, type TemplatesInfo, type TemplatesReader } from './types';

/**
 * The recording of a SpikeInterface SortingAnalyzer folder (`create_sorting_analyzer(…,
 * format="binary_folder")`, SpikeInterface ≥ 0.101; read as 0.105.0 writes it, see
 * scripts/demoData/sortingAnalyzer.ts). It is named by the `si_binary_folder` object of the analyzer
 * folder: the opener (openSiFolderRecording) tells an analyzer by `spikeinterface_info.json`
 * `{"object": "SortingAnalyzer"}`, as the `npy2` reader tells SpikeInterface's .npz from 2021's.
 *
 * - Info from `recording_info/`: `recording_attributes.json` (sampling_frequency, num_samples per
 *   segment, channel_ids, dtype, properties gain_to_uV / group / location) and `probegroup.json`
 *   (probeinterface: contact_positions by device_channel_indices); without either, a vertical line.
 * - Traces: `recording.json` is the recording's dump. A BinaryFolderRecording that exists (relative
 *   paths from the analyzer folder) is read by siBinaryFolder.ts and must agree with recording_info;
 *   anything else (gone, pickled, another extractor) leaves a reader whose info works and whose trace
 *   reads fail with a RequestError that says so.
 * - `templates` (and `info.templates`): the `templates` extension's `average.npy` (U, T, C), rows in the
 *   order of the analyzer's sorting's unit_ids (`sorting/numpysorting_info.json`), T = nbefore + nafter
 *   with nbefore = int(ms_before · fs / 1000) as ComputeTemplates sets it; µV when settings.json
 *   return_in_uV (the default). Read a row at a time by offset, never whole (1000 units × 384 channels
 *   is 138 MB). Served only for the analyzer's own sorting (formatChunks.ts checks the folder).
 * - `info.noiseLevels`: the `noise_levels` extension (µV when settings.json return_in_uV, the default)
 *   in served units (÷ gain_to_uV), per channel; null without the extension. `info.tracesAvailable`: false
 *   when trace reads fail. Both travel in the recordingInfo chunk (recording_info.3 takes its noise
 *   level from them when the traces are gone); the reason, which names the lab's paths,
 *   stays in `tracesUnavailable` and in the errors (which the relay redacts).
 */
export interface SiAnalyzerRecordingInfo extends RecordingInfo {
  noiseLevels: number[] | null;
  tracesAvailable: boolean;
}

export interface SiAnalyzerRecordingReader extends RecordingReader {
  info: SiAnalyzerRecordingInfo;
  /** The message trace reads throw, or null when the recording's traces are served. */
  tracesUnavailable: string | null;
}

const attributesSchema = z.looseObject({
  channel_ids: z.array(z.union([z.number(), z.string()])),
  sampling_frequency: z.number().positive(),
  num_channels: z.number().int().nonnegative(),
  num_samples: z.array(z.number().int().nonnegative()).min(1),
  dtype: z.string(),
  properties: z.record(z.string(), z.unknown()).nullish(),
});

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

/** `spikeinterface_info.json` of `folder` says "SortingAnalyzer" (false when there is none). */
export async function isSiAnalyzerFolder(open: OpenFile, folder: string): Promise<boolean> {
  const path = joinPath(folder, 'spikeinterface_info.json');
  const f = await tryOpen(open, path);
  if (!f) return false;
  await f.close();
  return ((await loadJson(open, path)) as { object?: unknown } | null)?.object === 'SortingAnalyzer';
}

async function optionalJson(open: OpenFile, path: string): Promise<unknown> {
  const f = await tryOpen(open, path);
  if (!f) return undefined;
  await f.close();
  return loadJson(open, path);
}

/** n finite numbers, else null. */
function numbers(v: unknown, n: number): number[] | null {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? v as number[] : null;
}

/** Where the analyzer's traces are: a SpikeInterface binary folder that exists, or why there are none. */
export async function locateAnalyzerTraces(open: OpenFile, folder: string): Promise<{ binaryFolder: string } | { unavailable: string }> {
  const recJsonPath = joinPath(folder, 'recording.json');
  const rec = await optionalJson(open, recJsonPath) as { class?: unknown; kwargs?: { folder_path?: unknown }; relative_paths?: unknown } | undefined;
  if (rec === undefined) {
    const pickled = await tryOpen(open, joinPath(folder, 'recording.pickle'));
    await pickled?.close();
    return { unavailable: pickled ? 'it was saved as recording.pickle, which this relay does not read' : 'the folder has no recording.json' };
  }
  const cls = typeof rec?.class === 'string' ? rec.class : '?';
  const where = typeof rec?.kwargs?.folder_path === 'string' ? rec.kwargs.folder_path : null;
  if (!cls.endsWith('.BinaryFolderRecording') || where === null) {
    return { unavailable: `recording.json describes a ${cls.split('.').pop()}; this relay reads an analyzer's recording only when it is a BinaryFolderRecording (recording.save(folder=…))` };
  }
  const target = rec.relative_paths === true ? normalizePath(joinPath(folder, where)) : where;
  for (const name of ['binary.json', 'si_folder.json']) {
    const f = await tryOpen(open, joinPath(target, name));
    if (f) {
      await f.close();
      return { binaryFolder: target };
    }
  }
  return { unavailable: `recording.json points at ${target}` };
}

/** The message of a trace read on an analyzer whose recording is not there. */
export function tracesUnavailableMessage(folder: string, why: string): string {
  return `${folder}: this analyzer's recording is not available (${why}); views that need raw traces cannot be shown. `
    + 'To see them, put the recording back where recording.json points, or add the raw recording with `sortingview workspace add-recording <its path>` '
    + 'and this analyzer\'s sorting with `--recording-id` of it';
}

export async function openSiAnalyzerRecording(folder: string, segment: number, open: OpenFile): Promise<SiAnalyzerRecordingReader> {
  const attrsPath = joinPath(folder, 'recording_info/recording_attributes.json');
  const attrsRaw = await loadJson(open, attrsPath).catch((err) => {
    throw new FormatError(folder, 'is not a SpikeInterface SortingAnalyzer folder with format="binary_folder" (no recording_info/recording_attributes.json)', { cause: err });
  });
  const parsed = attributesSchema.safeParse(attrsRaw);
  if (!parsed.success) throw new FormatError(attrsPath, `is not a SortingAnalyzer's recording_attributes.json: ${issues(parsed.error)}`);
  const a = parsed.data;
  const nch = a.num_channels;
  if (a.channel_ids.length !== nch) throw new FormatError(attrsPath, `lists ${a.channel_ids.length} channel ids but num_channels is ${nch}`);
  if (segment >= a.num_samples.length) throw new FormatError(attrsPath, `has ${a.num_samples.length} segment(s); segment ${segment} does not exist`);
  const ids = a.channel_ids.every((x) => Number.isSafeInteger(Number(x)) && String(x).trim() !== '') ? a.channel_ids.map(Number) : a.channel_ids.map((_, i) => i);
  if (new Set(ids).size !== ids.length) throw new FormatError(attrsPath, 'has duplicate channel ids');
  const props = a.properties ?? {};

  let geom: [number, number][] = ids.map((_, i) => [0, 20 * i]);
  const loc = Array.isArray(props.location) && props.location.length === nch && props.location.every((p) => Array.isArray(p) && p.length >= 2 && numbers(p, p.length))
    ? props.location as number[][] : null;
  const probe = await readProbeLayout(open, folder, ['recording_info/probegroup.json'], nch);
  if (probe) {
    geom = probe.geom;
  } else if (loc) {
    geom = loc.map((p) => [p[0], p[1]]); // SpikeInterface < 0.105 kept positions in the location property
  }
  const groups = numbers(props.group, nch) ?? ids.map(() => 0);
  const gains = numbers(props.gain_to_uV, nch);
  const common = gains && gains.every((g) => g === gains[0]) ? gains[0] : null;

  const noiseLevels = await analyzerNoiseLevels(open, folder, nch, gains);
  const templates = await analyzerTemplates(open, folder, nch, a.sampling_frequency);
  const amplitudes = await analyzerAmplitudes(open, folder, segment);
  const sourceDtype = parseDtypeName(a.dtype);
  const traces = await locateAnalyzerTraces(open, folder);
  const info: SiAnalyzerRecordingInfo = {
    sampleRateHz: a.sampling_frequency,
    numFrames: a.num_samples[segment],
    channelIds: ids,
    channelGroups: groups,
    geom,
    // Without traces the dtype only describes them; one this relay does not read is reported as float32.
    dtype: servedDtypeOf(sourceDtype ?? 'float32'),
    sourceDtype: sourceDtype ?? 'float32',
    gainUvPerBit: common,
    ...(gains && common === null ? { channelGainsUvPerBit: gains } : {}),
    noiseLevels,
    tracesAvailable: !('unavailable' in traces),
    ...(templates ? { templates: templates.info } : {}),
    ...(amplitudes ? { spikeAmplitudes: amplitudes.info } : {}),
  };
  const stored = { ...(templates ? { templates: templates.reader } : {}), ...(amplitudes ? { spikeAmplitudes: amplitudes.reader } : {}) };
  if ('unavailable' in traces) {
    const message = tracesUnavailableMessage(folder, traces.unavailable);
    const fail = async (): Promise<never> => { throw new RequestError(message); };
    return { info, filters: [], tracesUnavailable: message, readTraces: fail, readSnippets: fail, ...stored, close: async () => {} };
  }
  const bin = await openSiBinaryFolder({ recording_format: 'si_binary_folder', data: { folder: traces.binaryFolder, segment } }, open);
  const b = bin.info;
  const mismatch = b.sampleRateHz !== info.sampleRateHz ? `sampling frequency ${b.sampleRateHz} Hz, not ${info.sampleRateHz}`
    : b.numFrames !== info.numFrames ? `${b.numFrames} frames in segment ${segment}, not ${info.numFrames}`
      : b.channelIds.join() !== ids.join() ? `channel ids ${b.channelIds.join(', ')}, not ${ids.join(', ')}` : null;
  if (mismatch) {
    await bin.close();
    throw new FormatError(folder, `recording.json points at ${traces.binaryFolder}, whose recording has ${mismatch} (recording_info/recording_attributes.json); it is not this analyzer's recording`);
  }
  return { ...bin, info: { ...info, dtype: b.dtype, sourceDtype: b.sourceDtype }, tracesUnavailable: null, ...stored };
}

const NPY_HEADER_BYTES = 4096;

/** The `templates` extension's average waveforms, or null without it (or without the sorting's unit ids). */
async function analyzerTemplates(open: OpenFile, folder: string, nch: number, fs: number): Promise<{ info: TemplatesInfo; reader: TemplatesReader } | null> {
  const path = joinPath(folder, 'extensions/templates/average.npy');
  const f = await tryOpen(open, path);
  if (!f) return null;
  let header: ReturnType<typeof parseNpyHeader>;
  try {
    header = parseNpyHeader(await readRange(f, 0, Math.min(f.size, NPY_HEADER_BYTES)), path);
  } finally {
    await f.close();
  }
  const { dtype, shape, fortran, dataOffset } = header;
  if (dtype !== 'float32' && dtype !== 'float64') throw new FormatError(path, `holds ${dtype}; templates are float32 (or float64)`);
  if (shape.length !== 3 || shape[2] !== nch || fortran) throw new FormatError(path, `is shaped (${shape.join(', ')})${fortran ? ' in Fortran order' : ''}; expected (units, samples, ${nch}) in C order`);
  const [numUnits, T] = shape as [number, number, number];
  const infoPath = joinPath(folder, 'sorting/numpysorting_info.json');
  const sortingInfo = await optionalJson(open, infoPath) as { unit_ids?: unknown } | undefined;
  const ids = sortingInfo?.unit_ids;
  if (!Array.isArray(ids) || !(ids.every((x) => typeof x === 'number') || ids.every((x) => typeof x === 'string'))) return null;
  if (ids.length !== numUnits) throw new FormatError(path, `has ${numUnits} templates for the ${ids.length} units of ${infoPath}`);
  const params = await optionalJson(open, joinPath(folder, 'extensions/templates/params.json')) as { ms_before?: unknown } | undefined;
  const msBefore = typeof params?.ms_before === 'number' ? params.ms_before : NaN;
  // ComputeTemplates: nbefore = int(ms_before * sampling_frequency / 1000.0).
  const nbefore = Math.trunc(msBefore * fs / 1000);
  if (!(nbefore >= 0 && nbefore < T)) throw new FormatError(joinPath(folder, 'extensions/templates/params.json'), `gives ms_before ${String(params?.ms_before)}, which is not within the templates' ${T} samples`);
  const units = await analyzerUnits(open, folder);
  const unitIds = siUnitIds(ids as number[] | string[], infoPath).ids;
  const rowOf = new Map(unitIds.map((u, i) => [u, i]));
  const rowBytes = T * nch * dtypeSize[dtype];
  const reader: TemplatesReader = {
    sortingFolder: joinPath(folder, 'sorting'),
    unitIds,
    async read(asked) {
      const out = new Float32Array(asked.length * T * nch);
      const file = await open(path);
      try {
        for (let i = 0; i < asked.length; i++) {
          const row = rowOf.get(asked[i]!);
          if (row === undefined) throw new RequestError(`${path} has no template for unit ${asked[i]}`);
          out.set(viewAs(await readRange(file, dataOffset + row * rowBytes, rowBytes), dtype) as Float32Array | Float64Array, i * T * nch);
        }
      } finally {
        await file.close();
      }
      return out;
    },
  };
  const random = await optionalJson(open, joinPath(folder, 'extensions/random_spikes/params.json')) as { method?: unknown; max_spikes_per_unit?: unknown } | undefined;
  const cap = random?.method !== 'all' && typeof random?.max_spikes_per_unit === 'number' && random.max_spikes_per_unit > 0 ? random.max_spikes_per_unit : null;
  return { info: { nbefore, numSamples: T, units, maxSpikesPerUnit: cap }, reader };
}

/** What an analyzer's extensions are in: µV when settings.json says return_in_uV (SortingAnalyzer's default, also without the key). */
async function analyzerUnits(open: OpenFile, folder: string): Promise<'uV' | 'raw'> {
  const settings = await optionalJson(open, joinPath(folder, 'settings.json')) as { return_in_uV?: unknown; return_scaled?: unknown } | undefined;
  return (settings?.return_in_uV ?? settings?.return_scaled ?? true) === true ? 'uV' : 'raw';
}

/**
 * The `spike_amplitudes` extension: `amplitudes.npy`, one per spike of the sorting's spike vector
 * (`sorting/spikes.npy`, every segment), as ComputeSpikeAmplitudes (a BaseSpikeVectorExtension) keeps
 * it. Read whole when asked (4 bytes a spike, plus the spike vector's 24), never at open.
 */
async function analyzerAmplitudes(open: OpenFile, folder: string, segment: number): Promise<{ info: { units: 'uV' | 'raw' }; reader: SpikeAmplitudesReader } | null> {
  const path = joinPath(folder, 'extensions/spike_amplitudes/amplitudes.npy');
  const f = await tryOpen(open, path);
  if (!f) return null;
  await f.close();
  const sortingFolder = joinPath(folder, 'sorting');
  const reader: SpikeAmplitudesReader = {
    sortingFolder,
    async read(asked) {
      const infoPath = joinPath(sortingFolder, 'numpysorting_info.json');
      const ids = ((await loadJson(open, infoPath)) as { unit_ids?: unknown } | null)?.unit_ids;
      if (!Array.isArray(ids)) throw new FormatError(infoPath, 'has no unit_ids');
      const rowOf = new Map(siUnitIds(ids as number[] | string[], infoPath).ids.map((u, i) => [u, i]));
      const spikesPath = joinPath(sortingFolder, 'spikes.npy');
      const spikes = parseNpyRecords(await loadBytes(open, spikesPath), spikesPath);
      const amps = parseNpy(await loadBytes(open, path), path);
      if (amps.shape.length !== 1 || amps.shape[0] !== spikes.length) {
        throw new FormatError(path, `holds ${amps.shape.join(' × ')} values for the ${spikes.length} spikes of ${spikesPath}`);
      }
      const unit = spikes.fields.get('unit_index');
      const seg = spikes.fields.get('segment_index');
      const sample = spikes.fields.get('sample_index');
      if (!unit || !seg || !sample) throw new FormatError(spikesPath, 'is not SpikeInterface\'s spike vector (sample_index, unit_index, segment_index)');
      const picked = asked.map((u) => {
        if (!rowOf.has(u)) throw new RequestError(`${path} has no amplitudes for unit ${u}`);
        return [] as number[];
      });
      const slotOf = new Map(asked.map((u, k) => [rowOf.get(u)!, k]));
      for (let i = 0; i < spikes.length; i++) {
        const k = Number(seg[i]) === segment ? slotOf.get(Number(unit[i])) : undefined;
        if (k !== undefined) picked[k]!.push(i);
      }
      return picked.map((idx) => {
        // The spike train is ascending (sortingFromTrains); the spike vector is too, but keep them aligned regardless.
        idx.sort((a, b) => Number(sample[a]) - Number(sample[b]) || a - b);
        return Float32Array.from(idx, (i) => Number(amps.data[i]));
      });
    },
  };
  return { info: { units: await analyzerUnits(open, folder) }, reader };
}

/** `extensions/noise_levels/noise_levels.npy` in served units, or null without it. */
async function analyzerNoiseLevels(open: OpenFile, folder: string, nch: number, gains: number[] | null): Promise<number[] | null> {
  const path = joinPath(folder, 'extensions/noise_levels/noise_levels.npy');
  const f = await tryOpen(open, path);
  if (!f) return null;
  let levels: Float64Array;
  try {
    const npy = parseNpy(await readWholeFile(f), path);
    if (npy.shape.length !== 1 || npy.shape[0] !== nch) throw new FormatError(path, `is shaped (${npy.shape.join(', ')}); expected (${nch},), one level per channel`);
    levels = toFloat64(npy.data);
  } finally {
    await f.close();
  }
  const inUv = (await analyzerUnits(open, folder)) === 'uV';
  return Array.from(levels, (x, c) => (inUv && gains && gains[c] !== 0 ? x / gains[c] : x));
}

/**
 * The `si_binary_folder` opener: a SortingAnalyzer folder's recording, else a SpikeInterface binary
 * folder (siBinaryFolder.ts).
 */
export async function openSiFolderRecording(obj: Extract<RecordingObject, { recording_format: 'si_binary_folder' }>, open: OpenFile): Promise<RecordingReader> {
  if (await isSiAnalyzerFolder(open, obj.data.folder)) return openSiAnalyzerRecording(obj.data.folder, obj.data.segment ?? 0, open);
  return openSiBinaryFolder(obj, open);
}
