import { dtypeSize, pickColumns, servedDtypeOf, viewAs } from './dtypes';
import { readRange } from './files';
import type { FrameSource } from './gather';
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

export function rawBinarySource(layout: RawBinaryLayout): FrameSource {
  const size = dtypeSize[layout.dtype];
  const bytesPerFrame = layout.numColumns * size;
  return {
    name: layout.file.path,
    numFrames: layout.numFrames,
    dtype: servedDtypeOf(layout.dtype),
    bytesPerFrame,
    async readInto(start, end, columns, out, outRow) {
      const bytes = await readRange(layout.file, layout.dataOffset + start * bytesPerFrame, (end - start) * bytesPerFrame);
      pickColumns(viewAs(bytes, layout.dtype), layout.numColumns, columns, out, outRow);
    },
    close: () => layout.file.close(),
  };
}
