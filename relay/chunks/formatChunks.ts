import { produceSnippetSums } from '../../core/data/snippetSums';
import { encodeChunk, jsonChunk } from '../../core/protocol/chunkEncoding';
import type { RecordingInfoChunk } from '../../core/protocol/recordingInfoChunk';
import { parseRecordingObject, parseSortingObject } from '../../core/protocol/dataObjects';
import type { ChunkSpec } from '../../core/protocol';
import { DataAccessError, failureKind } from '../data/errors';
import { readSmallFile, type OpenFile } from '../data/openFile';
import { openRecording, openSorting } from '../formats';
import { normalizePath } from '../formats/files';
import type { RecordingReader, Traces } from '../formats/types';
import { minmaxTile, type ReadOwnChunk } from './pyramidTiles';
import { createReaderCache } from './readerCache';

/** A traces or snippets chunk larger than this is refused: the worker asks in pieces. */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
const OPEN_RECORDINGS = 8;

type FormatSpec = Exclude<ChunkSpec, { type: 'object' | 'file' }>;

/**
 * Serves the chunk kinds that need the formats layer (recordings and sortings). Open recordings are kept (a few, most
 * recently used, readerCache.ts) because one view asks for many chunks of the same recording.
 */
export function createFormatChunkServer(
  openFile: OpenFile,
  /** The relay's own uploaded chunks, from which coarse pyramid tiles are derived (none given: none uploaded yet). */
  readOwnChunk: ReadOwnChunk = async () => null,
) {
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
        return jsonChunk({ ...info, filters: rec.filters } satisfies RecordingInfoChunk);
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
        return minmaxTile(rec, spec, readOwnChunk);
      case 'templates':
        return templatesChunk(rec, spec);
      case 'spikeAmplitudes':
        return spikeAmplitudesChunk(rec, spec);
    }
  }

  /** Stored data of an analyzer belongs to its own sorting: another sorting's unit ids would name other units. */
  async function checkOwnSorting(sortingUri: string, own: string, what: string, recordingUri: string): Promise<void> {
    const obj = await readObject(sortingUri);
    const sorting = asDataObject(sortingUri, 'sorting', () => parseSortingObject(obj));
    const folder = sorting.sorting_format === 'si_numpy_folder' ? normalizePath(String(sorting.data.folder)) : null;
    if (folder !== normalizePath(own)) throw new DataAccessError(`the ${what} of ${recordingUri} are its own sorting's (${own}); ${sortingUri} is another sorting`);
  }

  /** The recording's stored templates of units of its own sorting (a SortingAnalyzer's), [units][samples][channels]. */
  async function templatesChunk(rec: RecordingReader, spec: Extract<FormatSpec, { type: 'templates' }>): Promise<Uint8Array> {
    const { templates } = rec;
    if (!templates || !rec.info.templates) throw new DataAccessError(`${spec.recording} has no stored templates`);
    await checkOwnSorting(spec.sorting, templates.sortingFolder, 'templates', spec.recording);
    const { numSamples } = rec.info.templates;
    const C = rec.info.channelIds.length;
    checkBytes(spec.unitIds.length * numSamples * C * 4);
    const data = await templates.read(spec.unitIds);
    return encodeChunk({ kind: 'ndarray', dtype: 'float32', shape: [spec.unitIds.length, numSamples, C] }, bytesOf(data));
  }

  /** The recording's stored spike amplitudes of units of its own sorting, each in its train's order, concatenated. */
  async function spikeAmplitudesChunk(rec: RecordingReader, spec: Extract<FormatSpec, { type: 'spikeAmplitudes' }>): Promise<Uint8Array> {
    const stored = rec.spikeAmplitudes;
    if (!stored || !rec.info.spikeAmplitudes) throw new DataAccessError(`${spec.recording} has no stored spike amplitudes`);
    await checkOwnSorting(spec.sorting, stored.sortingFolder, 'spike amplitudes', spec.recording);
    const parts = await stored.read(spec.unitIds);
    const total = parts.reduce((n, p) => n + p.length, 0);
    checkBytes(total * 4);
    const out = new Float32Array(total);
    let k = 0;
    for (const p of parts) { out.set(p, k); k += p.length; }
    return encodeChunk({ kind: 'ndarray', dtype: 'float32', shape: [total] }, bytesOf(out));
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
