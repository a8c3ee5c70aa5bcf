import { z } from 'zod';
import type { RecordingObject } from '../../core/protocol/dataObjects';
import { dirName, joinPath, loadJson } from './files';
import { makeRecordingReader } from './gather';
import { rawBinarySource, wholeFrames } from './rawBinary';
import { FormatError, type OpenFile, type RecordingReader } from './types';
import { basename, dirname, join } from 'node:path';
import { exists, findFiles, one, readJsonFile, shellWord, type DetectOptions, type FileRule, type FolderRule } from './detectTools';

/**
 * Open Ephys binary format (GUI ≥ 0.4.4): `structure.oebin` (JSON) lists `continuous` streams
 * `{folder_name, sample_rate, num_channels, channels:[{channel_name, bit_volts, units}], stream_name?}`;
 * samples are int16 interleaved in `continuous/<folder_name>/continuous.dat` next to the .oebin.
 *
 * - `folder` is the recording folder that holds structure.oebin (…/experiment1/recording1); detectFormat
 *   finds it inside a session folder.
 * - `stream` picks a stream by stream_name or folder_name (exact, then unique substring); it is
 *   required when there is more than one.
 * - Served channels are the neural ones: names not starting with ADC/AUX and units µV (or absent);
 *   channel id = column index in continuous.dat, so ids stay stable. gain = bit_volts (µV per bit).
 * - The .oebin has no probe geometry: channels are laid out on a vertical line, 20 µm apart
 *   (x = 0, y = 20·rank), groups 0. This is a placeholder, not the probe.
 */
export const oebinSchema = z.object({
  continuous: z.array(z.looseObject({
    folder_name: z.string().min(1),
    sample_rate: z.number().positive(),
    num_channels: z.number().int().positive(),
    stream_name: z.string().optional(),
    channels: z.array(z.looseObject({ channel_name: z.string().default(''), bit_volts: z.number().optional(), units: z.string().optional() })),
  })),
});

export type OpenEphysStream = z.infer<typeof oebinSchema>['continuous'][number];

export function streamLabel(s: OpenEphysStream): string {
  return s.stream_name ?? s.folder_name.replace(/\/+$/, '');
}

/**
 * The stream `wanted` names (stream_name or folder_name exactly, else a unique substring), or why
 * there is none. Shared by the reader and `workspace add-recording`, which word the problem differently.
 */
export function matchStream(streams: OpenEphysStream[], wanted: string | undefined):
  { stream: OpenEphysStream } | { problem: 'none' | 'unnamed' | 'unknown' | 'ambiguous'; matches: OpenEphysStream[] } {
  if (streams.length === 0) return { problem: 'none', matches: [] };
  if (wanted === undefined) return streams.length === 1 ? { stream: streams[0] } : { problem: 'unnamed', matches: streams };
  const exact = streams.filter((s) => s.stream_name === wanted || s.folder_name.replace(/\/+$/, '') === wanted);
  if (exact.length === 1) return { stream: exact[0] };
  const partial = streams.filter((s) => streamLabel(s).includes(wanted) || s.folder_name.includes(wanted));
  if (partial.length === 1) return { stream: partial[0] };
  return { problem: partial.length ? 'ambiguous' : 'unknown', matches: partial };
}

function pickStream(streams: OpenEphysStream[], wanted: string | undefined, name: string): OpenEphysStream {
  const m = matchStream(streams, wanted);
  if ('stream' in m) return m.stream;
  if (m.problem === 'none') throw new FormatError(name, 'lists no continuous streams');
  if (m.problem === 'unnamed') throw new FormatError(name, `has ${streams.length} continuous streams (${streams.map(streamLabel).join(', ')}); name one with data.stream`);
  throw new FormatError(name, `stream ${JSON.stringify(wanted)} matches ${m.matches.length} streams (streams: ${streams.map(streamLabel).join(', ')})`);
}

