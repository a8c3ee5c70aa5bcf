import { useLayoutEffect, useRef, type CanvasHTMLAttributes } from 'react';

export type DrawFn = (ctx: CanvasRenderingContext2D, width: number, height: number) => void;

/**
 * A canvas sized in CSS pixels and drawn at the device's resolution. `draw` runs after every change
 * of size or of `draw` itself (callers memoize it with useCallback on what it depends on).
 */
export function PlotCanvas({ width, height, draw, ...rest }: { width: number; height: number; draw: DrawFn } & Omit<CanvasHTMLAttributes<HTMLCanvasElement>, 'width' | 'height'>) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const c = ref.current;
    if (!c || width <= 0 || height <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw(ctx, width, height);
  }, [width, height, draw]);
  return <canvas ref={ref} style={{ width, height, display: 'block' }} {...rest} />;
}

/** Nice tick values for an axis over [lo, hi], about `count` of them. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
