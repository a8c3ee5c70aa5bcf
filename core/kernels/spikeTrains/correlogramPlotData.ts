/**
 * The 2021 task `fetch_correlogram_plot_data.6 {sorting_object, unit_x, unit_y|null, subsample}` →
 * `{bins: f32 (ms, -25..25), bin_counts: i32, bin_size_sec: 0.001}`
 * (sortingview `9c6be2f:…/correlograms/genplot_autocorrelogram.py`), on top of the phylib kernel.
 *
 * What 2021 did, and what we pin:
 * - A selection is a unit id or a merge group (list of ids); a group's train is the union of its
 *   units' spikes, sorted, duplicates kept.
 * - Autocorrelogram iff `unit_y is None or unit_y == unit_x` with Python equality: `3 == 3` and
 *   `[1,2] == [1,2]` are auto, but `3` vs `[3]` and `[1,2]` vs `[2,1]` are cross-correlograms of a
 *   train with itself, whose centre bin then counts every spike paired with its own copy.
 * - Cross: phylib on the concatenation (x's spikes labelled 1, then y's labelled 2) argsorted by
 *   frame; the result is C[x, y], so positive lags mean y after x. 2021 used numpy's default
 *   (unstable) argsort, which left the order of equal frames across x and y unspecified; we pin
 *   the stable order (x first), so identical-frame pairs land in C[x, y, 0] before symmetrizing.
 *   Consequence (phylib's max-symmetrized centre): centre = max(X + T, Y), where T counts
 *   identical-sample x/y pairs, X pairs with y 1..b-1 samples after x and Y the reverse, so
 *   swapping unit_x and unit_y reverses every bin except, when there are ties, the centre one.
 * - `subsample` (applied to the whole sorting before selecting units; `subsample_sorting` 0.1.5):
 *   segmentSize = floor(sr * 10 s); maxTime = floor(max over units of the last spike); if
 *   maxTime <= segmentSize * numSegments * 2 nothing changes. Otherwise interval =
 *   floor(maxTime / numSegments) and each train keeps the spikes in [i*interval, i*interval +
 *   segmentSize) for i = 0..numSegments-1 (non-overlapping since interval > 2 * segmentSize).
 *   numSegments is 100 for `.6` (500 came with `.7`). 2021 crashed on a sorting with an empty unit
 *   (np.max of an empty train); we skip empty units, and an all-empty sorting is not subsampled.
 * - A single unit's train that is not sorted is sorted here (2021's phylib call asserted instead).
 */
import { autocorrelogramCounts, autocorrelogramCountsIfSorted, correlogramBinCentresMs, labeledCorrelograms } from './ccg';
import { SpikeTrainInputError, lowerBound, mergeTrains, selectionTrain, trainOf } from './trains';
import type { SortingSpikeTrains, UnitSelection } from './trains';

export interface CorrelogramPlotData {
  bins: Float32Array;
  bin_counts: Int32Array;
  bin_size_sec: number;
}

export interface SubsampleWindows {
  /** Half-open frame windows [startFrames[i], endFrames[i]). */
  startFrames: Float64Array;
  endFrames: Float64Array;
}

export interface SubsampleOptions {
  /** 10 s in 2021. */
  segmentSizeSec?: number;
  /** 100 for fetch_correlogram_plot_data.6. */
  numSegments?: number;
}

