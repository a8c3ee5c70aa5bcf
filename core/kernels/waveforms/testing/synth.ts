/**
 * Deterministic synthetic recordings for the waveform tests: unit templates over Gaussian noise
 * on a 2-column probe with a 20 µm grid (so distance ties are real ties), per-channel DC offsets,
 * and the edge cases the kernels must survive. Test-only.
 */
import { mulberry32 } from '../prng';
import { extractSnippets } from '../snippets';

export function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface SynthUnit { unitId: number; times: Float64Array; peakChannel: number; amplitude: number }
export interface SynthRecording {
  traces: Int16Array | Float32Array;
  numFrames: number;
  numChannels: number;
  channelIds: number[];
  geom: number[][];
  sampleRateHz: number;
  units: SynthUnit[];
}

/** Spike shape at lag `t` samples from the spike frame: a trough at 0 and a slower positive rebound. */
export function spikeShape(t: number, widthSamples = 1): number {
  const w = widthSamples;
  return -Math.exp(-0.5 * (t / (2 * w)) ** 2) + 0.35 * Math.exp(-0.5 * ((t - 9 * w) / (4 * w)) ** 2);
}

export function synthRecording(opts: {
  seed: number; numFrames: number; numChannels: number; dtype?: 'int16' | 'float32';
  units: {
    unitId: number; peakChannel: number; amplitude: number; count: number; extraTimes?: number[]; width?: number;
    /** Each spike's amplitude is scaled by 1 + ampJitter·U(−1, 1): a principal direction. */
    ampJitter?: number;
    /** A second template added with a N(0, 1) factor per spike: another principal direction. */
    secondary?: { peakChannel: number; amplitude: number; width: number };
  }[];
  noiseSigma?: number; flatChannel?: number;
}): SynthRecording {
  const { numFrames: F, numChannels: C } = opts;
  const rand = mulberry32(opts.seed);
  const randn = gaussian(rand);
  const geom = Array.from({ length: C }, (_, i) => [20 * (i % 2), 20 * Math.floor(i / 2)]);
  const channelIds = Array.from({ length: C }, (_, i) => 10 + 2 * i);
  const x = new Float64Array(F * C);
  const sigma = opts.noiseSigma ?? 10;
  for (let f = 0; f < F; f++) for (let c = 0; c < C; c++) x[f * C + c] = 50 * (c - C / 2) + sigma * randn();
  const units: SynthUnit[] = opts.units.map((u) => {
    const times = [...Array.from({ length: u.count }, () => Math.floor(rand() * F)), ...(u.extraTimes ?? [])];
    const add = (t: number, peak: number, amplitude: number, width: number) => {
      for (let c = 0; c < C; c++) {
        const d2 = (geom[c][0] - geom[peak][0]) ** 2 + (geom[c][1] - geom[peak][1]) ** 2;
        const a = amplitude * Math.exp(-d2 / (2 * 30 ** 2));
        for (let dt = -20; dt <= 40; dt++) {
          const f = t + dt;
          if (f >= 0 && f < F) x[f * C + c] += a * spikeShape(dt, width);
        }
      }
    };
    for (const t of times) {
      add(t, u.peakChannel, u.amplitude * (1 + (u.ampJitter ?? 0) * (2 * rand() - 1)), u.width ?? 1);
      if (u.secondary) add(t, u.secondary.peakChannel, u.secondary.amplitude * randn(), u.secondary.width);
    }
    return { unitId: u.unitId, times: Float64Array.from(times), peakChannel: u.peakChannel, amplitude: u.amplitude };
  });
  if (opts.flatChannel !== undefined) for (let f = 0; f < F; f++) x[f * C + opts.flatChannel] = 7;
  const traces = opts.dtype === 'float32' ? Float32Array.from(x) : Int16Array.from(x, (v) => Math.round(v));
  return { traces, numFrames: F, numChannels: C, channelIds, geom, sampleRateHz: 30000, units };
}

/** What the relay does for a `snippets` chunk, over the whole synthetic recording. */
export function relayGather(rec: SynthRecording, frames: Float64Array, snippetLen: readonly [number, number], cols?: number[]) {
  return extractSnippets(rec.traces, rec.numChannels, 0, frames, snippetLen, cols);
}

/** The recording as the kernels see it (channel ids, geometry, rate). */
export function recordingGeometry(rec: SynthRecording) {
  return { channelIds: rec.channelIds, geom: rec.geom, sampleRateHz: rec.sampleRateHz };
}
