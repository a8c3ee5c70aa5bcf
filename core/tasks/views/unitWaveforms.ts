import type { UnitSelection } from '../../kernels/spikeTrains';
import {
  AVERAGE_WAVEFORM_MAX_SPIKES, MAX_NEIGHBORHOOD_SIZE, channelNeighborhood, makeSnippets, meanSnippet, peakChannelIndex, rowsForFrames,
  sampleSpikeFrames, selectSnippets, windowInside, type BandpassFilter, type SnippetLen, type Snippets,
} from '../../kernels/waveforms';
import type { TaskContext } from '../types';
import { TaskError } from '../../taskError';
import type { RecordingRef } from './common';
import { designFilters, snippetFilterMargin } from './filters';
import { planGather, planOverCaps, planSums, runGather, runSums, sumsOverCaps, type GatherMember, type GatherPlan } from './gather';

/**
 * The snippet pipeline every waveform task shares, so that the units table, the average waveform,
 * the amplitudes and the PCA views agree on a unit's channels and sample:
 *
 * Round A (neighbourhoods; skipped when the probe has ≤ 15 channels, which are then every unit's
 * neighbourhood). Like 2021's `find_unit_peak_channels` (first 20 spikes), the first
 * PEAK_SEARCH_SPIKES of each unit's deterministic sample (`sampleSpikeFrames`, a subset of its
 * 500-spike sample) are gathered on ALL channels, over a narrow window around the spike,
 * [−0.5 ms, +1 ms) clipped to snippet_len: the trough and rebound are there, and a full window on a
 * 384-channel probe would triple the cost of the round. The argmax peak-to-peak of their mean is a
 * rough peak; the ≤ 15 channels nearest it are the unit's neighbourhood. Raw data, unfiltered:
 * peak-to-peak is blind to DC offsets.
 *
 * Round B (the sample): up to `maxSpikes` sampled spikes (500 for waveforms, 1000 for PCA, the first
 * 100 for the units table) on the neighbourhood, full snippet_len. The kernels then pick the peak
 * within the neighbourhood from this mean, so the views agree on a unit's peak up to near-ties
 * between the table's 100 spikes and the waveform's 500. Views that need only the mean get it
 * summed at the relay (forEachUnitMean); the others get the snippets (forEachUnitSample).
 *
 * Filters: on a `filtered` recording each round-B snippet is read with a margin on both sides and
 * band-passed on its own (filters.ts); spikes whose widened window leaves the recording are not
 * sampled. Tasks over many units (units table, template similarity) may search and sample fewer
 * spikes per unit so that each round fits the caps of limits.ts (`spikes_per_unit` in their results
 * says how many); single-unit tasks always get the full sample.
 */
export const PEAK_SEARCH_SPIKES = 20;
export const PEAK_SEARCH_WINDOW_MSEC: readonly [number, number] = [0.5, 1.0];
/** Channels a piece of round B may span: units whose neighbourhoods overlap share a chunk. */
export const MAX_PIECE_CHANNELS = MAX_NEIGHBORHOOD_SIZE + 5;

export interface UnitRequest { selection: UnitSelection; times: Float64Array }

export interface WaveformSetup {
  recording: RecordingRef;
  snippetLen: SnippetLen;
  designs: BandpassFilter[];
  /** Frames read on each side of a snippet to filter it on its own (0 without filters). */
  marginFrames: number;
  /** The window a spike must have inside the recording to be sampled: snippet_len plus the margin. */
  eligibility: SnippetLen;
  /** Samples drawn so far, by train and size (sampleFor). */
  samples: WeakMap<Float64Array, Map<number, Float64Array>>;
}

export function waveformSetup(recording: RecordingRef, snippetLen: SnippetLen): WaveformSetup {
  const designs = designFilters(recording.info.filters, recording.info.sampleRateHz);
  const marginFrames = designs.length ? snippetFilterMargin(designs) : 0;
  return { recording, snippetLen, designs, marginFrames, eligibility: [snippetLen[0] + marginFrames, snippetLen[1] + marginFrames], samples: new WeakMap() };
}

