import { ndarray, type NdArray } from '../../protocol/ndarray';

/** A unit's mean waveform as fetch_average_waveform returns it: [M][T], channel-major. */
export interface Template {
  channelIds: ArrayLike<number>;
  waveform: ArrayLike<number>;
}

/**
 * Cosine similarity between units' mean waveforms, for merge suggestions (SpikeInterface's
 * `template_similarity` with method 'cosine' and support 'union'):
 *
 * - each channel of each template first loses its time-mean, so the DC offset of unfiltered
 *   recordings does not make every pair look alike;
 * - the two templates are compared on the union of their channels, a channel missing from one
 *   counting as zeros there (its neighbourhood did not reach it: the unit is silent there);
 * - alignment: the result is the maximum over lags |ℓ| ≤ maxLagSamples of the cosine between a[t]
 *   and b[t + ℓ] over the T − |ℓ| samples where both exist (norms over those samples too). The
 *   default 0 compares the templates as aligned by the sorter, as SpikeInterface's default does;
 *   a few samples absorb the jitter between the halves of an over-split unit. This definition is
 *   symmetric, so the matrix is too;
 * - a template that is zero everywhere (flat, or no channels) has similarity 0 with everything,
 *   itself included; otherwise the diagonal is 1.
 *
 * Returns f32 [K][K].
 */
export function templateSimilarity(templates: readonly Template[], opts: { maxLagSamples?: number } = {}): NdArray<'float32'> {
  const K = templates.length;
  const T = templates.length > 0 ? numSamplesOf(templates[0]) : 0;
  for (const tp of templates) {
    if (numSamplesOf(tp) !== T) throw new RangeError('templateSimilarity: templates differ in length; compute them with one snippet_len');
  }
  const maxLag = Math.min(Math.max(0, Math.floor(opts.maxLagSamples ?? 0)), Math.max(T - 1, 0));
  const centred = templates.map((tp) => {
    const byChannel = new Map<number, Float64Array>();
    Array.from(tp.channelIds).forEach((id, m) => {
      const row = Float64Array.from({ length: T }, (_, t) => tp.waveform[m * T + t]);
      const mean = row.reduce((acc, v) => acc + v, 0) / T;
      byChannel.set(id, row.map((v) => v - mean));
    });
    return byChannel;
  });
  const out = new Float32Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j++) {
      const sim = pairSimilarity(centred[i], centred[j], T, maxLag);
      out[i * K + j] = sim;
      out[j * K + i] = sim;
    }
  }
  return ndarray('float32', [K, K], out);
}

function numSamplesOf(tp: Template): number {
  const M = tp.channelIds.length;
  if (M === 0) return 0;
  if (tp.waveform.length % M !== 0) throw new RangeError('templateSimilarity: waveform is not [M][T]');
  return tp.waveform.length / M;
}

function pairSimilarity(a: Map<number, Float64Array>, b: Map<number, Float64Array>, T: number, maxLag: number): number {
  let best = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    // Samples t of a paired with t + lag of b, both inside [0, T).
    const t0 = Math.max(0, -lag);
    const t1 = Math.min(T, T - lag);
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (const [id, ra] of a) {
      const rb = b.get(id);
      for (let t = t0; t < t1; t++) {
        aa += ra[t] * ra[t];
        if (rb) ab += ra[t] * rb[t + lag];
      }
    }
    for (const rb of b.values()) for (let t = t0; t < t1; t++) bb += rb[t + lag] * rb[t + lag];
    if (aa > 0 && bb > 0) best = Math.max(best, ab / Math.sqrt(aa * bb));
  }
  return best === -Infinity ? 0 : best;
}
