import { concatMinMax, coarsenMinMax, minMaxDownsample, timeseriesSegmentFrames } from '../../core/kernels/waveforms/minmax';
import { produceSnippetSums } from '../../core/data/snippetSums';
import { encodeChunk, jsonChunk } from '../../core/protocol/chunkEncoding';
import { parseRecordingObject, parseSortingObject } from '../../core/protocol/dataObjects';
import type { ChunkSpec, NdArray } from '../../core/protocol';
import { DataAccessError, failureKind } from '../data/errors';
import { readSmallFile, type OpenFile } from '../data/openFile';
import { openRecording, openSorting } from '../formats';
import type { RecordingReader, Traces } from '../formats/types';
import { createReaderCache } from './readerCache';

/** A traces or snippets chunk larger than this is refused: the worker asks in pieces. */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
/** Frames read at once while reducing a min/max segment: bounds the relay's memory, whatever dsFactor. */
const MINMAX_READ_FRAMES = 32_768;
const OPEN_RECORDINGS = 8;

type FormatSpec = Exclude<ChunkSpec, { type: 'object' | 'file' }>;

/**
 * Serves the chunk kinds that need the formats layer (recordings and sortings). Open recordings are kept (a few, most
 * recently used, readerCache.ts) because one view asks for many chunks of the same recording.
 */
export function createFormatChunkServer(openFile: OpenFile) {
  const readObject = async (uri: string): Promise<unknown> => {
    const bytes = await readSmallFile(openFile, uri, 16 * 1024 * 1024);
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new DataAccessError(`${uri} is not JSON`);
    }
  };

  const readers = createReaderCache(async (uri): Promise<RecordingReader> => {
    const obj = await readObject(uri);
    // Accepts the 2021 legacy shapes too (bare SpikeForest {raw, geom, params}, …).
    return openRecording(asDataObject(uri, 'recording', () => parseRecordingObject(obj)), openFile);
  }, OPEN_RECORDINGS);

  async function serve(spec: FormatSpec): Promise<Uint8Array> {
    if (spec.type === 'sorting') return sortingChunk(spec.sorting);
    const lease = await readers.acquire(spec.recording);
    try {
      return await serveRecording(lease.value, spec);
    } catch (err) {
      // A reader that failed under a read (disk error, file replaced) is reopened by the next request.
      if (failureKind(err) === 'transient') readers.invalidate(spec.recording);
      throw err;
    } finally {
      lease.release();
    }
  }

  async function serveRecording(rec: RecordingReader, spec: Exclude<FormatSpec, { type: 'sorting' }>): Promise<Uint8Array> {
    const { info } = rec;
    switch (spec.type) {
      case 'recordingInfo':
        return jsonChunk({ ...info, filters: rec.filters });
      case 'traces': {
        checkChannels(spec.channelIds, info.channelIds);
        const frames = spec.endFrame - spec.startFrame;
        if (frames < 0 || spec.endFrame > info.numFrames) throw new DataAccessError(`traces [${spec.startFrame}, ${spec.endFrame}) is outside the recording's ${info.numFrames} frames`);
        checkSize(frames * spec.channelIds.length, info.dtype);
        const t = await rec.readTraces(spec.startFrame, spec.endFrame, spec.channelIds);
        return tracesChunk(t, [frames, spec.channelIds.length]);
      }
      case 'snippets': {
        checkChannels(spec.channelIds, info.channelIds);
        const width = spec.before + spec.after;
        checkSize(spec.frames.length * width * spec.channelIds.length, info.dtype);
        const t = await rec.readSnippets(Float64Array.from(spec.frames), spec.before, spec.after, spec.channelIds);
        return tracesChunk(t, [spec.frames.length, width, spec.channelIds.length]);
      }
      case 'snippetSums': {
        checkChannels(spec.channelIds, info.channelIds);
        const T = spec.before + spec.after;
        const frames = spec.groups.reduce((n, g) => n + g.length, 0);
        // float64 sums, plus the detail snippets in the recording's dtype.
        checkBytes(spec.groups.length * T * spec.channelIds.length * 8 + (spec.detailChannelIds ? frames * T * (info.dtype === 'int16' ? 2 : 4) : 0));
        try {
          return await produceSnippetSums(spec, (f, before, after, channelIds) => rec.readSnippets(f, before, after, channelIds));
        } catch (err) {
          if (err instanceof RangeError) throw new DataAccessError(err.message);
          throw err;
        }
      }
      case 'minmax':
        return minmaxChunk(rec, spec);
    }
  }

  async function sortingChunk(uri: string): Promise<Uint8Array> {
    const obj = await readObject(uri);
    const sorting = await openSorting(asDataObject(uri, 'sorting', () => parseSortingObject(obj)), openFile);
    const trains = sorting.unitIds.map((id) => sorting.spikeTrain(id));
    const total = trains.reduce((n, t) => n + t.length, 0);
    checkSize(total * 2, 'float32'); // 8 bytes per spike
    const frames = new Float64Array(total);
    let offset = 0;
    for (const t of trains) {
      frames.set(t, offset);
      offset += t.length;
    }
    return encodeChunk({
      kind: 'sorting', sampleRateHz: sorting.sampleRateHz, unitIds: sorting.unitIds, spikeCounts: trains.map((t) => t.length),
      initialLabels: sorting.initialLabels ? Object.fromEntries(Object.entries(sorting.initialLabels)) : undefined,
    }, new Uint8Array(frames.buffer));
  }

  return {
    serve,
    close: () => readers.close(),
    stats: () => readers.stats(),
  };
}

