import type { DrawRequest, DrawStats, SegmentData } from './WorkerTypes';

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export const LABEL_WIDTH = 44;
export const AXIS_HEIGHT = 18;

/**
 * Draws the traces of `req` from the segments it names: polylines of raw samples at ds 1, one
 * vertical min–max stroke per block above (the envelope stays exact at any zoom). Each segment
 * carries its own zoom level, so while a new level loads the previous one can stand in. Each channel is
 * centred on its row by subtracting its mean over the visible samples (raw data carries DC offsets).
 * Missing segments leave gaps. Runs in the worker, or on the main thread as a fallback.
 */
export function drawTraces(ctx: Ctx, req: DrawRequest, segments: Map<string, SegmentData>): DrawStats {
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
  const yScale = (rowH / req.referenceAmplitude) * req.ampScaleFactor;
  const segs = req.segmentKeys.map((k) => segments.get(k)).filter((s): s is SegmentData => !!s);
  let points = 0;

  // Markers under the traces.
  for (const m of req.markers) {
    if (m.frame < req.startFrame || m.frame >= req.endFrame) continue;
    const x = Math.round(xOf(m.frame)) + 0.5;
    ctx.strokeStyle = m.color;
    ctx.globalAlpha = 0.35;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, plotH);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillStyle = m.color;
    ctx.beginPath();
    ctx.moveTo(x - 4, 0);
    ctx.lineTo(x + 4, 0);
    ctx.lineTo(x, 7);
    ctx.fill();
  }

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
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#23324a';
  for (let r = 0; r < rows; r++) {
    const c = req.channelIndices[r];
    const mid = r * rowH + rowH / 2;
    // Mean of the visible values of this channel, over all segments.
    let sum = 0;
    let n = 0;
    for (const s of segs) {
      const base = c * s.pointsPerChannel;
      const f0 = s.segmentNum * s.segmentSize * s.dsFactor;
      const step = s.dsFactor === 1 ? 1 : 2;
      const per = s.dsFactor;
      const i0 = Math.max(0, Math.floor((req.startFrame - f0) / per) * step);
      const i1 = Math.min(s.pointsPerChannel, Math.ceil((req.endFrame - f0) / per) * step);
      for (let i = i0; i < i1; i++) { sum += s.data[base + i]; n++; }
    }
    const offset = n ? sum / n : 0;
    ctx.beginPath();
    for (const s of segs) {
      const base = c * s.pointsPerChannel;
      const f0 = s.segmentNum * s.segmentSize * s.dsFactor;
      if (s.dsFactor === 1) {
        const i0 = Math.max(0, req.startFrame - f0 - 1);
        const i1 = Math.min(s.pointsPerChannel, req.endFrame - f0 + 1);
        for (let i = i0; i < i1; i++) {
          const x = xOf(f0 + i);
          const y = mid - (s.data[base + i] - offset) * yScale;
          if (i === i0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
        points += Math.max(0, i1 - i0);
      } else {
        const blocks = s.pointsPerChannel / 2;
        const b0 = Math.max(0, Math.floor((req.startFrame - f0) / s.dsFactor) - 1);
        const b1 = Math.min(blocks, Math.ceil((req.endFrame - f0) / s.dsFactor) + 1);
        for (let b = b0; b < b1; b++) {
          const x = xOf(f0 + (b + 0.5) * s.dsFactor);
          const lo = mid - (s.data[base + 2 * b] - offset) * yScale;
          const hi = mid - (s.data[base + 2 * b + 1] - offset) * yScale;
          ctx.moveTo(x, lo + 0.5);
          ctx.lineTo(x, hi - 0.5);
        }
        points += Math.max(0, b1 - b0);
      }
    }
    ctx.stroke();
  }
  ctx.restore();

  if (req.currentFrame !== null && req.currentFrame >= req.startFrame && req.currentFrame < req.endFrame) {
    const x = Math.round(xOf(req.currentFrame)) + 0.5;
    ctx.strokeStyle = '#d62728';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, plotH);
    ctx.stroke();
  }

  // Time axis (seconds).
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
  return { pointsDrawn: points, segmentsMissing: req.segmentKeys.length - segs.length, channels: rows };
}
