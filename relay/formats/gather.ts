import { allocTraces } from './dtypes';
import { MAX_RANGE_READ_BYTES } from './files';
import { RequestError, type BandpassFilter, type RecordingInfo, type RecordingReader, type ServedDtype, type Traces } from './types';

/**
 * Snippet gathers coalesce: two spike windows are read in one range when the frames between them
 * cost at most this many bytes. At ~1 GB/s sequential and ~1 ms per random read (NVMe through the
 * page cache, network disks are worse) reading 1 MiB extra costs about what another request does.
 * A 385-channel int16 file has 770 bytes per frame, so windows up to ~1360 frames (45 ms) apart merge.
 */
export const SNIPPET_GAP_BYTES = 1024 * 1024;
/** A coalesced run never exceeds this many bytes (then a new run starts). */
export const SNIPPET_MAX_RUN_BYTES = 32 * 1024 * 1024;
/** Coalesced runs in flight at once. */
export const SNIPPET_READ_CONCURRENCY = 4;
/**
 * Sources with `readWindows` read a run in consecutive pieces of about this size (a window is never
 * split), into fresh buffers small enough for the allocator to recycle: a fresh 32 MiB buffer per run
 * costs more in page faults than the read itself when the file is in the page cache.
 */
export const SNIPPET_READ_PIECE_BYTES = 1024 * 1024;

/** Where a reader's frames come from: a raw binary layout, an HDF5 dataset, … */
export interface FrameSource {
  /** File name for messages. */
  name: string;
  numFrames: number;
  dtype: ServedDtype;
  /** Bytes stored per frame (all channels): the cost model for coalescing and read splitting. */
  bytesPerFrame: number;
  /** Writes frames [start, end) of storage `columns` into `out` from row `outRow`, as [frames][columns.length]. */
  readInto(start: number, end: number, columns: number[], out: Traces, outRow: number): Promise<void>;
  /**
   * Optional, for snippet gathers: reads the run [start, end) (in pieces of ≤ SNIPPET_READ_PIECE_BYTES
   * where windows allow) and writes only the windows [starts[i], starts[i] + length) of `columns` into
   * `out`, window i at row `outRow + i·length`. `starts` ascend and every window lies in [start, end).
   * Without it a gather reads the whole run with readInto and copies the windows out.
   */
  readWindows?(start: number, end: number, starts: Float64Array, length: number, columns: number[], out: Traces, outRow: number): Promise<void>;
  close(): Promise<void>;
}

/** A run of frames [start, end) read once, serving spikes [first, last). */
export interface Run { start: number; end: number; first: number; last: number }

/** Groups sorted windows [f - before, f + after) into runs (see SNIPPET_GAP_BYTES). */
export function coalesce(frames: Float64Array, before: number, after: number, bytesPerFrame: number,
  gapBytes = SNIPPET_GAP_BYTES, maxRunBytes = SNIPPET_MAX_RUN_BYTES): Run[] {
  const runs: Run[] = [];
  const gapFrames = Math.floor(gapBytes / Math.max(1, bytesPerFrame));
  const maxRunFrames = Math.max(before + after, Math.floor(maxRunBytes / Math.max(1, bytesPerFrame)));
  let cur: Run | null = null;
  for (let i = 0; i < frames.length; i++) {
    const s = frames[i] - before;
    const e = frames[i] + after;
    if (cur && s - cur.end <= gapFrames && Math.max(cur.end, e) - cur.start <= maxRunFrames) {
      cur.end = Math.max(cur.end, e);
      cur.last = i + 1;
    } else {
      if (cur) runs.push(cur);
      cur = { start: s, end: e, first: i, last: i + 1 };
    }
  }
  if (cur) runs.push(cur);
  return runs;
}

function checkInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RequestError(`${name} must be a non-negative integer, got ${v}`);
}

