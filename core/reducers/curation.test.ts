import { describe, expect, it } from 'vitest';
import { curationReducer, initialCurationState, mergedUnitId, normalizeCuration, reduceCuration, replayCuration, simplifyMergeGroups, type CurationState } from './curation';
import { curationActionSchema, type CurationAction } from './curationActions';

const run = (actions: CurationAction[], from: CurationState = initialCurationState) => actions.reduce(curationReducer, from);

describe('simplifyMergeGroups', () => {
  it('works the 2021 examples by hand', () => {
    expect(simplifyMergeGroups([])).toEqual([]);
    expect(simplifyMergeGroups([[3, 1]])).toEqual([[1, 3]]);
    // Singletons and empty groups drop.
    expect(simplifyMergeGroups([[5], [], [2, 4]])).toEqual([[2, 4]]);
    // [1,2] and [2,3] share 2 → [1,2,3]; [7,8] stays apart.
    expect(simplifyMergeGroups([[1, 2], [7, 8], [3, 2]])).toEqual([[1, 2, 3], [7, 8]]);
    // A chain joined only through a later group: [1,2] [3,4] [2,3] → one group.
    expect(simplifyMergeGroups([[1, 2], [3, 4], [2, 3]])).toEqual([[1, 2, 3, 4]]);
    // Duplicates inside a group count once; [4,4] is a singleton.
    expect(simplifyMergeGroups([[4, 4], [6, 5, 6]])).toEqual([[5, 6]]);
  });

  it('is idempotent and leaves no unit in two groups', () => {
    const groups = [[1, 9], [2, 3], [9, 4], [5, 6], [6, 2], [10, 11]];
    const once = simplifyMergeGroups(groups);
    expect(simplifyMergeGroups(once)).toEqual(once);
    const all = once.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(once).toEqual([[1, 4, 9], [2, 3, 5, 6], [10, 11]]);
  });
});

