/**
 * Scale bars (the waveforms' µV bar, the probe map's µm bar): a round value, 1, 2 or 5 × 10^k, whose
 * bar is as long as fits, and its label.
 */

/** The largest 1, 2 or 5 × 10^k that is ≤ v (v > 0 and finite; otherwise NaN). */
export function niceFloor(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return NaN;
  const mag = 10 ** Math.floor(Math.log10(v));
  // log10 rounding: 1000 may come out as 999.999… / 100; correct by one step either way.
  for (const m of [5, 2, 1]) {
    const c = Number((m * mag).toPrecision(12));
    if (c <= v * (1 + 1e-12)) return c;
  }
  return Number((5 * mag / 10).toPrecision(12));
}

export interface ScaleBar {
  /** In data units (µV, µm, raw units). */
  value: number;
  /** The bar's length in pixels: value · pxPerUnit, between maxPx / 2.5 and maxPx. */
  px: number;
}

/** The bar for a plot drawn at `pxPerUnit` pixels per data unit, at most `maxPx` long; null when nothing fits. */
export function scaleBar(pxPerUnit: number, maxPx: number): ScaleBar | null {
  if (!(pxPerUnit > 0) || !(maxPx > 0) || !Number.isFinite(pxPerUnit)) return null;
  const value = niceFloor(maxPx / pxPerUnit);
  if (!Number.isFinite(value)) return null;
  return { value, px: value * pxPerUnit };
}

/** "100 µV", "0.5 µV", "200 raw" (no gain known: the recording's own units), "50 µm". */
export function scaleBarLabel(value: number, units: 'uV' | 'raw' | 'um'): string {
  const v = Number(value.toPrecision(6)).toString();
  return units === 'uV' ? `${v} µV` : units === 'um' ? `${v} µm` : `${v} raw`;
}
