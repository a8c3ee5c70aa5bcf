/**
 * Raster plot data: the spikes of a set of units inside a frame range, as seconds plus the unit's
 * position in the request, capped at `maxSpikes` by a deterministic thinning.
 *
 * Thinning: with stride k, a unit keeps the spikes whose index *in the unit's whole train* is a
 * multiple of k (index % k === 0). k is the smallest stride for which the bound
 * sum over units of ceil(nInRange / k) fits the cap (that bound is monotone in k, the exact kept
 * count is not, so we search on the bound; the kept count never exceeds it). Because the rule looks
 * at absolute spike indices, not positions in the window, panning or widening the range keeps the
 * same spikes visible for the same k (no flicker), and every unit is thinned by the same factor,
 * so relative rates stay readable. Degenerate case: when more units have spikes in range than
 * maxSpikes, each keeps at most one spike and the output stops after maxSpikes spikes.
 *
 * Output order: grouped by unit (in request order), time-sorted within each unit.
 */
import { SpikeTrainInputError, assertSorted, lowerBound } from './trains';

export interface RasterArgs {
  /** One sorted train (frames) per requested unit. */
  spikeTrains: readonly Float64Array[];
  sampleRateHz: number;
  /** Half-open frame range [startFrame, endFrame). */
  startFrame: number;
  endFrame: number;
  /** Default 100 000. */
  maxSpikes?: number;
}

export interface RasterData {
  timesSec: Float64Array;
  /** Index into `spikeTrains` of each spike. */
  unitIndices: Int32Array;
  /** Spikes in range before thinning. */
  totalSpikes: number;
  /** 1 when nothing was dropped. */
  strideSpikes: number;
}

/** Count of j in [lo, hi) with j % k === 0. */
const multiplesIn = (lo: number, hi: number, k: number) => (hi <= lo ? 0 : Math.floor((hi - 1) / k) - Math.ceil(lo / k) + 1);

export function rasterData(args: RasterArgs): RasterData {
  const { spikeTrains, sampleRateHz, startFrame, endFrame, maxSpikes = 100_000 } = args;
  if (!(sampleRateHz > 0)) throw new SpikeTrainInputError(`rasterData: sampleRateHz must be positive, got ${sampleRateHz}`);
  if (!(maxSpikes >= 1) || !Number.isInteger(maxSpikes)) throw new SpikeTrainInputError(`rasterData: maxSpikes must be a positive integer, got ${maxSpikes}`);
  const ranges = spikeTrains.map((t, u) => {
    assertSorted(t, `rasterData: unit index ${u}`);
    const lo = lowerBound(t, startFrame);
    return [lo, Math.max(lo, lowerBound(t, endFrame, lo))] as const;
  });
  const totalSpikes = ranges.reduce((s, [lo, hi]) => s + hi - lo, 0);
  const bound = (k: number) => ranges.reduce((s, [lo, hi]) => s + Math.ceil((hi - lo) / k), 0);
  const largest = ranges.reduce((m, [lo, hi]) => Math.max(m, hi - lo), 1);
  let lo = 1;
  let hi = largest; // bound(largest) = number of units with spikes in range
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (bound(mid) <= maxSpikes) hi = mid;
    else lo = mid + 1;
  }
  const stride = lo;
  const n = Math.min(maxSpikes, ranges.reduce((s, [a, b]) => s + multiplesIn(a, b, stride), 0));
  const timesSec = new Float64Array(n);
  const unitIndices = new Int32Array(n);
  let w = 0;
  ranges.forEach(([lo, hi], u) => {
    const t = spikeTrains[u];
    for (let j = Math.ceil(lo / stride) * stride; j < hi && w < n; j += stride) {
      timesSec[w] = t[j] / sampleRateHz;
      unitIndices[w++] = u;
    }
  });
  return { timesSec, unitIndices, totalSpikes, strideSpikes: stride };
}
