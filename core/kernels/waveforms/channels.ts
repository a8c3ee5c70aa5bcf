import { medianInPlace } from './stats';

/** 2021 `max_neighborhood_size`: a unit is shown and analysed on at most this many channels. */
export const MAX_NEIGHBORHOOD_SIZE = 15;
/** recording_info's noise level is estimated on the first second of the recording. */
export const NOISE_BLOCK_SEC = 1;
/** MAD of a standard normal: MAD / 0.6745 estimates σ without being pulled up by spikes. */
export const MAD_TO_SIGMA = 0.6745;

/** Channel positions in recording order, one `[x, y]` (µm) per channel, as recording_info's `geom`. */
export type Geometry = readonly (readonly number[])[];

/** Peak-to-peak (max − min over time) of each channel of a `[T][C]` waveform. */
export function peakToPeak(wave: ArrayLike<number>, numSamples: number, numChannels: number): Float64Array {
  const ptp = new Float64Array(numChannels);
  for (let c = 0; c < numChannels; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < numSamples; t++) {
      const v = wave[t * numChannels + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ptp[c] = numSamples > 0 ? hi - lo : 0;
  }
  return ptp;
}

/**
 * The peak channel of a `[T][C]` mean waveform: argmax of peak-to-peak, the first channel on ties
 * (numpy's argmax). −1 when there are no channels.
 */
export function peakChannelIndex(wave: ArrayLike<number>, numSamples: number, numChannels: number): number {
  const ptp = peakToPeak(wave, numSamples, numChannels);
  let best = -1;
  for (let c = 0; c < numChannels; c++) if (best < 0 || ptp[c] > ptp[best]) best = c;
  return best;
}

/**
 * The unit's channel neighbourhood: up to `maxSize` channels nearest the peak channel by Euclidean
 * distance on the probe, ties broken by channel index (position in the recording). The peak channel
 * always comes first, even if another channel shares its position. Returns indices into `geom`.
 *
 * `candidates` (indices into `geom`, default all channels) restricts the choice to channels that
 * were gathered; the peak must be one of them.
 *
 * Departure from 2021: when the probe had ≤ 15 channels, 2021 returned them in recording order; we
 * always return distance order so that row 0 of every unit-level result is the peak channel.
 */
export function channelNeighborhood(
  geom: Geometry, peakIndex: number, maxSize = MAX_NEIGHBORHOOD_SIZE, candidates?: ArrayLike<number>,
): Int32Array {
  const cand = candidates ? Array.from(candidates) : geom.map((_, i) => i);
  if (!cand.includes(peakIndex)) throw new RangeError(`channelNeighborhood: peak channel ${peakIndex} is not a candidate`);
  const p = geom[peakIndex];
  // Squared distances: exact for integer µm grids, so ties really are ties and fall to the index.
  const d2 = (i: number) => {
    const q = geom[i];
    let s = 0;
    for (let k = 0; k < Math.min(p.length, q.length); k++) s += (q[k] - p[k]) ** 2;
    return s;
  };
  const keyed = cand.map((i) => ({ i, d: d2(i) }));
  // The peak leads even when other channels share its position (tetrodes often list one point).
  keyed.sort((a, b) => Number(b.i === peakIndex) - Number(a.i === peakIndex) || a.d - b.d || a.i - b.i);
  return Int32Array.from(keyed.slice(0, Math.max(0, maxSize)), (k) => k.i);
}

/** Frames of the noise block: the first NOISE_BLOCK_SEC of the recording, or all of a shorter one. */
export function noiseBlockFrames(sampleRateHz: number, numFrames: number): number {
  return Math.min(numFrames, Math.round(sampleRateHz * NOISE_BLOCK_SEC));
}

/**
 * Per-channel noise level σ̂ = median(|x − median(x)|) / 0.6745 over a block of traces
 * `[frames][numChannels]` (recording_info's noise_level, on the first 1 s).
 *
 * The channel's median IS subtracted first: raw int16 recordings carry DC offsets of hundreds of
 * bits, and 2021's median(|x|) would measure the offset, not the noise. On zero-median (filtered)
 * data the two agree. A flat channel gets 0.
 */
export function noiseLevels(traces: ArrayLike<number>, numChannels: number): Float64Array {
  const numFrames = numChannels > 0 ? Math.floor(traces.length / numChannels) : 0;
  if (traces instanceof Int16Array && numFrames > 0) return int16NoiseLevels(traces, numChannels, numFrames);
  const out = new Float64Array(numChannels);
  const col = new Float64Array(numFrames);
  for (let c = 0; c < numChannels; c++) {
    for (let f = 0; f < numFrames; f++) col[f] = traces[f * numChannels + c];
    const med = medianInPlace(col);
    for (let f = 0; f < numFrames; f++) col[f] = Math.abs(col[f] - med);
    out[c] = medianInPlace(col) / MAD_TO_SIGMA;
  }
  return out;
}

/**
 * noiseLevels of int16 traces by counting instead of selecting (the same numbers: medians of integers
 * and of |x − median| are exact in float64 either way). recording_info.3 on a 384-channel probe runs
 * this over 11.5 M values; quickselect took ~0.3 s of the worker's single thread, counting ~10× less.
 * Distances are counted doubled, |2x − 2·median|, so a half-integer median keeps them integers.
 */
function int16NoiseLevels(traces: Int16Array, numChannels: number, numFrames: number): Float64Array {
  const out = new Float64Array(numChannels);
  const counts = new Int32Array(65536);
  const distances = new Int32Array(131072);
  for (let c = 0; c < numChannels; c++) {
    let min = 32767;
    let max = -32768;
    for (let f = 0; f < numFrames; f++) {
      const v = traces[f * numChannels + c];
      counts[v + 32768]++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const twiceMedian = twiceMedianOfCounts(counts, min + 32768, max + 32768, numFrames) - 2 * 32768;
    let maxD = 0;
    for (let v = min; v <= max; v++) {
      const n = counts[v + 32768];
      if (!n) continue;
      const d = Math.abs(2 * v - twiceMedian);
      distances[d] += n;
      if (d > maxD) maxD = d;
      counts[v + 32768] = 0;
    }
    out[c] = twiceMedianOfCounts(distances, 0, maxD, numFrames) / 4 / MAD_TO_SIGMA;
    distances.fill(0, 0, maxD + 1);
  }
  return out;
}

/** Twice the median of `total` values given as counts per value over [lo, hi] (the two middle ones summed for an even total). */
function twiceMedianOfCounts(counts: Int32Array, lo: number, hi: number, total: number): number {
  const upper = total >> 1; // 0-based rank of the upper middle value
  const lower = total % 2 === 1 ? upper : upper - 1;
  let seen = 0;
  let lowerValue = -1;
  for (let v = lo; v <= hi; v++) {
    seen += counts[v];
    if (lowerValue < 0 && seen > lower) lowerValue = v;
    if (seen > upper) return lowerValue + v;
  }
  throw new RangeError('twiceMedianOfCounts: counts hold fewer values than the total');
}
