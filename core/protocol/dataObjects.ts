import { z } from 'zod';

/**
 * Recording and sorting objects: `{recording_format, data}` / `{sorting_format, data}` as in
 * sortingview 2021 (reference/kachery.md §3), plus direct formats for files labs have today
 * (SpikeGLX, Open Ephys binary, SpikeInterface binary folder, phy/Kilosort).
 *
 * 2021 field names are kept exactly, including the odd ones (`h5_path` is a URI; `samplerate`).
 * Every file field is a `sha1://…` URI or an absolute path; folder formats (`spikeglx`, `openephys`,
 * `si_binary_folder`, `phy`, `si_numpy_folder`) name files inside a folder and therefore need plain paths.
 * Objects keep unknown keys (loose objects): parsing never changes an object's bytes or hash.
 */

const uri = z.string().min(1).max(4096);
const finitePositive = z.number().finite().positive();
const frame = z.number().int().nonnegative();
const xy = z.array(z.number().finite()).min(2).max(3); // [x, y] or [x, y, z]: only x, y are used

// ---------------------------------------------------------------- recordings

export const bin2Dtypes = ['int16', 'int32', 'int64', 'float32', 'float64'] as const;

/** `bin1`: int16, time-major `[frame][raw_num_channels]`; `channel_map` maps a channel id to its column. */
const bin1Data = z.looseObject({
  raw: uri,
  raw_num_channels: z.number().int().positive(),
  num_frames: frame,
  samplerate: finitePositive,
  channel_ids: z.array(z.number().int()),
  channel_map: z.record(z.string(), z.number().int().nonnegative()),
  channel_positions: z.record(z.string(), xy),
  /**
   * Our extension: µV per bit of each channel id, when the source says (a Kilosort folder whose dat_path
   * is an Open Ephys continuous.dat: bit_volts from its structure.oebin). Absent: gain unknown, as in 2021.
   */
  channel_gains_uv_per_bit: z.record(z.string(), z.number().finite().positive()).optional(),
});
/** `bin2` (2021-10-25+): the bin1 fields plus `dtype`. */
const bin2Data = bin1Data.extend({ dtype: z.enum(bin2Dtypes) });

/** `mda`: `raw` is an M×N MDA file (channel fastest); `geom` is `[[x, y]…]` or (our extension) a geom.csv URI. */
const mdaRecordingData = z.looseObject({
  raw: uri,
  geom: z.union([z.array(xy), uri]),
  params: z.looseObject({ samplerate: finitePositive }),
});

const bandpassFilter = z.looseObject({
  type: z.literal('bandpass_filter'),
  freq_min: z.number().finite().nonnegative(),
  freq_max: finitePositive,
  /** Transition width in Hz (spiketoolkit); 1000 when absent, as spiketoolkit's default. */
  freq_wid: finitePositive.optional(),
});
export type BandpassFilterSpec = z.infer<typeof bandpassFilter>;

/**
 * One declaration per format: each schema below is the format's contract, and the TypeScript types are
 * inferred from them (z.infer), so a field cannot be added to one and not the other. Loose objects:
 * unknown keys are kept (the inferred types say so with an index signature). The recursive formats
 * (subrecording, filtered, curated, subsorting) refer to the union through getters, which zod 4 infers.
 */
const subrecordingData = z.looseObject({
  get recording() { return recordingObjectSchema; },
  channel_ids: z.array(z.number().int()).nullable().optional(),
  group: z.number().int().optional(),
  start_frame: frame.optional(),
  end_frame: frame.optional(),
});

/**
 * `subrecording`: a channel subset (`channel_ids`, or all channels of electrode `group`) and/or a frame
 * window `[start_frame, end_frame)`. `channel_ids: null` means all channels (2021 allowed it).
 */
export type SubrecordingData = z.infer<typeof subrecordingData>;

