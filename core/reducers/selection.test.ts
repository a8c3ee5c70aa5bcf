import { describe, expect, it } from 'vitest';
import {
  displayedUnitIds, initialSortingSelection, representativeUnitId, selectionReducer, unitSelectionForTask,
  type SelectionAction, type SortingSelection,
} from './selection';

const run = (actions: SelectionAction[], from: SortingSelection = initialSortingSelection) => actions.reduce(selectionReducer, from);

describe('selection reducer: units', () => {
  it('click selects one unit; ctrl-click toggles; the list stays sorted', () => {
    const s = run([{ type: 'UNIT_CLICKED', unitId: 5 }, { type: 'UNIT_CLICKED', unitId: 2, ctrlKey: true }, { type: 'UNIT_CLICKED', unitId: 9, ctrlKey: true }]);
    expect(s.selectedUnitIds).toEqual([2, 5, 9]);
    expect(run([{ type: 'UNIT_CLICKED', unitId: 5, ctrlKey: true }], s).selectedUnitIds).toEqual([2, 9]);
    expect(run([{ type: 'UNIT_CLICKED', unitId: 7 }], s).selectedUnitIds).toEqual([7]);
  });

  it('returns the same object when nothing changes', () => {
    const s = run([{ type: 'SET_SELECTED_UNITS', unitIds: [3, 1, 3] }]);
    expect(s.selectedUnitIds).toEqual([1, 3]);
    expect(selectionReducer(s, { type: 'SET_SELECTED_UNITS', unitIds: [1, 3] })).toBe(s);
    expect(selectionReducer(s, { type: 'SET_WAVEFORMS_MODE', mode: 'geom' })).toBe(s);
    expect(selectionReducer(s, { type: 'SET_APPLY_MERGES', applyMerges: false })).toBe(s);
    expect(selectionReducer(s, { type: 'SET_MERGE_GROUPS', mergeGroups: [] })).toBe(s);
    expect(selectionReducer(s, { type: 'SHIFT_TIME_RANGE', fraction: 1 })).toBe(s); // no range yet
  });

  it('TOGGLE_UNITS adds or removes a batch (select-all of a filtered table)', () => {
    const s = run([{ type: 'SET_SELECTED_UNITS', unitIds: [1] }, { type: 'TOGGLE_UNITS', unitIds: [4, 2, 3], selected: true }]);
    expect(s.selectedUnitIds).toEqual([1, 2, 3, 4]);
    expect(run([{ type: 'TOGGLE_UNITS', unitIds: [1, 3], selected: false }], s).selectedUnitIds).toEqual([2, 4]);
  });

  it('keeps only visible units selected', () => {
    const s = run([{ type: 'SET_SELECTED_UNITS', unitIds: [1, 2, 3] }, { type: 'SET_VISIBLE_UNITS', unitIds: [3, 2] }]);
    expect(s.visibleUnitIds).toEqual([2, 3]);
    expect(s.selectedUnitIds).toEqual([2, 3]);
    expect(run([{ type: 'SET_SELECTED_UNITS', unitIds: [1, 2] }], s).selectedUnitIds).toEqual([2]);
    expect(run([{ type: 'SET_VISIBLE_UNITS', unitIds: null }], s).visibleUnitIds).toBeNull();
  });

  it('with merges applied, a group is selected through its smallest unit and tasks get the group', () => {
    const s = run([
      { type: 'SET_MERGE_GROUPS', mergeGroups: [[7, 3], [9]] },
      { type: 'SET_SELECTED_UNITS', unitIds: [7, 1] },
    ]);
    expect(s.mergeGroups).toEqual([[3, 7]]); // singletons drop, groups sorted
    expect(s.selectedUnitIds).toEqual([1, 7]); // merges not applied yet
    const m = run([{ type: 'TOGGLE_APPLY_MERGES' }], s);
    expect(m.selectedUnitIds).toEqual([1, 3]);
    expect(representativeUnitId(m, 7)).toBe(3);
    expect(unitSelectionForTask(m, 7)).toEqual([3, 7]);
    expect(unitSelectionForTask(m, 1)).toBe(1);
    expect(unitSelectionForTask(s, 7)).toBe(7);
    expect(run([{ type: 'UNIT_CLICKED', unitId: 7 }], m).selectedUnitIds).toEqual([3]);
    expect(displayedUnitIds(m, [1, 3, 5, 7, 9])).toEqual([1, 3, 5, 9]);
    expect(displayedUnitIds(s, [1, 3, 5, 7, 9])).toEqual([1, 3, 5, 7, 9]);
  });
});

