/**
 * Deterministic synthetic sortings for the spike-train tests (test helper, not a kernel).
 * Frames are integers in [0, numFrames); every train is sorted non-decreasing.
 */
import { mulberry32 } from '../../../random';

export const seededRandom = mulberry32;

const sorted = (xs: number[]) => Float64Array.from(xs).sort();

/** Poisson-like train: exponential ISIs (rounded to frames, so 0-frame duplicates can occur). */
export function poissonTrain(rng: () => number, rateHz: number, numFrames: number, sampleRateHz: number, refractoryFrames = 0): Float64Array {
  const out: number[] = [];
  const meanIsiFrames = sampleRateHz / rateHz;
  let t = Math.floor(rng() * meanIsiFrames);
  while (t < numFrames) {
    out.push(t);
    t += refractoryFrames + Math.floor(-Math.log(1 - rng()) * meanIsiFrames);
  }
  return Float64Array.from(out);
}

/** Bursts: groups of `perBurst` spikes a few frames apart (denser than a 1 ms bin). */
export function burstTrain(rng: () => number, numBursts: number, perBurst: number, numFrames: number): Float64Array {
  const out: number[] = [];
  for (let b = 0; b < numBursts; b++) {
    let t = Math.floor(rng() * (numFrames - 40 * perBurst));
    for (let k = 0; k < perBurst; k++) { out.push(t); t += Math.floor(rng() * 40); }
  }
  return sorted(out);
}

/** Copies of a fraction of `source`'s spikes, each shifted by an offset from `offsets` (0 = simultaneous). */
export function echoTrain(rng: () => number, source: Float64Array, fraction: number, offsets: number[], numFrames: number): Float64Array {
  const out: number[] = [];
  for (const s of source) {
    if (rng() >= fraction) continue;
    const t = s + offsets[Math.floor(rng() * offsets.length)];
    if (t >= 0 && t < numFrames) out.push(t);
  }
  return sorted(out);
}

export interface SyntheticSorting {
  sampleRateHz: number;
  numFrames: number;
  trains: Float64Array[];
  /** What each unit exercises. */
  notes: string[];
}

/**
 * A sorting built to hit the edge cases: an empty unit, a one-spike unit, spikes at frame 0 and at
 * the last frame, in-unit duplicates, bursts denser than a bin, spikes simultaneous with (and 1-2
 * frames off) another unit's, and frames that the seconds round trip truncates (e.g. 59 at 30 kHz).
 */
export function edgeCaseSorting(seed: number, durationSec = 40, sampleRateHz = 30000): SyntheticSorting {
  const rng = seededRandom(seed);
  const numFrames = Math.round(durationSec * sampleRateHz);
  const base = poissonTrain(rng, 12, numFrames, sampleRateHz, 30);
  const withEnds = sorted([0, 0, 59, 61, 63, 118, 122, ...base, numFrames - 1, numFrames - 1]);
  const trains = [
    new Float64Array(0),
    Float64Array.from([Math.floor(rng() * numFrames)]),
    withEnds,
    echoTrain(rng, withEnds, 0.5, [0, 0, 1, -1, 2, 29, 30, 31], numFrames),
    burstTrain(rng, 60, 6, numFrames),
    poissonTrain(rng, 30, numFrames, sampleRateHz),
    sorted([...echoTrain(rng, base, 0.3, [0], numFrames), ...poissonTrain(rng, 4, numFrames, sampleRateHz)]),
    Float64Array.from([0, 0, 0, 5, 5, 30, 60, 61, 750, 779, 780, 781]),
  ];
  const notes = ['empty', 'one spike', 'frame 0, last frame, duplicates, truncation-prone frames', 'echo of unit 2 (0, +-1, +-2, ~1 bin)',
    'bursts denser than a bin', 'poisson 30 Hz', 'part copy of unit 2 plus poisson', 'hand-placed duplicates and bin edges'];
  return { sampleRateHz, numFrames, trains, notes };
}

/** Plain random sorting: units at various rates, with refractory periods for some. */
export function randomSorting(seed: number, numUnits: number, durationSec: number, sampleRateHz = 30000): SyntheticSorting {
  const rng = seededRandom(seed);
  const numFrames = Math.round(durationSec * sampleRateHz);
  const trains: Float64Array[] = [];
  for (let u = 0; u < numUnits; u++) trains.push(poissonTrain(rng, 1 + 40 * rng(), numFrames, sampleRateHz, u % 2 ? 45 : 0));
  return { sampleRateHz, numFrames, trains, notes: trains.map(() => 'poisson') };
}

/** A Map<unitId, train> with non-contiguous unit ids (ids = 10 + 3 * index). */
export function asSortingMap(trains: readonly Float64Array[], idOf = (i: number) => 10 + 3 * i): Map<number, Float64Array> {
  return new Map(trains.map((t, i) => [idOf(i), t]));
}
