import type { RecordingObject } from '../../core/protocol/dataObjects';
import { loadText } from './files';
import { makeRecordingReader } from './gather';
import { rawBinarySource, wholeFrames } from './rawBinary';
import { metaNumber, parseSpikeGlxMeta, spikeGlxChannels, spikeGlxGains, spikeGlxGeometry } from './spikeglxMeta';
import { FormatError, type OpenFile, type RecordingReader } from './types';

/**
 * SpikeGLX imec stream: `.ap.bin` (or `.lf.bin`) of int16 interleaved over nSavedChans columns, with
 * its `.meta`. The sync channel (SY) is never served; channel ids are the probe's channel numbers
 * (0…383 for a full NP1.0 AP file). See spikeglxMeta.ts for gains and geometry.
 */
export async function openSpikeGlxRecording(obj: Extract<RecordingObject, { recording_format: 'spikeglx' }>, open: OpenFile): Promise<RecordingReader> {
  const metaName = obj.data.meta_path;
  const meta = parseSpikeGlxMeta(await loadText(open, metaName), metaName);
  const type = meta.get('typeThis');
  if (type !== undefined && type !== 'imec') {
    throw new FormatError(metaName, `is a ${type} stream (typeThis=${type}); only imec probe streams (.imecN.ap.bin / .lf.bin) are recordings`);
  }
  const sampleRateHz = metaNumber(meta, 'imSampRate', metaName);
  const nSaved = metaNumber(meta, 'nSavedChans', metaName);
  const ch = spikeGlxChannels(meta, metaName);
  const gains = spikeGlxGains(meta, ch, metaName);
  const { geom, groups } = spikeGlxGeometry(meta, ch, metaName);
  const file = await open(obj.data.bin_path);
  try {
    const expected = meta.get('fileSizeBytes');
    if (expected !== undefined && Number(expected) !== file.size) {
      const how = file.size < Number(expected) ? 'truncated' : 'larger than the .meta says';
      throw new FormatError(file.path, `${file.size} bytes, but ${metaName} says fileSizeBytes=${expected} (${how})`);
    }
    const numFrames = wholeFrames(file, 0, nSaved, 'int16');
    const common = gains && gains.every((g) => g === gains[0]) ? gains[0] : null;
    return makeRecordingReader({
      sampleRateHz,
      numFrames,
      channelIds: ch.channelIds,
      channelGroups: groups,
      geom,
      dtype: 'int16',
      sourceDtype: 'int16',
      gainUvPerBit: common,
      ...(gains && common === null ? { channelGainsUvPerBit: gains } : {}),
    }, rawBinarySource({ file, dataOffset: 0, numColumns: nSaved, dtype: 'int16', numFrames }),
    new Map(ch.channelIds.map((id, i) => [id, ch.columns[i]])));
  } catch (err) {
    await file.close();
    throw err;
  }
}
