import type { RecordingObject } from '../../core/protocol/dataObjects';
import { loadText } from './files';
import { makeRecordingReader } from './gather';
import { rawBinarySource, wholeFrames } from './rawBinary';
import { metaNumber, parseSpikeGlxMeta, spikeGlxChannels, spikeGlxGains, spikeGlxGeometry } from './spikeglxMeta';
import { FormatError, type OpenFile, type RecordingReader } from './types';
import { exists, findFiles, one, type FileRule, type FolderRule } from './detectTools';
import { basename } from 'node:path';

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

// ---------------------------------------------------------------- detection (workspace add-recording)

export function spikeGlxObject(binPath: string): RecordingObject {
  return { recording_format: 'spikeglx', data: { bin_path: binPath, meta_path: binPath.replace(/\.bin$/, '.meta') } };
}

/** A `.bin` with its `.meta` beside it, or the `.meta` of a `.bin`. */
export const detectSpikeGlxFile: FileRule = async (path, name) => {
  if (name.endsWith('.bin') && (await exists(path.replace(/\.bin$/, '.meta')))) return spikeGlxObject(path);
  if (name.endsWith('.meta') && (await exists(path.replace(/\.meta$/, '.bin')))) return spikeGlxObject(path.replace(/\.meta$/, '.bin'));
  return null;
};

/** A run folder (searched 3 levels) holding one `*.ap.bin` (noted when `.lf.bin` files are there too), else one `*.lf.bin`. */
export const detectSpikeGlxFolder: FolderRule = async (path, { opts }) => {
  const ap = await findFiles(path, (n) => n.endsWith('.ap.bin'), 3);
  const lf = await findFiles(path, (n) => n.endsWith('.lf.bin'), 3);
  if (ap.length) {
    const chosen = one(ap, 'SpikeGLX .ap.bin', path);
    if (lf.length) opts.onNote?.(`${path} holds the AP stream ${basename(chosen)} and the LF stream ${lf.map((f) => basename(f)).join(', ')}: adding AP (${chosen}); to add LF, pass ${lf.length === 1 ? lf[0] : 'its .lf.bin'} itself`);
    return spikeGlxObject(chosen);
  }
  if (lf.length) return spikeGlxObject(one(lf, 'SpikeGLX .lf.bin', path));
  return null;
};
