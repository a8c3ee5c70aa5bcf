import { describe, expect, it } from 'vitest';
import { PANEL_CHROME, singlePanelSize } from './panelSize';

describe('singlePanelSize', () => {
  it('is the view less its chrome, so a single unit fills the view', () => {
    expect(singlePanelSize(800, 450)).toEqual({ width: 800 - PANEL_CHROME.width, height: 450 - PANEL_CHROME.height });
  });
  it('keeps a usable minimum in a tiny view', () => {
    expect(singlePanelSize(50, 40)).toEqual({ width: 120, height: 100 });
  });
});