export function sampleFor(setup: WaveformSetup, u: UnitRequest, maxSpikes: number): Float64Array {
  // Plans are made several times per task (caps search, rounds A and B, the SNR round): sample once.
  let byN = setup.samples.get(u.times);
  if (!byN) setup.samples.set(u.times, (byN = new Map()));
  let sample = byN.get(maxSpikes);
  if (!sample) byN.set(maxSpikes, (sample = sampleSpikeFrames(u.times, u.selection, setup.recording.info.numFrames, setup.eligibility, maxSpikes)));
  return sample;
}

export function hasEligibleSpikes(setup: WaveformSetup, u: UnitRequest): boolean {
  return u.times.some((t) => windowInside(t, setup.recording.info.numFrames, setup.eligibility));
}

/** Round A's window [before, after) in frames. */
export function peakSearchWindow(setup: WaveformSetup): { before: number; after: number } {
  const sr = setup.recording.info.sampleRateHz;
  return {
    before: Math.min(setup.snippetLen[0], Math.round((PEAK_SEARCH_WINDOW_MSEC[0] * sr) / 1000)),
    after: Math.min(setup.snippetLen[1], Math.max(1, Math.round((PEAK_SEARCH_WINDOW_MSEC[1] * sr) / 1000))),
  };
}

/**
 * Round A's gather (null when the probe is small enough to need none). `adaptive`: when the full
 * peak search of many units exceeds the round caps, search with fewer spikes per unit (the largest
 * number that fits, the same for every unit) instead of refusing.
 */
export function neighborhoodPlan(setup: WaveformSetup, units: readonly UnitRequest[], opts: { adaptive?: boolean; maxRoundValues?: number } = {}):
  { plan: GatherPlan; frames: Float64Array[]; spikesPerUnit: number } | null {
  const { info, uri } = setup.recording;
  if (info.channelIds.length <= MAX_NEIGHBORHOOD_SIZE) return null;
  const w = peakSearchWindow(setup);
  const make = (n: number) => {
    const frames = units.map((u) => sampleFor(setup, u, n));
    const members = frames.map((f) => ({ frames: f, channelIds: info.channelIds }));
    return { plan: planGather({ recording: uri, dtype: info.dtype, before: w.before, after: w.after, members, maxPieceChannels: info.channelIds.length }), frames, spikesPerUnit: n };
  };
  const n = largestFitting(PEAK_SEARCH_SPIKES, opts.adaptive ?? false, (k) => planOverCaps(make(k).plan, opts.maxRoundValues));
  const planned = make(n);
  const over = planOverCaps(planned.plan, opts.maxRoundValues);
  if (over) throw new TaskError(`Finding the channels of ${units.length} units on a ${info.channelIds.length}-channel probe needs ${over}: too many units for one call`);
  return planned;
}

/** maxN if it fits (or when not adaptive), else the largest n in [1, maxN) that fits (1 if none does). */
function largestFitting(maxN: number, adaptive: boolean, over: (n: number) => string | null): number {
  if (!adaptive || !over(maxN)) return maxN;
  let lo = 1;
  let hi = maxN - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (over(mid)) hi = mid - 1; else lo = mid;
  }
  return lo;
}

