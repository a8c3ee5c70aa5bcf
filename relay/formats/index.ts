/**
 * relay/formats: recording and sorting objects → readers that answer the relay's chunk requests
 * (recordingInfo, traces, snippets, spike trains). File access is injected (`OpenFile`).
 */
export { openRecording, openSorting } from './open';
export { detectFormat, type DetectOptions, type DetectedObject } from './detect';
export { SNIPPET_GAP_BYTES, SNIPPET_MAX_RUN_BYTES } from './gather';
export { HDF5_COPY_CAP_BYTES } from './hdf5';
export { MAX_RANGE_READ_BYTES, MAX_WHOLE_FILE_BYTES } from './files';
export {
  FormatError, RequestError,
  type BandpassFilter, type OpenFile, type RandomAccessFile, type RecordingInfo, type RecordingReader,
  type ServedDtype, type SortingReader, type SourceDtype, type Traces,
} from './types';
