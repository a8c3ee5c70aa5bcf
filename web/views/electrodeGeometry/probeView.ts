/**
 * The probe map's view transform: µm on the probe ↔ CSS pixels on the canvas, y up on the probe
 * (tip at the bottom), one scale for both axes (electrodes stay round). A viewport is the µm point at
 * the canvas's centre and pixels per µm; zoom keeps the point under the cursor fixed.
 */

export interface Bounds { minX: number; maxX: number; minY: number; maxY: number }
export interface Viewport {
  /** Pixels per µm. */
  scale: number;
  /** The µm point at the canvas's centre. */
  cx: number;
  cy: number;
}

/** Pixels between neighbouring electrodes at which their ids are readable. */
export const READABLE_PITCH_PX = 26;
/** Pixels kept around the probe when it is fitted. */
export const FIT_PAD_PX = 24;

export function boundsOf(geom: readonly (readonly [number, number])[]): Bounds {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of geom) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return Number.isFinite(minX) ? { minX, maxX, minY, maxY } : { minX: 0, maxX: 0, minY: 0, maxY: 0 };
}

/** The smallest distance between two distinct electrode positions (20 when there is none). */
export function minElectrodeGap(geom: readonly (readonly [number, number])[]): number {
  // Sorted by y, only neighbours closer in y than the best so far need a look: O(n log n) for a probe.
  const pts = [...geom].sort((a, b) => a[1] - b[1]);
  let best = Infinity;
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length && pts[j][1] - pts[i][1] < best; j++) {
      const d = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
      if (d > 1e-9 && d < best) best = d;
    }
  }
  return Number.isFinite(best) ? best : 20;
}

export function toPx(v: Viewport, w: number, h: number, x: number, y: number): [number, number] {
  return [w / 2 + (x - v.cx) * v.scale, h / 2 - (y - v.cy) * v.scale];
}

export function fromPx(v: Viewport, w: number, h: number, px: number, py: number): [number, number] {
  return [v.cx + (px - w / 2) / v.scale, v.cy - (py - h / 2) / v.scale];
}

/** The µm ranges the canvas shows. */
export function visibleRange(v: Viewport, w: number, h: number): { x: [number, number]; y: [number, number] } {
  const [x0, y1] = fromPx(v, w, h, 0, 0);
  const [x1, y0] = fromPx(v, w, h, w, h);
  return { x: [x0, x1], y: [y0, y1] };
}

/** The scale at which the whole probe fits, its shank outline (0.7 pitch beyond the electrodes) too, with FIT_PAD_PX around it. */
export function fitScale(b: Bounds, minGap: number, w: number, h: number): number {
  const spanX = b.maxX - b.minX + 1.4 * minGap;
  const spanY = b.maxY - b.minY + 1.4 * minGap;
  return Math.max(1e-6, Math.min((w - 2 * FIT_PAD_PX) / spanX, (h - 2 * FIT_PAD_PX) / spanY));
}

/** Zoom limits: a little less than the fit, at most 12× the readable scale. */
export function scaleLimits(b: Bounds, minGap: number, w: number, h: number): [number, number] {
  const fit = fitScale(b, minGap, w, h);
  return [fit * 0.5, Math.max(fit, (READABLE_PITCH_PX / minGap) * 12)];
}

/** Keeps the centre on the probe (it never leaves the view entirely). */
export function clampViewport(v: Viewport, b: Bounds): Viewport {
  const cx = Math.min(b.maxX, Math.max(b.minX, v.cx));
  const cy = Math.min(b.maxY, Math.max(b.minY, v.cy));
  return cx === v.cx && cy === v.cy ? v : { ...v, cx, cy };
}

/** What the automatic view centres on: the selected units' mean x and their vertical extent. */
export interface Focus { x: number; y: number; minY: number; maxY: number }

/**
 * The view before the user zooms or pans: the whole probe when its electrodes are readable that way,
 * else the readable scale (the probe's width still fitted when it can be) centred on `focus` (the
 * selected units, zoomed out as far as needed to show them all), else on the probe's top end (SpikeGLX channel 383's end, where the brain is).
 */
export function autoViewport(b: Bounds, minGap: number, w: number, h: number, focus: Focus | null): Viewport {
  const fit = fitScale(b, minGap, w, h);
  const readable = READABLE_PITCH_PX / minGap;
  if (fit >= readable) return { scale: fit, cx: (b.minX + b.maxX) / 2, cy: (b.minY + b.maxY) / 2 };
  // Selected units farther apart than a readable view shows: zoomed out until they are all in it.
  const spanY = focus ? focus.maxY - focus.minY + 2 * minGap : 0;
  const scale = Math.max(fit, Math.min(readable, (h - 2 * FIT_PAD_PX) / Math.max(spanY, 1e-9)));
  const halfW = (w / 2 - FIT_PAD_PX) / scale;
  const halfH = (h / 2 - FIT_PAD_PX) / scale;
  const clampTo = (c: number, lo: number, hi: number, half: number) => (hi - lo <= 2 * half ? (lo + hi) / 2 : Math.min(hi - half, Math.max(lo + half, c)));
  const cx = clampTo(focus ? focus.x : (b.minX + b.maxX) / 2, b.minX, b.maxX, halfW);
  // The middle of the selected units' extent (their mean could leave the outermost out of view).
  const cy = clampTo(focus ? (focus.minY + focus.maxY) / 2 : b.maxY, b.minY, b.maxY, halfH);
  return { scale, cx, cy };
}

/** Zoom by `factor` (> 1: in) about the pixel (px, py), within `limits`. */
export function zoomAt(v: Viewport, factor: number, px: number, py: number, w: number, h: number, limits: [number, number]): Viewport {
  const scale = Math.min(limits[1], Math.max(limits[0], v.scale * factor));
  if (scale === v.scale) return v;
  const [x, y] = fromPx(v, w, h, px, py);
  // The same µm point stays under (px, py): x = cx' + (px − w/2)/scale'.
  return { scale, cx: x - (px - w / 2) / scale, cy: y + (py - h / 2) / scale };
}

/** The view moved with a drag of (dx, dy) pixels: the probe follows the pointer. */
export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { scale: v.scale, cx: v.cx - dx / v.scale, cy: v.cy + dy / v.scale };
}

/** Whether the whole probe is in view. */
export function showsAll(v: Viewport, b: Bounds, w: number, h: number): boolean {
  const r = visibleRange(v, w, h);
  const e = 1e-6;
  return r.x[0] <= b.minX + e && r.x[1] >= b.maxX - e && r.y[0] <= b.minY + e && r.y[1] >= b.maxY - e;
}

/** The overview strip (for a probe taller than the view): probe y ↔ strip pixel y, over [top, bottom]. */
export interface Strip { top: number; bottom: number }
export const stripPy = (s: Strip, b: Bounds, y: number) => s.bottom - ((y - b.minY) / Math.max(1e-9, b.maxY - b.minY)) * (s.bottom - s.top);
export const stripY = (s: Strip, b: Bounds, py: number) => b.minY + ((s.bottom - py) / Math.max(1e-9, s.bottom - s.top)) * (b.maxY - b.minY);
