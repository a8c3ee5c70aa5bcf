/**
 * The format layer's ports. File access is injected: a reader gets an `OpenFile` and never resolves a
 * URI or checks a permission itself. `OpenFile`/`RandomAccessFile` are declared once, in
 * core/ports/openFile.ts, which relay/data/openFile.ts implements.
 */

export type { OpenFile, RandomAccessFile } from '../../core/ports/openFile';

/** The dtypes readers return: int16 data stays int16 (exact, half the bytes); everything else is float32. */
export type ServedDtype = 'int16' | 'float32';
/** Sample types found on disk (declared in core/formats, shared with the .npy codec). */
export type { SourceDtype } from '../../core/formats/dtypes';
import type { SourceDtype } from '../../core/formats/dtypes';

export interface RecordingInfo {
  sampleRateHz: number;
  numFrames: number;
  /** Channel ids in the order the recording lists them (the order geom and groups follow). */
  channelIds: number[];
  channelGroups: number[];
  /** µm, one [x, y] per channel id. */
  geom: [number, number][];
  /** dtype of the arrays readTraces/readSnippets return. */
  dtype: ServedDtype;
  /** dtype on disk (int64, uint16, float64 … are served as float32). */
  sourceDtype: SourceDtype;
  /** µV per raw unit when the format says and every channel agrees; null otherwise. */
  gainUvPerBit: number | null;
  /** Per-channel µV per raw unit (same order as channelIds) when the format gives gains that differ. */
  channelGainsUvPerBit?: number[];
  /** Per-channel noise levels (served units) the format already has (a SortingAnalyzer's `noise_levels`). */
  noiseLevels?: number[] | null;
  /** false when the traces are gone and only the info can be served (an analyzer without its recording). */
  tracesAvailable?: boolean;
  /** The format's own average waveforms (a SortingAnalyzer's `templates` extension): what the chunks will hold. */
  templates?: TemplatesInfo;
  /** The format's own amplitude of every spike (a SortingAnalyzer's `spike_amplitudes`), in µV or raw units. */
  spikeAmplitudes?: { units: 'uV' | 'raw' };
}

/**
 * Samples per template, of which `nbefore` precede the spike; `units`: µV, or the traces' raw units;
 * `maxSpikesPerUnit`: the sample each template averages (SpikeInterface's random_spikes), null for every spike.
 */
export interface TemplatesInfo { nbefore: number; numSamples: number; units: 'uV' | 'raw'; maxSpikesPerUnit: number | null }

/** The amplitudes the format stores for every spike of its own sorting. */
export interface SpikeAmplitudesReader {
  /** The sorting folder they belong to: only a sorting object of this folder may use them. */
  sortingFolder: string;
  /** Each unit's amplitudes, in the order of its spike train (ascending frames). */
  read(unitIds: number[]): Promise<Float32Array[]>;
}

/** Average waveforms the format stores per unit of its own sorting (rows in `unitIds` order). */
export interface TemplatesReader {
  /** The sorting folder the templates belong to: only a sorting object of this folder may use them. */
  sortingFolder: string;
  /** sortingview's unit ids of the rows. */
  unitIds: number[];
  /** The rows of `unitIds`, each [numSamples][channels] in C order, one after another. */
  read(unitIds: number[]): Promise<Float32Array>;
}

/** A filter the worker applies to the served raw data (the relay never filters). */
export interface BandpassFilter {
  type: 'bandpass_filter';
  freqMinHz: number;
  freqMaxHz: number;
  freqWidHz: number;
}

export type Traces = Int16Array | Float32Array;

export interface RecordingReader {
  info: RecordingInfo;
  /** Filters the worker must apply, outermost last; [] for unfiltered recordings. */
  filters: BandpassFilter[];
  /** Frames [startFrame, endFrame) of `channelIds`, as [frames][channels] in C order. */
  readTraces(startFrame: number, endFrame: number, channelIds: number[]): Promise<Traces>;
  /**
   * One batched gather: for each frame f (sorted ascending), frames [f - before, f + after) of
   * `channelIds`, as [spikes][before + after][channels]. A window that leaves the recording is a
   * RequestError (the worker excludes such spikes before asking).
   */
  readSnippets(frames: Float64Array, before: number, after: number, channelIds: number[]): Promise<Traces>;
  /** Present when `info.templates` is. */
  templates?: TemplatesReader;
  /** Present when `info.spikeAmplitudes` is. */
  spikeAmplitudes?: SpikeAmplitudesReader;
  close(): Promise<void>;
}

export interface SortingReader {
  sampleRateHz: number;
  /** Ascending. */
  unitIds: number[];
  /** Spike frames of the unit, ascending; throws a RequestError for an unknown unit. */
  spikeTrain(unitId: number): Float64Array;
  /** Labels the source carries (phy cluster_group.tsv), in sortingview's vocabulary (accept, mua, noise …). */
  initialLabels?: Record<number, string[]>;
  /**
   * The source's own unit ids where they are not integers (SpikeInterface string ids), by the integer
   * id sortingview gives the unit: sortingview's ids are integers end to end (siSorting.ts).
   */
  unitNames?: Record<number, string>;
}

/** A file that is corrupt, truncated, or not what its format says (core/formats: the .npy codec throws it too). */
export { FormatError } from '../../core/formats/formatError';

/** A request the data cannot answer (frames outside the recording, unknown channel or unit). */
export class RequestError extends Error {
  override name = 'RequestError';
}
