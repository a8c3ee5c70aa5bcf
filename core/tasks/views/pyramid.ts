import type { ChunkSpec } from '../../protocol/messages';

/**
 * The min/max pyramid of a recording: ONE set of tiles per recording, shared by every zoom level and
 * every segment_size a client asks for (issue 14: a free ds_factor made each request a fresh
 * whole-range read).
 *
 * - Levels are powers of 3 (2021's zoom steps): ds_factor 3^1 … 3^MAX_PYRAMID_LEVEL; ds_factor 1 is
 *   raw traces, not a level.
 * - A tile is the chunk `minmax {recording, dsFactor, segment: tileIndex, segmentSize: tilePairs(C)}`:
 *   tilePairs(C) consecutive (min, max) pairs per channel, the web app's own segment size, so one
 *   GUI segment is one tile.
 * - Tiles of levels ≤ PYRAMID_BASE_LEVEL are reduced from raw frames (one tile reads at most
 *   3^5 · tilePairs · C ≈ 24 M samples). A tile of a higher level is derived from the three tiles
 *   of the level below it (tiles 3t, 3t+1, 3t+2), which the relay reads back from the private
 *   bucket: raw data reaches the coarse levels only through base tiles, each made once per recording.
 *   Starting the derivation at 3^5 and not 3^1 keeps the stored pyramid small: about 2.5 % of an
 *   int16 recording (level 3^1 alone, in float32 pairs, would be 133 %).
 */
export const MAX_PYRAMID_LEVEL = 15;
export const PYRAMID_BASE_LEVEL = 5;
export const PYRAMID_DS_FACTORS: readonly number[] = Array.from({ length: MAX_PYRAMID_LEVEL }, (_, i) => 3 ** (i + 1));
export const MAX_DS_FACTOR = 3 ** MAX_PYRAMID_LEVEL;

export const isPyramidLevel = (dsFactor: number): boolean => PYRAMID_DS_FACTORS.includes(dsFactor);
/** The level k of ds_factor 3^k (the caller checked isPyramidLevel). */
export const pyramidLevel = (dsFactor: number): number => Math.round(Math.log(dsFactor) / Math.log(3));

/** Pairs per tile and channel: ceil(1e5 / C), the web app's segment size (contracts/recording.ts timeseriesSegmentSize; pyramid.test.ts pins them equal). */
export const tilePairs = (numChannels: number): number => Math.ceil(100_000 / Math.max(1, numChannels));

export type MinmaxSpec = Extract<ChunkSpec, { type: 'minmax' }>;

export function tileSpec(recording: string, dsFactor: number, tile: number, numChannels: number): MinmaxSpec {
  return { type: 'minmax', recording, dsFactor, segment: tile, segmentSize: tilePairs(numChannels) };
}

/** Tiles of a level that hold pairs [firstPair, endPair) (pairs counted from frame 0). */
export function tilesCovering(firstPair: number, endPair: number, numChannels: number): { first: number; count: number } {
  const P = tilePairs(numChannels);
  if (endPair <= firstPair) return { first: Math.floor(firstPair / P), count: 0 };
  const first = Math.floor(firstPair / P);
  return { first, count: Math.floor((endPair - 1) / P) - first + 1 };
}

/** Tiles (of the level below) a derived tile is made of: those that start inside the recording. */
export function childTiles(spec: MinmaxSpec, numFrames: number): MinmaxSpec[] {
  const childDs = spec.dsFactor / 3;
  const framesPerChildTile = spec.segmentSize * childDs;
  const out: MinmaxSpec[] = [];
  for (let i = 0; i < 3; i++) {
    const t = 3 * spec.segment + i;
    if (t * framesPerChildTile < numFrames) out.push({ ...spec, dsFactor: childDs, segment: t });
  }
  return out;
}

/** Why a minmax chunk spec is not a tile of this recording's pyramid, or null when it is one. */
export function notATile(spec: MinmaxSpec, numChannels: number, numFrames: number): string | null {
  if (!isPyramidLevel(spec.dsFactor)) return `minmax dsFactor ${spec.dsFactor} is not a pyramid level (${PYRAMID_DS_FACTORS[0]}, ${PYRAMID_DS_FACTORS[1]}, … ${MAX_DS_FACTOR}, powers of 3)`;
  if (spec.segmentSize !== tilePairs(numChannels)) return `minmax segmentSize ${spec.segmentSize} is not this recording's tile size (${tilePairs(numChannels)} pairs on ${numChannels} channels)`;
  if (spec.segment * spec.segmentSize * spec.dsFactor >= Math.max(1, numFrames)) return `minmax tile ${spec.segment} at ds ${spec.dsFactor} starts past the recording's ${numFrames} frames`;
  return null;
}
