/**
 * Auto- and cross-correlograms with counts identical to phylib's `correlograms()`
 * (cortex-lab/phylib `phylib/stats/ccg.py`; algorithms.md section 1), as sortingview 2021 used it.
 *
 * phylib walks a single time-sorted spike array with a numpy "shift loop": for shift = 1, 2, ... it
 * compares spike i with spike i+shift and stops a spike once its neighbour is out of the window
 * (the sticky mask; exact because lags only grow with shift). That counts every forward pair
 * (i < j in array order) with lag d = s[j] - s[i] and floor(d / b) <= half into C[clu[i], clu[j],
 * floor(d / b)]. We count the same pairs in O(spikes + pairs-in-window): a branch-free scan finds
 * the spikes with a predecessor within reach, and each walks back until the lag leaves the window
 * (addForwardPairs). Same pairs, same bins, so identical counts. forwardPairCounts is the plain
 * loop the tests compare it with.
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
import { SpikeTrainInputError, assertSorted, isSortedNonDecreasing, mergeTrains } from './trains';

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
 * time-sorted labelled spike array of phylib samples (see phylibSamples), in the given order (the
 * order decides ties, as in phylib). The plain O(pairs) loop: the definition the fast kernel below
 * must match, kept for tests.
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

/** floor(d / b) for every in-window integer lag d: a table lookup is cheaper than a division per pair. */
function lagBinTable(binning: PhylibBinning): Int32Array {
  const { binSizeSamples: b, halfBins } = binning;
  const table = new Int32Array((halfBins + 1) * b);
  for (let d = 0; d < table.length; d++) table[d] = Math.floor(d / b);
  return table;
}

/** Spikes per block of the candidate scan; the candidate list (4 bytes a spike) stays in L1. */
const BLOCK = 4096;
/**
 * The candidate list, shared by every call: the kernel is synchronous, so calls never overlap, and
 * the task path calls it once per unit (a fresh 16 KB buffer each time cost ~10% of the run).
 */
const candidates = new Int32Array(BLOCK);

/** Per-call constants of the pair kernel. */
interface PairKernel {
  /** phylib's frames -> samples factor: trunc((f / sr) * sr); 1 without the seconds round trip. */
  sr: number;
  /** floor(d / b) for lags 0..limit-1 (limit = (halfBins + 1) * b, the first lag out of the window). */
  binOfLag: Int32Array;
  nHalf: number;
}

function pairKernel(binning: PhylibBinning, sampleRateHz: number, secondsRoundTrip: boolean): PairKernel {
  return { sr: secondsRoundTrip ? sampleRateHz : 1, binOfLag: lagBinTable(binning), nHalf: binning.halfBins + 1 };
}

/**
 * Adds phylib's forward pairs of one time-sorted spike array to `out`: every i < j (array order)
 * whose lag d = s[j] - s[i] in phylib samples (s = trunc((f / sr) * sr)) is < limit, at
 * out[(labels[i] * numUnits + labels[j]) * nHalf + floor(d / b)], or out[floor(d / b)] when
 * labels is null (one train). Returns false if the frames are not sorted non-decreasing (NaN
 * included); `out` is then garbage and the caller throws or sorts.
 *
 * Why it is shaped like this: at real firing rates few spikes have a neighbour within the window
 * (~13% for 3-7 Hz units and a 26 ms reach), so the cost is the scan over all spikes, not the
 * pairs. A block of spikes is scanned for candidates (spikes closer than limit + 4 frames to their
 * predecessor); then each candidate walks back over its predecessors while the exact lag is in
 * the window, which counts the same pairs as phylib's shift loop. All exact:
 * - The scan does not convert: |s - f| < 2 for |f| < 2^51 (two roundings of relative error
 *   2^-53, then trunc), so a frame gap >= limit + 4 to the predecessor puts every earlier spike
 *   out of the window. Only candidates and their neighbours are converted (the division is the
 *   costly part, and must stay a division: (f / sr) * sr is the bit-exact quirk).
 * - The scan has no data-dependent branch: having a close predecessor is a coin flip a branch
 *   would mispredict, so every index is stored and the list advances by 0 or 1. It is unrolled by
 *   4 because V8 re-checks the arrays on every loop iteration.
 * - Sortedness costs no pass of its own: a non-candidate is at least limit + 4 after its
 *   predecessor, and `!(gap >= limit + 4)` also makes a negative or NaN gap a candidate, whose
 *   order is checked before it walks.
 * Outside that bound (|f| >= 2^51, non-finite frames, absurd rates) it runs the direct loop.
 */
