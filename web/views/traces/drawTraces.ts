import { columnSpans, heatmapCells, heatmapRgba, robustLimit } from './heatmap';
import { envelopePolygon, runSeries, segmentRuns } from './runs';
import type { DrawRequest, DrawStats, SegmentData } from './WorkerTypes';

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export const LABEL_WIDTH = 44;
export const AXIS_HEIGHT = 18;

/**
 * Draws the traces of `req` from the segments it names, in one of two modes:
 * - lines: per channel, a polyline of raw samples at ds 1, a filled min/max band above (the envelope
 *   stays exact at any zoom), one path across neighbouring segments (runs.ts) so seams never show;
 *   each channel is centred on its row by subtracting its mean over the visible samples (raw data
 *   carries DC offsets);
 * - heatmap: one image row per channel, one column per device pixel (heatmap.ts), put as ImageData
 *   and scaled to the plot.
 * Each segment carries its own zoom level, so while a new level loads the previous one can stand in.
 * Missing segments leave gaps. Runs in the worker, or on the main thread as a fallback.
 */
export function drawTraces(ctx: Ctx, req: DrawRequest, segments: Map<string, SegmentData>): DrawStats {
  const started = performance.now();
  const { width: W, height: H } = req;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  const plotX = LABEL_WIDTH;
  const plotW = Math.max(1, W - LABEL_WIDTH - 6);
  const plotH = Math.max(1, H - AXIS_HEIGHT);
  const span = Math.max(1, req.endFrame - req.startFrame);
  const xOf = (frame: number) => plotX + ((frame - req.startFrame) / span) * plotW;
  const rows = req.channelIndices.length;
  const rowH = plotH / Math.max(1, rows);
  const segs = req.segmentKeys.map((k) => segments.get(k)).filter((s): s is SegmentData => !!s);
  const heat = req.mode === 'heatmap';

  // Markers under line traces; over a heat map (which is opaque) only their heads are drawn, after it.
  if (!heat) drawMarkers(ctx, req, xOf, plotH, true);

  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillStyle = '#5b6675';
  for (let r = 0; r < rows; r++) {
    if (rowH >= 9 || r % Math.ceil(9 / rowH) === 0) ctx.fillText(req.channelLabels[r], LABEL_WIDTH - 4, r * rowH + rowH / 2);
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(plotX, 0, plotW, plotH);
  ctx.clip();
  const body = heat ? drawHeatmap(ctx, req, segs, plotX, plotW, plotH) : { points: drawLines(ctx, req, segs, xOf, rowH), colorLimit: 0 };
  ctx.restore();
  if (heat) drawMarkers(ctx, req, xOf, plotH, false);

  if (req.currentFrame !== null && req.currentFrame >= req.startFrame && req.currentFrame < req.endFrame) {
    const x = Math.round(xOf(req.currentFrame)) + 0.5;
    ctx.strokeStyle = heat ? '#111111' : '#d62728';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, plotH);
    ctx.stroke();
  }

  drawTimeAxis(ctx, req, xOf, W, plotH);
  return {
    pointsDrawn: body.points, segmentsMissing: req.segmentsPending + req.segmentKeys.length - segs.length, channels: rows, mode: req.mode, viewKey: req.viewKey,
    drawMs: performance.now() - started, colorLimit: body.colorLimit,
  };
}

function drawLines(ctx: Ctx, req: DrawRequest, segs: SegmentData[], xOf: (f: number) => number, rowH: number): number {
  const baseScale = (rowH / req.referenceAmplitude) * req.ampScaleFactor;
  const runs = segmentRuns(segs);
  let points = 0;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#23324a';
  ctx.fillStyle = '#23324a';
  ctx.lineJoin = 'round';
  for (let r = 0; r < req.channelIndices.length; r++) {
    const c = req.channelIndices[r];
    const yScale = baseScale * (req.channelScale?.[c] ?? 1);
    const mid = r * rowH + rowH / 2;
    const series = runs.map((run) => ({ run, s: runSeries(run, c, req.startFrame, req.endFrame) }));
    // Mean of the visible values of this channel, over all runs.
    let sum = 0;
    let n = 0;
    for (const { s } of series) for (let i = 0; i < s.frames.length; i++) { sum += s.lo[i] + s.hi[i]; n += 2; }
    const offset = n ? sum / n : 0;
    for (const { run, s } of series) {
      if (!s.frames.length) continue;
      const xs = s.frames.map(xOf);
      points += xs.length;
      if (run.dsFactor === 1) {
        ctx.beginPath();
        for (let i = 0; i < xs.length; i++) {
          const y = mid - (s.lo[i] - offset) * yScale;
          if (i === 0) ctx.moveTo(xs[i], y);
          else ctx.lineTo(xs[i], y);
        }
        ctx.stroke();
      } else {
        const poly = envelopePolygon(xs, s.lo.map((v) => mid - (v - offset) * yScale), s.hi.map((v) => mid - (v - offset) * yScale));
        ctx.beginPath();
        ctx.moveTo(poly[0], poly[1]);
        for (let i = 2; i < poly.length; i += 2) ctx.lineTo(poly[i], poly[i + 1]);
        ctx.closePath();
        ctx.fill();
      }
    }
  }
  return points;
}

