import type { Probe } from './probe';
import { createRng } from './random';

/**
 * Ground-truth simulation: units with biphasic templates that decay with distance (λ = 25 µm, only
 * channels within 3 rows (60 µm) vertically of the unit are touched), peak amplitudes 50–300 µV,
 * Poisson firing at 1–20 Hz with a 2 ms refractory period, per-spike amplitude jitter of 5 %, over
 * independent Gaussian noise (σ = 10 µV). Traces are produced block by block: a long recording is
 * never held in memory.
 */
export interface SimUnit {
  id: number;
  peakChannel: number;
  amplitudeUv: number;
  rateHz: number;
  position: [number, number];
  /** Channels the template touches and its waveform there: [T][channels.length] in µV. */
  channels: number[];
  template: Float32Array;
  spikeFrames: Float64Array;
  /** Per-spike amplitude scale. */
  scales: Float32Array;
}

export interface Simulation {
  sampleRateHz: number;
  numFrames: number;
  probe: Probe;
  units: SimUnit[];
  /** Samples before the trough in a template (a spike's frame is its trough). */
  preFrames: number;
  templateFrames: number;
  noiseUv: number;
}

const REFRACTORY_SEC = 0.002;

function waveformUv(tMs: number): number {
  // Trough at 0 ms, repolarisation bump ~0.45 ms later, scaled so the trough is −1.
  return -Math.exp(-((tMs / 0.12) ** 2)) + 0.35 * Math.exp(-(((tMs - 0.45) / 0.3) ** 2));
}

export function simulateUnits(opts: { probe: Probe; sampleRateHz: number; numFrames: number; numUnits: number; seed: number; stream: number }): Simulation {
  const rng = createRng(opts.seed, opts.stream);
  const { probe, sampleRateHz: fs, numFrames } = opts;
  const preFrames = Math.round(0.0006 * fs);
  const templateFrames = Math.round(0.002 * fs);
  const ys = probe.geom.map((g) => g[1]);
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const xs = probe.geom.map((g) => g[0]);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const units: SimUnit[] = [];
  for (let u = 0; u < opts.numUnits; u++) {
    const pos: [number, number] = [xMin + rng.uniform() * (xMax - xMin), yMin + (0.05 + 0.9 * rng.uniform()) * (yMax - yMin)];
    const amplitudeUv = 50 + 250 * rng.uniform();
    const rateHz = 1 + 19 * rng.uniform();
    const dist = probe.geom.map(([x, y]) => Math.hypot(x - pos[0], y - pos[1]));
    const channels = probe.geom.flatMap(([, y], c) => (Math.abs(y - pos[1]) <= 60 ? [c] : []));
    const peakChannel = channels.reduce((best, c) => (dist[c] < dist[best] ? c : best), channels[0]);
    const scale = amplitudeUv / Math.exp(-dist[peakChannel] / 25);
    const template = new Float32Array(templateFrames * channels.length);
    for (let t = 0; t < templateFrames; t++) {
      const w = waveformUv(((t - preFrames) / fs) * 1000);
      channels.forEach((c, j) => {
        template[t * channels.length + j] = scale * Math.exp(-dist[c] / 25) * w;
      });
    }
    const frames: number[] = [];
    let tSec = rng.exponential(1 / rateHz);
    const meanGap = Math.max(1 / rateHz - REFRACTORY_SEC, 1e-4);
    while (Math.round(tSec * fs) < numFrames) {
      frames.push(Math.round(tSec * fs));
      tSec += REFRACTORY_SEC + rng.exponential(meanGap);
    }
    const scales = Float32Array.from(frames, () => 1 + 0.05 * rng.normal());
    units.push({ id: u, peakChannel, amplitudeUv, rateHz, position: pos, channels, template, spikeFrames: Float64Array.from(frames), scales });
  }
  return { sampleRateHz: fs, numFrames, probe, units, preFrames, templateFrames, noiseUv: 10 };
}

/**
 * Frames [start, end) in µV as [frame][channel] float32: noise from `noise` (a stream consumed in
 * order, so blocks must be asked for in order) plus every spike overlapping the block.
 */
export function synthesizeBlock(sim: Simulation, start: number, end: number, noise: { normal(): number }): Float32Array {
  const C = sim.probe.geom.length;
  const out = new Float32Array((end - start) * C);
  for (let i = 0; i < out.length; i++) out[i] = sim.noiseUv * noise.normal();
  for (const u of sim.units) {
    const k = u.channels.length;
    // Spikes whose template [f − pre, f − pre + T) overlaps [start, end).
    let lo = 0;
    let hi = u.spikeFrames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u.spikeFrames[mid] - sim.preFrames + sim.templateFrames <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let s = lo; s < u.spikeFrames.length && u.spikeFrames[s] - sim.preFrames < end; s++) {
      const t0 = u.spikeFrames[s] - sim.preFrames;
      const a = u.scales[s];
      for (let t = Math.max(0, start - t0); t < sim.templateFrames && t0 + t < end; t++) {
        const row = (t0 + t - start) * C;
        for (let j = 0; j < k; j++) out[row + u.channels[j]] += a * u.template[t * k + j];
      }
    }
  }
  return out;
}
