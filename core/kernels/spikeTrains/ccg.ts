/**
 * Auto- and cross-correlograms with counts identical to phylib's `correlograms()`
 * (cortex-lab/phylib `phylib/stats/ccg.py`; algorithms.md section 1), as sortingview 2021 used it.
 *
 * phylib walks a single time-sorted spike array with a numpy "shift loop": for shift = 1, 2, ... it
 * compares spike i with spike i+shift and stops a spike once its neighbour is out of the window
 * (the sticky mask; exact because lags only grow with shift). That counts every forward pair
 * (i < j in array order) with lag d = s[j] - s[i] and floor(d / b) <= half into C[clu[i], clu[j],
 * floor(d / b)]. We count the same pairs with a direct O(pairs-in-window) loop: for each spike,
 * walk forward until the lag leaves the window. Same pairs, same bins, so identical counts.
 *
 * Quirks pinned here (each one is a test in ccg.test.ts):
 * - Bins: lag bin k >= 0 holds d in [k*b, (k+1)*b) samples, k = 0..half; half = int(0.5*window/bin),
 *   so 1 ms / 50 ms gives 51 bins and the outer bins reach +-26 ms. b = int(sampleRate * binSize),
 *   both truncations as in phylib (bin and window sizes are first clipped to [1e-5, 1e5] s).
 * - Seconds round trip: phylib takes seconds and truncates t * sampleRate; sortingview passed
 *   frames / sampleRate. (f / sr) * sr lands just below f for ~3% of integer frames (59 at 30 kHz),
 *   so those spikes move one sample earlier. `secondsRoundTrip` (default true) reproduces that.
 * - Forward pairs only: spikes at identical samples count once, in array order, in bin 0 of
 *   C[first, second]. The zero bin is then symmetrized, C[i,j,0] = max(C[i,j,0], C[j,i,0]), and the
 *   negative half is C[j,i,1..half] reversed. So ties across units (test_ccg_0) depend on the
 *   array order; for per-unit trains we pin the order `np.argsort(kind='stable')` gives:
 *   equal frames keep the lower unit index first.
 * - Autocorrelograms include near-coincident spikes (and exact duplicates) in bin 0; current phylib
 *   zeroes C[i,i,0] ("Remove ACG peaks") but sortingview's port disabled that ("this is wrong"), so
 *   `removeAcgPeaks` defaults to false.
 */
import { SpikeTrainInputError, assertSorted, mergeTrains } from './trains';

export interface CorrelogramParams {
  sampleRateHz: number;
  /** Default 0.001 (1 ms). */
  binSizeSec?: number;
  /** Full window, default 0.05 (50 ms, so lags -25..25 ms plus phylib's half-open outer bins). */
  windowSizeSec?: number;
  /** Reproduce phylib's frames -> seconds -> truncated samples conversion (default true). */
  secondsRoundTrip?: boolean;
  /** Zero each autocorrelogram's centre bin like current phylib (default false, as sortingview 2021). */
  removeAcgPeaks?: boolean;
}

export interface PhylibBinning {
  binSizeSamples: number;
  halfBins: number;
  /** 2 * halfBins + 1, always odd. */
  nBins: number;
}

/** The cap on units for a K x K matrix in one call (the cross-correlogram view shows <= 20). */
export const MAX_CCG_MATRIX_UNITS = 20;

const clip = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

export function phylibBinning(p: CorrelogramParams): PhylibBinning {
  const { sampleRateHz, binSizeSec = 0.001, windowSizeSec = 0.05 } = p;
  if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) throw new SpikeTrainInputError(`sampleRateHz must be a positive number, got ${sampleRateHz}`);
  if (!(binSizeSec > 0) || !(windowSizeSec > 0)) throw new SpikeTrainInputError(`binSizeSec and windowSizeSec must be positive, got ${binSizeSec} and ${windowSizeSec}`);
  const bin = clip(binSizeSec, 1e-5, 1e5);
  const binSizeSamples = Math.trunc(sampleRateHz * bin);
  if (binSizeSamples < 1) throw new SpikeTrainInputError(`binSizeSec ${binSizeSec} is shorter than one sample at ${sampleRateHz} Hz`);
  const win = clip(windowSizeSec, 1e-5, 1e5);
  // Same expression order as phylib (`.5 * window_size / bin_size`) so the truncation agrees.
  const halfBins = Math.trunc((0.5 * win) / bin);
  return { binSizeSamples, halfBins, nBins: 2 * halfBins + 1 };
}

