import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * A view's own time window (seconds) over [0, durationSec]: wheel zooms about the pointer, drag pans,
 * double-click resets. `plotLeft`/`plotWidth` say where the time axis is inside the element.
 */
export function useTimeZoom(elRef: RefObject<HTMLElement | null>, durationSec: number, plotLeft: number, plotWidth: number) {
  const [range, setRange] = useState<[number, number]>([0, durationSec]);
  useEffect(() => setRange([0, durationSec]), [durationSec]);
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const clamp = (a: number, b: number): [number, number] => {
    const span = Math.min(durationSec, Math.max(durationSec / 1e5, b - a));
    const start = Math.min(Math.max(0, a), durationSec - span);
    return [start, start + span];
  };
  useEffect(() => {
    const el = elRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const [a, b] = rangeRef.current;
      const rect = el.getBoundingClientRect();
      const frac = Math.min(1, Math.max(0, (e.clientX - rect.left - plotLeft) / Math.max(1, plotWidth)));
      const anchor = a + frac * (b - a);
      const f = e.deltaY < 0 ? 0.8 : 1.25;
      setRange(clamp(anchor - (anchor - a) * f, anchor + (b - anchor) * f));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  });
  const drag = useRef<{ x: number; range: [number, number]; moved: boolean } | null>(null);
  const handlers = {
    onPointerDown: (e: React.PointerEvent) => {
      e.currentTarget.setPointerCapture(e.pointerId);
      drag.current = { x: e.clientX, range: rangeRef.current, moved: false };
    },
    onPointerMove: (e: React.PointerEvent) => {
      const d = drag.current;
      if (!d) return;
      const dx = e.clientX - d.x;
      if (Math.abs(dx) > 3) d.moved = true;
      if (!d.moved) return;
      const dt = -(dx / Math.max(1, plotWidth)) * (d.range[1] - d.range[0]);
      setRange(clamp(d.range[0] + dt, d.range[1] + dt));
    },
    onDoubleClick: () => setRange([0, durationSec]),
  };
  /** Ends a drag; true when it was a click (no movement). */
  const endDrag = (): boolean => {
    const d = drag.current;
    drag.current = null;
    return !!d && !d.moved;
  };
  return { range, setRange: (a: number, b: number) => setRange(clamp(a, b)), handlers, endDrag };
}