/** The 2021 subsample windows for a sorting, or null when the sorting is kept whole. */
export function correlogramSubsampleWindows(trains: SortingSpikeTrains, sampleRateHz: number, opts: SubsampleOptions = {}): SubsampleWindows | null {
  const { segmentSizeSec = 10, numSegments = 100 } = opts;
  if (!(numSegments >= 1) || !Number.isInteger(numSegments)) throw new SpikeTrainInputError(`numSegments must be a positive integer, got ${numSegments}`);
  const segmentSize = Math.floor(sampleRateHz * segmentSizeSec);
  let last = -Infinity;
  for (const t of trains.values()) for (let i = 0; i < t.length; i++) if (t[i] > last) last = t[i];
  if (last === -Infinity) return null;
  const maxTime = Math.floor(last);
  if (maxTime <= segmentSize * numSegments * 2) return null;
  const interval = Math.floor(maxTime / numSegments);
  const startFrames = new Float64Array(numSegments);
  const endFrames = new Float64Array(numSegments);
  for (let i = 0; i < numSegments; i++) {
    startFrames[i] = i * interval;
    endFrames[i] = i * interval + segmentSize;
  }
  return { startFrames, endFrames };
}

/** Keep the spikes inside the windows (sorted train in, sorted train out). */
export function restrictToWindows(train: Float64Array, w: SubsampleWindows): Float64Array {
  const parts: Float64Array[] = [];
  let total = 0;
  for (let i = 0; i < w.startFrames.length; i++) {
    const a = lowerBound(train, w.startFrames[i]);
    const b = lowerBound(train, w.endFrames[i], a);
    parts.push(train.subarray(a, b));
    total += b - a;
  }
  const out = new Float64Array(total);
  let k = 0;
  for (const p of parts) { out.set(p, k); k += p.length; }
  return out;
}

/** Python `==` between two selections (int vs list is never equal). */
export function sameSelection(a: UnitSelection, b: UnitSelection): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.length === b.length && a.every((u, i) => u === b[i]);
}

export interface CorrelogramPlotArgs {
  /** The whole sorting (subsampling looks at every unit's last spike). */
  spikeTrains: SortingSpikeTrains;
  sampleRateHz: number;
  unitX: UnitSelection;
  unitY: UnitSelection | null;
  subsample: boolean;
  subsampleOptions?: SubsampleOptions;
}

const BIN_SIZE_MSEC = 1;
const WINDOW_SIZE_MSEC = 50;

export function correlogramPlotData(args: CorrelogramPlotArgs): CorrelogramPlotData {
  const { spikeTrains, sampleRateHz, unitX, unitY } = args;
  const windows = args.subsample ? correlogramSubsampleWindows(spikeTrains, sampleRateHz, args.subsampleOptions) : null;
  const trainFor = (sel: UnitSelection) => {
    const t = selectionTrain(spikeTrains, sel);
    // Restricting after the union is the same as restricting each unit first (windows are disjoint).
    return windows ? restrictToWindows(t, windows) : t;
  };
  const auto = unitY === null || sameSelection(unitX, unitY);
  const params = { sampleRateHz, binSizeSec: BIN_SIZE_MSEC / 1000, windowSizeSec: WINDOW_SIZE_MSEC / 1000 };
  let bin_counts: Int32Array;
  let nBins: number;
  if (auto) {
    // phylib on one train with every label 0; the single-train kernel skips the labels array. One
    // whole unit: its train goes in as is, since the kernel checks the order in its own scan, and
    // only an unsorted train pays for a second pass and a sorted copy (selectionTrain).
    const whole = typeof unitX === 'number' && !windows ? autocorrelogramCountsIfSorted(trainOf(spikeTrains, unitX), params) : null;
    const r = whole ?? autocorrelogramCounts(trainFor(unitX), params);
    bin_counts = r.binCounts;
    nBins = r.nBins;
  } else {
    const merged = mergeTrains([trainFor(unitX), trainFor(unitY as UnitSelection)]);
    const r = labeledCorrelograms({ ...params, spikeFrames: merged.frames, spikeLabels: merged.labels, numUnits: 2 });
    nBins = r.nBins;
    bin_counts = r.binCounts.slice(nBins, 2 * nBins); // C[0, 1, :]
  }
  return { bins: Float32Array.from(correlogramBinCentresMs(nBins, WINDOW_SIZE_MSEC)), bin_counts, bin_size_sec: BIN_SIZE_MSEC / 1000 };
}
