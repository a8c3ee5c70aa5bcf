import { describe, expect, it } from 'vitest';
import { matrixCellPx, MIN_CELL_PX } from './matrixLayout';

describe('matrixCellPx', () => {
  it('fills the smaller side of the area with the matrix', () => {
    expect(matrixCellPx(2, 1200, 400)).toBe(200);
    expect(matrixCellPx(5, 700, 900)).toBe(140);
  });
  it('keeps cells readable at 20 units in a short area (the matrix scrolls instead)', () => {
    expect(matrixCellPx(20, 1250, 360)).toBe(MIN_CELL_PX); // was 18 px, sized by the height
    expect(MIN_CELL_PX).toBeGreaterThanOrEqual(60);
  });
  it('copes with no units and a collapsed area', () => {
    expect(matrixCellPx(0, 500, 500)).toBe(500);
    expect(matrixCellPx(3, 0, 0)).toBe(MIN_CELL_PX);
  });
});
