import { z } from 'zod';
import type { RecordingObject } from '../../core/protocol/dataObjects';
import { parseDtypeName, servedDtypeOf, toFloat64 } from './dtypes';
import { joinPath, loadJson, readWholeFile, tryOpen } from './files';
import { makeRecordingReader } from './gather';
import { parseNpy } from '../../core/formats/npy';
import { rawBinarySource, wholeFrames } from './rawBinary';
import { FormatError, type OpenFile, type RecordingReader } from './types';
import { dirname, join } from 'node:path';
import { exists, readJsonFile, type FileRule, type FolderRule } from './detectTools';
import { readProbeLayout } from './probeGroup';

/**
 * SpikeInterface binary folder (`recording.save(folder=…)`): `binary.json` (older and newer SI) or
 * `si_folder.json` holding `{class: "…BinaryRecordingExtractor", kwargs:{file_paths, sampling_frequency,
 * num_channels | num_chan, dtype, channel_ids, time_axis, file_offset(s), gain_to_uV}, relative_paths}`,
 * traces in `traces_cached_seg<k>.raw`, positions in `probegroup.json` (SI 0.105) or `probe.json` (older; probeinterface:
 * contact_positions and device_channel_indices, probeGroup.ts) or `properties/location.npy`, groups in `properties/group.npy` or the probe's shank_ids.
 *
 * - One segment is served (`segment`, default 0); a multi-segment recording has no single frame axis.
 * - Channel ids: SI ids when they are integers or integer strings, else the channel index.
 * - gain_to_uV (number or per channel) becomes the gain; offset_to_uV is ignored (the worker
 *   high-passes anyway). time_axis must be 0.
 * - Without any positions the channels are laid on a vertical line 20 µm apart (placeholder).
 */
const binaryJsonSchema = z.looseObject({
  class: z.string(),
  relative_paths: z.boolean().optional(),
  kwargs: z.looseObject({
    file_paths: z.array(z.string()).min(1),
    sampling_frequency: z.number().positive(),
    num_channels: z.number().int().positive().optional(),
    num_chan: z.number().int().positive().optional(),
    dtype: z.string(),
    channel_ids: z.array(z.union([z.number(), z.string()])).nullish(),
    time_axis: z.number().int().optional(),
    file_offset: z.number().int().nonnegative().nullish(),
    file_offsets: z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]).nullish(),
    gain_to_uV: z.union([z.number(), z.array(z.number())]).nullish(),
  }),
  properties: z.record(z.string(), z.unknown()).optional(),
});

async function optionalNpy(open: OpenFile, path: string) {
  const f = await tryOpen(open, path);
  if (!f) return null;
  try {
    return parseNpy(await readWholeFile(f), path);
  } finally {
    await f.close();
  }
}

