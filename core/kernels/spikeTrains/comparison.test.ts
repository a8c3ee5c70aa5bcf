import { beforeAll, describe, expect, it } from 'vitest';
import { agreementScores, bestMatchingUnits, compareSortings, countMatchingEvents, deltaFramesFor, matchCountMatrix } from './comparison';
import { runOracle } from '../../../test/oracles/runOracle';
import { asSortingMap, echoTrain, edgeCaseSorting, poissonTrain, randomSorting, seededRandom } from './testing/sortings';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('count_matching_events (runs of adjacent cross-train pairs within delta)', () => {
  it('counts by hand', () => {
    expect(countMatchingEvents(f64([10, 100]), f64([12, 300]), 5)).toBe(1);
    expect(countMatchingEvents(f64([10, 14]), f64([12]), 5)).toBe(1); // A B A: one run
    expect(countMatchingEvents(f64([10, 13]), f64([11, 12]), 5)).toBe(2); // A B B A: two runs
    expect(countMatchingEvents(f64([10, 10]), f64([10, 10]), 5)).toBe(1); // stable order A A B B: one run
    expect(countMatchingEvents(f64([0]), f64([12]), 12)).toBe(1); // gap == delta matches
    expect(countMatchingEvents(f64([0]), f64([13]), 12)).toBe(0);
    expect(countMatchingEvents(new Float64Array(0), f64([1]), 12)).toBe(0);
  });

  it('delta_frames = int(0.4 / 1000 * fs)', () => {
    expect([deltaFramesFor(0.4, 30000), deltaFramesFor(0.4, 20000), deltaFramesFor(0.4, 24414.0625)]).toEqual([12, 8, 9]);
  });

  it('agreement = m / (n1 + n2 - m), 0 for two empty trains', () => {
    expect(Array.from(agreementScores(Int32Array.from([3, 0]), [4], [5, 0]))).toEqual([3 / 6, 0]);
  });
});

describe('the close-pair matrix equals count_matching_events on every pair', () => {
  const rng = seededRandom(61);
  // Dense trains in a short range: many ties, duplicates and interleavings.
  const dense = (k: number) => Array.from({ length: k }, () => Float64Array.from({ length: 5 + Math.floor(rng() * 150) }, () => Math.floor(rng() * 1500)).sort());
  const edge = edgeCaseSorting(62).trains;
  const cases: [string, Float64Array[], Float64Array[], number][] = [
    ['dense, delta 3', dense(6), dense(7), 3],
    ['dense, delta 0', dense(5), dense(5), 0],
    ['dense, delta 12', dense(4), dense(6), 12],
    ['edge-case sorting against itself', edge, edge, 12],
    ['edge cases against an echo', edge, edge.map((t) => echoTrain(rng, t, 0.7, [0, 3, -5, 12, 13], 1_200_000)), 12],
  ];
  cases.forEach(([name, a, b, delta]) => {
    it(name, () => {
      const m = matchCountMatrix(a, b, delta);
      const expected = a.flatMap((x) => b.map((y) => countMatchingEvents(x, y, delta)));
      expect(Array.from(m)).toEqual(expected);
      expect(expected.some((x) => x > 0)).toBe(true);
    });
  });
});

/** A second sorting derived from the first: jittered copies, an over-merge, a split, noise, an empty unit. */
function derivedSorting(seed: number, trains: Float64Array[], numFrames: number): Float64Array[] {
  const rng = seededRandom(seed);
  const jitter = (t: Float64Array, maxJitter: number, keep: number) =>
    Float64Array.from(Array.from(t).filter(() => rng() < keep).map((x) => Math.min(numFrames - 1, Math.max(0, x + Math.round((rng() * 2 - 1) * maxJitter))))).sort();
  const union = (...ts: Float64Array[]) => Float64Array.from(ts.flatMap((t) => Array.from(t))).sort();
  return [
    jitter(trains[2], 15, 0.9),
    union(trains[5], trains[3]),
    Float64Array.from(Array.from(trains[6]).filter((_, i) => i % 2 === 0)),
    Float64Array.from(Array.from(trains[6]).filter((_, i) => i % 2 === 1)),
    poissonTrain(rng, 20, numFrames, 30000),
    trains[4].slice(),
    new Float64Array(0),
    jitter(trains[7], 0, 1),
    union(jitter(trains[5], 12, 0.6), poissonTrain(rng, 15, numFrames, 30000)),
  ];
}

