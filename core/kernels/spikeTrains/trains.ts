/**
 * Shared helpers for spike-train kernels. A spike train is a Float64Array of frame indices
 * (integers, exact up to 2^53; int32 would overflow after ~20 h at 30 kHz), sorted non-decreasing.
 * Pure functions over typed arrays: no I/O and no Node-only APIs (they also run in the browser).
 */

/** Bad input to a spike-train kernel; the message says what was wrong and how to fix it. */
export class SpikeTrainInputError extends Error {
  override name = 'SpikeTrainInputError';
}

/** `UnitSelection` as in the 2021 task kwargs: one unit id, or a merge group (list of ids). */
export type UnitSelection = number | readonly number[];

/** Spike trains of a whole sorting, keyed by unit id; iteration order is the sorting's unit order. */
export type SortingSpikeTrains = ReadonlyMap<number, Float64Array>;

export function isSortedNonDecreasing(train: Float64Array): boolean {
  for (let i = 1; i < train.length; i++) if (!(train[i] >= train[i - 1])) return false;
  return true;
}

export function assertFiniteTrain(train: Float64Array, what: string): void {
  for (let i = 0; i < train.length; i++) {
    if (!Number.isFinite(train[i])) throw new SpikeTrainInputError(`${what}: spike ${i} is ${train[i]}; spike times must be finite frame indices`);
  }
}

export function assertSorted(train: Float64Array, what: string): void {
  if (!isSortedNonDecreasing(train)) {
    assertFiniteTrain(train, what);
    throw new SpikeTrainInputError(`${what}: spike times must be sorted non-decreasing (sort the train, e.g. with sortedTrain())`);
  }
}

/** The train itself when already sorted, else a sorted copy (typed-array sort is numeric). */
export function sortedTrain(train: Float64Array): Float64Array {
  if (isSortedNonDecreasing(train)) return train;
  assertFiniteTrain(train, 'sortedTrain');
  return train.slice().sort();
}

/** Trains of a sorting, with an error that names the unit when it is missing. */
export function trainOf(trains: SortingSpikeTrains, unitId: number): Float64Array {
  const t = trains.get(unitId);
  if (!t) throw new SpikeTrainInputError(`unit ${unitId} is not in the sorting (units: ${[...trains.keys()].join(', ')})`);
  return t;
}

/** First index i with arr[i] >= x (arr sorted non-decreasing). */
export function lowerBound(arr: Float64Array, x: number, lo = 0, hi = arr.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Spikes of several trains merged in time order, with each spike's train index and its index in that train. */
export interface MergedTrains {
  frames: Float64Array;
  labels: Int32Array;
  indices: Int32Array;
}

/**
 * Stable k-way merge of sorted trains by a balanced tree of two-way merges (O(N log K)).
 * Ties keep the lower train index first: the same order as `np.argsort(concatenate(trains),
 * kind='stable')`, which is the tie convention every kernel here pins down.
 */
export function mergeTrains(trains: readonly Float64Array[]): MergedTrains {
  if (trains.length === 0) return { frames: new Float64Array(0), labels: new Int32Array(0), indices: new Int32Array(0) };
  const go = (lo: number, hi: number): MergedTrains => {
    if (hi - lo === 1) {
      const t = trains[lo];
      const indices = new Int32Array(t.length);
      for (let i = 0; i < t.length; i++) indices[i] = i;
      return { frames: t, labels: new Int32Array(t.length).fill(lo), indices };
    }
    const mid = (lo + hi) >>> 1;
    return mergeTwo(go(lo, mid), go(mid, hi));
  };
  return go(0, trains.length);
}

function mergeTwo(a: MergedTrains, b: MergedTrains): MergedTrains {
  const na = a.frames.length;
  const nb = b.frames.length;
  const frames = new Float64Array(na + nb);
  const labels = new Int32Array(na + nb);
  const indices = new Int32Array(na + nb);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < na && j < nb) {
    // `<=`: on equal frames the left (lower-index) side goes first, which keeps the merge stable.
    if (a.frames[i] <= b.frames[j]) {
      frames[k] = a.frames[i]; labels[k] = a.labels[i]; indices[k++] = a.indices[i++];
    } else {
      frames[k] = b.frames[j]; labels[k] = b.labels[j]; indices[k++] = b.indices[j++];
    }
  }
  for (; i < na; i++, k++) { frames[k] = a.frames[i]; labels[k] = a.labels[i]; indices[k] = a.indices[i]; }
  for (; j < nb; j++, k++) { frames[k] = b.frames[j]; labels[k] = b.labels[j]; indices[k] = b.indices[j]; }
  return { frames, labels, indices };
}

/**
 * The spike train of a unit selection: one unit's train (sorted copy if it was not sorted), or for a
 * merge group the union of its units' spikes, sorted, duplicates kept (2021 `np.sort(np.concatenate(...))`).
 */
export function selectionTrain(trains: SortingSpikeTrains, selection: UnitSelection): Float64Array {
  if (typeof selection === 'number') return sortedTrain(trainOf(trains, selection));
  return mergeTrains(selection.map((u) => sortedTrain(trainOf(trains, u)))).frames;
}
