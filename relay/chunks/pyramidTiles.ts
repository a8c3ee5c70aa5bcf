import { coarsenMinMax, concatMinMax, minMaxDownsample } from '../../core/kernels/waveforms/minmax';
import { decodeChunk, encodeChunk } from '../../core/protocol/chunkEncoding';
import { ndarray, type NdArray } from '../../core/protocol/ndarray';
import type { ChunkSpec } from '../../core/protocol';
import { childTiles, notATile, pyramidLevel, PYRAMID_BASE_LEVEL, type MinmaxSpec } from '../../core/tasks/views/pyramid';
import { DataAccessError, TransientDataError } from '../data/errors';
import type { RecordingReader } from '../formats/types';

/** Frames read at once while reducing a base tile: bounds the relay's memory (≤ 32 768 frames × C). */
const MINMAX_READ_FRAMES = 32_768;

/** Reads a chunk this relay uploaded before (the private bucket), or null when it is not there. */
export type ReadOwnChunk = (spec: ChunkSpec) => Promise<Uint8Array | null>;

/**
 * Thrown while producing a chunk that is made from other chunks not uploaded yet: the relay service
 * produces those first (each its own job in the fair queue, under the same key), then asks again. The
 * job that threw holds no slot while it waits.
 */
export class NeedChunksFirst extends Error {
  override name = 'NeedChunksFirst';
  constructor(readonly specs: ChunkSpec[]) {
    super(`made from ${specs.length} chunk(s) not produced yet`);
  }
}

/**
 * One tile of the recording's min/max pyramid (core/tasks/views/pyramid.ts): levels up to the base
 * are reduced from raw frames, each higher level from the three tiles of the level below, read back
 * from the private bucket. So raw frames are read once per recording for all the coarse levels
 * together, and any tile costs at most one base tile of raw reads or three small tiles.
 */
export async function minmaxTile(rec: RecordingReader, spec: MinmaxSpec, readOwnChunk: ReadOwnChunk): Promise<Uint8Array> {
  const { info } = rec;
  const C = info.channelIds.length;
  const refused = notATile(spec, C, info.numFrames);
  if (refused) throw new DataAccessError(refused);
  const level = pyramidLevel(spec.dsFactor) <= PYRAMID_BASE_LEVEL ? await fromRaw(rec, spec) : await fromChildren(spec, info.numFrames, readOwnChunk);
  return encodeChunk({ kind: 'ndarray', dtype: 'float32', shape: level.shape }, new Uint8Array(level.data.buffer, level.data.byteOffset, level.data.byteLength));
}

async function fromRaw(rec: RecordingReader, spec: MinmaxSpec): Promise<NdArray<'float32'>> {
  const { info } = rec;
  const C = info.channelIds.length;
  const startFrame = spec.segment * spec.segmentSize * spec.dsFactor;
  const endFrame = Math.min(info.numFrames, startFrame + spec.segmentSize * spec.dsFactor);
  const perRead = Math.floor(MINMAX_READ_FRAMES / spec.dsFactor) * spec.dsFactor; // whole blocks per read (ds ≤ 243)
  const parts: NdArray<'float32'>[] = [];
  for (let s = startFrame; s < endFrame; s += perRead) {
    parts.push(minMaxDownsample(await rec.readTraces(s, Math.min(endFrame, s + perRead), info.channelIds), C, spec.dsFactor));
  }
  return concatMinMax(parts);
}

async function fromChildren(spec: MinmaxSpec, numFrames: number, readOwnChunk: ReadOwnChunk): Promise<NdArray<'float32'>> {
  const children = childTiles(spec, numFrames);
  const found = await Promise.all(children.map((c) => readOwnChunk(c)));
  const missing = children.filter((_, i) => !found[i]);
  if (missing.length) throw new NeedChunksFirst(missing);
  const levels = found.map((bytes, i) => {
    const chunk = decodeChunk(bytes!);
    // A child that failed fails its parent the same way (a transient one is retried when asked again).
    if (chunk.header.kind === 'error') throw chunk.header.errorKind === 'transient' ? new TransientDataError(chunk.header.message) : new DataAccessError(chunk.header.message);
    if (chunk.header.kind !== 'ndarray' || chunk.header.dtype !== 'float32') throw new DataAccessError(`pyramid tile ${children[i].segment} at ds ${children[i].dsFactor} is not a float32 array`);
    const p = chunk.payload;
    return ndarray('float32', chunk.header.shape, new Float32Array(p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength)));
  });
  return coarsenMinMax(concatMinMax(levels), 3);
}