/** Frames to phylib's int64 samples (kept in a Float64Array; exact for integers below 2^53). */
export function phylibSamples(frames: Float64Array, sampleRateHz: number, secondsRoundTrip = true): Float64Array {
  const out = new Float64Array(frames.length);
  if (secondsRoundTrip) for (let i = 0; i < frames.length; i++) out[i] = Math.trunc((frames[i] / sampleRateHz) * sampleRateHz);
  else for (let i = 0; i < frames.length; i++) out[i] = Math.trunc(frames[i]);
  return out;
}

/**
 * phylib with `symmetrize=False`: forward-pair counts [K][K][halfBins+1] (row-major) over one
 * time-sorted labelled spike array, in the given order (the order decides ties, as in phylib).
 */
export function forwardPairCounts(samples: Float64Array, labels: Int32Array, numUnits: number, binning: PhylibBinning): Int32Array {
  const { binSizeSamples: b, halfBins } = binning;
  const nHalf = halfBins + 1;
  const out = new Int32Array(numUnits * numUnits * nHalf);
  // For integer lags d >= 0: floor(d / b) <= half  <=>  d < (half + 1) * b.
  const limit = nHalf * b;
  const n = samples.length;
  for (let i = 0; i < n; i++) {
    const si = samples[i];
    const row = labels[i] * numUnits;
    for (let j = i + 1; j < n; j++) {
      const d = samples[j] - si;
      if (d >= limit) break;
      out[(row + labels[j]) * nHalf + Math.floor(d / b)]++;
    }
  }
  return out;
}

/** One unit's forward counts [halfBins+1] (pairs within the train only). */
/**
 * Forward lags within one train. Frames are converted to phylib's samples on the fly (the same
 * arithmetic as phylibSamples): each spike is converted about once per neighbour in the window,
 * which at real firing rates is cheaper than writing and re-reading a converted copy.
 */
function autoForwardCounts(frames: Float64Array, sampleRateHz: number, roundTrip: boolean, binOfLag: Int32Array, out: Int32Array): void {
  const limit = binOfLag.length;
  const n = frames.length;
  const sr = roundTrip ? sampleRateHz : 1;
  for (let i = 0; i < n; i++) {
    const si = Math.trunc((frames[i] / sr) * sr);
    for (let j = i + 1; j < n; j++) {
      const d = Math.trunc((frames[j] / sr) * sr) - si;
      if (d >= limit) break;
      out[binOfLag[d]]++;
    }
  }
}

/** floor(d / b) for every in-window integer lag d: a table lookup is cheaper than a division per pair. */
function lagBinTable(binning: PhylibBinning): Int32Array {
  const { binSizeSamples: b, halfBins } = binning;
  const table = new Int32Array((halfBins + 1) * b);
  for (let d = 0; d < table.length; d++) table[d] = Math.floor(d / b);
  return table;
}

/** phylib's `_symmetrize_correlograms`: [K][K][h+1] forward counts to [K][K][2h+1]. */
export function symmetrizeCorrelograms(forward: Int32Array, numUnits: number, halfBins: number): Int32Array {
  const nHalf = halfBins + 1;
  const nBins = 2 * halfBins + 1;
  const out = new Int32Array(numUnits * numUnits * nBins);
  for (let i = 0; i < numUnits; i++) {
    for (let j = 0; j < numUnits; j++) {
      const fij = (i * numUnits + j) * nHalf;
      const fji = (j * numUnits + i) * nHalf;
      const o = (i * numUnits + j) * nBins + halfBins;
      out[o] = Math.max(forward[fij], forward[fji]);
      for (let k = 1; k <= halfBins; k++) {
        out[o + k] = forward[fij + k];
        out[o - k] = forward[fji + k];
      }
    }
  }
  return out;
}

export interface LabeledCorrelogramArgs extends CorrelogramParams {
  /** All spikes, sorted by time; the array order breaks ties like phylib's input order. */
  spikeFrames: Float64Array;
  /** Unit index 0..numUnits-1 of each spike. */
  spikeLabels: Int32Array;
  numUnits: number;
  /** false: phylib `symmetrize=False`, counts [K][K][halfBins+1]. Default true: [K][K][nBins]. */
  symmetrize?: boolean;
}

