import { MAD_TO_SIGMA, peakChannelIndex, peakToPeak } from './channels';
import { meanSnippet, type Snippets } from './snippets';
import { medianInPlace } from './stats';

/** One unit's snippets (its sample, on its neighbourhood or all channels). */
export interface UnitSnippets {
  unitId: number;
  snippets: Snippets;
  channelIds: ArrayLike<number>;
}

/**
 * get_unit_snrs.1 for one unit, 2021's estimator exactly:
 *
 *   mean   = mean snippet over the sampled spikes            ([T][C])
 *   peak   = argmax over channels of ptp(mean)               (first on ties)
 *   noise  = median over all spikes and all T samples of |snippet[s, t, peak] − mean[t, peak]| / 0.6745
 *   snr    = ptp(mean[:, peak]) / noise
 *
 * The noise is the spread of the unit's own snippets around their mean on the peak channel (MAD of
 * the residuals), so it needs no extra trace read and is scale-free: gain does not matter.
 * If `noiseLevels` (one per snippet channel, e.g. `noiseLevels()` of the first second) is given, its
 * value at the peak channel replaces the residual estimate.
 *
 * Returns null, shown as an empty cell, when the unit has no spikes or the noise estimate is 0 (a
 * one-spike unit has no residual; a flat channel has no noise): 2021 produced inf/NaN there.
 */
export function unitSnr(s: Snippets, opts: { noiseLevels?: ArrayLike<number> } = {}): number | null {
  if (s.numSpikes === 0) return null;
  const T = s.numSamples;
  const C = s.numChannels;
  const mean = meanSnippet(s);
  const peak = peakChannelIndex(mean, T, C);
  if (peak < 0) return null;
  const amplitude = peakToPeak(mean, T, C)[peak];
  let noise: number;
  if (opts.noiseLevels) {
    noise = opts.noiseLevels[peak];
  } else {
    const resid = new Float64Array(s.numSpikes * T);
    for (let i = 0; i < s.numSpikes; i++) {
      for (let t = 0; t < T; t++) resid[i * T + t] = Math.abs(s.data[(i * T + t) * C + peak] - mean[t * C + peak]);
    }
    noise = medianInPlace(resid) / MAD_TO_SIGMA;
  }
  if (!(noise > 0) || !Number.isFinite(noise)) return null;
  return amplitude / noise;
}

/** get_unit_snrs.1: `{[unitId]: snr | null}`. */
export function unitSnrs(units: readonly UnitSnippets[]): Record<string, number | null> {
  return Object.fromEntries(units.map((u) => [String(u.unitId), unitSnr(u.snippets)]));
}