describe('selection reducer: time and scale', () => {
  const rec = run([{ type: 'SET_RECORDING', numFrames: 300_000, sampleRateHz: 30_000 }]);

  it('sets 2021\'s initial range [0, fs/10) once the recording is known', () => {
    expect(rec.timeRangeFrames).toEqual([0, 3000]);
    expect(selectionReducer(rec, { type: 'SET_RECORDING', numFrames: 300_000, sampleRateHz: 30_000 })).toBe(rec);
    expect(run([{ type: 'SET_RECORDING', numFrames: 1000, sampleRateHz: 30_000 }]).timeRangeFrames).toEqual([0, 1000]);
  });

  it('zooms about the anchor and clamps to the recording', () => {
    const z = run([{ type: 'ZOOM_TIME_RANGE', factor: 2, anchorFrame: 1000 }], rec);
    expect(z.timeRangeFrames).toEqual([500, 2000]);
    const out = run([{ type: 'ZOOM_TIME_RANGE', factor: 1 / 1000 }], rec);
    expect(out.timeRangeFrames).toEqual([0, 300_000]);
  });

  it('shifts by a fraction of the span, never past either end', () => {
    expect(run([{ type: 'SHIFT_TIME_RANGE', fraction: 0.5 }], rec).timeRangeFrames).toEqual([1500, 4500]);
    expect(run([{ type: 'SHIFT_TIME_RANGE', fraction: -1 }], rec).timeRangeFrames).toEqual([0, 3000]);
    expect(run([{ type: 'SET_TIME_RANGE', range: [299_000, 310_000] }], rec).timeRangeFrames).toEqual([289_000, 300_000]);
  });

  it('clamps the current timepoint', () => {
    expect(run([{ type: 'SET_CURRENT_TIMEPOINT', frame: 1e9 }], rec).currentTimepointFrames).toBe(299_999);
    expect(run([{ type: 'SET_CURRENT_TIMEPOINT', frame: -5 }], rec).currentTimepointFrames).toBe(0);
  });

  it('moves the time range to a timepoint set from another view (ensureVisible)', () => {
    const s = run([{ type: 'SET_CURRENT_TIMEPOINT', frame: 100_000, ensureVisible: true }], rec);
    expect(s.currentTimepointFrames).toBe(100_000);
    expect(s.timeRangeFrames).toEqual([98_500, 101_500]);
    expect(run([{ type: 'SET_CURRENT_TIMEPOINT', frame: 1000, ensureVisible: true }], rec).timeRangeFrames).toEqual([0, 3000]);
    expect(run([{ type: 'SET_CURRENT_TIMEPOINT', frame: 100_000 }], rec).timeRangeFrames).toEqual([0, 3000]);
  });

  it('scales amplitudes by 1.4 per step', () => {
    const up = run([{ type: 'SCALE_AMPLITUDE', direction: 'up' }, { type: 'SCALE_AMPLITUDE', direction: 'up' }]);
    expect(up.ampScaleFactor).toBeCloseTo(1.96, 12);
    expect(run([{ type: 'SCALE_AMPLITUDE', direction: 'down' }], up).ampScaleFactor).toBeCloseTo(1.4, 12);
  });

  it('RESTORE applies a shared link\'s state, normalized', () => {
    const s = run([{ type: 'RESTORE', state: { selectedUnitIds: [5, 2], timeRangeFrames: [-10, 500], waveformsMode: 'vertical' } }], rec);
    expect(s.selectedUnitIds).toEqual([2, 5]);
    expect(s.timeRangeFrames).toEqual([0, 510]);
    expect(s.waveformsMode).toBe('vertical');
  });
});

describe('select-all is fast', () => {
  it('selects 10 000 units in well under 50 ms', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const s = run([{ type: 'SET_VISIBLE_UNITS', unitIds: ids }]);
    const t0 = performance.now();
    const all = selectionReducer(s, { type: 'SET_SELECTED_UNITS', unitIds: ids });
    const none = selectionReducer(all, { type: 'SET_SELECTED_UNITS', unitIds: [] });
    expect(performance.now() - t0).toBeLessThan(50);
    expect(all.selectedUnitIds).toHaveLength(10_000);
    expect(none.selectedUnitIds).toEqual([]);
  });
});