/** Each unit's neighbourhood (channel ids, rough peak first), or null for a unit without eligible spikes. */
export async function unitNeighborhoods(
  ctx: TaskContext, setup: WaveformSetup, units: readonly UnitRequest[], opts: { adaptive?: boolean; maxRoundValues?: number } = {},
): Promise<(number[] | null)[]> {
  const { info } = setup.recording;
  const planned = neighborhoodPlan(setup, units, opts);
  if (!planned) return units.map((u) => (hasEligibleSpikes(setup, u) ? [...info.channelIds] : null));
  const { plan, frames } = planned;
  const out: (number[] | null)[] = units.map(() => null);
  // Only the mean is needed: the relay sums each unit's snippets (T × all channels per unit, not n × T × all).
  const sums = planSums(plan, frames.map((f) => ({ frames: f, channelIds: info.channelIds })));
  const over = sumsOverCaps(sums);
  if (over) throw new TaskError(`Finding the channels of ${units.length} units on a ${info.channelIds.length}-channel probe needs ${over}: too many units for one call`);
  await runSums(ctx, sums, (m, sum, count) => {
    // Columns in the recording's order (one piece on every channel): the peak's index is its recording index.
    const peak = peakChannelIndex(meanOfSum(sum, count), plan.before + plan.after, info.channelIds.length);
    out[m] = Array.from(channelNeighborhood(info.geom, peak, MAX_NEIGHBORHOOD_SIZE), (i) => info.channelIds[i]);
  });
  return out;
}

const meanOfSum = (sum: Float64Array, count: number) => sum.map((v) => v / count);

/** Round B's gather for `n` spikes per unit. */
export function samplePlan(setup: WaveformSetup, units: readonly UnitRequest[], nbhds: readonly (number[] | null)[], n: number): { plan: GatherPlan; order: number[]; frames: Float64Array[] } {
  const { info, uri } = setup.recording;
  const recIndex = new Map(info.channelIds.map((id, i) => [id, i]));
  const frames = units.map((u, i) => (nbhds[i] ? sampleFor(setup, u, n) : new Float64Array(0)));
  // Units with the same or nearby peaks next to each other, so that they can share pieces.
  const order = units.map((_, i) => i).filter((i) => nbhds[i] && frames[i].length)
    .sort((a, b) => recIndex.get(nbhds[a]![0])! - recIndex.get(nbhds[b]![0])! || a - b);
  const members: GatherMember[] = order.map((i) => ({ frames: frames[i], channelIds: nbhds[i]! }));
  const plan = planGather({
    recording: uri, dtype: info.dtype, before: setup.snippetLen[0] + setup.marginFrames, after: setup.snippetLen[1] + setup.marginFrames,
    members, maxPieceChannels: MAX_PIECE_CHANNELS,
  });
  return { plan, order, frames };
}

/**
 * Round B's plan at the largest sample that fits the round caps: `maxSpikes` (default 500), fewer when
 * `adaptive`; otherwise a plan over the caps is refused with what to change.
 */
function fittingSamplePlan(setup: WaveformSetup, units: readonly UnitRequest[], nbhds: readonly (number[] | null)[],
  opts: { maxSpikes?: number; adaptive?: boolean; maxRoundValues?: number }) {
  const maxSpikes = opts.maxSpikes ?? AVERAGE_WAVEFORM_MAX_SPIKES;
  const n = largestFitting(maxSpikes, opts.adaptive ?? false, (k) => planOverCaps(samplePlan(setup, units, nbhds, k).plan, opts.maxRoundValues));
  const planned = samplePlan(setup, units, nbhds, n);
  const over = planOverCaps(planned.plan, opts.maxRoundValues);
  if (over) {
    throw new TaskError(`Gathering ${n} spikes of each of ${units.length} units needs ${over}: ` +
      (units.length > 1 ? 'too many units for one call' : 'use a shorter snippet_len'));
  }
  return { ...planned, n };
}

/**
 * Round B: hands each unit's sample (float64 `[n][T][M]` on its neighbourhood) to `use` and keeps
 * what it returns (null for units without eligible spikes). `adaptive`: sample fewer spikes per unit
 * when the full sample exceeds the round caps; otherwise such a request is refused.
 */
