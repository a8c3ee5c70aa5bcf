import { timeseriesDsFactor, timeseriesSegmentSize } from '../../../core/tasks/contracts/recording';

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