function addForwardPairs(k: PairKernel, frames: Float64Array, labels: Int32Array | null, numUnits: number, out: Int32Array): boolean {
  const { sr, binOfLag, nHalf } = k;
  const limit = binOfLag.length;
  const n = frames.length;
  if (n < 2) return true;
  // The extremes if sorted (if not, we return false below anyway).
  const maxAbs = Math.max(Math.abs(frames[0]), Math.abs(frames[n - 1]));
  if (!(maxAbs < 2 ** 51 && sr >= 1e-200 && sr <= 1e200)) return addForwardPairsDirect(k, frames, labels, numUnits, out);
  const gap = limit + 4;
  for (let start = 1; start < n; start += BLOCK) {
    const end = Math.min(start + BLOCK, n);
    let count = 0;
    let prev = frames[start - 1];
    let j = start;
    for (; j + 3 < end; j += 4) {
      const f0 = frames[j];
      const f1 = frames[j + 1];
      const f2 = frames[j + 2];
      const f3 = frames[j + 3];
      candidates[count] = j; count += +!(f0 - prev >= gap);
      candidates[count] = j + 1; count += +!(f1 - f0 >= gap);
      candidates[count] = j + 2; count += +!(f2 - f1 >= gap);
      candidates[count] = j + 3; count += +!(f3 - f2 >= gap);
      prev = f3;
    }
    for (; j < end; j++) {
      const f = frames[j];
      candidates[count] = j; count += +!(f - prev >= gap);
      prev = f;
    }
    for (let c = 0; c < count; c++) {
      const jc = candidates[c];
      const fj = frames[jc];
      if (!(fj >= frames[jc - 1])) return false;
      const sj = Math.trunc((fj / sr) * sr);
      const unitJ = labels === null ? 0 : labels[jc];
      for (let i = jc - 1; i >= 0; i--) {
        const d = sj - Math.trunc((frames[i] / sr) * sr);
        if (!(d < limit)) break;
        out[(labels === null ? 0 : (labels[i] * numUnits + unitJ) * nHalf) + binOfLag[d]]++;
      }
    }
  }
  return true;
}