export async function forEachUnitSample<R>(
  ctx: TaskContext, setup: WaveformSetup, units: readonly UnitRequest[], nbhds: readonly (number[] | null)[],
  use: (unit: number, snippets: Snippets, channelIds: number[], frames: Float64Array) => R,
  opts: { maxSpikes?: number; adaptive?: boolean; /** Tests only. */ maxRoundValues?: number } = {},
): Promise<{ results: (R | null)[]; spikesPerUnit: number }> {
  const { plan, order, frames, n } = fittingSamplePlan(setup, units, nbhds, opts);
  const results: (R | null)[] = units.map(() => null);
  await runGather(ctx, plan, (piece, s) => {
    for (const m of piece.members) {
      const unit = order[m];
      const sel = selectSnippets(s, rowsForFrames(piece.frames, frames[unit]), plan.memberCols[m]);
      results[unit] = use(unit, sel, nbhds[unit]!, frames[unit]);
    }
  }, { designs: setup.designs, marginFrames: setup.marginFrames, numFrames: setup.recording.info.numFrames });
  return { results, spikesPerUnit: n };
}

/** A unit's sample reduced to what mean-based views need. */
export interface UnitMean {
  /** float64 `[T][M]` on the unit's neighbourhood, in its order. */
  mean: Float64Array;
  numSpikes: number;
  numSamples: number;
  numChannels: number;
  /** With `detailChannel`: every sampled snippet on that channel, `[n][T][1]`. */
  detail?: Snippets;
}

/**
 * Round B for views that need only each unit's mean (average waveform, units table, template
 * similarity, the amplitude window): the same sample as forEachUnitSample, but the relay sums it
 * (`snippetSums`), so T × M values per unit travel instead of n × T × M. `detailChannel(unit)` also
 * brings that unit's snippets on one of its channels (the SNR's peak channel). On a recording with
 * filters the snippets are filtered one by one, so the full sample is gathered and reduced here.
 */
export async function forEachUnitMean<R>(
  ctx: TaskContext, setup: WaveformSetup, units: readonly UnitRequest[], nbhds: readonly (number[] | null)[],
  use: (unit: number, m: UnitMean, channelIds: number[]) => R,
  opts: { maxSpikes?: number; adaptive?: boolean; detailChannel?: (unit: number) => number; /** Tests only. */ maxRoundValues?: number } = {},
): Promise<{ results: (R | null)[]; spikesPerUnit: number }> {
  const detailOf = (s: Snippets, col: number): Snippets => selectSnippets(s, undefined, [col]);
  if (setup.designs.length) {
    return forEachUnitSample(ctx, setup, units, nbhds, (unit, s, channelIds) => {
      const d = opts.detailChannel?.(unit);
      return use(unit, {
        mean: meanSnippet(s), numSpikes: s.numSpikes, numSamples: s.numSamples, numChannels: s.numChannels,
        ...(d !== undefined ? { detail: detailOf(s, channelIds.indexOf(d)) } : {}),
      }, channelIds);
    }, opts);
  }
  // The relay still reads every sampled snippet: the read caps of limits.ts bound its work per round.
  const { plan, order, frames, n } = fittingSamplePlan(setup, units, nbhds, opts);
  const members = order.map((u) => ({ frames: frames[u], channelIds: nbhds[u]! }));
  const sums = planSums(plan, members, opts.detailChannel ? order.map((u) => opts.detailChannel!(u)) : undefined);
  const sumsOver = sumsOverCaps(sums);
  if (sumsOver) throw new TaskError(`Gathering ${n} spikes of each of ${units.length} units needs ${sumsOver}: too many units for one call`);
  const T = plan.before + plan.after;
  const results: (R | null)[] = units.map(() => null);
  await runSums(ctx, sums, (m, sum, count, detail) => {
    const unit = order[m];
    const cols = plan.memberCols[m];
    const pieceC = sum.length / T;
    const M = cols.length;
    const mean = new Float64Array(T * M);
    for (let t = 0; t < T; t++) for (let c = 0; c < M; c++) mean[t * M + c] = sum[t * pieceC + cols[c]] / count;
    results[unit] = use(unit, {
      mean, numSpikes: count, numSamples: T, numChannels: M,
      ...(detail ? { detail: makeSnippets(detail, T, 1) } : {}),
    }, nbhds[unit]!);
  });
  return { results, spikesPerUnit: n };
}