/** phylib `correlograms()` over a labelled spike array, exactly (input order decides ties). */
export function labeledCorrelograms(args: LabeledCorrelogramArgs): { binCounts: Int32Array } & PhylibBinning {
  const { spikeFrames, spikeLabels, numUnits, symmetrize = true } = args;
  const binning = phylibBinning(args);
  if (spikeLabels.length !== spikeFrames.length) throw new SpikeTrainInputError(`spikeLabels has ${spikeLabels.length} entries for ${spikeFrames.length} spikes`);
  for (let i = 0; i < spikeLabels.length; i++) {
    const l = spikeLabels[i];
    if (!(l >= 0 && l < numUnits)) throw new SpikeTrainInputError(`spikeLabels[${i}] = ${l} is outside 0..${numUnits - 1}`);
  }
  assertSorted(spikeFrames, 'labeledCorrelograms');
  const samples = phylibSamples(spikeFrames, args.sampleRateHz, args.secondsRoundTrip ?? true);
  const forward = forwardPairCounts(samples, spikeLabels, numUnits, binning);
  if (args.removeAcgPeaks) for (let i = 0; i < numUnits; i++) forward[(i * numUnits + i) * (binning.halfBins + 1)] = 0;
  return { ...binning, binCounts: symmetrize ? symmetrizeCorrelograms(forward, numUnits, binning.halfBins) : forward };
}

export interface CorrelogramCountsArgs extends CorrelogramParams {
  /** One sorted train (frames) per unit; the output follows this order. */
  spikeTrains: readonly Float64Array[];
  /** 'all' (default): K x K matrix, like phylib. 'auto-only': each unit's autocorrelogram. */
  pairs?: 'auto-only' | 'all';
  /** Refuse 'all' above this many units (default MAX_CCG_MATRIX_UNITS). */
  maxMatrixUnits?: number;
}

export interface CorrelogramCounts extends PhylibBinning {
  /** 'all': [K][K][nBins], C[i][j] has unit j's spikes after unit i's on the positive side. 'auto-only': [K][nBins]. */
  binCounts: Int32Array;
  numUnits: number;
  pairs: 'auto-only' | 'all';
}

/**
 * Correlograms of per-unit trains, identical to phylib on the stably merged spikes
 * (`np.argsort(concatenate(trains), kind='stable')`). 'auto-only' scans each train on its own, so
 * it costs O(pairs within each unit's window): all ACGs of a 1 h, 300-unit sorting take tens of ms.
 */
export function correlogramCounts(args: CorrelogramCountsArgs): CorrelogramCounts {
  const { spikeTrains, pairs = 'all', maxMatrixUnits = MAX_CCG_MATRIX_UNITS } = args;
  const binning = phylibBinning(args);
  const numUnits = spikeTrains.length;
  const roundTrip = args.secondsRoundTrip ?? true;
  spikeTrains.forEach((t, u) => assertSorted(t, `correlogramCounts: unit index ${u}`));
  if (pairs === 'auto-only') {
    const { halfBins, nBins } = binning;
    const binCounts = new Int32Array(numUnits * nBins);
    const forward = new Int32Array(halfBins + 1);
    const binOfLag = lagBinTable(binning);
    for (let u = 0; u < numUnits; u++) {
      forward.fill(0);
      autoForwardCounts(spikeTrains[u], args.sampleRateHz, roundTrip, binOfLag, forward);
      if (args.removeAcgPeaks) forward[0] = 0;
      const o = u * nBins + halfBins;
      binCounts[o] = forward[0];
      for (let k = 1; k <= halfBins; k++) binCounts[o + k] = binCounts[o - k] = forward[k];
    }
    return { ...binning, binCounts, numUnits, pairs };
  }
  if (numUnits > maxMatrixUnits) {
    throw new SpikeTrainInputError(`a ${numUnits} x ${numUnits} correlogram matrix exceeds the ${maxMatrixUnits}-unit limit; select fewer units or use pairs: 'auto-only'`);
  }
  const merged = mergeTrains(spikeTrains);
  const { binCounts } = labeledCorrelograms({ ...args, spikeFrames: merged.frames, spikeLabels: merged.labels, numUnits });
  return { ...binning, binCounts, numUnits, pairs };
}

/**
 * Nominal bin centres in ms as 2021 reported them: `np.linspace(-W/2, W/2, nBins)` with W in ms.
 * (phylib's bins are not a partition with shared edges: the centre bin covers lags (-b, b).)
 */
export function correlogramBinCentresMs(nBins: number, windowSizeMs = 50): Float64Array {
  const start = -windowSizeMs / 2;
  const stop = windowSizeMs / 2;
  const out = new Float64Array(nBins);
  if (nBins === 1) { out[0] = start; return out; }
  const step = (stop - start) / (nBins - 1);
  for (let i = 0; i < nBins; i++) out[i] = i * step + start;
  out[nBins - 1] = stop; // numpy sets the endpoint exactly
  return out;
}
