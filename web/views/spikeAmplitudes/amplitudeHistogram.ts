/**
 * The amplitude distribution beside the amplitudes-over-time scatter (phy's AmplitudeView): the
 * spikes in the visible time window, binned on the scatter's amplitude axis. Pure, no DOM.
 */

export interface AmplitudeHistogramArgs {
  amplitudes: ArrayLike<number>;
  /** Each spike's time (seconds), same length; with `timeRange`, only spikes with t0 ≤ t ≤ t1 count. */
  timesSec?: ArrayLike<number>;
  timeRange?: readonly [number, number];
  /** The amplitude axis [lo, hi] split into `numBins` equal bins. */
  ampRange: readonly [number, number];
  numBins: number;
}

export interface AmplitudeHistogram {
  /** Bin k: lo + k·w ≤ a < lo + (k+1)·w, the last bin closed at hi (w = (hi − lo) / numBins). */
  counts: Int32Array;
  /** Spikes in the time window whose amplitude is outside [lo, hi] or NaN. */
  numOutside: number;
}

export function amplitudeHistogram({ amplitudes, timesSec, timeRange, ampRange, numBins }: AmplitudeHistogramArgs): AmplitudeHistogram {
  const [lo, hi] = ampRange;
  if (!(hi > lo) || !Number.isInteger(numBins) || numBins < 1) throw new RangeError(`amplitudeHistogram: need hi > lo and a positive number of bins, got [${lo}, ${hi}] and ${numBins}`);
  if (timeRange && (!timesSec || timesSec.length !== amplitudes.length)) throw new RangeError('amplitudeHistogram: a time range needs one time per amplitude');
  const counts = new Int32Array(numBins);
  const w = (hi - lo) / numBins;
  let numOutside = 0;
  for (let i = 0; i < amplitudes.length; i++) {
    if (timeRange) {
      const t = timesSec![i];
      if (!(t >= timeRange[0] && t <= timeRange[1])) continue;
    }
    const a = amplitudes[i];
    if (!(a >= lo && a <= hi)) { numOutside++; continue; }
    let k = Math.floor((a - lo) / w);
    // Settle rounding at an edge: lo + k·w ≤ a < lo + (k+1)·w.
    if (k > 0 && lo + k * w > a) k--;
    else if (k + 1 < numBins && lo + (k + 1) * w <= a) k++;
    counts[Math.min(numBins - 1, k)]++;
  }
  return { counts, numOutside };
}

/** Bins for a plot `plotHeightPx` tall: about 5 px each, 10 to 100. */
export const amplitudeHistogramBins = (plotHeightPx: number): number => Math.max(10, Math.min(100, Math.floor(plotHeightPx / 5)));
