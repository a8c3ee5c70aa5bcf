import type { ViewLayout } from '../route';

/**
 * The two tab areas of the MountainView layout (2021 `ViewContainer`), as a pure reducer: open a
 * view (a singleton is re-activated, not duplicated), close, move to the other area, activate.
 * Tabs are identified by area and index; names may repeat for non-singleton views.
 */
export type Area = 'north' | 'south';
export type LayoutAction =
  | { type: 'OPEN'; name: string; area: Area; singleton: boolean }
  | { type: 'CLOSE'; area: Area; index: number }
  | { type: 'MOVE'; area: Area; index: number }
  | { type: 'ACTIVATE'; area: Area; index: number };

export const DEFAULT_LAYOUT: ViewLayout = { north: ['UnitsTable'], south: ['AverageWaveforms'], activeNorth: 0, activeSouth: 0 };

const activeKey = (a: Area) => (a === 'north' ? 'activeNorth' : 'activeSouth');
const other = (a: Area): Area => (a === 'north' ? 'south' : 'north');

function clampActive(l: ViewLayout): ViewLayout {
  const an = Math.max(0, Math.min(l.activeNorth, l.north.length - 1));
  const as = Math.max(0, Math.min(l.activeSouth, l.south.length - 1));
  return an === l.activeNorth && as === l.activeSouth ? l : { ...l, activeNorth: an, activeSouth: as };
}

export function layoutReducer(l: ViewLayout, action: LayoutAction): ViewLayout {
  switch (action.type) {
    case 'OPEN': {
      if (action.singleton) {
        for (const area of ['north', 'south'] as const) {
          const i = l[area].indexOf(action.name);
          if (i >= 0) return l[activeKey(area)] === i ? l : { ...l, [activeKey(area)]: i };
        }
      }
      const tabs = [...l[action.area], action.name];
      return { ...l, [action.area]: tabs, [activeKey(action.area)]: tabs.length - 1 };
    }
    case 'CLOSE': {
      if (!(action.index in l[action.area])) return l;
      const tabs = l[action.area].filter((_, i) => i !== action.index);
      const active = l[activeKey(action.area)];
      return clampActive({ ...l, [action.area]: tabs, [activeKey(action.area)]: active > action.index ? active - 1 : active });
    }
    case 'MOVE': {
      const name = l[action.area][action.index];
      if (name === undefined) return l;
      const to = other(action.area);
      const from = layoutReducer(l, { type: 'CLOSE', area: action.area, index: action.index });
      const tabs = [...from[to], name];
      return clampActive({ ...from, [to]: tabs, [activeKey(to)]: tabs.length - 1 });
    }
    case 'ACTIVATE':
      return action.index in l[action.area] && l[activeKey(action.area)] !== action.index ? { ...l, [activeKey(action.area)]: action.index } : l;
    default: {
      const never: never = action;
      return never;
    }
  }
}
