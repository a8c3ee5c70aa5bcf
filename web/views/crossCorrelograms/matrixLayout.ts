/**
 * The cross-correlogram matrix's size: square cells that fill the smaller side of the area, but
 * never below a readable size (the matrix then scrolls, its unit ids staying in view). Pure.
 */
export const MIN_CELL_PX = 64;
/** Room for the unit ids along the top and the left. */
export const LABEL_PX = 28;

export function matrixCellPx(numUnits: number, availWidthPx: number, availHeightPx: number): number {
  const fit = Math.floor(Math.min(availWidthPx, availHeightPx) / Math.max(1, numUnits));
  return Math.max(MIN_CELL_PX, fit);
}
