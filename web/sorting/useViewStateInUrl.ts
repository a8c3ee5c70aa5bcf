import { useEffect } from 'react';
import type { SortingSelection } from '../../core/reducers/selection';
import type { TimeseriesFilter } from '../../core/tasks/contracts/recording';
import { FLUSH_URL_EVENT, useApp } from '../app/context';
import type { SortingViewState, ViewLayout, VisibleUnitsFilter } from '../route';

/** What of the page's state a link carries. Pure. */
export function viewStateOf(layout: ViewLayout, s: SortingSelection, visibleUnits: VisibleUnitsFilter, tracesFilter: TimeseriesFilter): SortingViewState {
  return {
    layout, selectedUnitIds: s.selectedUnitIds, applyMerges: s.applyMerges,
    timeRangeFrames: s.timeRangeFrames ?? undefined, currentTimepointFrames: s.currentTimepointFrames ?? undefined,
    ampScaleFactor: s.ampScaleFactor, waveformsMode: s.waveformsMode, selectedElectrodeIds: s.selectedElectrodeIds,
    visibleUnits, tracesFilter,
  };
}

/** The URL follows the view state (replaceState, debounced 250 ms) so that a copied link reproduces it. */
export function useViewStateInUrl(view: SortingViewState): void {
  const { route, navigate } = useApp();
  const key = JSON.stringify(view);
  useEffect(() => {
    const write = () => navigate({ ...route, view }, { replace: true });
    const t = setTimeout(write, 250);
    // "Copy link" asks for the URL now, not after the debounce.
    window.addEventListener(FLUSH_URL_EVENT, write);
    return () => {
      clearTimeout(t);
      window.removeEventListener(FLUSH_URL_EVENT, write);
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps -- written when the view state changes, not when the route object is rebuilt
}
