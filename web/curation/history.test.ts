import { describe, expect, it } from 'vitest';
import { curationReducer, initialCurationState, type CurationState } from '../../core/reducers/curation';
import type { CurationAction } from '../../core/reducers/curationActions';
import { emptyHistory, inverseOf, record, redo, undo } from './history';

const apply = (s: CurationState, actions: CurationAction[]) => actions.reduce(curationReducer, s);

describe('curation undo/redo', () => {
  const base = apply(initialCurationState, [
    { type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' },
    { type: 'MERGE_UNITS', unitIds: [4, 5] },
  ]);

  it('undo of every action kind restores the state before it', () => {
    const actions: CurationAction[] = [
      { type: 'ADD_UNIT_LABEL', unitId: [1, 2], label: 'accept' },
      { type: 'REMOVE_UNIT_LABEL', unitId: 1, label: 'accept' },
      { type: 'MERGE_UNITS', unitIds: [2, 3] },
      { type: 'MERGE_UNITS', unitIds: [5, 6] },
      { type: 'UNMERGE_UNITS', unitIds: [4] },
      { type: 'UNMERGE_UNITS', unitIds: [4, 5] },
      { type: 'CLOSE_CURATION' },
      { type: 'SET_CURATION', curation: { labelsByUnit: { 9: ['noise'] }, mergeGroups: [], isClosed: false } },
    ];
    for (const a of actions) {
      const after = curationReducer(base, a);
      expect(apply(after, inverseOf(base, a)), a.type).toEqual(base);
    }
  });

  it('an action that changes nothing is not recorded', () => {
    expect(record(emptyHistory, base, { type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' })).toBe(emptyHistory);
  });

  it('undo then redo, and a new action clears the redo stack', () => {
    const a: CurationAction = { type: 'ADD_UNIT_LABEL', unitId: 3, label: 'noise' };
    let h = record(emptyHistory, base, a);
    let s = curationReducer(base, a);
    const u = undo(h)!;
    expect(u.description).toBe('undo: labelled unit 3 noise');
    s = apply(s, u.append);
    expect(s).toEqual(base);
    h = u.history;
    const r = redo(h)!;
    s = apply(s, r.append);
    expect(s.labelsByUnit[3]).toEqual(['noise']);
    h = record(r.history, s, { type: 'CLOSE_CURATION' });
    expect(h.undone).toEqual([]);
    expect(h.done).toHaveLength(2);
    expect(undo(emptyHistory)).toBeNull();
    expect(redo(h)).toBeNull();
  });

  it('undoing a label keeps a collaborator\'s later label on another unit', () => {
    const a: CurationAction = { type: 'ADD_UNIT_LABEL', unitId: 3, label: 'noise' };
    const h = record(emptyHistory, base, a);
    const theirs = apply(base, [a, { type: 'ADD_UNIT_LABEL', unitId: 8, label: 'mua' }]);
    const s = apply(theirs, undo(h)!.append);
    expect(s.labelsByUnit).toEqual({ 1: ['accept'], 8: ['mua'] });
  });
});
