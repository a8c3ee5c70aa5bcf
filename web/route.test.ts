import { describe, expect, it } from 'vitest';
import { formatIdList, formatRoute, pageOf, parseIdList, parseRoute, type Route } from './route';

const backend = 'gs://sortingview-local/sortingview-backends/local.json';
const workspace = `workspace://${'ab'.repeat(32)}?label=my lab`;

describe('route', () => {
  it('compresses id lists into ranges and back', () => {
    expect(formatIdList([7, 1, 2, 3, 3, 10, 11])).toBe('1-3,7,10,11');
    expect(parseIdList('1-3,7,10,11')).toEqual([1, 2, 3, 7, 10, 11]);
    expect(parseIdList('-3--1,x,5')).toEqual([-3, -2, -1, 5]);
    const many = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(formatIdList(many)).toBe('1-1000');
    expect(parseIdList(null)).toBeUndefined();
  });

  it('round-trips a sorting page with its view state', () => {
    const route: Route = {
      backend, workspace, sortingId: 'S-0123456789ab',
      view: {
        layout: { north: ['UnitsTable', 'AverageWaveforms'], south: ['Autocorrelograms'], activeNorth: 1, activeSouth: 0 },
        selectedUnitIds: [1, 2, 3, 9], applyMerges: true, timeRangeFrames: [100, 3100], currentTimepointFrames: 1500,
        ampScaleFactor: 1.96, waveformsMode: 'vertical', selectedElectrodeIds: [0, 4], visibleUnits: 'accepted', tracesFilter: 'none',
      },
    };
    const search = formatRoute(route);
    expect(search).toContain('units=1-3%2C9');
    expect(parseRoute(search)).toEqual(route);
    expect(pageOf(route)).toBe('sorting');
  });

  it('names the page from what the URL holds', () => {
    expect(pageOf(parseRoute(''))).toBe('home');
    expect(pageOf(parseRoute(`?backend=${encodeURIComponent(backend)}`))).toBe('home');
    expect(pageOf(parseRoute(`?workspace=${encodeURIComponent(workspace)}`))).toBe('workspace');
    expect(pageOf({ workspace, sortingId: 'S-1', compareSortingId: 'S-2' })).toBe('comparison');
  });

  it('ignores junk in a hand-edited link', () => {
    const r = parseRoute('?workspace=w&sorting=S-1&north=Units Table,<x>,Raster&t=5-2&amp=-1&wf=bad&show=some');
    expect(r).toEqual({ workspace: 'w', sortingId: 'S-1', view: { layout: { north: ['Raster'], south: [], activeNorth: 0, activeSouth: 0 } } });
  });

  it('leaves view state out of non-sorting pages and out of an empty route', () => {
    expect(formatRoute({})).toBe('');
    expect(formatRoute({ backend, view: { selectedUnitIds: [1] } })).toBe(`?backend=${encodeURIComponent(backend)}`);
  });
});
