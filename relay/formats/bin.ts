import type { RecordingObject } from '../../core/protocol/dataObjects';
import { servedDtypeOf } from './dtypes';
import { makeRecordingReader } from './gather';
import { expectFrames, rawBinarySource } from './rawBinary';
import { FormatError, type OpenFile, type RecordingReader, type SourceDtype } from './types';

type BinObject = Extract<RecordingObject, { recording_format: 'bin1' | 'bin2' }>;

/**
 * `bin1` (int16) and `bin2` (bin1 + `dtype`): a headerless time-major file of `raw_num_channels`
 * columns; `channel_map["<id>"]` is the column of channel id, `channel_positions["<id>"]` its [x, y].
 * The file must hold exactly `num_frames` frames. Gain: from `channel_gains_uv_per_bit` (our
 * extension) when present, else not recorded (null); groups are all 0.
 */
export async function openBinRecording(obj: BinObject, open: OpenFile): Promise<RecordingReader> {
  const d = obj.data;
  const dtype: SourceDtype = obj.recording_format === 'bin2' ? obj.data.dtype : 'int16';
  const where = `${obj.recording_format} object for ${d.raw}`;
  const columnOf = new Map<number, number>();
  const geom: [number, number][] = [];
  for (const id of d.channel_ids) {
    const col = d.channel_map[String(id)];
    if (col === undefined) throw new FormatError(where, `channel_map has no entry for channel ${id}`);
    if (col >= d.raw_num_channels) throw new FormatError(where, `channel_map puts channel ${id} in column ${col}, but raw_num_channels is ${d.raw_num_channels}`);
    const pos = d.channel_positions[String(id)];
    if (pos === undefined) throw new FormatError(where, `channel_positions has no entry for channel ${id}`);
    columnOf.set(id, col);
    geom.push([pos[0], pos[1]]);
  }
  if (columnOf.size !== d.channel_ids.length) throw new FormatError(where, 'channel_ids has duplicates');
  let gains: number[] | null = null;
  if (d.channel_gains_uv_per_bit) {
    const g = d.channel_gains_uv_per_bit;
    const missing = d.channel_ids.find((id) => g[String(id)] === undefined);
    if (missing !== undefined) throw new FormatError(where, `channel_gains_uv_per_bit has no entry for channel ${missing}`);
    gains = d.channel_ids.map((id) => g[String(id)]);
  }
  const common = gains && gains.every((x) => x === gains![0]) ? gains[0] : null;
  const file = await open(d.raw);
  try {
    const layout = { file, dataOffset: 0, numColumns: d.raw_num_channels, dtype, numFrames: d.num_frames };
    expectFrames(file, layout, `the ${obj.recording_format} object`);
    return makeRecordingReader({
      sampleRateHz: d.samplerate,
      numFrames: d.num_frames,
      channelIds: [...d.channel_ids],
      channelGroups: d.channel_ids.map(() => 0),
      geom,
      dtype: servedDtypeOf(dtype),
      sourceDtype: dtype,
      gainUvPerBit: common,
      ...(gains && common === null ? { channelGainsUvPerBit: gains } : {}),
    }, rawBinarySource(layout), columnOf);
  } catch (err) {
    await file.close();
    throw err;
  }
}
