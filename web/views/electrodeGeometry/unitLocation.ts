/**
 * A unit's location from its mean waveform (fetch_average_waveform.2, on the unit's ≤ 15-channel
 * neighbourhood): SpikeInterface's `compute_unit_locations(method="center_of_mass")` — the channel
 * positions weighted by each channel's peak-to-peak amplitude, over the channels within `radiusUm`
 * (75 µm, SpikeInterface's default) of the largest one.
 */
export const CENTRE_OF_MASS_RADIUS_UM = 75;

export interface MeanWaveform {
  average_waveform: { data: ArrayLike<number>; shape: readonly number[] };
  channel_locations: { data: ArrayLike<number> };
}

export function centreOfMass(r: MeanWaveform, radiusUm = CENTRE_OF_MASS_RADIUS_UM): { x: number; y: number } | null {
  const [M, T] = r.average_waveform.shape;
  const d = r.average_waveform.data;
  const loc = r.channel_locations.data;
  if (!M || !T) return null;
  const ptp = new Float64Array(M);
  let peak = 0;
  for (let m = 0; m < M; m++) {
    let lo = Infinity, hi = -Infinity;
    for (let t = 0; t < T; t++) { const v = d[m * T + t]; if (v < lo) lo = v; if (v > hi) hi = v; }
    ptp[m] = Number.isFinite(hi - lo) ? hi - lo : 0;
    if (ptp[m] > ptp[peak]) peak = m;
  }
  let w = 0, x = 0, y = 0;
  for (let m = 0; m < M; m++) {
    if (Math.hypot(loc[2 * m] - loc[2 * peak], loc[2 * m + 1] - loc[2 * peak + 1]) > radiusUm) continue;
    w += ptp[m];
    x += ptp[m] * loc[2 * m];
    y += ptp[m] * loc[2 * m + 1];
  }
  return w > 0 ? { x: x / w, y: y / w } : null;
}
