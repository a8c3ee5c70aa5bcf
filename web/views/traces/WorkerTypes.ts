/**
 * Messages between the traces view and its drawing worker. Segments are sent once (by task hash) and
 * kept in the worker; each draw names the ones it needs, so panning and zooming move no sample data.
 */
export interface SegmentData {
  key: string;
  dsFactor: number;
  segmentNum: number;
  segmentSize: number;
  numChannels: number;
  /** Values per channel: frames at ds 1, 2 × blocks (min, max interleaved) above. */
  pointsPerChannel: number;
  /** Channel-major [numChannels][pointsPerChannel]. */
  data: Float32Array;
}

export interface SpikeMarker { frame: number; color: string }

export interface DrawRequest {
  width: number;
  height: number;
  dpr: number;
  startFrame: number;
  endFrame: number;
  sampleRateHz: number;
  dsFactor: number;
  segmentSize: number;
  segmentKeys: string[];
  /** Row order, top to bottom: indices into the recording's channels, with their labels. */
  channelIndices: number[];
  channelLabels: string[];
  /** Amplitude (data units) that fills one channel row at amplitude scale 1. */
  referenceAmplitude: number;
  /**
   * Per recording channel, the factor that brings its raw values to a common scale (its µV per bit
   * over the median channel's: NP1.0 imroTbl gains differ by channel); absent when all gains agree.
   */
  channelScale?: number[];
  ampScaleFactor: number;
  markers: SpikeMarker[];
  currentFrame: number | null;
  /** Lines (polylines at ds 1, filled min/max bands above), or a heat map of one row per channel. */
  mode: 'lines' | 'heatmap';
  /** Segments of this view still loading (counted as missing in the stats). */
  segmentsPending: number;
  /** Names the view this request draws (range, zoom level, filter, mode); echoed in the stats. */
  viewKey: string;
}

export type ToWorker =
  | { type: 'segment'; segment: SegmentData }
  | { type: 'forget'; keys: string[] }
  | { type: 'draw'; id: number; request: DrawRequest };

export interface DrawStats {
  pointsDrawn: number;
  segmentsMissing: number;
  channels: number;
  mode: 'lines' | 'heatmap';
  /** Time spent drawing, in the worker (or on the main thread). */
  drawMs: number;
  /** Heat map: the colour scale's half-range (data units) after the amplitude scale; 0 in lines mode. */
  colorLimit: number;
  /** The request's viewKey: stats describe what is on the canvas only while it matches the view. */
  viewKey: string;
}

export type FromWorker =
  | { type: 'drawn'; id: number; bitmap: ImageBitmap; stats: DrawStats }
  | { type: 'error'; id: number; message: string };
