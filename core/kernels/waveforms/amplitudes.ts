import { ndarray, type NdArray } from '../../protocol/ndarray';
import type { Scale } from './averageWaveform';
import { rowsForFrames, uniqueSorted, windowInside } from './sampling';
import type { Snippets } from './snippets';
import { medianInPlace } from './stats';

/** Samples added on each side of the template's extremes, to absorb spike-time jitter. */
export const AMPLITUDE_PAD_SAMPLES = 2;
/** Farthest the second extreme may be from the main one (1 ms at 32 kHz). */
export const AMPLITUDE_MAX_SPAN_SAMPLES = 32;

/** Samples [t − before, t + after) around each spike frame t, on the unit's peak channel. */
export interface AmplitudeWindow {
  before: number;
  after: number;
}

/**
 * fetch_spike_amplitudes.1 gathers a few samples per spike, not whole snippets: the window that
 * holds the unit's two extremes on its peak channel, found on the mean waveform there
 * (`meanOnPeak`, T = before + after samples, sample i ↔ frame t − snippetBefore + i):
 *
 * - main  = the sample farthest from the template's median (its trough, for most units);
 * - other = the opposite extreme within ±maxSpanSamples of main (the repolarisation peak);
 * - window = [min − pad, max + pad] widened to contain the spike frame itself (so before ≥ 0,
 *   after ≥ 1, as a snippet chunk expects) and clipped to the snippet window.
 *
 * A typical window is 10–20 samples, at most 2·pad + span + 1 (+ the distance to the spike frame).
 */
export function amplitudeWindow(
  meanOnPeak: ArrayLike<number>, snippetBefore: number,
  opts: { padSamples?: number; maxSpanSamples?: number } = {},
): AmplitudeWindow {
  const T = meanOnPeak.length;
  if (T === 0) throw new RangeError('amplitudeWindow: empty mean waveform');
  const pad = opts.padSamples ?? AMPLITUDE_PAD_SAMPLES;
  const span = opts.maxSpanSamples ?? AMPLITUDE_MAX_SPAN_SAMPLES;
  const baseline = medianInPlace(Float64Array.from(meanOnPeak));
  let main = 0;
  for (let i = 1; i < T; i++) if (Math.abs(meanOnPeak[i] - baseline) > Math.abs(meanOnPeak[main] - baseline)) main = i;
  const trough = meanOnPeak[main] < baseline;
  let other = main;
  for (let i = Math.max(0, main - span); i <= Math.min(T - 1, main + span); i++) {
    if (trough ? meanOnPeak[i] > meanOnPeak[other] : meanOnPeak[i] < meanOnPeak[other]) other = i;
  }
  const lo = Math.max(-snippetBefore, Math.min(Math.min(main, other) - pad - snippetBefore, 0));
  const hi = Math.min(T - snippetBefore, Math.max(Math.max(main, other) + pad + 1 - snippetBefore, 1));
  return { before: 0 - lo, after: hi }; // 0 − lo, not −lo: no negative zero in a chunk spec
}

/** Sorted unique spike frames whose amplitude window lies inside the recording: what to gather. */
export function amplitudeFramesToGather(times: Float64Array, numFrames: number, window: AmplitudeWindow): Float64Array {
  return uniqueSorted([times.filter((t) => windowInside(t, numFrames, [window.before, window.after]))]);
}

/**
 * The amplitude of every spike: peak-to-peak (max − min) of its window on the peak channel, times
 * the gain when one is given.
 *
 * Peak-to-peak rather than the negative peak: it is 2021's definition (ptp on the peak channel), it
 * is blind to the DC offset of unfiltered int16 recordings (a bare minimum would plot the offset),
 * and it works for positive-going spikes too. Restricting it to the window keeps noise excursions
 * elsewhere in a 130-sample snippet from inflating it.
 *
 * Spikes whose window leaves the recording are excluded, like everywhere else in these kernels.
 * `gathered` holds the windows of `gatheredFrames` (sorted), `[spikes][before+after][channels]`;
 * `channelColumn` picks the peak channel among its channels.
 */
export function spikeAmplitudes(args: {
  times: Float64Array;
  numFrames: number;
  window: AmplitudeWindow;
  gatheredFrames: Float64Array;
  gathered: Snippets;
  channelColumn?: number;
  scale?: Scale;
}): { timepoints: NdArray<'float32'>; amplitudes: NdArray<'float32'>; units: 'uV' | 'raw' } {
  const { window: w, gathered: g } = args;
  if (g.numSamples !== w.before + w.after) {
    throw new RangeError(`spikeAmplitudes: gathered windows have ${g.numSamples} samples, the window ${w.before + w.after}`);
  }
  const col = args.channelColumn ?? 0;
  const kept = args.times.filter((t) => windowInside(t, args.numFrames, [w.before, w.after])).sort();
  const rows = rowsForFrames(args.gatheredFrames, kept);
  const gain = args.scale?.gainUvPerBit ?? 1;
  const amps = new Float32Array(kept.length);
  for (let i = 0; i < kept.length; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < g.numSamples; t++) {
      const v = g.data[(rows[i] * g.numSamples + t) * g.numChannels + col];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    amps[i] = (hi - lo) * gain;
  }
  return {
    // f32 as in 2021; frames above 2^24 (≈ 9 min at 30 kHz) round to a few frames, invisible in a plot.
    timepoints: ndarray('float32', [kept.length], Float32Array.from(kept)),
    amplitudes: ndarray('float32', [kept.length], amps),
    units: args.scale ? 'uV' : 'raw',
  };
}
