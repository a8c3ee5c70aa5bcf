import { describe, expect, it } from 'vitest';
import { fillGrid, PANEL_CHROME, singlePanelSize } from './panelSize';

const MIN = { width: 150, height: 160 };

describe('singlePanelSize', () => {
  it('is the view less its chrome, so a single unit fills the view', () => {
    expect(singlePanelSize(800, 450)).toEqual({ width: 800 - PANEL_CHROME.width, height: 450 - PANEL_CHROME.height });
  });
  it('keeps a usable minimum in a tiny view', () => {
    expect(singlePanelSize(50, 40)).toEqual({ width: 120, height: 100 });
  });
});

describe('fillGrid', () => {
  it('one unit: the whole view', () => {
    const one = singlePanelSize(1310, 433);
    expect(fillGrid(1, 1310, 433, MIN)).toEqual({ cols: 1, rows: 1, ...one });
  });
  it('a few units in a wide view: side by side, each as tall as the view', () => {
    const g = fillGrid(2, 1310, 433, MIN)!;
    expect([g.cols, g.rows]).toEqual([2, 1]);
    expect(g.height).toBe(singlePanelSize(1310, 433).height);
    expect(g.width).toBeGreaterThan(600);
    const four = fillGrid(4, 1310, 433, MIN)!;
    expect([four.cols, four.rows]).toEqual([4, 1]);
  });
  it('a tall view stacks them', () => {
    const g = fillGrid(2, 500, 1000, MIN)!;
    expect([g.cols, g.rows]).toEqual([1, 2]);
  });
  it('too many to fill the view with panels of the minimum size: null (the scrolling grid)', () => {
    expect(fillGrid(30, 1310, 433, MIN)).toBeNull();
    expect(fillGrid(0, 1310, 433, MIN)).toBeNull();
  });
});