export const recordingObjectSchema = z.discriminatedUnion('recording_format', [
  z.looseObject({ recording_format: z.literal('bin1'), data: bin1Data }),
  z.looseObject({ recording_format: z.literal('bin2'), data: bin2Data }),
  z.looseObject({ recording_format: z.literal('mda'), data: mdaRecordingData }),
  z.looseObject({ recording_format: z.literal('nwb'), data: z.looseObject({ path: uri, electrical_series_name: z.string().min(1).optional() }) }),
  z.looseObject({ recording_format: z.literal('h5_v1'), data: z.looseObject({ h5_uri: uri }) }),
  z.looseObject({ recording_format: z.literal('subrecording'), data: subrecordingData }),
  z.looseObject({ recording_format: z.literal('filtered'), data: z.looseObject({ get recording() { return recordingObjectSchema; }, filters: z.array(bandpassFilter) }) }),
  z.looseObject({ recording_format: z.literal('spikeglx'), data: z.looseObject({ bin_path: uri, meta_path: uri }) }),
  z.looseObject({
    recording_format: z.literal('openephys'),
    data: z.looseObject({ folder: uri.optional(), oebin_path: uri.optional(), stream: z.string().min(1).optional() })
      .refine((d) => (d.folder === undefined) !== (d.oebin_path === undefined), { message: 'openephys: give folder or oebin_path (exactly one)' }),
  }),
  z.looseObject({ recording_format: z.literal('si_binary_folder'), data: z.looseObject({ folder: uri, segment: z.number().int().nonnegative().optional() }) }),
]).superRefine((o, ctx) => {
  // subrecording's cross-field rules. A .refine on its data object would stop zod from inferring the
  // recursive type (the getter), so they are checked here, with the same messages and path.
  if (o.recording_format !== 'subrecording') return;
  const d = o.data;
  if (d.channel_ids && d.group !== undefined) ctx.addIssue({ code: 'custom', path: ['data'], message: 'subrecording: give channel_ids or group, not both' });
  if (d.start_frame !== undefined && d.end_frame !== undefined && d.start_frame > d.end_frame) ctx.addIssue({ code: 'custom', path: ['data'], message: 'subrecording: start_frame is after end_frame' });
});

export type RecordingObject = z.infer<typeof recordingObjectSchema>;
export type RecordingFormat = RecordingObject['recording_format'];
export const recordingFormats: readonly RecordingFormat[] = recordingObjectSchema.options.map((o) => o.shape.recording_format.value);

// ---------------------------------------------------------------- sortings

/** Default of the 2021 `mda` sorting when `samplerate` is absent. */
export const DEFAULT_MDA_SORTING_SAMPLERATE = 30000;

export const sortingObjectSchema = z.discriminatedUnion('sorting_format', [
  z.looseObject({ sorting_format: z.literal('mda'), data: z.looseObject({ firings: uri, samplerate: finitePositive.optional() }) }),
  z.looseObject({ sorting_format: z.literal('npy1'), data: z.looseObject({ times_npy_uri: uri, labels_npy_uri: uri, samplerate: finitePositive }) }),
  z.looseObject({ sorting_format: z.literal('npy2'), data: z.looseObject({ npz_uri: uri, segment: z.number().int().nonnegative().optional() }) }),
  z.looseObject({ sorting_format: z.literal('h5_v1'), data: z.looseObject({ h5_path: uri }) }),
  z.looseObject({ sorting_format: z.literal('nwb'), data: z.looseObject({ path: uri, electrical_series_name: z.string().min(1).optional(), samplerate: finitePositive.optional() }) }),
  z.looseObject({ sorting_format: z.literal('curated'), data: z.looseObject({ get sorting() { return sortingObjectSchema; }, merge_groups: z.array(z.array(z.number().int())) }) }),
  z.looseObject({
    sorting_format: z.literal('subsorting'),
    data: z.looseObject({ get sorting() { return sortingObjectSchema; }, start_frame: frame.optional(), end_frame: frame.optional(), unit_ids: z.array(z.number().int()).optional() }),
  }),
  z.looseObject({ sorting_format: z.literal('phy'), data: z.looseObject({ folder: uri }) }),
  z.looseObject({ sorting_format: z.literal('si_numpy_folder'), data: z.looseObject({ folder: uri, segment: z.number().int().nonnegative().optional() }) }),
]);

