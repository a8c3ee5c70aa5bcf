/**
 * The canvas size of a panel that fills the waveforms view (one selected unit, or the overlay): the
 * view less its toolbar (34 px), the grid's padding and caption (8 + 24 px), and the unit cell's
 * frame and title (6 + 18 px), so that the view does not scroll.
 */
export const PANEL_CHROME = { width: 16 + 6 + 4, height: 34 + 8 + 24 + 6 + 18 + 4 } as const;

export function singlePanelSize(viewWidth: number, viewHeight: number): { width: number; height: number } {
  return { width: Math.max(120, Math.floor(viewWidth - PANEL_CHROME.width)), height: Math.max(100, Math.floor(viewHeight - PANEL_CHROME.height)) };
}
