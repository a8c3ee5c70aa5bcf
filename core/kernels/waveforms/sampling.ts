import { mulberry32, seedForUnits } from './prng';
import type { SnippetLen } from './snippets';

/** Spikes averaged per unit for fetch_average_waveform, get_peak_channels and get_unit_snrs. */
export const AVERAGE_WAVEFORM_MAX_SPIKES = 500;
/** Events per unit for individual_/pair_cluster_features (2021 `max_num_events`). */
export const PCA_MAX_SPIKES = 1000;

/** A unit's spike train (frames), or a merge group's: `unitId` is then the list of its members. */
export interface UnitTrain {
  unitId: number | readonly number[];
  times: Float64Array;
}

/** Whether the window [t − before, t + after) of spike frame `t` lies inside [0, numFrames). */
export function windowInside(frame: number, numFrames: number, snippetLen: SnippetLen): boolean {
  return frame - snippetLen[0] >= 0 && frame + snippetLen[1] <= numFrames;
}

/** A merge group's train: the concatenation of its members' trains (duplicates kept), sorted. */
export function unionTrains(trains: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(trains.reduce((n, t) => n + t.length, 0));
  let k = 0;
  for (const t of trains) { out.set(t, k); k += t.length; }
  return out.sort();
}

/**
 * A deterministic sample of at most `maxSpikes` spike frames of one unit or merge group, sorted.
 *
 * 1. Spikes whose window leaves the recording are excluded (never zero-padded).
 * 2. The rest are sorted; if there are at most `maxSpikes`, all are returned.
 * 3. Otherwise a partial Fisher–Yates shuffle of their indices, driven by mulberry32 seeded with
 *    `seedForUnits(unitId)`, picks the first `maxSpikes` (step i swaps i with
 *    i + floor(u·(n − i))), and those indices are returned in time order.
 *
 * Because step i never depends on `maxSpikes`, the 500-spike sample of a unit is a subset of its
 * 1000-spike sample: the average-waveform and PCA gathers share their snippets.
 */
export function sampleSpikeFrames(
  times: Float64Array, unitId: number | readonly number[], numFrames: number, snippetLen: SnippetLen, maxSpikes: number,
): Float64Array {
  const eligible = eligibleFrames(times, numFrames, snippetLen);
  const n = eligible.length;
  const k = Math.max(0, Math.floor(maxSpikes));
  if (n <= k) return eligible;
  // The shuffle touches at most 2k positions of the n-long index array (position p holds p until
  // moved): a shared scratch array records the moved ones and is reset after, so a sample costs
  // O(k), not O(n), on long trains.
  if (moved.length < n) moved = new Int32Array(Math.max(n, 2 * moved.length)).fill(-1);
  const touched: number[] = [];
  const rand = mulberry32(seedForUnits(unitId));
  const chosen = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const vi = moved[i] < 0 ? i : moved[i];
    chosen[i] = moved[j] < 0 ? j : moved[j];
    moved[j] = vi;
    touched.push(j);
  }
  for (const p of touched) moved[p] = -1;
  chosen.sort();
  for (let i = 0; i < k; i++) chosen[i] = eligible[chosen[i]];
  return chosen;
}

let moved = new Int32Array(0).fill(-1);

/** The frames whose window lies inside the recording, sorted (a sorted train, the usual case, is sliced, not copied and sorted). */
function eligibleFrames(times: Float64Array, numFrames: number, snippetLen: SnippetLen): Float64Array {
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) sorted = times[i - 1] <= times[i];
  if (!sorted) return times.filter((t) => windowInside(t, numFrames, snippetLen)).sort();
  let lo = 0;
  while (lo < times.length && !windowInside(times[lo], numFrames, snippetLen) && times[lo] - snippetLen[0] < 0) lo++;
  let hi = times.length;
  while (hi > lo && times[hi - 1] + snippetLen[1] > numFrames) hi--;
  const slice = times.subarray(lo, hi);
  // NaN or fractional oddities are left to the general path, which filters them.
  for (let i = 0; i < slice.length; i++) if (!windowInside(slice[i], numFrames, snippetLen)) return times.filter((t) => windowInside(t, numFrames, snippetLen)).sort();
  return slice.slice();
}

/**
 * What a worker asks the relay for: each unit's sample, and the sorted, deduplicated union of their
 * frames (two units, or two members of a merge group, may spike on the same frame). Gather
 * `snippets {frames, before, after}` for `frames`, then find each unit's rows with `rowsForFrames`.
 */
export function framesToGather(
  trains: readonly UnitTrain[], numFrames: number, snippetLen: SnippetLen, maxSpikes: number,
): { frames: Float64Array; perUnit: Float64Array[] } {
  const perUnit = trains.map((u) => sampleSpikeFrames(u.times, u.unitId, numFrames, snippetLen, maxSpikes));
  return { frames: uniqueSorted(perUnit), perUnit };
}

/** Sorted unique values of several arrays. */
export function uniqueSorted(arrays: readonly Float64Array[]): Float64Array {
  const all = unionTrains(arrays);
  let m = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i];
  return all.slice(0, m);
}

/**
 * Row of each wanted frame in a sorted array of gathered frames (binary search). Throws when a
 * frame was not gathered: that is a bug in the caller's chunk request, not a data condition.
 */
export function rowsForFrames(gathered: Float64Array, wanted: ArrayLike<number>): Int32Array {
  const rows = new Int32Array(wanted.length);
  for (let i = 0; i < wanted.length; i++) {
    let lo = 0;
    let hi = gathered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (gathered[mid] < wanted[i]) lo = mid + 1; else hi = mid;
    }
    if (lo >= gathered.length || gathered[lo] !== wanted[i]) {
      throw new RangeError(`rowsForFrames: frame ${wanted[i]} was not among the gathered frames`);
    }
    rows[i] = lo;
  }
  return rows;
}
