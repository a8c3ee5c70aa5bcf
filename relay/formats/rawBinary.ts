import { dtypeSize, pickColumns, servedDtypeOf, viewAs } from './dtypes';
import { readRange } from './files';
import { SNIPPET_READ_PIECE_BYTES, type FrameSource } from './gather';
import { FormatError, type RandomAccessFile, type SourceDtype } from './types';

/** An interleaved time-major file: `dataOffset` header bytes, then [frame][numColumns] samples, little-endian. */
export interface RawBinaryLayout {
  file: RandomAccessFile;
  dataOffset: number;
  numColumns: number;
  dtype: SourceDtype;
  numFrames: number;
}

/**
 * The number of whole frames after `dataOffset`; a FormatError when the data is not a whole number
 * of frames (a truncated or mis-described file).
 */
export function wholeFrames(file: RandomAccessFile, dataOffset: number, numColumns: number, dtype: SourceDtype): number {
  const bytesPerFrame = numColumns * dtypeSize[dtype];
  const dataBytes = file.size - dataOffset;
  if (dataBytes < 0) throw new FormatError(file.path, `${file.size} bytes is shorter than its ${dataOffset}-byte header`);
  if (dataBytes % bytesPerFrame !== 0) {
    const what = dataOffset ? `${dataBytes} data bytes (after a ${dataOffset}-byte header)` : `${file.size} bytes`;
    throw new FormatError(file.path, `${what} is not a whole number of ${numColumns}-channel ${dtype} frames (${bytesPerFrame} bytes each); the file is truncated or the channel count/dtype is wrong`);
  }
  return dataBytes / bytesPerFrame;
}

/** Checks that the file holds exactly `numFrames` frames (truncated or over-long files are errors). */
export function expectFrames(file: RandomAccessFile, layout: Omit<RawBinaryLayout, 'file'>, source: string): void {
  const expected = layout.dataOffset + layout.numFrames * layout.numColumns * dtypeSize[layout.dtype];
  if (file.size !== expected) {
    const how = file.size < expected ? 'truncated' : 'longer than described';
    throw new FormatError(file.path, `${source} says ${layout.numFrames} frames × ${layout.numColumns} channels of ${layout.dtype} (${expected} bytes) but the file has ${file.size} bytes (${how})`);
  }
}

/** Read buffers a raw binary source keeps for snippet gathers (one per run in flight). */
const MAX_POOLED_BUFFERS = 4;

export function rawBinarySource(layout: RawBinaryLayout): FrameSource {
  const size = dtypeSize[layout.dtype];
  const bytesPerFrame = layout.numColumns * size;
  const pieceFrames = (length: number) => Math.max(length, Math.floor(SNIPPET_READ_PIECE_BYTES / bytesPerFrame));
  const pool: Uint8Array[] = [];
  const file = layout.file;
  /** Bytes [offset, offset + length) into `buf` when the file can, else into a fresh buffer. */
  const readPiece = async (offset: number, length: number, buf: Uint8Array | null): Promise<Uint8Array> => {
    if (!file.readInto || !buf || length > buf.length) return readRange(file, offset, length);
    if (offset + length > file.size) {
      throw new FormatError(file.path, `needs bytes [${offset}, ${offset + length}) but the file has ${file.size} bytes (truncated?)`);
    }
    const target = buf.subarray(0, length);
    await file.readInto(offset, target);
    return target;
  };
  return {
    name: layout.file.path,
    numFrames: layout.numFrames,
    dtype: servedDtypeOf(layout.dtype),
    bytesPerFrame,
    async readInto(start, end, columns, out, outRow) {
      const bytes = await readRange(layout.file, layout.dataOffset + start * bytesPerFrame, (end - start) * bytesPerFrame);
      pickColumns(viewAs(bytes, layout.dtype), layout.numColumns, columns, out, outRow);
    },
    async readWindows(start, end, starts, length, columns, out, outRow) {
      // The run in consecutive pieces, each from its first window's start to its last window's end
      // (gaps between pieces, ≤ SNIPPET_GAP_BYTES, are skipped), read into a pooled buffer; only the
      // windows' rows are converted.
      const maxFrames = pieceFrames(length);
      const buf = file.readInto ? pool.pop() ?? new Uint8Array(maxFrames * bytesPerFrame) : null;
      try {
        let i = 0;
        while (i < starts.length) {
          const s = starts[i];
          let j = i + 1;
          while (j < starts.length && starts[j] + length - s <= maxFrames) j++;
          const pieceEnd = starts[j - 1] + length;
          if (s < start || pieceEnd > end) throw new Error(`readWindows: windows outside the run [${start}, ${end})`);
          const bytes = await readPiece(layout.dataOffset + s * bytesPerFrame, (pieceEnd - s) * bytesPerFrame, buf);
          const src = viewAs(bytes, layout.dtype);
          for (; i < j; i++) pickColumns(src, layout.numColumns, columns, out, outRow + i * length, starts[i] - s, starts[i] - s + length);
        }
      } finally {
        if (buf && pool.length < MAX_POOLED_BUFFERS) pool.push(buf);
      }
    },
    close: () => layout.file.close(),
  };
}