export function checkTraceRange(startFrame: number, endFrame: number, numFrames: number, name: string): void {
  checkInt('startFrame', startFrame);
  checkInt('endFrame', endFrame);
  if (startFrame > endFrame || endFrame > numFrames) {
    throw new RequestError(`frames [${startFrame}, ${endFrame}) are outside recording ${name} ([0, ${numFrames}))`);
  }
}

/** Frames are integers, sorted ascending, and every window [f − before, f + after) lies in [0, numFrames). */
export function checkSnippetRequest(frames: Float64Array, before: number, after: number, numFrames: number, name: string): void {
  checkInt('before', before);
  checkInt('after', after);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (!Number.isSafeInteger(f)) throw new RequestError(`spike frame ${f} (index ${i}) is not an integer`);
    if (i > 0 && f < frames[i - 1]) throw new RequestError(`spike frames must be sorted ascending: ${frames[i - 1]} comes before ${f} (index ${i})`);
    if (f - before < 0 || f + after > numFrames) {
      throw new RequestError(`spike at frame ${f}: window [${f - before}, ${f + after}) leaves recording ${name} ([0, ${numFrames})); exclude spikes this close to the edges`);
    }
  }
}

/** Builds readTraces/readSnippets over a FrameSource; `columnOf` maps a channel id to a storage column. */
export function makeRecordingReader(info: RecordingInfo, source: FrameSource, columnOf: Map<number, number>,
  filters: BandpassFilter[] = []): RecordingReader {
  const columnsFor = (channelIds: number[]): number[] => channelIds.map((id) => {
    const c = columnOf.get(id);
    if (c === undefined) {
      throw new RequestError(`channel ${id} is not in recording ${source.name} (it has ${info.channelIds.length} channels: ${describeIds(info.channelIds)})`);
    }
    return c;
  });
  const framesPerPiece = Math.max(1, Math.floor(MAX_RANGE_READ_BYTES / Math.max(1, source.bytesPerFrame)));

  return {
    info,
    filters,
    async readTraces(startFrame, endFrame, channelIds) {
      checkTraceRange(startFrame, endFrame, info.numFrames, source.name);
      const columns = columnsFor(channelIds);
      const out = allocTraces(source.dtype, (endFrame - startFrame) * columns.length);
      if (columns.length === 0) return out;
      for (let s = startFrame; s < endFrame; s += framesPerPiece) {
        const e = Math.min(endFrame, s + framesPerPiece);
        await source.readInto(s, e, columns, out, s - startFrame);
      }
      return out;
    },
    async readSnippets(frames, before, after, channelIds) {
      checkSnippetRequest(frames, before, after, info.numFrames, source.name);
      const T = before + after;
      const columns = columnsFor(channelIds);
      const k = columns.length;
      const out = allocTraces(source.dtype, frames.length * T * k);
      if (k === 0 || T === 0 || frames.length === 0) return out;
      const runs = coalesce(frames, before, after, source.bytesPerFrame);
      let next = 0;
      const worker = async () => {
        while (next < runs.length) {
          const run = runs[next++];
          if (source.readWindows) {
            const starts = frames.slice(run.first, run.last);
            for (let i = 0; i < starts.length; i++) starts[i] -= before;
            await source.readWindows(run.start, run.end, starts, T, columns, out, run.first * T);
            continue;
          }
          const buf = allocTraces(source.dtype, (run.end - run.start) * k);
          await source.readInto(run.start, run.end, columns, buf, 0);
          for (let i = run.first; i < run.last; i++) {
            const o = (frames[i] - before - run.start) * k;
            out.set(buf.subarray(o, o + T * k), i * T * k);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(SNIPPET_READ_CONCURRENCY, runs.length) }, worker));
      return out;
    },
    close: () => source.close(),
  };
}

function describeIds(ids: number[]): string {
  if (ids.length <= 8) return ids.join(', ');
  return `${ids.slice(0, 4).join(', ')}, …, ${ids.slice(-2).join(', ')}`;
}