/** The min/max pyramid level of one segment, read in bounded pieces (the one reduction done at the source). */
async function minmaxChunk(rec: RecordingReader, spec: Extract<ChunkSpec, { type: 'minmax' }>): Promise<Uint8Array> {
  const { info } = rec;
  const C = info.channelIds.length;
  const { startFrame, endFrame, numBlocks } = timeseriesSegmentFrames(info.numFrames, spec.dsFactor, spec.segment, spec.segmentSize);
  checkSize(C * 2 * numBlocks, 'float32');
  const parts: NdArray<'float32'>[] = [];
  for (let blockStart = startFrame; blockStart < endFrame;) {
    if (spec.dsFactor <= MINMAX_READ_FRAMES) {
      // Whole blocks per read.
      const end = Math.min(endFrame, blockStart + Math.floor(MINMAX_READ_FRAMES / spec.dsFactor) * spec.dsFactor);
      parts.push(minMaxDownsample(await rec.readTraces(blockStart, end, info.channelIds), C, spec.dsFactor));
      blockStart = end;
    } else {
      // One block spans several reads: reduce each read to one pair, then fold them.
      const blockEnd = Math.min(endFrame, blockStart + spec.dsFactor);
      const pieces: NdArray<'float32'>[] = [];
      for (let s = blockStart; s < blockEnd; s += MINMAX_READ_FRAMES) {
        const e = Math.min(blockEnd, s + MINMAX_READ_FRAMES);
        pieces.push(minMaxDownsample(await rec.readTraces(s, e, info.channelIds), C, e - s));
      }
      parts.push(coarsenMinMax(concatMinMax(pieces), pieces.length));
      blockStart = blockEnd;
    }
  }
  const level = parts.length ? concatMinMax(parts) : { dtype: 'float32' as const, shape: [C, 0], data: new Float32Array(0) };
  return encodeChunk({ kind: 'ndarray', dtype: 'float32', shape: level.shape }, bytesOf(level.data));
}

function tracesChunk(t: Traces, shape: number[]): Uint8Array {
  return encodeChunk({ kind: 'ndarray', dtype: t instanceof Int16Array ? 'int16' : 'float32', shape }, bytesOf(t));
}

function bytesOf(a: Int16Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function checkChannels(asked: number[], known: number[]): void {
  const set = new Set(known);
  const unknown = asked.filter((c) => !set.has(c));
  if (unknown.length) throw new DataAccessError(`Unknown channel id(s) ${unknown.slice(0, 10).join(', ')}; the recording has ${known.length} channels`);
}

function checkSize(values: number, dtype: 'int16' | 'float32'): void {
  checkBytes(values * (dtype === 'int16' ? 2 : 4));
}

function checkBytes(bytes: number): void {
  if (bytes > MAX_CHUNK_BYTES) throw new DataAccessError(`A chunk of ${bytes} bytes was asked for; chunks are capped at ${MAX_CHUNK_BYTES}: ask in smaller pieces`);
}

function asDataObject<T>(uri: string, kind: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new DataAccessError(`${uri} is not a ${kind} object: ${(err as Error).message}`);
  }
}
