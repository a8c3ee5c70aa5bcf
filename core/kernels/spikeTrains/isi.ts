/**
 * ISI violation rate as `spikemetrics.metrics.isi_violations` (Hill et al. 2011, J Neurosci 31:8699;
 * Steinmetz's sortingQuality, converted by D. Denman), called by the 2021 task
 * `get_isi_violation_rates.1 {sorting_object, recording_object, configuration}` → `{uid: rate}`.
 *
 *   (optional) if minIsi > 0: drop spike i+1 wherever isi_i <= minIsi (all at once, from the
 *              original ISIs, like `np.delete(train, where(diff <= min_isi) + 1)`)
 *   N  = number of spikes kept,  nv = #{ISIs < isiThreshold}   (strictly less)
 *   fpRate = (nv / (2 N (isiThreshold - minIsi))) / (N / duration) = nv·duration / (2 N² (thr - minIsi))
 *
 * 2021 passed everything in frames: train in frames, duration = num_frames, threshold =
 * isi_threshold_msec / 1000 * samplerate (that exact expression; at 30 kHz 2.5 ms is 75 frames, so
 * an ISI of exactly 75 frames is not a violation). The ratio is unit-free. We evaluate the same
 * operations in the same order, so results match numpy bit for bit.
 *
 * Edge cases: 1 spike → 0 (no ISIs). 0 spikes → NaN (0/0; 2021 raised ZeroDivisionError, which
 * failed the whole task); `isiViolationRates` reports it as null so the result stays valid JSON.
 * duration <= 0 or threshold <= minIsi → SpikeTrainInputError (2021: division by zero).
 * Unsorted trains are sorted first (as `get_isi_violation_rates` did from version 0.1.2 on).
 */
import { SpikeTrainInputError, sortedTrain } from './trains';
import type { SortingSpikeTrains } from './trains';

export interface IsiViolationsResult {
  /** Contamination rate relative to the unit's rate; NaN when the unit has no spikes. */
  fpRate: number;
  numViolations: number;
  /** Spikes kept after the minIsi de-duplication. */
  numSpikes: number;
}

export interface IsiViolationsParams {
  durationFrames: number;
  isiThresholdFrames: number;
  /** Default 0: keep every spike. */
  minIsiFrames?: number;
}

export function isiViolations(spikeFrames: Float64Array, p: IsiViolationsParams): IsiViolationsResult {
  const { durationFrames, isiThresholdFrames, minIsiFrames = 0 } = p;
  if (!(durationFrames > 0)) throw new SpikeTrainInputError(`isiViolations: duration must be positive, got ${durationFrames} frames (is the recording empty?)`);
  if (!(isiThresholdFrames > minIsiFrames)) throw new SpikeTrainInputError(`isiViolations: the ISI threshold (${isiThresholdFrames} frames) must exceed min_isi (${minIsiFrames} frames)`);
  const train = sortedTrain(spikeFrames);
  let numSpikes = train.length;
  let numViolations = 0;
  let prevKept = NaN;
  for (let i = 0; i < train.length; i++) {
    if (i > 0) {
      // A spike is dropped when its ISI to the previous spike *in the original train* is <= minIsi.
      if (minIsiFrames > 0 && train[i] - train[i - 1] <= minIsiFrames) { numSpikes--; continue; }
      if (train[i] - prevKept < isiThresholdFrames) numViolations++;
    }
    prevKept = train[i];
  }
  const violationTime = 2 * numSpikes * (isiThresholdFrames - minIsiFrames);
  const totalRate = numSpikes / durationFrames;
  const violationRate = numViolations / violationTime;
  return { fpRate: violationRate / totalRate, numViolations, numSpikes };
}

export interface IsiViolationRatesArgs {
  spikeTrains: SortingSpikeTrains;
  numFrames: number;
  sampleRateHz: number;
  /** configuration.isi_threshold_msec, default 2.5. */
  isiThresholdMsec?: number;
  /** Default 0 (2021 never set it). */
  minIsiMsec?: number;
  /** configuration.unit_ids; default every unit of the sorting. */
  unitIds?: readonly number[];
}

