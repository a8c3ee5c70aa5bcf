import { timeseriesDsFactor, timeseriesSegmentSize } from '../../../core/tasks/contracts/recording';
import { MAX_FILTERED_SEGMENT_RAW_VALUES as MAX_FILTERED_RAW } from '../../../core/tasks/views/limits';
import { MAX_DS_FACTOR } from '../../../core/tasks/views/pyramid';

/**
 * Which get_timeseries_segment.1 segments cover a visible time range, at which zoom level (2021's
 * power-of-3 ds_factor from the pixel width; segments of ceil(1e5 / channels) points). Pure.
 */
export interface SegmentPlan {
  dsFactor: number;
  segmentSize: number;
  /** Raw frames one segment covers. */
  framesPerSegment: number;
  segmentNums: number[];
}

/** More segments than this for one view means the zoom level is wrong; never ask for them all at once. */
export const MAX_SEGMENTS_PER_VIEW = 24;

export function planSegments(o: { startFrame: number; endFrame: number; numFrames: number; numChannels: number; widthPx: number }): SegmentPlan {
  const visible = Math.max(1, o.endFrame - o.startFrame);
  const dsFactor = timeseriesDsFactor(visible, Math.max(100, o.widthPx), o.numChannels);
  const segmentSize = timeseriesSegmentSize(o.numChannels);
  const framesPerSegment = segmentSize * dsFactor;
  const lastSegment = Math.max(0, Math.ceil(o.numFrames / framesPerSegment) - 1);
  const first = Math.max(0, Math.floor(o.startFrame / framesPerSegment));
  const last = Math.min(lastSegment, Math.floor((Math.min(o.endFrame, o.numFrames) - 1) / framesPerSegment));
  const segmentNums: number[] = [];
  for (let s = first; s <= last && segmentNums.length < MAX_SEGMENTS_PER_VIEW; s++) segmentNums.push(s);
  return { dsFactor, segmentSize, framesPerSegment, segmentNums };
}

/**
 * At most this many filtered segments of the finest level the worker filters are drawn for one
 * coarser view: up to two zoom levels coarser than that level (3² segments), a relay read of at most
 * 9 × 64 Mi samples, each segment computed once and cached for good. Wider views show raw data.
 */
export const MAX_FILTERED_OVERVIEW_SEGMENTS = 9;

/** The coarsest zoom level at which the worker filters a segment of this size on this many channels. */
export function maxFilteredDsFactor(numChannels: number, segmentSize: number): number {
  let ds = 1;
  while (ds * 3 <= MAX_DS_FACTOR && segmentSize * ds * 3 * Math.max(1, numChannels) <= MAX_FILTERED_RAW) ds *= 3;
  return ds;
}

/**
 * What the view asks for: the plan of planSegments, and for a filtered view zoomed out beyond the
 * coarsest level the worker filters, either that level's segments (up to
 * MAX_FILTERED_OVERVIEW_SEGMENTS of them; they are finer than the view needs, and the drawing
 * reduces them per pixel) or, for still wider views, the raw min/max pyramid with `rawFallback`
 * set and `filteredWindowFrames` = the widest window shown filtered, for the notice.
 */
export interface TracesPlan extends SegmentPlan {
  rawFallback: boolean;
  filteredWindowFrames: number;
}

export function planTraces(o: { startFrame: number; endFrame: number; numFrames: number; numChannels: number; widthPx: number; filtered: boolean }): TracesPlan {
  const plan = planSegments(o);
  const capDs = maxFilteredDsFactor(o.numChannels, plan.segmentSize);
  const filteredWindowFrames = MAX_FILTERED_OVERVIEW_SEGMENTS * plan.segmentSize * capDs;
  if (!o.filtered || plan.dsFactor <= capDs) return { ...plan, rawFallback: false, filteredWindowFrames };
  const framesPerSegment = plan.segmentSize * capDs;
  const lastSegment = Math.max(0, Math.ceil(o.numFrames / framesPerSegment) - 1);
  const first = Math.max(0, Math.floor(o.startFrame / framesPerSegment));
  const last = Math.min(lastSegment, Math.floor((Math.min(o.endFrame, o.numFrames) - 1) / framesPerSegment));
  if (last - first + 1 > MAX_FILTERED_OVERVIEW_SEGMENTS) return { ...plan, rawFallback: true, filteredWindowFrames };
  const segmentNums = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  return { dsFactor: capDs, segmentSize: plan.segmentSize, framesPerSegment, segmentNums, rawFallback: false, filteredWindowFrames };
}