export async function openSiBinaryFolder(obj: Extract<RecordingObject, { recording_format: 'si_binary_folder' }>, open: OpenFile): Promise<RecordingReader> {
  const folder = obj.data.folder;
  let descPath = joinPath(folder, 'binary.json');
  let raw: unknown;
  const f = await tryOpen(open, descPath);
  if (f) {
    await f.close();
    raw = await loadJson(open, descPath);
  } else {
    descPath = joinPath(folder, 'si_folder.json');
    raw = await loadJson(open, descPath).catch((err) => {
      throw new FormatError(folder, 'is not a SpikeInterface binary folder (no binary.json or si_folder.json)', { cause: err });
    });
  }
  const parsed = binaryJsonSchema.safeParse(raw);
  if (!parsed.success) throw new FormatError(descPath, `is not a SpikeInterface BinaryRecordingExtractor description: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const d = parsed.data;
  if (!d.class.endsWith('BinaryRecordingExtractor')) throw new FormatError(descPath, `describes a ${d.class}, not a BinaryRecordingExtractor`);
  const k = d.kwargs;
  const nch = k.num_channels ?? k.num_chan;
  if (!nch) throw new FormatError(descPath, 'has no num_channels');
  if ((k.time_axis ?? 0) !== 0) throw new FormatError(descPath, `has time_axis=${k.time_axis}; only time-major (0) files are read`);
  const dtype = parseDtypeName(k.dtype);
  if (!dtype) throw new FormatError(descPath, `has dtype ${JSON.stringify(k.dtype)}, which is not read`);
  const seg = obj.data.segment ?? 0;
  if (seg >= k.file_paths.length) throw new FormatError(descPath, `has ${k.file_paths.length} segment(s); segment ${seg} does not exist`);
  const offsets = k.file_offsets ?? k.file_offset ?? 0;
  const offset = Array.isArray(offsets) ? offsets[seg] ?? 0 : offsets;

  const ids = k.channel_ids && k.channel_ids.length === nch && k.channel_ids.every((x) => Number.isSafeInteger(Number(x)) && String(x).trim() !== '')
    ? k.channel_ids.map(Number) : Array.from({ length: nch }, (_, i) => i);
  if (new Set(ids).size !== ids.length) throw new FormatError(descPath, 'has duplicate channel ids');

  let geom: [number, number][] = ids.map((_, i) => [0, 20 * i]);
  let groups = ids.map(() => 0);
  // SpikeInterface 0.105 writes probegroup.json (BaseRecording._save → write_probeinterface); older folders hold probe.json.
  const probe = await readProbeLayout(open, folder, ['probegroup.json', 'probe.json'], nch);
  if (probe) {
    geom = probe.geom;
    groups = probe.shankGroups;
  } else {
    const loc = await optionalNpy(open, joinPath(folder, 'properties/location.npy'));
    if (loc) {
      const v = toFloat64(loc.data);
      const cols = loc.shape[1] ?? 0;
      if (loc.shape[0] !== nch || cols < 2) throw new FormatError(joinPath(folder, 'properties/location.npy'), `is shaped (${loc.shape.join(', ')}); expected (${nch}, 2 or 3)`);
      geom = ids.map((_, i) => [v[i * cols], v[i * cols + 1]]);
    }
  }
  const groupNpy = await optionalNpy(open, joinPath(folder, 'properties/group.npy'));
  if (groupNpy && groupNpy.shape[0] === nch) groups = Array.from(toFloat64(groupNpy.data));

  let gains: number[] | null = null;
  if (typeof k.gain_to_uV === 'number') gains = ids.map(() => k.gain_to_uV as number);
  else if (Array.isArray(k.gain_to_uV) && k.gain_to_uV.length === nch) gains = k.gain_to_uV;
  else {
    const g = await optionalNpy(open, joinPath(folder, 'properties/gain_to_uV.npy'));
    if (g && g.shape[0] === nch) gains = Array.from(toFloat64(g.data));
  }
  const common = gains && gains.every((g) => g === gains![0]) ? gains[0] : null;

  const dataPath = joinPath(folder, k.file_paths[seg]);
  const file = await open(dataPath);
  try {
    const numFrames = wholeFrames(file, offset, nch, dtype);
    return makeRecordingReader({
      sampleRateHz: k.sampling_frequency,
      numFrames,
      channelIds: ids,
      channelGroups: groups,
      geom,
      dtype: servedDtypeOf(dtype),
      sourceDtype: dtype,
      gainUvPerBit: common,
      ...(gains && common === null ? { channelGainsUvPerBit: gains } : {}),
    }, rawBinarySource({ file, dataOffset: offset, numColumns: nch, dtype, numFrames }), new Map(ids.map((id, i) => [id, i])));
  } catch (err) {
    await file.close();
    throw err;
  }
}

// ---------------------------------------------------------------- detection (workspace add-recording)

/** `binary.json` stands for its folder (si_folder.json is looked at by siSorting.ts first: sorting folders hold one too). */
export const detectSiBinaryFile: FileRule = async (path, name) => (name === 'binary.json' ? { recording_format: 'si_binary_folder', data: { folder: dirname(path) } } : null);

/**
 * A folder with `binary.json` or `si_folder.json` (after the SI sorting folders, which hold si_folder.json
 * too). A recording of several segments is served at segment 0, as its sortings are: the user is told.
 */
export const detectSiBinaryFolder: FolderRule = async (path, { opts }) => {
  const desc = (await exists(join(path, 'binary.json'))) ? join(path, 'binary.json') : (await exists(join(path, 'si_folder.json'))) ? join(path, 'si_folder.json') : null;
  if (!desc) return null;
  const files = ((await readJsonFile(desc)) as { kwargs?: { file_paths?: unknown } } | null)?.kwargs?.file_paths;
  if (Array.isArray(files) && files.length > 1) opts.onNote?.(`${path} has ${files.length} segments; sortingview shows segment 0`);
  return { recording_format: 'si_binary_folder', data: { folder: path } };
};
