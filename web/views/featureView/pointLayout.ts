/**
 * Where the feature view draws each spike: data → pixels in a plot box, with points beyond the robust
 * ranges (robustRange.ts) put on the box's edge, where they are drawn hollow, so that a few outliers
 * neither squash the plot nor disappear. Units are contiguous runs of points (the task's rows are
 * unit by unit, `spike_counts` long each).
 */
export interface PlotBox {
  x: number; y: number; w: number; h: number;
  xRange: readonly [number, number];
  yRange: readonly [number, number];
}

export interface PointLayout {
  /** Pixel centres, one per point. */
  px: Float32Array;
  py: Float32Array;
  /** 1 where the point lies outside a range and was put on the edge. */
  clipped: Uint8Array;
  /** Each unit's run of points: [start, start + count). */
  units: { start: number; count: number }[];
  numClipped: number;
}

const toPx = (v: number, lo: number, hi: number, size: number) => ((v - lo) / (hi - lo || 1)) * size;

export function layoutPoints(xs: ArrayLike<number>, ys: ArrayLike<number>, counts: ArrayLike<number>, box: PlotBox): PointLayout {
  const N = xs.length;
  if (ys.length !== N) throw new RangeError(`layoutPoints: ${N} x and ${ys.length} y values`);
  let total = 0;
  const units = Array.from(counts, (count) => { const u = { start: total, count }; total += count; return u; });
  if (total !== N) throw new RangeError(`layoutPoints: counts add up to ${total}, not ${N} points`);
  const px = new Float32Array(N);
  const py = new Float32Array(N);
  const clipped = new Uint8Array(N);
  let numClipped = 0;
  for (let i = 0; i < N; i++) {
    let fx = toPx(xs[i], box.xRange[0], box.xRange[1], box.w);
    let fy = toPx(ys[i], box.yRange[0], box.yRange[1], box.h);
    let out = false;
    if (!(fx >= 0)) { fx = 0; out = true; } else if (fx > box.w) { fx = box.w; out = true; }
    if (!(fy >= 0)) { fy = 0; out = true; } else if (fy > box.h) { fy = box.h; out = true; }
    px[i] = box.x + fx;
    py[i] = box.y + box.h - fy;
    if (out) { clipped[i] = 1; numClipped++; }
  }
  return { px, py, clipped, units, numClipped };
}

/** The point nearest (cx, cy) within `maxDist` pixels, or −1. */
export function nearestPoint(l: PointLayout, cx: number, cy: number, maxDist = 8): number {
  let best = -1;
  let bestD = maxDist * maxDist;
  for (let i = 0; i < l.px.length; i++) {
    const d = (l.px[i] - cx) ** 2 + (l.py[i] - cy) ** 2;
    if (d <= bestD) { bestD = d; best = i; }
  }
  return best;
}

/**
 * The plot boxes of an n × n grid filling a `width` × `height` area (row-major, row 0 at the top),
 * each inset by `pad` pixels from its cell (room for a caption above it).
 */
export function gridBoxes(width: number, height: number, n: number, pad: { left: number; right: number; top: number; bottom: number }): { x: number; y: number; w: number; h: number }[] {
  const cw = width / n;
  const ch = height / n;
  const out: { x: number; y: number; w: number; h: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out.push({ x: j * cw + pad.left, y: i * ch + pad.top, w: Math.max(4, cw - pad.left - pad.right), h: Math.max(4, ch - pad.top - pad.bottom) });
    }
  }
  return out;
}

/** The cell of a grid of boxes that contains (cx, cy), or −1. */
export function boxAt(boxes: readonly { x: number; y: number; w: number; h: number }[], cx: number, cy: number): number {
  return boxes.findIndex((b) => cx >= b.x && cx <= b.x + b.w && cy >= b.y && cy <= b.y + b.h);
}