export type SortingObject = z.infer<typeof sortingObjectSchema>;
export type SortingFormat = SortingObject['sorting_format'];
export const sortingFormats: readonly SortingFormat[] = sortingObjectSchema.options.map((o) => o.shape.sorting_format.value);

// ---------------------------------------------------------------- parsing with 2021 normalization

const unsupported2021 = ['nrs', 'snippets1', 'in_memory'];

function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** A data object that does not parse: the message says which field and why. */
export class DataObjectError extends Error {
  override name = 'DataObjectError';
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Parses a recording object, normalizing the legacy inputs 2021 accepted (`_create_object_for_arg`):
 * `{path: "x.nwb"}` or a bare `"…nwb"` string → `nwb`; a SpikeForest `{raw, geom, params}` → `mda`;
 * `{recording, filters}` → `filtered`; `{recording, group|channel_ids}` → `subrecording`.
 */
export function parseRecordingObject(x: unknown): RecordingObject {
  let obj: unknown = x;
  if (typeof obj === 'string' && obj.endsWith('.nwb')) obj = { recording_format: 'nwb', data: { path: obj } };
  if (isRecord(obj) && obj.recording_format === undefined) {
    if (typeof obj.path === 'string' && obj.path.endsWith('.nwb')) obj = { recording_format: 'nwb', data: { path: obj.path } };
    else if ('raw' in obj && Array.isArray(obj.geom) && isRecord(obj.params)) obj = { recording_format: 'mda', data: obj };
    else if ('recording' in obj && 'filters' in obj) obj = { recording_format: 'filtered', data: obj };
    else if ('recording' in obj && ('group' in obj || 'channel_ids' in obj)) obj = { recording_format: 'subrecording', data: obj };
  }
  if (isRecord(obj) && typeof obj.recording_format === 'string' && !(recordingFormats as readonly string[]).includes(obj.recording_format)) {
    const why = unsupported2021.includes(obj.recording_format) ? ' (a 2021 format this version does not read)' : '';
    throw new DataObjectError(`recording_format ${JSON.stringify(obj.recording_format)} is not supported${why}; supported: ${recordingFormats.join(', ')}`);
  }
  const r = recordingObjectSchema.safeParse(obj);
  if (!r.success) throw new DataObjectError(`Not a recording object: ${describeIssues(r.error)}`);
  return r.data;
}

/** Parses a sorting object; a bare 2021 `{firings, samplerate}` (no `sorting_format`) becomes `mda`. */
export function parseSortingObject(x: unknown): SortingObject {
  let obj: unknown = x;
  if (isRecord(obj) && obj.sorting_format === undefined && typeof obj.firings === 'string') {
    const data: Record<string, unknown> = { firings: obj.firings };
    if (obj.samplerate !== undefined) data.samplerate = obj.samplerate;
    obj = { sorting_format: 'mda', data };
  }
  if (isRecord(obj) && typeof obj.sorting_format === 'string' && !(sortingFormats as readonly string[]).includes(obj.sorting_format)) {
    const why = unsupported2021.includes(obj.sorting_format) ? ' (a 2021 format this version does not read)' : '';
    throw new DataObjectError(`sorting_format ${JSON.stringify(obj.sorting_format)} is not supported${why}; supported: ${sortingFormats.join(', ')}`);
  }
  const r = sortingObjectSchema.safeParse(obj);
  if (!r.success) throw new DataObjectError(`Not a sorting object: ${describeIssues(r.error)}`);
  return r.data;
}

export function isRecordingObject(x: unknown): x is RecordingObject {
  return recordingObjectSchema.safeParse(x).success;
}

export function isSortingObject(x: unknown): x is SortingObject {
  return sortingObjectSchema.safeParse(x).success;
}