describe('curation reducer', () => {
  it('labels units, sorted and without duplicates, and removes labels', () => {
    const s = run([
      { type: 'ADD_UNIT_LABEL', unitId: 3, label: 'noise' },
      { type: 'ADD_UNIT_LABEL', unitId: [3, 4], label: 'accept' },
      { type: 'ADD_UNIT_LABEL', unitId: 3, label: 'accept' },
    ]);
    expect(s.labelsByUnit).toEqual({ 3: ['accept', 'noise'], 4: ['accept'] });
    const t = run([{ type: 'REMOVE_UNIT_LABEL', unitId: [3, 4], label: 'accept' }], s);
    // Unit 4 lost its last label and disappears.
    expect(t.labelsByUnit).toEqual({ 3: ['noise'] });
  });

  it('reports what changed, like phy UpdateInfo', () => {
    const r = reduceCuration(initialCurationState, { type: 'ADD_UNIT_LABEL', unitId: [4, 2, 4], label: 'mua' });
    expect(r.update).toEqual({ changed: true, labelsChanged: [2, 4], mergeChanged: [], closedChanged: false, description: 'labelled units 2, 4 mua' });
    const again = reduceCuration(r.state, { type: 'ADD_UNIT_LABEL', unitId: 2, label: 'mua' });
    expect(again.state).toBe(r.state);
    expect(again.update).toMatchObject({ changed: false, description: 'no modified units' });
    const partial = reduceCuration(r.state, { type: 'ADD_UNIT_LABEL', unitId: [2, 7], label: 'mua' });
    expect(partial.update.labelsChanged).toEqual([7]);
  });

  it('returns the same object for every no-op', () => {
    const s = run([
      { type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' },
      { type: 'MERGE_UNITS', unitIds: [1, 2] },
    ]);
    const noOps: CurationAction[] = [
      { type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' },
      { type: 'ADD_UNIT_LABEL', unitId: [], label: 'accept' },
      { type: 'REMOVE_UNIT_LABEL', unitId: 1, label: 'noise' },
      { type: 'REMOVE_UNIT_LABEL', unitId: 5, label: 'accept' },
      { type: 'MERGE_UNITS', unitIds: [2, 1] },
      { type: 'MERGE_UNITS', unitIds: [3] },
      { type: 'MERGE_UNITS', unitIds: [] },
      { type: 'UNMERGE_UNITS', unitIds: [9] },
      { type: 'REOPEN_CURATION' },
      { type: 'SET_CURATION', curation: { labelsByUnit: { 1: ['accept', 'accept'] }, mergeGroups: [[2, 1]], isClosed: false } },
    ];
    for (const a of noOps) expect(curationReducer(s, a), a.type).toBe(s);
  });

  it('merges: groups that share a unit unite', () => {
    const r1 = reduceCuration(initialCurationState, { type: 'MERGE_UNITS', unitIds: [1, 2] });
    expect(r1.state.mergeGroups).toEqual([[1, 2]]);
    expect(r1.update).toMatchObject({ changed: true, mergeChanged: [1, 2], description: 'merged units 1, 2' });
    const r2 = reduceCuration(r1.state, { type: 'MERGE_UNITS', unitIds: [5, 6] });
    const r3 = reduceCuration(r2.state, { type: 'MERGE_UNITS', unitIds: [2, 5] });
    expect(r3.state.mergeGroups).toEqual([[1, 2, 5, 6]]);
    // Every unit whose group changed is reported, also those not named in the action.
    expect(r3.update.mergeChanged).toEqual([1, 2, 5, 6]);
    expect(mergedUnitId(r3.state.mergeGroups[0])).toBe(1);
  });

  it('unmerges: the units leave every group; a group left with one unit drops', () => {
    const s = run([{ type: 'MERGE_UNITS', unitIds: [1, 2, 3] }, { type: 'MERGE_UNITS', unitIds: [7, 8] }]);
    const r = reduceCuration(s, { type: 'UNMERGE_UNITS', unitIds: [2, 8] });
    expect(r.state.mergeGroups).toEqual([[1, 3]]);
    // 1 and 3 stay merged but their group shrank; 7 lost its group.
    expect(r.update.mergeChanged).toEqual([1, 2, 3, 7, 8]);
    expect(run([{ type: 'UNMERGE_UNITS', unitIds: [1, 3] }], r.state).mergeGroups).toEqual([]);
  });

  it('ignores everything but REOPEN_CURATION while closed', () => {
    const closed = run([{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' }, { type: 'CLOSE_CURATION' }]);
    expect(closed.isClosed).toBe(true);
    for (const a of [
      { type: 'ADD_UNIT_LABEL', unitId: 2, label: 'noise' },
      { type: 'REMOVE_UNIT_LABEL', unitId: 1, label: 'accept' },
      { type: 'MERGE_UNITS', unitIds: [1, 2] },
      { type: 'CLOSE_CURATION' },
      { type: 'SET_CURATION', curation: { labelsByUnit: {}, mergeGroups: [], isClosed: false } },
    ] as CurationAction[]) {
      const r = reduceCuration(closed, a);
      expect(r.state).toBe(closed);
      expect(r.update.changed).toBe(false);
    }
    const r = reduceCuration(closed, { type: 'REOPEN_CURATION' });
    expect(r.state).toEqual({ labelsByUnit: { 1: ['accept'] }, mergeGroups: [], isClosed: false });
    expect(r.update).toMatchObject({ changed: true, closedChanged: true, description: 'reopened the curation' });
  });

  it('SET_CURATION replaces the state with its canonical form and reports the difference', () => {
    const s = run([{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' }, { type: 'MERGE_UNITS', unitIds: [4, 5] }]);
    const r = reduceCuration(s, { type: 'SET_CURATION', curation: { labelsByUnit: { 2: ['noise', 'mua', 'noise'], 3: [] }, mergeGroups: [[5, 4], [6], [9, 8]], isClosed: false } });
    expect(r.state).toEqual({ labelsByUnit: { 2: ['mua', 'noise'] }, mergeGroups: [[4, 5], [8, 9]], isClosed: false });
    expect(r.update).toMatchObject({ changed: true, labelsChanged: [1, 2], mergeChanged: [8, 9] });
  });

  it('never mutates the state it is given', () => {
    const s = run([{ type: 'ADD_UNIT_LABEL', unitId: 1, label: 'accept' }, { type: 'MERGE_UNITS', unitIds: [1, 2] }]);
    const frozen = structuredClone(s);
    run([
      { type: 'ADD_UNIT_LABEL', unitId: 1, label: 'noise' },
      { type: 'REMOVE_UNIT_LABEL', unitId: 1, label: 'accept' },
      { type: 'MERGE_UNITS', unitIds: [2, 3] },
      { type: 'UNMERGE_UNITS', unitIds: [1] },
      { type: 'CLOSE_CURATION' },
    ], s);
    expect(s).toEqual(frozen);
  });

  it('normalizes numeric keys and defaults of a snapshot', () => {
    expect(normalizeCuration({})).toEqual(initialCurationState);
    expect(normalizeCuration({ labelsByUnit: { '007': ['b', 'a'] } }).labelsByUnit).toEqual({ 7: ['a', 'b'] });
  });
});

describe('curation actions schema and replay', () => {
  it('accepts the 2021 message shapes, including a legacy sortingId field', () => {
    expect(curationActionSchema.parse({ type: 'ADD_UNIT_LABEL', unitId: 3, label: 'accept', sortingId: 'S-1' }))
      .toEqual({ type: 'ADD_UNIT_LABEL', unitId: 3, label: 'accept' });
    expect(curationActionSchema.safeParse({ type: 'ADD_UNIT_LABEL', unitId: 1.5, label: 'x' }).success).toBe(false);
    expect(curationActionSchema.safeParse({ type: 'ADD_UNIT_LABEL', unitId: 1, label: '' }).success).toBe(false);
    expect(curationActionSchema.safeParse({ type: 'DELETE_EVERYTHING' }).success).toBe(false);
    expect(curationActionSchema.parse({ type: 'SET_CURATION', curation: {} })).toEqual({ type: 'SET_CURATION', curation: { labelsByUnit: {}, mergeGroups: [], isClosed: false } });
  });

  it('replays a log in order, skipping and reporting invalid messages', () => {
    const { state, ignored } = replayCuration([
      { type: 'ADD_UNIT_LABEL', unitId: [1, 2], label: 'accept' },
      { type: 'MERGE_UNITS', unitIds: [1, 2] },
      { type: 'MERGE_UNITS', unitIds: 'all' },
      null,
      { type: 'CLOSE_CURATION' },
      { type: 'REMOVE_UNIT_LABEL', unitId: 1, label: 'accept' }, // ignored: closed
    ]);
    expect(state).toEqual({ labelsByUnit: { 1: ['accept'], 2: ['accept'] }, mergeGroups: [[1, 2]], isClosed: true });
    expect(ignored.map((i) => i.position)).toEqual([2, 3]);
  });
});
