import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, layoutReducer } from './layout';

describe('view layout', () => {
  it('opens views, re-activating singletons instead of duplicating them', () => {
    let l = layoutReducer(DEFAULT_LAYOUT, { type: 'OPEN', name: 'Autocorrelograms', area: 'south', singleton: true });
    expect(l.south).toEqual(['AverageWaveforms', 'Autocorrelograms']);
    expect(l.activeSouth).toBe(1);
    l = layoutReducer(l, { type: 'ACTIVATE', area: 'south', index: 0 });
    const again = layoutReducer(l, { type: 'OPEN', name: 'Autocorrelograms', area: 'north', singleton: true });
    expect(again.south).toEqual(['AverageWaveforms', 'Autocorrelograms']);
    expect(again.activeSouth).toBe(1);
    const twice = layoutReducer(l, { type: 'OPEN', name: 'CrossCorrelograms', area: 'north', singleton: false });
    expect(layoutReducer(twice, { type: 'OPEN', name: 'CrossCorrelograms', area: 'north', singleton: false }).north).toEqual(['UnitsTable', 'CrossCorrelograms', 'CrossCorrelograms']);
  });

  it('moves a tab to the other area and closes tabs, keeping the active index valid', () => {
    let l = layoutReducer(DEFAULT_LAYOUT, { type: 'MOVE', area: 'south', index: 0 });
    expect(l).toEqual({ north: ['UnitsTable', 'AverageWaveforms'], south: [], activeNorth: 1, activeSouth: 0 });
    l = layoutReducer(l, { type: 'CLOSE', area: 'north', index: 1 });
    expect(l).toEqual({ north: ['UnitsTable'], south: [], activeNorth: 0, activeSouth: 0 });
    expect(layoutReducer(l, { type: 'CLOSE', area: 'south', index: 3 })).toBe(l);
  });
});
