/**
 * The selection model shared by every view of a sorting page (2021 `SortingSelection.ts` and
 * `RecordingSelection.ts`): a pure reducer, no React. It returns the same state object when an action
 * changes nothing, so views that select a slice of it do not re-render.
 *
 * - `selectedUnitIds` is always sorted ascending, has no duplicates, and holds only visible units
 *   (when `visibleUnitIds` is not null). With `applyMerges` on, a merge group is selected through its
 *   smallest unit only (the id 2021's curated sorting shows the group as).
 * - Times are in frames of the recording: `currentTimepointFrames`, `timeRangeFrames` = [start, end).
 *   The range is clamped to the recording once its length is known (`SET_RECORDING`); until then
 *   it is null and the first `SET_RECORDING` sets 2021's initial range [0, min(N, fs / 10)).
 * - `ampScaleFactor` multiplies or divides by 1.4 per step (2021).
 */

export type WaveformsMode = 'geom' | 'vertical';

export interface SortingSelection {
  selectedUnitIds: number[];
  /** null: every unit of the sorting is visible. */
  visibleUnitIds: number[] | null;
  applyMerges: boolean;
  /** The curation's merge groups (each sorted, ≥ 2 units), kept here so that selection can honour them. */
  mergeGroups: number[][];
  selectedElectrodeIds: number[];
  /** null: every electrode is visible. */
  visibleElectrodeIds: number[] | null;
  currentTimepointFrames: number | null;
  timeRangeFrames: [number, number] | null;
  ampScaleFactor: number;
  waveformsMode: WaveformsMode;
  /** The recording's length and rate, once known (clamps times, sets the initial range). */
  numFrames: number | null;
  sampleRateHz: number | null;
}

export const AMP_SCALE_STEP = 1.4;
export const MIN_TIME_RANGE_FRAMES = 10;

export const initialSortingSelection: SortingSelection = Object.freeze({
  selectedUnitIds: [],
  visibleUnitIds: null,
  applyMerges: false,
  mergeGroups: [],
  selectedElectrodeIds: [],
  visibleElectrodeIds: null,
  currentTimepointFrames: null,
  timeRangeFrames: null,
  ampScaleFactor: 1,
  waveformsMode: 'geom',
  numFrames: null,
  sampleRateHz: null,
}) as SortingSelection;

export type SelectionAction =
  /** A click on a unit: selects just it, or with `ctrlKey` toggles it in the selection. */
  | { type: 'UNIT_CLICKED'; unitId: number; ctrlKey?: boolean }
  | { type: 'SET_SELECTED_UNITS'; unitIds: readonly number[] }
  | { type: 'TOGGLE_UNITS'; unitIds: readonly number[]; selected: boolean }
  | { type: 'SET_VISIBLE_UNITS'; unitIds: readonly number[] | null }
  | { type: 'SET_APPLY_MERGES'; applyMerges: boolean }
  | { type: 'TOGGLE_APPLY_MERGES' }
  | { type: 'SET_MERGE_GROUPS'; mergeGroups: readonly (readonly number[])[] }
  | { type: 'SET_SELECTED_ELECTRODES'; electrodeIds: readonly number[] }
  | { type: 'SET_VISIBLE_ELECTRODES'; electrodeIds: readonly number[] | null }
  | { type: 'SET_RECORDING'; numFrames: number; sampleRateHz: number }
  /** `ensureVisible`: if the frame is outside the time range, move the range (same span) to centre it. */
  | { type: 'SET_CURRENT_TIMEPOINT'; frame: number | null; ensureVisible?: boolean }
  | { type: 'SET_TIME_RANGE'; range: readonly [number, number] }
  /** Zoom by `factor` (> 1 zooms in) about `anchorFrame` (default: the current timepoint, else the centre). */
  | { type: 'ZOOM_TIME_RANGE'; factor: number; anchorFrame?: number }
  /** Shift by a fraction of the visible span (negative: earlier). */
  | { type: 'SHIFT_TIME_RANGE'; fraction: number }
  | { type: 'SCALE_AMPLITUDE'; direction: 'up' | 'down' }
  | { type: 'SET_AMP_SCALE_FACTOR'; factor: number }
  | { type: 'SET_WAVEFORMS_MODE'; mode: WaveformsMode }
  /** Replaces the parts a shared link carries (`restoreSelection` output). */
  | { type: 'RESTORE'; state: Partial<SortingSelection> };

const sortedUnique = (ids: readonly number[]): number[] => {
  const out = Array.from(new Set(ids));
  out.sort((a, b) => a - b);
  return out;
};

