/**
 * Row order of the traces view, top to bottom: probe depth, as the electrode geometry view draws the
 * probe (largest y at the top), ties left to right (smaller x first), then by recording order. Both
 * display modes use it, so switching between lines and heat map never flips the rows. Without a
 * geometry for every channel the recording's order stands. Pure.
 */
export function depthOrder(indices: readonly number[], geom: readonly (readonly [number, number])[] | undefined): number[] {
  if (!geom || indices.some((i) => !geom[i])) return [...indices];
  return [...indices].sort((a, b) => geom[b][1] - geom[a][1] || geom[a][0] - geom[b][0] || a - b);
}

/**
 * Above this many shown channels the view draws a heat map by default. 64 channels in a typical
 * 300–600 px panel leave 5–9 px per row, about the least in which a trace and its spikes stay
 * legible; a Neuropixels probe (384) gets under 1 px per row, where lines merge into a barcode.
 */
export const HEATMAP_ABOVE_CHANNELS = 64;

export type TracesMode = 'lines' | 'heatmap';
export type TracesModeChoice = 'auto' | TracesMode;

export function tracesMode(choice: TracesModeChoice, shownChannels: number): TracesMode {
  if (choice !== 'auto') return choice;
  return shownChannels > HEATMAP_ABOVE_CHANNELS ? 'heatmap' : 'lines';
}