/** The direct O(pairs) loop with the conversion on the fly, for inputs outside the fast path's bound. */
function addForwardPairsDirect(k: PairKernel, frames: Float64Array, labels: Int32Array | null, numUnits: number, out: Int32Array): boolean {
  if (!isSortedNonDecreasing(frames)) return false;
  const { sr, binOfLag, nHalf } = k;
  const limit = binOfLag.length;
  const n = frames.length;
  for (let i = 0; i < n; i++) {
    const si = Math.trunc((frames[i] / sr) * sr);
    for (let j = i + 1; j < n; j++) {
      const d = Math.trunc((frames[j] / sr) * sr) - si;
      if (d >= limit) break;
      if (!(d >= 0)) continue; // NaN (infinite frames): no bin, as the plain loop counts nothing
      out[(labels === null ? 0 : (labels[i] * numUnits + labels[j]) * nHalf) + binOfLag[d]]++;
    }
  }
  return true;
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
  const forward = new Int32Array(numUnits * numUnits * (binning.halfBins + 1));
  const kernel = pairKernel(binning, args.sampleRateHz, args.secondsRoundTrip ?? true);
  if (!addForwardPairs(kernel, spikeFrames, spikeLabels, numUnits, forward)) assertSorted(spikeFrames, 'labeledCorrelograms'); // throws
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
 * (`np.argsort(concatenate(trains), kind='stable')`). 'auto-only' scans each train on its own:
 * all ACGs of a 1 h, 300-unit, 5.4 M-spike sorting take ~20 ms (bench/ccg.ts).
 */
export function correlogramCounts(args: CorrelogramCountsArgs): CorrelogramCounts {
  const { spikeTrains, pairs = 'all', maxMatrixUnits = MAX_CCG_MATRIX_UNITS } = args;
  const binning = phylibBinning(args);
  const numUnits = spikeTrains.length;
  if (pairs === 'auto-only') {
    const { nBins } = binning;
    const binCounts = new Int32Array(numUnits * nBins);
    const acg = autocorrelogramKernel(binning, args);
    for (let u = 0; u < numUnits; u++) {
      if (!acg(spikeTrains[u], binCounts.subarray(u * nBins, (u + 1) * nBins))) assertSorted(spikeTrains[u], `correlogramCounts: unit index ${u}`); // throws
    }
    return { ...binning, binCounts, numUnits, pairs };
  }
  spikeTrains.forEach((t, u) => assertSorted(t, `correlogramCounts: unit index ${u}`));
  if (numUnits > maxMatrixUnits) {
    throw new SpikeTrainInputError(`a ${numUnits} x ${numUnits} correlogram matrix exceeds the ${maxMatrixUnits}-unit limit; select fewer units or use pairs: 'auto-only'`);
  }
  const merged = mergeTrains(spikeTrains);
  const { binCounts } = labeledCorrelograms({ ...args, spikeFrames: merged.frames, spikeLabels: merged.labels, numUnits });
  return { ...binning, binCounts, numUnits, pairs };
}

/**
 * One train's autocorrelogram [nBins]: the same counts as labeledCorrelograms with every label 0
 * (and as correlogramCounts 'auto-only'), without a labels array. fetch_correlogram_plot_data.6
 * calls this once per unit (via correlogramPlotData), which is what the ccg benchmark measures.
 */
export function autocorrelogramCounts(spikeFrames: Float64Array, params: CorrelogramParams): { binCounts: Int32Array } & PhylibBinning {
  const r = autocorrelogramCountsIfSorted(spikeFrames, params);
  if (!r) assertSorted(spikeFrames, 'autocorrelogramCounts'); // throws
  return r!;
}

/**
 * autocorrelogramCounts, or null if the train is not sorted non-decreasing. The kernel's scan
 * checks the order anyway, so a caller that would otherwise scan the train just to decide whether
 * to sort it can ask this first and sort only on null.
 */
export function autocorrelogramCountsIfSorted(spikeFrames: Float64Array, params: CorrelogramParams): ({ binCounts: Int32Array } & PhylibBinning) | null {
  const binning = phylibBinning(params);
  const binCounts = new Int32Array(binning.nBins);
  return autocorrelogramKernel(binning, params)(spikeFrames, binCounts) ? { ...binning, binCounts } : null;
}

/**
 * Writes a train's symmetrized ACG into `into` [nBins], or returns false if the train is not sorted.
 * Buffers are allocated once per kernel, not per train.
 */
function autocorrelogramKernel(binning: PhylibBinning, params: CorrelogramParams) {
  const { halfBins } = binning;
  const kernel = pairKernel(binning, params.sampleRateHz, params.secondsRoundTrip ?? true);
  const forward = new Int32Array(halfBins + 1);
  return (train: Float64Array, into: Int32Array): boolean => {
    forward.fill(0);
    if (!addForwardPairs(kernel, train, null, 1, forward)) return false;
    if (params.removeAcgPeaks) forward[0] = 0;
    // phylib's symmetrization for C[i, i]: centre max(c0, c0) = c0, negative side the mirror.
    into[halfBins] = forward[0];
    for (let k = 1; k <= halfBins; k++) into[halfBins + k] = into[halfBins - k] = forward[k];
    return true;
  };
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
