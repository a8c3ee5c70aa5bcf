import { ticks } from '../../components/PlotCanvas';

/** A plot area with linear axes: data → pixels, and the tick labels drawn around it. */
export interface Axes {
  x: number; y: number; w: number; h: number;
  xRange: [number, number];
  yRange: [number, number];
}

export const px = (a: Axes, vx: number) => a.x + ((vx - a.xRange[0]) / (a.xRange[1] - a.xRange[0] || 1)) * a.w;
export const py = (a: Axes, vy: number) => a.y + a.h - ((vy - a.yRange[0]) / (a.yRange[1] - a.yRange[0] || 1)) * a.h;
export const xOfPx = (a: Axes, p: number) => a.xRange[0] + ((p - a.x) / (a.w || 1)) * (a.xRange[1] - a.xRange[0]);

export function drawAxes(ctx: CanvasRenderingContext2D, a: Axes, o: { xLabel?: string; yLabel?: string; xTicks?: boolean; yTicks?: boolean } = {}): void {
  ctx.strokeStyle = '#9aa4b1';
  ctx.lineWidth = 1;
  ctx.strokeRect(a.x + 0.5, a.y + 0.5, a.w, a.h);
  ctx.fillStyle = '#3b4554';
  ctx.font = '10px system-ui, sans-serif';
  if (o.xTicks !== false) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of ticks(a.xRange[0], a.xRange[1], Math.max(2, Math.floor(a.w / 80)))) {
      const x = px(a, t);
      ctx.fillRect(x, a.y + a.h, 1, 4);
      ctx.fillText(String(t), x, a.y + a.h + 5);
    }
  }
  if (o.yTicks !== false) {
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of ticks(a.yRange[0], a.yRange[1], Math.max(2, Math.floor(a.h / 40)))) {
      const y = py(a, t);
      ctx.fillRect(a.x - 4, y, 4, 1);
      ctx.fillText(String(t), a.x - 6, y);
    }
  }
  if (o.xLabel) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(o.xLabel, a.x + a.w / 2, a.y + a.h + 30);
  }
  if (o.yLabel) {
    ctx.save();
    ctx.translate(a.x - 40, a.y + a.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(o.yLabel, 0, 0);
    ctx.restore();
  }
}

/** Points as small squares, clipped to the axes. */
export function drawPoints(ctx: CanvasRenderingContext2D, a: Axes, xs: ArrayLike<number>, ys: ArrayLike<number>, color: string, size = 2, alpha = 0.7): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(a.x, a.y, a.w, a.h);
  ctx.clip();
  ctx.fillStyle = color;
  ctx.globalAlpha = alpha;
  const h = size / 2;
  for (let i = 0; i < xs.length; i++) ctx.fillRect(px(a, xs[i]) - h, py(a, ys[i]) - h, size, size);
  ctx.restore();
}

/** Min and max of arrays (NaN skipped), padded by `pad` of the span. */
export function extent(arrays: ArrayLike<number>[], pad = 0.05): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) for (let i = 0; i < a.length; i++) { const v = a[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi === lo) return [lo - 1, hi + 1];
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}
