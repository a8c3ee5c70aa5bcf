/**
 * Panels that fill the waveforms view (a few selected units, or the overlay): the view less its
 * toolbar (34 px), the grid's padding and caption (8 + 24 px), and each unit cell's frame and title
 * (6 + 18 px), so that the view does not scroll.
 */
export const PANEL_CHROME = { width: 16 + 6 + 4, height: 34 + 8 + 24 + 6 + 18 + 4 } as const;
/** Per extra column / row of cells: the grid's gap plus a cell's frame (and title, for rows). */
const CELL_CHROME = { width: 6 + 6, height: 6 + 6 + 18 } as const;

export function singlePanelSize(viewWidth: number, viewHeight: number): { width: number; height: number } {
  return { width: Math.max(120, Math.floor(viewWidth - PANEL_CHROME.width)), height: Math.max(100, Math.floor(viewHeight - PANEL_CHROME.height)) };
}

export interface FilledGrid { cols: number; rows: number; width: number; height: number }

/**
 * n panels laid out to fill the view: the number of columns whose panels are largest (a panel about
 * 1.5 times as wide as tall counts as ideal: a probe neighbourhood's traces need width), or null
 * when they would be smaller than `min` (then the scrolling grid of small panels is the better view).
 */
export function fillGrid(n: number, viewWidth: number, viewHeight: number, min: { width: number; height: number }): FilledGrid | null {
  if (n < 1) return null;
  const one = singlePanelSize(viewWidth, viewHeight);
  let best: FilledGrid | null = null;
  let bestScore = -Infinity;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const width = Math.floor((one.width - (cols - 1) * CELL_CHROME.width) / cols);
    const height = Math.floor((one.height - (rows - 1) * CELL_CHROME.height) / rows);
    if (width < min.width || height < min.height) continue;
    const score = Math.min(width, height * 1.5);
    if (score > bestScore) { bestScore = score; best = { cols, rows, width, height }; }
  }
  return best;
}