describe('parity with spikecomparison (numpy oracle)', () => {
  const s1 = edgeCaseSorting(63);
  const s2 = derivedSorting(64, s1.trains, s1.numFrames);
  const r1 = randomSorting(65, 9, 90);
  const r2 = derivedSorting(66, r1.trains, r1.numFrames);
  const configs = [
    { name: 'edge-case sorting vs a derived sorting', a: s1.trains, b: s2, sr: 30000 },
    { name: 'derived vs edge-case (swapped)', a: s2, b: s1.trains, sr: 30000 },
    { name: 'random sorting vs a derived sorting at 20 kHz (delta 8)', a: r1.trains, b: r2, sr: 20000 },
    { name: 'a sorting vs itself', a: r1.trains, b: r1.trains, sr: 30000 },
  ];
  let results: { delta_frames: number; match_counts: number[]; agreement: number[]; best12: number[]; best21: number[]; hungarian12: number[]; hungarian21: number[] }[] = [];
  beforeAll(() => {
    results = runOracle('spike_trains', configs.map((c) => ({ op: 'comparison', trains1: c.a, trains2: c.b, sample_rate: c.sr })));
  });
  configs.forEach((c, k) => {
    it(c.name, () => {
      const r = compareSortings({ spikeTrains1: asSortingMap(c.a), spikeTrains2: asSortingMap(c.b), sampleRateHz: c.sr });
      const o = results[k];
      expect(r.deltaFrames).toBe(o.delta_frames);
      expect(Array.from(r.matchCounts)).toEqual(o.match_counts);
      Array.from(r.agreement).forEach((x, i) => expect(Math.abs(x - o.agreement[i])).toBeLessThanOrEqual(1e-12));
      expect([Array.from(r.best.match12), Array.from(r.best.match21)]).toEqual([o.best12, o.best21]);
      expect([Array.from(r.hungarian.match12), Array.from(r.hungarian.match21)]).toEqual([o.hungarian12, o.hungarian21]);
      if (c.a === c.b) expect(o.best12).toEqual(c.a.map((_, i) => i)); // every unit matches itself
      else expect([o.best12.some((x) => x >= 0), o.best12.some((x) => x < 0)]).toEqual([true, true]);
    });
  });

  it('get_best_matching_units.2 reports "<best_match_12 id><other selector>", "-1…" when unmatched', () => {
    const sorting = asSortingMap(s1.trains);
    const compare = asSortingMap(s2, (i) => 100 + i);
    const a = bestMatchingUnits({ sorting, compareSorting: compare, sortingSelector: 'A', sampleRateHz: 30000 });
    const o = results[0];
    expect(Object.keys(a)).toEqual([...sorting.keys()].map(String));
    [...sorting.keys()].forEach((u, i) => expect(a[String(u)]).toBe(`${o.best12[i] < 0 ? -1 : 100 + o.best12[i]}B`));
    expect(Object.values(a)).toContain('-1B');
    const b = bestMatchingUnits({ sorting, compareSorting: compare, sortingSelector: 'B', sampleRateHz: 30000 });
    const other = bestMatchingUnits({ sorting, compareSorting: compare, sortingSelector: 'C', sampleRateHz: 30000 });
    expect(Object.values(b).every((v) => v.endsWith('A'))).toBe(true);
    expect(Object.values(other)).toEqual(Object.values(a).map((v) => v.slice(0, -1)));
  });
});