/** `get_isi_violation_rates.1` result: `{String(unitId): fpRate | null}` (null: unit has no spikes). */
export function isiViolationRates(args: IsiViolationRatesArgs): Record<string, number | null> {
  const { spikeTrains, numFrames, sampleRateHz, isiThresholdMsec = 2.5, minIsiMsec = 0 } = args;
  const isiThresholdFrames = isiThresholdMsec / 1000 * sampleRateHz;
  const minIsiFrames = minIsiMsec / 1000 * sampleRateHz;
  const out: Record<string, number | null> = {};
  for (const u of args.unitIds ?? [...spikeTrains.keys()]) {
    const t = spikeTrains.get(u);
    if (!t) throw new SpikeTrainInputError(`isiViolationRates: unit ${u} is not in the sorting`);
    const { fpRate } = isiViolations(t, { durationFrames: numFrames, isiThresholdFrames, minIsiFrames });
    out[String(u)] = Number.isNaN(fpRate) ? null : fpRate;
  }
  return out;
}

/** Largest number of bins `isiHistogram` makes (the task's bound: a 0.1 ms bin over 1 s). */
export const MAX_ISI_HISTOGRAM_BINS = 10_000;

export interface IsiHistogramParams {
  sampleRateHz: number;
  /** Bin width, e.g. 0.5 or 1 ms. */
  binSizeMsec: number;
  /** The histogram covers [0, maxIsiMsec); a whole number of bins. */
  maxIsiMsec: number;
}

export interface IsiHistogram {
  /** ISIs in [k·b, (k+1)·b) for k = 0 … n−1, b the bin in frames. */
  binCounts: Int32Array;
  /** Every ISI of the train (spikes − 1, or 0). */
  numIsis: number;
  /** ISIs ≥ maxIsiMsec (not in any bin). */
  numAbove: number;
}

/** Number of bins of b over [0, max): max must be a whole number of bins (to 1e-9 relative). */
export function isiHistogramNumBins(binSizeMsec: number, maxIsiMsec: number): number {
  if (!(binSizeMsec > 0) || !(maxIsiMsec > 0) || !Number.isFinite(maxIsiMsec)) {
    throw new SpikeTrainInputError(`isiHistogram: bin size and maximum ISI must be positive, got ${binSizeMsec} ms and ${maxIsiMsec} ms`);
  }
  const n = Math.round(maxIsiMsec / binSizeMsec);
  if (n < 1 || Math.abs(n * binSizeMsec - maxIsiMsec) > 1e-9 * maxIsiMsec) {
    throw new SpikeTrainInputError(`isiHistogram: the maximum ISI (${maxIsiMsec} ms) must be a whole number of ${binSizeMsec} ms bins`);
  }
  if (n > MAX_ISI_HISTOGRAM_BINS) throw new SpikeTrainInputError(`isiHistogram: ${n} bins is more than ${MAX_ISI_HISTOGRAM_BINS}; use wider bins or a smaller maximum ISI`);
  return n;
}

/**
 * Histogram of a train's inter-spike intervals (consecutive differences of the sorted train, in
 * frames). Bin k holds the ISIs d with e_k ≤ d < e_{k+1}, e_k = k · (binSizeMsec / 1000 · sampleRateHz)
 * evaluated in float64 exactly so (the edges a numpy `np.arange(n + 1) * b` gives), so ISIs that lie
 * on an edge go to the bin above it. Duplicate spike times (ISI 0) land in bin 0. Unsorted trains are
 * sorted first; a merge group's train is the union of its units' (selectionTrain).
 */
export function isiHistogram(spikeFrames: Float64Array, p: IsiHistogramParams): IsiHistogram {
  if (!(p.sampleRateHz > 0)) throw new SpikeTrainInputError(`isiHistogram: the sample rate must be positive, got ${p.sampleRateHz}`);
  const n = isiHistogramNumBins(p.binSizeMsec, p.maxIsiMsec);
  const binFrames = p.binSizeMsec / 1000 * p.sampleRateHz;
  const top = n * binFrames;
  const train = sortedTrain(spikeFrames);
  const binCounts = new Int32Array(n);
  let numAbove = 0;
  for (let i = 1; i < train.length; i++) {
    const d = train[i] - train[i - 1];
    if (d >= top) { numAbove++; continue; }
    let k = Math.floor(d / binFrames);
    // The division may round across an edge: settle k so that k·b ≤ d < (k+1)·b.
    if (k > 0 && k * binFrames > d) k--;
    else if (k + 1 < n && (k + 1) * binFrames <= d) k++;
    binCounts[Math.min(n - 1, Math.max(0, k))]++;
  }
  return { binCounts, numIsis: Math.max(0, train.length - 1), numAbove };
}
