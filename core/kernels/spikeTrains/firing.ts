/**
 * The 2021 task `get_firing_data.1` → `{uid: {count, rate}}` (units table "Num. events" and
 * "Firing rate (Hz)"): count = number of spikes, rate = count / (num_frames / sampling_frequency).
 *
 * Quirk pinned: `rate` is a string with exactly 2 decimals, made by
 * `f"{Decimal(t / elapsed).quantize(Decimal('.01'))}"`. Decimal(float) is the exact binary value
 * and quantize rounds half-to-even, so it matches JS `toFixed(2)` (also exact, but half-up) except
 * on exact ties. A double is exactly halfway between two hundredths only when it is an odd
 * multiple of 1/8 (x = (2n+1)/200 must be dyadic), e.g. 0.125 → "0.12" (toFixed gives "0.13").
 * Zero duration throws (2021: ZeroDivisionError).
 */
import { SpikeTrainInputError } from './trains';
import type { SortingSpikeTrains } from './trains';

export interface FiringData {
  count: number;
  /** Hz, 2 decimals, as a string (2021 wire format). */
  rate: string;
}

/** Python `str(Decimal(x).quantize(Decimal('.01')))` for finite x >= 0 below 1e21. */
export function formatRate2021(x: number): string {
  if (!Number.isFinite(x) || x < 0 || x >= 1e21) throw new SpikeTrainInputError(`formatRate2021: expected a finite rate in [0, 1e21), got ${x}`);
  const eighths = x * 8; // exact: scaling by a power of two
  if (Number.isInteger(eighths) && eighths % 2 === 1) {
    // An exact tie between two hundredths: round half to even. Work on the fraction (j/8, so
    // frac * 100 = 12.5 j is exact); x * 100 itself may round for large x.
    const whole = Math.floor(x);
    const lower = Math.floor((x - whole) * 100);
    const n = lower % 2 === 0 ? lower : lower + 1; // at most 88: no carry into the integer part
    return `${whole}.${String(n).padStart(2, '0')}`;
  }
  return x.toFixed(2);
}

export interface FiringDataArgs {
  spikeTrains: SortingSpikeTrains;
  numFrames: number;
  sampleRateHz: number;
}

export function firingData(args: FiringDataArgs): Record<string, FiringData> {
  const { spikeTrains, numFrames, sampleRateHz } = args;
  const elapsedSec = numFrames / sampleRateHz;
  if (!(elapsedSec > 0) || !Number.isFinite(elapsedSec)) {
    throw new SpikeTrainInputError(`firingData: recording duration must be positive, got ${numFrames} frames at ${sampleRateHz} Hz`);
  }
  const out: Record<string, FiringData> = {};
  for (const [u, t] of spikeTrains) out[String(u)] = { count: t.length, rate: formatRate2021(t.length / elapsedSec) };
  return out;
}

/** Largest number of time bins `firingRateOverTime` makes. */
export const MAX_FIRING_RATE_BINS = 100_000;

export interface FiringRateOverTimeParams {
  sampleRateHz: number;
  /** The recording's duration: bins cover [0, durationSec). */
  durationSec: number;
  binSizeSec: number;
}

export interface FiringRateOverTime {
  /** n + 1 bin edges in seconds: k · binSizeSec for k < n, then the recording's end. */
  edgesSec: Float64Array;
  counts: Int32Array;
  /** counts / bin duration (spikes/s). */
  ratesHz: Float64Array;
  /** Spikes before 0 or at/after the end (none for a sorting of this recording). */
  numOutside: number;
}

/**
 * Spikes per second in consecutive time bins over the whole recording. In frames, with
 * b = binSizeSec · sampleRateHz and E = durationSec · sampleRateHz: n = max(1, ⌊E / b⌋) bins, bin k =
 * [k·b, (k+1)·b) for k < n − 1 and the last bin [(n−1)·b, E), so the remainder of the recording widens
 * the last bin (between b and 2b long) instead of making a sliver whose rate is noise. Edges are
 * k·b evaluated in float64 exactly so; a spike on an edge belongs to the bin above it.
 */
export function firingRateOverTime(spikeFrames: Float64Array, p: FiringRateOverTimeParams): FiringRateOverTime {
  const { sampleRateHz, durationSec, binSizeSec } = p;
  if (!(sampleRateHz > 0) || !(durationSec > 0) || !(binSizeSec > 0) || !Number.isFinite(durationSec)) {
    throw new SpikeTrainInputError(`firingRateOverTime: sample rate, duration and bin size must be positive, got ${sampleRateHz} Hz, ${durationSec} s, ${binSizeSec} s`);
  }
  const end = durationSec * sampleRateHz;
  const binFrames = binSizeSec * sampleRateHz;
  if (end / binFrames > MAX_FIRING_RATE_BINS) {
    throw new SpikeTrainInputError(`firingRateOverTime: ${durationSec} s in ${binSizeSec} s bins is more than ${MAX_FIRING_RATE_BINS} bins; use wider bins`);
  }
  let n = Math.floor(end / binFrames);
  while (n > 0 && n * binFrames > end) n--;
  while ((n + 1) * binFrames <= end) n++;
  n = Math.max(1, n);
  const edges = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) edges[k] = k * binFrames;
  edges[n] = end;
  const counts = new Int32Array(n);
  let numOutside = 0;
  for (let i = 0; i < spikeFrames.length; i++) {
    const f = spikeFrames[i];
    if (!(f >= 0 && f < end)) { numOutside++; continue; }
    let k = Math.min(n - 1, Math.floor(f / binFrames));
    if (k > 0 && edges[k] > f) k--;
    else if (k + 1 < n && edges[k + 1] <= f) k++;
    counts[k]++;
  }
  const edgesSec = new Float64Array(n + 1);
  const ratesHz = new Float64Array(n);
  for (let k = 0; k <= n; k++) edgesSec[k] = edges[k] / sampleRateHz;
  for (let k = 0; k < n; k++) ratesHz[k] = counts[k] / ((edges[k + 1] - edges[k]) / sampleRateHz);
  return { edgesSec, counts, ratesHz, numOutside };
}
