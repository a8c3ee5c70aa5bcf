import { butterBandpassSos } from './butterworth';
import type { SampleArray } from './snippets';

/**
 * The band-pass of trace views (2021's `filtered` recording, 300–6000 Hz), as SpikeInterface's
 * default `bandpass_filter` does it today: Butterworth, prototype order 5 (10 poles), second-order
 * sections applied forward and backward (zero phase), i.e. `scipy.signal.sosfiltfilt`.
 */
export const BANDPASS_FREQ_MIN_HZ = 300;
export const BANDPASS_FREQ_MAX_HZ = 6000;
export const BANDPASS_ORDER = 5;
/** Largest relative error a segment may show at its edges against filtering the whole recording. */
export const FILTER_SEAM_TOLERANCE = 1e-7;

export interface BandpassFilter {
  /** numSections × [b0, b1, b2, 1, a1, a2], as scipy's `output='sos'`. */
  sos: Float64Array;
  numSections: number;
  /** Steady-state section states for a unit step (scipy `sosfilt_zi`), numSections × 2. */
  zi: Float64Array;
  /** Odd-extension length used at the ends of the recording (scipy's default 3·ntaps). */
  padLen: number;
  /** Frames of real data a segment needs on each side so that it joins its neighbours without seams. */
  contextFrames: number;
}

export function designBandpass(
  sampleRateHz: number,
  opts: { freqMinHz?: number; freqMaxHz?: number; order?: number } = {},
): BandpassFilter {
  const sos = butterBandpassSos(opts.order ?? BANDPASS_ORDER, opts.freqMinHz ?? BANDPASS_FREQ_MIN_HZ,
    opts.freqMaxHz ?? BANDPASS_FREQ_MAX_HZ, sampleRateHz);
  const numSections = sos.length / 6;
  let zeroB2 = 0;
  let zeroA2 = 0;
  for (let s = 0; s < numSections; s++) { zeroB2 += Number(sos[s * 6 + 2] === 0); zeroA2 += Number(sos[s * 6 + 5] === 0); }
  return {
    sos, numSections, zi: sosfiltZi(sos),
    padLen: 3 * (2 * numSections + 1 - Math.min(zeroB2, zeroA2)),
    contextFrames: filterContextFrames(sos),
  };
}

/**
 * How many frames of context a segment needs on each side. Starting a pass with a wrong state
 * leaves an error that decays like r^n, r the largest pole radius (the poles nearest the unit circle,
 * at the 300 Hz edge). We take the n where r^n = FILTER_SEAM_TOLERANCE: for the default filter
 * 894 frames at 30 kHz (≈ 30 ms at any common rate), 1.17× the n where r^n = 1e-6, the filter's effective
 * length. Measured seams are then ~3e-8 of the signal's peak, below float32 resolution (half the
 * context left 1.4e-4).
 */
export function filterContextFrames(sos: Float64Array, tol = FILTER_SEAM_TOLERANCE): number {
  let r = 0;
  for (let s = 0; s < sos.length / 6; s++) {
    const a1 = sos[s * 6 + 4];
    const a2 = sos[s * 6 + 5];
    const disc = a1 * a1 - 4 * a2;
    // Roots of z² + a1·z + a2: a complex pair has |p|² = a2.
    const radius = disc < 0 ? Math.sqrt(a2) : Math.max(Math.abs((-a1 + Math.sqrt(disc)) / 2), Math.abs((-a1 - Math.sqrt(disc)) / 2));
    r = Math.max(r, radius);
  }
  if (r >= 1) throw new RangeError('filterContextFrames: the filter is unstable');
  return r === 0 ? 0 : Math.ceil(Math.log(tol) / Math.log(r));
}

/** scipy `sosfilt_zi`: each section's steady state for a unit step, scaled by the DC gain before it. */
export function sosfiltZi(sos: Float64Array): Float64Array {
  const n = sos.length / 6;
  const zi = new Float64Array(n * 2);
  let scale = 1;
  for (let s = 0; s < n; s++) {
    const [b0, b1, b2, , a1, a2] = sos.subarray(s * 6, s * 6 + 6);
    // lfilter_zi: solve (I − Aᵀ)·zi = b[1:] − a[1:]·b0 for the 2-state transposed direct form.
    const B1 = b1 - a1 * b0;
    const B2 = b2 - a2 * b0;
    const z0 = (B1 + B2) / (1 + a1 + a2);
    zi[s * 2] = scale * z0;
    zi[s * 2 + 1] = scale * (B2 - a2 * z0);
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  }
  return zi;
}