function drawHeatmap(ctx: Ctx, req: DrawRequest, segs: SegmentData[], plotX: number, plotW: number, plotH: number): { points: number; colorLimit: number } {
  const rows = req.channelIndices.length;
  const cols = Math.max(1, Math.round(plotW * req.dpr));
  if (!rows) return { points: 0, colorLimit: 0 };
  const { cells } = heatmapCells(columnSpans(segs, req.startFrame, req.endFrame, cols), req.channelIndices);
  if (req.channelScale) scaleRows(cells, cols, req.channelIndices, req.channelScale);
  // Amplitude up (↑) narrows the colour range: more contrast, as it enlarges line traces.
  const colorLimit = robustLimit(cells) / Math.max(1e-6, req.ampScaleFactor);
  const image = new ImageData(heatmapRgba(cells, colorLimit) as Uint8ClampedArray<ArrayBuffer>, cols, rows);
  const tile = new OffscreenCanvas(cols, rows);
  tile.getContext('2d')!.putImageData(image, 0, 0);
  // Rows are crisp when each channel gets a pixel or more; squeezed into fewer pixels (384 channels
  // in ~330 px), smoothing averages neighbouring channels instead of silently dropping some.
  ctx.imageSmoothingEnabled = rows > plotH * req.dpr;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(tile, plotX, 0, plotW, plotH);
  ctx.imageSmoothingEnabled = true;
  return { points: rows * cols, colorLimit };
}

/** Each row of a heat map's cells times its channel's scale (channelScale: raw values to a common scale). */
export function scaleRows(cells: Float32Array, cols: number, channelIndices: readonly number[], channelScale: readonly number[]): void {
  channelIndices.forEach((c, r) => {
    const k = channelScale[c] ?? 1;
    if (k !== 1) for (let j = r * cols; j < (r + 1) * cols; j++) cells[j] *= k;
  });
}

/**
 * The per-channel factors of DrawRequest.channelScale from recording_info.3's
 * `channel_gains_uv_per_bit`: each gain over the median one, so raw values of channels recorded at
 * different gains draw at one µV scale; undefined when there are no per-channel gains.
 */
export function channelScaleOf(gains: readonly number[] | undefined): number[] | undefined {
  if (!gains?.length || !gains.every((g) => g > 0 && Number.isFinite(g))) return undefined;
  const sorted = [...gains].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
  return gains.map((g) => g / median);
}

function drawMarkers(ctx: Ctx, req: DrawRequest, xOf: (f: number) => number, plotH: number, withLine: boolean): void {
  for (const m of req.markers) {
    if (m.frame < req.startFrame || m.frame >= req.endFrame) continue;
    const x = Math.round(xOf(m.frame)) + 0.5;
    if (withLine) {
      ctx.strokeStyle = m.color;
      ctx.globalAlpha = 0.35;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, plotH);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    ctx.fillStyle = m.color;
    ctx.beginPath();
    ctx.moveTo(x - 4, 0);
    ctx.lineTo(x + 4, 0);
    ctx.lineTo(x, 7);
    ctx.fill();
  }
}

function drawTimeAxis(ctx: Ctx, req: DrawRequest, xOf: (f: number) => number, W: number, plotH: number): void {
  ctx.fillStyle = '#f1f3f6';
  ctx.fillRect(0, plotH, W, AXIS_HEIGHT);
  ctx.fillStyle = '#3b4554';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const t0 = req.startFrame / req.sampleRateHz;
  const t1 = req.endFrame / req.sampleRateHz;
  const raw = (t1 - t0) / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const x = xOf(t * req.sampleRateHz);
    ctx.fillRect(x, plotH, 1, 4);
    ctx.fillText(`${t.toFixed(digits)} s`, x, plotH + AXIS_HEIGHT / 2 + 2);
  }
}
