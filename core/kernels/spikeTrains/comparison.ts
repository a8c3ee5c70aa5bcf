/**
 * Two-sorting comparison as spikecomparison (SpikeInterface, 2021) computed it for
 * `get_best_matching_units.2 {sorting_object, compare_sorting_object, sorting_selector, …}` →
 * `{uid: "<matchId><B|A>"}`, which ran `compare_sorter_to_ground_truth(gt_sorting=S,
 * tested_sorting=S_compare)` with defaults and printed `best_match_12[uid]`.
 *
 * - deltaFrames = int(delta_time / 1000 * sampling_frequency), delta_time 0.4 ms (12 frames at 30 kHz).
 * - Matching events (`count_matching_events`): merge the two trains in time order; an adjacent pair
 *   in that order from different trains with gap <= deltaFrames is "marked"; the count is the
 *   number of maximal runs of consecutive marked pairs. It is not a one-to-one matching: A B A
 *   within delta counts 1, A A B B counts 1 but A B B A counts 2. 2021 used numpy's unstable
 *   argsort, so with equal frames across the trains the count was implementation-defined; we pin
 *   the stable order (train 1 first on equal frames).
 * - agreement = m / (n1 + n2 - m), and 0 when the denominator is 0.
 * - best_match_12 (what the task reports): for each unit of sorting 1 the first unit of sorting 2
 *   with the highest agreement, kept if agreement >= chance_score (0.1), else -1. Not the Hungarian
 *   match: despite its name the task never used it.
 * - hungarian_match_12 (also provided): scores below match_score (0.5) set to 0, maximum-total
 *   assignment, pairs kept if agreement >= match_score.
 *
 * The matrix does not compare all K1 x K2 pairs of trains: only spikes within deltaFrames of each
 * other can form a marked pair, so we enumerate those close pairs once (a sweep over both
 * sortings' merged spikes) and decide in O(1) whether each is adjacent in its pair's merged order,
 * and whether its run continues. Cost O(N log K + close pairs) instead of O(K1 K2 (n1 + n2)).
 */
import { linearSumAssignment } from './hungarian';
import { mergeTrains, sortedTrain } from './trains';
import type { SortingSpikeTrains } from './trains';

export function deltaFramesFor(deltaTimeMs: number, sampleRateHz: number): number {
  return Math.trunc(deltaTimeMs / 1000 * sampleRateHz);
}

/** spikecomparison `count_matching_events` for one pair of trains (the reference definition). */
export function countMatchingEvents(times1: Float64Array, times2: Float64Array, deltaFrames: number): number {
  const m = mergeTrains([sortedTrain(times1), sortedTrain(times2)]);
  let count = 0;
  let prevMarked = false;
  for (let k = 0; k + 1 < m.frames.length; k++) {
    const marked = m.labels[k] !== m.labels[k + 1] && m.frames[k + 1] - m.frames[k] <= deltaFrames;
    if (marked && !prevMarked) count++; // a new run starts
    prevMarked = marked;
  }
  return count;
}

/** Match counts [K1][K2] (row-major), equal to countMatchingEvents on every pair. */
export function matchCountMatrix(trains1: readonly Float64Array[], trains2: readonly Float64Array[], deltaFrames: number): Int32Array {
  const s1 = trains1.map(sortedTrain);
  const s2 = trains2.map(sortedTrain);
  const k2 = s2.length;
  const counts = new Int32Array(s1.length * k2);
  const m1 = mergeTrains(s1);
  const m2 = mergeTrains(s2);
  const n2 = m2.frames.length;
  let lo = 0;
  for (let p = 0; p < m1.frames.length; p++) {
    const t = m1.frames[p];
    while (lo < n2 && t - m2.frames[lo] > deltaFrames) lo++;
    const A = s1[m1.labels[p]];
    const i = m1.indices[p];
    const row = m1.labels[p] * k2;
    for (let q = lo; q < n2 && m2.frames[q] - t <= deltaFrames; q++) {
      counts[row + m2.labels[q]] += runContribution(A, i, s2[m2.labels[q]], m2.indices[q], deltaFrames);
    }
  }
  return counts;
}

/**
 * For spikes A[i], B[j] within delta: +1 if they are adjacent in the stable merge of A and B (A
 * first on ties), i.e. a marked pair, minus 1 if the next adjacent pair is marked too (same run).
 * Summed over all close pairs this is (marked pairs) - (continuations) = number of runs.
 */
function runContribution(A: Float64Array, i: number, B: Float64Array, j: number, delta: number): number {
  const a = A[i];
  const b = B[j];
  const nA = A.length;
  const nB = B.length;
  if (a <= b) { // A[i] precedes B[j]
    if (i + 1 < nA && A[i + 1] <= b) return 0; // A[i+1] sits between them
    if (j > 0 && B[j - 1] >= a) return 0; // B[j-1] sits between them
    // Next element after B[j] is A[i+1] when it precedes B[j+1] (ties: A first).
    const continues = i + 1 < nA && (j + 1 >= nB || A[i + 1] <= B[j + 1]) && A[i + 1] - b <= delta;
    return continues ? 0 : 1;
  }
  // B[j] precedes A[i]
  if (j + 1 < nB && B[j + 1] < a) return 0;
  if (i > 0 && A[i - 1] > b) return 0;
  const continues = j + 1 < nB && (i + 1 >= nA || B[j + 1] < A[i + 1]) && B[j + 1] - a <= delta;
  return continues ? 0 : 1;
}