/** The frames to read for segment [startFrame, endFrame): the segment plus context, clipped to the recording. */
export function filterBlockFor(startFrame: number, endFrame: number, numFrames: number, contextFrames: number): { blockStartFrame: number; blockEndFrame: number } {
  return { blockStartFrame: Math.max(0, startFrame - contextFrames), blockEndFrame: Math.min(numFrames, endFrame + contextFrames) };
}

/**
 * Zero-phase filtering of a block of traces `[frames][numChannels]` read from
 * [blockStartFrame, blockStartFrame + frames) of a recording of `numFrames` frames; returns the
 * filtered block, float32, same layout. Where the block touches an end of the recording it does
 * what sosfiltfilt does there (odd extension of padLen frames; shortened for recordings of fewer
 * frames than that, where scipy refuses); elsewhere the block's own context absorbs the start-up.
 * Both passes start from the steady state of their first value, so the DC offset of raw data causes
 * no transient. Hence a segment cut from the middle of a block read with `filterBlockFor` equals
 * sosfiltfilt of the whole recording to FILTER_SEAM_TOLERANCE.
 */
export function filterBlock(f: BandpassFilter, traces: SampleArray, numChannels: number, blockStartFrame: number, numFrames: number): Float32Array {
  const C = numChannels;
  const nF = C > 0 ? traces.length / C : 0;
  if (nF === 0) return new Float32Array(0);
  const padL = blockStartFrame === 0 ? Math.min(f.padLen, nF - 1) : 0;
  const padR = blockStartFrame + nF >= numFrames ? Math.min(f.padLen, nF - 1) : 0;
  const n = padL + nF + padR;
  const y = new Float64Array(n * C);
  for (let i = 0; i < nF * C; i++) y[padL * C + i] = traces[i];
  for (let c = 0; c < C; c++) {
    // Odd extension: 2·x[0] − x[i] mirrored, as scipy's odd_ext.
    for (let i = 1; i <= padL; i++) y[(padL - i) * C + c] = 2 * traces[c] - traces[i * C + c];
    for (let i = 1; i <= padR; i++) y[(padL + nF - 1 + i) * C + c] = 2 * traces[(nF - 1) * C + c] - traces[(nF - 1 - i) * C + c];
  }
  sosfiltInPlace(f, y, C, n, 1);
  sosfiltInPlace(f, y, C, n, -1);
  return Float32Array.from(y.subarray(padL * C, (padL + nF) * C));
}

/**
 * Cascade of sections in transposed direct form II (scipy's sosfilt), over `[n][C]` in place,
 * forward (dir 1) or backward (dir −1), each channel started at zi · its first value.
 */
function sosfiltInPlace(f: BandpassFilter, y: Float64Array, C: number, n: number, dir: 1 | -1): void {
  const S = f.numSections;
  const { sos, zi } = f;
  const z1 = new Float64Array(S * C);
  const z2 = new Float64Array(S * C);
  const first = dir === 1 ? 0 : n - 1;
  for (let s = 0; s < S; s++) {
    for (let c = 0; c < C; c++) {
      z1[s * C + c] = zi[s * 2] * y[first * C + c];
      z2[s * C + c] = zi[s * 2 + 1] * y[first * C + c];
    }
  }
  for (let k = 0; k < n; k++) {
    const row = (dir === 1 ? k : n - 1 - k) * C;
    for (let c = 0; c < C; c++) {
      let x = y[row + c];
      for (let s = 0; s < S; s++) {
        const o = s * 6;
        const j = s * C + c;
        const out = sos[o] * x + z1[j];
        z1[j] = sos[o + 1] * x - sos[o + 4] * out + z2[j];
        z2[j] = sos[o + 2] * x - sos[o + 5] * out;
        x = out;
      }
      y[row + c] = x;
    }
  }
}

/** Filter segment [startFrame, endFrame) from its block (as read per `filterBlockFor`): float32 [frames][C]. */
export function filterSegment(
  f: BandpassFilter, block: SampleArray, numChannels: number, blockStartFrame: number, numFrames: number,
  startFrame: number, endFrame: number,
): Float32Array {
  const out = filterBlock(f, block, numChannels, blockStartFrame, numFrames);
  return out.slice((startFrame - blockStartFrame) * numChannels, (endFrame - blockStartFrame) * numChannels);
}