export async function openOpenEphysRecording(obj: Extract<RecordingObject, { recording_format: 'openephys' }>, open: OpenFile): Promise<RecordingReader> {
  const oebinPath = obj.data.oebin_path ?? joinPath(obj.data.folder!, 'structure.oebin');
  const parsed = oebinSchema.safeParse(await loadJson(open, oebinPath));
  if (!parsed.success) throw new FormatError(oebinPath, `is not an Open Ephys structure.oebin: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const stream = pickStream(parsed.data.continuous, obj.data.stream, oebinPath);
  if (stream.channels.length !== stream.num_channels) {
    throw new FormatError(oebinPath, `stream ${streamLabel(stream)} says num_channels=${stream.num_channels} but lists ${stream.channels.length} channels`);
  }
  let columns = stream.channels.map((c, i) => ({ c, i }))
    .filter(({ c }) => !/^(ADC|AUX)/i.test(c.channel_name) && (c.units === undefined || /^(uV|µV|μV)$/.test(c.units)))
    .map(({ i }) => i);
  if (columns.length === 0) columns = stream.channels.map((_, i) => i);
  const gains = columns.map((i) => stream.channels[i].bit_volts ?? NaN);
  const common = gains.every((g) => g === gains[0] && g > 0) ? gains[0] : null;
  const datPath = joinPath(joinPath(dirName(oebinPath), 'continuous'), `${stream.folder_name.replace(/\/+$/, '')}/continuous.dat`);
  const file = await open(datPath);
  try {
    const numFrames = wholeFrames(file, 0, stream.num_channels, 'int16');
    return makeRecordingReader({
      sampleRateHz: stream.sample_rate,
      numFrames,
      channelIds: columns,
      channelGroups: columns.map(() => 0),
      geom: columns.map((_, rank) => [0, 20 * rank]),
      dtype: 'int16',
      sourceDtype: 'int16',
      gainUvPerBit: common,
      ...(common === null && gains.every((g) => g > 0) ? { channelGainsUvPerBit: gains } : {}),
    }, rawBinarySource({ file, dataOffset: 0, numColumns: stream.num_channels, dtype: 'int16', numFrames }), new Map(columns.map((c) => [c, c])));
  } catch (err) {
    await file.close();
    throw err;
  }
}

// ---------------------------------------------------------------- detection (workspace add-recording)

async function readOebin(oebinPath: string): Promise<OpenEphysStream[]> {
  const parsed = oebinSchema.safeParse(await readJsonFile(oebinPath));
  if (!parsed.success) throw new FormatError(oebinPath, `is not an Open Ephys structure.oebin: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.continuous;
}

/** The name that picks `s` exactly: its stream_name unless another stream shares it, else its folder. */
function exactStreamName(s: OpenEphysStream, streams: OpenEphysStream[]): string {
  const folder = s.folder_name.replace(/\/+$/, '');
  const name = streamLabel(s);
  const clash = streams.some((o) => o !== s && (o.stream_name === name || o.folder_name.replace(/\/+$/, '') === name));
  return clash ? folder : name;
}

/**
 * An Open Ephys recording, its stream checked now (the reader would only fail at the first task, naming
 * the object's data.stream): the messages list the streams and the exact `--stream` to type.
 */
async function openEphysObject(oebinPath: string, opts: DetectOptions): Promise<RecordingObject> {
  const streams = await readOebin(oebinPath);
  const m = matchStream(streams, opts.stream);
  const names = streams.map((s) => exactStreamName(s, streams));
  if ('stream' in m) {
    const exact = exactStreamName(m.stream, streams);
    if (opts.stream !== undefined && opts.stream !== exact) opts.onNote?.(`--stream ${shellWord(opts.stream)} is the stream ${exact} (stored by that name)`);
    return { recording_format: 'openephys', data: { oebin_path: oebinPath, ...(opts.stream !== undefined ? { stream: exact } : {}) } };
  }
  if (m.problem === 'none') throw new FormatError(oebinPath, 'lists no continuous streams');
  const list = names.join(', ');
  const example = `--stream ${shellWord(m.problem === 'ambiguous' ? exactStreamName(m.matches[0], streams) : names[0])}`;
  if (m.problem === 'unnamed') throw new FormatError(oebinPath, `has ${streams.length} continuous streams (${list}); choose one with --stream, e.g. ${example}`);
  if (m.problem === 'unknown') throw new FormatError(oebinPath, `has no stream ${JSON.stringify(opts.stream)} (--stream); its streams are ${list}, e.g. ${example}`);
  throw new FormatError(oebinPath, `--stream ${shellWord(opts.stream!)} matches ${m.matches.length} streams (${m.matches.map((s) => exactStreamName(s, streams)).join(', ')}); give one exactly, e.g. ${example}`);
}

/** `structure.oebin`; `stream` (the CLI's `--stream`) is checked against it and stored by its exact name. */
export const detectOpenEphysFile: FileRule = async (path, name, { opts }) => (name === 'structure.oebin' ? openEphysObject(path, opts) : null);

/** A session or record-node folder (searched 5 levels) holding one structure.oebin. */
export const detectOpenEphysFolder: FolderRule = async (path, { opts }) => {
  const oebin = await findFiles(path, (n) => n === 'structure.oebin', 5);
  return oebin.length ? openEphysObject(one(oebin, 'structure.oebin', path), opts) : null;
};

/**
 * µV per bit of each column of `datPath` when it is an Open Ephys `continuous/<stream>/continuous.dat`
 * beside its `structure.oebin` (bit_volts; Kilosort's params.py has no gain), else null. The
 * recording stays bin2 (phy.ts), so Kilosort's channel_map and channel_positions keep the geometry.
 */
export async function openEphysGains(datPath: string, nch: number, dtype: string, paramsPath: string, opts: DetectOptions): Promise<number[] | null> {
  if (basename(datPath) !== 'continuous.dat' || basename(dirname(dirname(datPath))) !== 'continuous') return null;
  const oebinPath = join(dirname(dirname(dirname(datPath))), 'structure.oebin');
  if (!(await exists(oebinPath))) return null;
  const streams = await readOebin(oebinPath);
  const folder = basename(dirname(datPath));
  const stream = streams.find((s) => s.folder_name.replace(/\/+$/, '') === folder);
  if (!stream) throw new FormatError(oebinPath, `lists no stream in folder ${folder}, whose continuous.dat is ${paramsPath}'s dat_path`);
  if (stream.num_channels !== nch) throw new FormatError(paramsPath, `n_channels_dat = ${nch}, but ${oebinPath} says stream ${streamLabel(stream)} has ${stream.num_channels} channels`);
  if (dtype !== 'int16') throw new FormatError(paramsPath, `dtype ${dtype}, but Open Ephys continuous.dat is int16`);
  const gains = stream.channels.map((c) => c.bit_volts);
  if (gains.length !== nch || gains.some((g) => g === undefined || !(g > 0))) {
    opts.onNote?.(`${oebinPath} does not give every channel of stream ${streamLabel(stream)} a bit_volts; the recording's gain stays unknown`);
    return null;
  }
  opts.onNote?.(`dat_path is the Open Ephys stream ${streamLabel(stream)}: gains from its structure.oebin bit_volts (${oebinPath})`);
  return gains as number[];
}
