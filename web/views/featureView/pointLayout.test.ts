import { describe, expect, it } from 'vitest';
import { boxAt, gridBoxes, layoutPoints, nearestPoint } from './pointLayout';

const box = { x: 10, y: 20, w: 100, h: 50, xRange: [0, 10] as const, yRange: [-1, 1] as const };

describe('layoutPoints', () => {
  it('maps data to pixels, y up; units are runs of the rows', () => {
    const l = layoutPoints([0, 10, 5], [-1, 1, 0], [2, 1], box);
    expect(Array.from(l.px)).toEqual([10, 110, 60]);
    expect(Array.from(l.py)).toEqual([70, 20, 45]);
    expect(l.units).toEqual([{ start: 0, count: 2 }, { start: 2, count: 1 }]);
    expect(l.numClipped).toBe(0);
  });

  it('puts points beyond the ranges on the edge and marks them', () => {
    const l = layoutPoints([-5, 50, 5, NaN], [0, 0, 7, 0], [4], box);
    expect(Array.from(l.px)).toEqual([10, 110, 60, 10]);
    expect(l.py[2]).toBe(20);
    expect(Array.from(l.clipped)).toEqual([1, 1, 1, 1]);
    expect(l.numClipped).toBe(4);
  });

  it('refuses counts that do not add up', () => {
    expect(() => layoutPoints([1, 2], [1, 2], [1], box)).toThrow(RangeError);
    expect(() => layoutPoints([1, 2], [1], [2], box)).toThrow(RangeError);
  });

  it('nearestPoint within a radius', () => {
    const l = layoutPoints([0, 10, 5], [-1, 1, 0], [3], box);
    expect(nearestPoint(l, 62, 44)).toBe(2);
    expect(nearestPoint(l, 40, 40)).toBe(-1);
  });
});

describe('gridBoxes', () => {
  it('n × n boxes, row-major, inset in their cells; boxAt finds a cell', () => {
    const b = gridBoxes(400, 200, 2, { left: 10, right: 5, top: 20, bottom: 5 });
    expect(b).toEqual([
      { x: 10, y: 20, w: 185, h: 75 }, { x: 210, y: 20, w: 185, h: 75 },
      { x: 10, y: 120, w: 185, h: 75 }, { x: 210, y: 120, w: 185, h: 75 },
    ]);
    expect(boxAt(b, 300, 150)).toBe(3);
    expect(boxAt(b, 300, 10)).toBe(-1); // a caption, not a plot
  });
});
