/**
 * The URL is the app's state that a link shares: which backend, workspace and page, which views are
 * open where, and the selection. Pure: parse and format a query string, nothing else.
 *
 *   ?backend=gs://…/local.json&workspace=workspace://<feedId>        workspace page
 *   …&sorting=S-…                                                     sorting page
 *   …&sorting=S-…&compare=S-…                                         sorting comparison page
 *   …&north=UnitsTable,AverageWaveforms&na=1&south=Autocorrelograms   open views, active tab index
 *   …&units=1-3,7&merges=1&t=0-3000&cur=1500&amp=1.4&wf=vertical&elec=0,2&show=accepted&filter=none
 */

export type Page = 'home' | 'workspace' | 'sorting' | 'comparison';
export type VisibleUnitsFilter = 'all' | 'accepted' | 'nonrejected';

export interface ViewLayout {
  north: string[];
  south: string[];
  activeNorth: number;
  activeSouth: number;
}

export interface SortingViewState {
  layout?: ViewLayout;
  selectedUnitIds?: number[];
  applyMerges?: boolean;
  timeRangeFrames?: [number, number];
  currentTimepointFrames?: number;
  ampScaleFactor?: number;
  waveformsMode?: 'geom' | 'vertical';
  selectedElectrodeIds?: number[];
  visibleUnits?: VisibleUnitsFilter;
  tracesFilter?: 'bandpass' | 'none';
}

export interface Route {
  backend?: string;
  workspace?: string;
  sortingId?: string;
  compareSortingId?: string;
  view?: SortingViewState;
}

export function pageOf(route: Route): Page {
  if (!route.workspace) return 'home';
  if (route.sortingId && route.compareSortingId) return 'comparison';
  if (route.sortingId) return 'sorting';
  return 'workspace';
}

/** `[1,2,3,7]` → `1-3,7` (ids sorted); short for select-all of thousands of units. */
export function formatIdList(ids: readonly number[]): string {
  const s = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j > i + 1 ? `${s[i]}-${s[j]}` : j === i + 1 ? `${s[i]},${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Inverse of formatIdList; junk entries are skipped (a hand-edited link must not break the page). */
export function parseIdList(text: string | null): number[] | undefined {
  if (text === null) return undefined;
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(-?\d+)(?:-(-?\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b - a > 1_000_000) continue;
    for (let x = a; x <= b; x++) out.push(x);
  }
  return out;
}

const num = (v: string | null): number | undefined => {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};
const names = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter((s) => /^[A-Za-z][A-Za-z0-9]*$/.test(s)) : []);

export function parseRoute(search: string): Route {
  const p = new URLSearchParams(search);
  const route: Route = {};
  const str = (k: string) => p.get(k)?.trim() || undefined;
  route.backend = str('backend');
  route.workspace = str('workspace');
  route.sortingId = str('sorting');
  route.compareSortingId = str('compare');
  const view: SortingViewState = {};
  if (p.has('north') || p.has('south')) {
    view.layout = { north: names(p.get('north')), south: names(p.get('south')), activeNorth: num(p.get('na')) ?? 0, activeSouth: num(p.get('sa')) ?? 0 };
  }
  view.selectedUnitIds = parseIdList(p.get('units'));
  if (p.has('merges')) view.applyMerges = p.get('merges') === '1';
  const t = /^(\d+)-(\d+)$/.exec(p.get('t') ?? '');
  if (t && Number(t[2]) > Number(t[1])) view.timeRangeFrames = [Number(t[1]), Number(t[2])];
  view.currentTimepointFrames = num(p.get('cur'));
  const amp = num(p.get('amp'));
  if (amp !== undefined && amp > 0) view.ampScaleFactor = amp;
  const wf = p.get('wf');
  if (wf === 'geom' || wf === 'vertical') view.waveformsMode = wf;
  view.selectedElectrodeIds = parseIdList(p.get('elec'));
  const show = p.get('show');
  if (show === 'all' || show === 'accepted' || show === 'nonrejected') view.visibleUnits = show;
  const filter = p.get('filter');
  if (filter === 'bandpass' || filter === 'none') view.tracesFilter = filter;
  for (const k of Object.keys(view) as (keyof SortingViewState)[]) if (view[k] === undefined) delete view[k];
  if (Object.keys(view).length) route.view = view;
  for (const k of Object.keys(route) as (keyof Route)[]) if (route[k] === undefined) delete route[k];
  return route;
}

/** The query string (with its `?`, or '' for an empty route). Parameters in a fixed order. */
export function formatRoute(route: Route): string {
  const p = new URLSearchParams();
  if (route.backend) p.set('backend', route.backend);
  if (route.workspace) p.set('workspace', route.workspace);
  if (route.sortingId) p.set('sorting', route.sortingId);
  if (route.compareSortingId) p.set('compare', route.compareSortingId);
  const v = route.view;
  if (v && route.sortingId) {
    if (v.layout) {
      p.set('north', v.layout.north.join(','));
      if (v.layout.activeNorth) p.set('na', String(v.layout.activeNorth));
      p.set('south', v.layout.south.join(','));
      if (v.layout.activeSouth) p.set('sa', String(v.layout.activeSouth));
    }
    if (v.selectedUnitIds?.length) p.set('units', formatIdList(v.selectedUnitIds));
    if (v.applyMerges) p.set('merges', '1');
    if (v.timeRangeFrames) p.set('t', `${Math.round(v.timeRangeFrames[0])}-${Math.round(v.timeRangeFrames[1])}`);
    if (v.currentTimepointFrames !== undefined) p.set('cur', String(Math.round(v.currentTimepointFrames)));
    if (v.ampScaleFactor !== undefined && v.ampScaleFactor !== 1) p.set('amp', String(Number(v.ampScaleFactor.toPrecision(6))));
    if (v.waveformsMode && v.waveformsMode !== 'geom') p.set('wf', v.waveformsMode);
    if (v.selectedElectrodeIds?.length) p.set('elec', formatIdList(v.selectedElectrodeIds));
    if (v.visibleUnits && v.visibleUnits !== 'all') p.set('show', v.visibleUnits);
    if (v.tracesFilter) p.set('filter', v.tracesFilter);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