const sameList = (a: readonly number[] | null, b: readonly number[] | null): boolean => {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** The id a unit is selected as: itself, or with merges applied its group's smallest unit. */
export function representativeUnitId(state: Pick<SortingSelection, 'applyMerges' | 'mergeGroups'>, unitId: number): number {
  if (!state.applyMerges) return unitId;
  for (const g of state.mergeGroups) if (g.includes(unitId)) return g[0];
  return unitId;
}

/** What a task is asked about for a unit: its id, or (merges applied) its whole merge group. */
export function unitSelectionForTask(state: Pick<SortingSelection, 'applyMerges' | 'mergeGroups'>, unitId: number): number | number[] {
  if (!state.applyMerges) return unitId;
  for (const g of state.mergeGroups) if (g.includes(unitId)) return [...g];
  return unitId;
}

/**
 * The units a view lists, in order: the sorting's units that are visible, and with merges applied
 * one entry per merge group (its smallest unit) in place of its members.
 */
export function displayedUnitIds(state: Pick<SortingSelection, 'applyMerges' | 'mergeGroups' | 'visibleUnitIds'>, allUnitIds: readonly number[]): number[] {
  const visible = state.visibleUnitIds ? new Set(state.visibleUnitIds) : null;
  const out: number[] = [];
  const seen = new Set<number>();
  for (const id of allUnitIds) {
    const rep = representativeUnitId(state, id);
    if (seen.has(rep)) continue;
    if (visible && !visible.has(rep) && !visible.has(id)) continue;
    seen.add(rep);
    out.push(rep);
  }
  return out;
}

/** Selection restricted to visible units and (merges applied) group representatives. */
function normalizeSelected(state: SortingSelection, ids: readonly number[]): number[] {
  let out = ids;
  if (state.applyMerges && state.mergeGroups.length) out = out.map((id) => representativeUnitId(state, id));
  if (state.visibleUnitIds) {
    const visible = new Set(state.visibleUnitIds);
    out = out.filter((id) => visible.has(id));
  }
  return sortedUnique(out);
}

function withSelected(state: SortingSelection, ids: readonly number[]): SortingSelection {
  const selectedUnitIds = normalizeSelected(state, ids);
  return sameList(selectedUnitIds, state.selectedUnitIds) ? state : { ...state, selectedUnitIds };
}

function clampRange(state: SortingSelection, start: number, end: number): [number, number] {
  let span = Math.max(MIN_TIME_RANGE_FRAMES, end - start);
  const N = state.numFrames;
  if (N !== null) {
    span = Math.min(span, N);
    start = Math.min(Math.max(0, start), N - span);
  } else {
    start = Math.max(0, start);
  }
  return [Math.round(start), Math.round(start + span)];
}

function withRange(state: SortingSelection, range: [number, number]): SortingSelection {
  const cur = state.timeRangeFrames;
  return cur && cur[0] === range[0] && cur[1] === range[1] ? state : { ...state, timeRangeFrames: range };
}

export function selectionReducer(state: SortingSelection, action: SelectionAction): SortingSelection {
  switch (action.type) {
    case 'UNIT_CLICKED': {
      const id = representativeUnitId(state, action.unitId);
      if (!action.ctrlKey) return withSelected(state, [id]);
      const has = state.selectedUnitIds.includes(id);
      return withSelected(state, has ? state.selectedUnitIds.filter((u) => u !== id) : [...state.selectedUnitIds, id]);
    }
    case 'SET_SELECTED_UNITS':
      return withSelected(state, action.unitIds);
    case 'TOGGLE_UNITS': {
      if (action.selected) return withSelected(state, [...state.selectedUnitIds, ...action.unitIds]);
      const drop = new Set(action.unitIds.map((u) => representativeUnitId(state, u)));
      return withSelected(state, state.selectedUnitIds.filter((u) => !drop.has(u)));
    }
    case 'SET_VISIBLE_UNITS': {
      const visibleUnitIds = action.unitIds === null ? null : sortedUnique(action.unitIds);
      if (sameList(visibleUnitIds, state.visibleUnitIds)) return state;
      const next = { ...state, visibleUnitIds };
      return { ...next, selectedUnitIds: normalizeSelected(next, state.selectedUnitIds) };
    }
    case 'SET_APPLY_MERGES':
    case 'TOGGLE_APPLY_MERGES': {
      const applyMerges = action.type === 'TOGGLE_APPLY_MERGES' ? !state.applyMerges : action.applyMerges;
      if (applyMerges === state.applyMerges) return state;
      const next = { ...state, applyMerges };
      return { ...next, selectedUnitIds: normalizeSelected(next, state.selectedUnitIds) };
    }
    case 'SET_MERGE_GROUPS': {
      const mergeGroups = action.mergeGroups.map((g) => sortedUnique(g)).filter((g) => g.length >= 2);
      if (mergeGroups.length === state.mergeGroups.length && mergeGroups.every((g, i) => sameList(g, state.mergeGroups[i]))) return state;
      const next = { ...state, mergeGroups };
      const selectedUnitIds = normalizeSelected(next, state.selectedUnitIds);
      return { ...next, selectedUnitIds: sameList(selectedUnitIds, state.selectedUnitIds) ? state.selectedUnitIds : selectedUnitIds };
    }
    case 'SET_SELECTED_ELECTRODES': {
      const selectedElectrodeIds = sortedUnique(action.electrodeIds);
      return sameList(selectedElectrodeIds, state.selectedElectrodeIds) ? state : { ...state, selectedElectrodeIds };
    }
    case 'SET_VISIBLE_ELECTRODES': {
      const visibleElectrodeIds = action.electrodeIds === null ? null : sortedUnique(action.electrodeIds);
      return sameList(visibleElectrodeIds, state.visibleElectrodeIds) ? state : { ...state, visibleElectrodeIds };
    }
    case 'SET_RECORDING': {
      const { numFrames, sampleRateHz } = action;
      if (!(numFrames > 0) || !(sampleRateHz > 0)) return state;
      if (state.numFrames === numFrames && state.sampleRateHz === sampleRateHz) return state;
      const next: SortingSelection = { ...state, numFrames, sampleRateHz };
      const r = state.timeRangeFrames;
      next.timeRangeFrames = r ? clampRange(next, r[0], r[1]) : [0, Math.min(numFrames, Math.max(MIN_TIME_RANGE_FRAMES, Math.round(sampleRateHz / 10)))];
      if (next.currentTimepointFrames !== null) next.currentTimepointFrames = Math.min(Math.max(0, next.currentTimepointFrames), numFrames - 1);
      return next;
    }
    case 'SET_CURRENT_TIMEPOINT': {
      let frame = action.frame === null ? null : Math.round(action.frame);
      if (frame !== null) {
        frame = Math.max(0, frame);
        if (state.numFrames !== null) frame = Math.min(frame, state.numFrames - 1);
      }
      const r = state.timeRangeFrames;
      if (action.ensureVisible && frame !== null && r && (frame < r[0] || frame >= r[1])) {
        const half = (r[1] - r[0]) / 2;
        return { ...state, currentTimepointFrames: frame, timeRangeFrames: clampRange(state, frame - half, frame + half) };
      }
      return frame === state.currentTimepointFrames ? state : { ...state, currentTimepointFrames: frame };
    }
    case 'SET_TIME_RANGE':
      return withRange(state, clampRange(state, action.range[0], action.range[1]));
    case 'ZOOM_TIME_RANGE': {
      const r = state.timeRangeFrames;
      if (!r || !(action.factor > 0)) return state;
      const anchor = action.anchorFrame ?? (state.currentTimepointFrames !== null && state.currentTimepointFrames >= r[0] && state.currentTimepointFrames < r[1]
        ? state.currentTimepointFrames : (r[0] + r[1]) / 2);
      const span = (r[1] - r[0]) / action.factor;
      const frac = (anchor - r[0]) / (r[1] - r[0]);
      return withRange(state, clampRange(state, anchor - frac * span, anchor - frac * span + span));
    }
    case 'SHIFT_TIME_RANGE': {
      const r = state.timeRangeFrames;
      if (!r) return state;
      const d = (r[1] - r[0]) * action.fraction;
      return withRange(state, clampRange(state, r[0] + d, r[1] + d));
    }
    case 'SCALE_AMPLITUDE': {
      const f = action.direction === 'up' ? state.ampScaleFactor * AMP_SCALE_STEP : state.ampScaleFactor / AMP_SCALE_STEP;
      return { ...state, ampScaleFactor: f };
    }
    case 'SET_AMP_SCALE_FACTOR':
      return action.factor > 0 && action.factor !== state.ampScaleFactor ? { ...state, ampScaleFactor: action.factor } : state;
    case 'SET_WAVEFORMS_MODE':
      return action.mode === state.waveformsMode ? state : { ...state, waveformsMode: action.mode };
    case 'RESTORE': {
      let next: SortingSelection = { ...state, ...action.state };
      if (action.state.timeRangeFrames) next.timeRangeFrames = clampRange(next, action.state.timeRangeFrames[0], action.state.timeRangeFrames[1]);
      next = { ...next, selectedUnitIds: normalizeSelected(next, next.selectedUnitIds) };
      return next;
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}