/** agreement[i][j] = m / (n1 + n2 - m), 0 when the denominator is 0. */
export function agreementScores(matchCounts: Int32Array, counts1: ArrayLike<number>, counts2: ArrayLike<number>): Float64Array {
  const k1 = counts1.length;
  const k2 = counts2.length;
  const out = new Float64Array(k1 * k2);
  for (let i = 0; i < k1; i++) {
    for (let j = 0; j < k2; j++) {
      const m = matchCounts[i * k2 + j];
      const denom = counts1[i] + counts2[j] - m;
      out[i * k2 + j] = denom === 0 ? 0 : m / denom;
    }
  }
  return out;
}

export interface UnitMatch {
  /** For each unit of sorting 1, the index of its match in sorting 2, or -1. */
  match12: Int32Array;
  match21: Int32Array;
}

/** spikecomparison `make_best_match`: per-unit argmax (first on ties), kept if >= minScore. */
export function bestMatch(scores: Float64Array, k1: number, k2: number, minScore: number): UnitMatch {
  const match12 = new Int32Array(k1).fill(-1);
  const match21 = new Int32Array(k2).fill(-1);
  for (let i = 0; i < k1 && k2 > 0; i++) {
    let best = 0;
    for (let j = 1; j < k2; j++) if (scores[i * k2 + j] > scores[i * k2 + best]) best = j;
    if (scores[i * k2 + best] >= minScore) match12[i] = best;
  }
  for (let j = 0; j < k2 && k1 > 0; j++) {
    let best = 0;
    for (let i = 1; i < k1; i++) if (scores[i * k2 + j] > scores[best * k2 + j]) best = i;
    if (scores[best * k2 + j] >= minScore) match21[j] = best;
  }
  return { match12, match21 };
}

/** spikecomparison `make_hungarian_match`: assignment over scores thresholded at minScore. */
export function hungarianMatch(scores: Float64Array, k1: number, k2: number, minScore: number): UnitMatch {
  const cost = new Float64Array(scores.length);
  for (let x = 0; x < scores.length; x++) cost[x] = scores[x] < minScore ? 0 : -scores[x];
  const { rowInd, colInd } = linearSumAssignment(cost, k1, k2);
  const match12 = new Int32Array(k1).fill(-1);
  const match21 = new Int32Array(k2).fill(-1);
  rowInd.forEach((i, x) => {
    const j = colInd[x];
    if (scores[i * k2 + j] >= minScore) { match12[i] = j; match21[j] = i; }
  });
  return { match12, match21 };
}

export interface CompareSortingsArgs {
  /** Sorting 1 (2021: the "ground truth" side, whose units the task reports). */
  spikeTrains1: SortingSpikeTrains;
  spikeTrains2: SortingSpikeTrains;
  sampleRateHz: number;
  deltaTimeMs?: number;
  matchScore?: number;
  chanceScore?: number;
}

export interface SortingComparison {
  unitIds1: number[];
  unitIds2: number[];
  deltaFrames: number;
  /** [K1][K2] row-major. */
  matchCounts: Int32Array;
  agreement: Float64Array;
  best: UnitMatch;
  hungarian: UnitMatch;
}

export function compareSortings(args: CompareSortingsArgs): SortingComparison {
  const { spikeTrains1, spikeTrains2, sampleRateHz, deltaTimeMs = 0.4, matchScore = 0.5, chanceScore = 0.1 } = args;
  const unitIds1 = [...spikeTrains1.keys()];
  const unitIds2 = [...spikeTrains2.keys()];
  const trains1 = [...spikeTrains1.values()];
  const trains2 = [...spikeTrains2.values()];
  const deltaFrames = deltaFramesFor(deltaTimeMs, sampleRateHz);
  const matchCounts = matchCountMatrix(trains1, trains2, deltaFrames);
  const agreement = agreementScores(matchCounts, trains1.map((t) => t.length), trains2.map((t) => t.length));
  return {
    unitIds1, unitIds2, deltaFrames, matchCounts, agreement,
    best: bestMatch(agreement, unitIds1.length, unitIds2.length, chanceScore),
    hungarian: hungarianMatch(agreement, unitIds1.length, unitIds2.length, matchScore),
  };
}

/**
 * `get_best_matching_units.2` result: `{String(uid): `${best_match_12[uid]}${suffix}`}` over the
 * units of `sorting`, suffix 'B' when sortingSelector is 'A', 'A' when it is 'B', else ''. An
 * unmatched unit reads "-1B". `sampleRateHz` is the first sorting's, as in 2021.
 */
export function bestMatchingUnits(args: { sorting: SortingSpikeTrains; compareSorting: SortingSpikeTrains; sortingSelector: string; sampleRateHz: number }): Record<string, string> {
  const c = compareSortings({ spikeTrains1: args.sorting, spikeTrains2: args.compareSorting, sampleRateHz: args.sampleRateHz });
  const suffix = args.sortingSelector === 'A' ? 'B' : args.sortingSelector === 'B' ? 'A' : '';
  const out: Record<string, string> = {};
  c.unitIds1.forEach((u, i) => {
    const j = c.best.match12[i];
    out[String(u)] = `${j < 0 ? -1 : c.unitIds2[j]}${suffix}`;
  });
  return out;
}
