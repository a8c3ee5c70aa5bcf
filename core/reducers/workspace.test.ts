import { describe, expect, it } from 'vitest';
import { findRecording, findSorting, initialWorkspaceState, replayWorkspace, workspaceReducer, type WorkspaceState } from './workspace';
import { workspaceActionSchema, workspaceMessageSchema, type WorkspaceAction, type WorkspaceRecording, type WorkspaceSorting } from './workspaceActions';

const recording = (id: string, label = id): WorkspaceRecording => ({
  recordingId: id, recordingLabel: label, recordingPath: `sha1://${'a'.repeat(40)}/${label}.json`,
  recordingObject: { recording_format: 'mda', data: { raw: '/data/raw.mda', geom: [[0, 0]], params: { samplerate: 30000 } } }, description: '',
});
const sorting = (id: string, recordingId: string, label = id): Omit<WorkspaceSorting, 'unitMetricsUri'> => ({
  sortingId: id, sortingLabel: label, sortingPath: `sha1://${'b'.repeat(40)}/${label}.json`,
  sortingObject: { sorting_format: 'mda', data: { firings: '/data/firings.mda', samplerate: 30000 } },
  recordingId, recordingPath: recording(recordingId).recordingPath, recordingObject: recording(recordingId).recordingObject, description: '',
});
const run = (actions: WorkspaceAction[], from: WorkspaceState = initialWorkspaceState) => actions.reduce(workspaceReducer, from);
const ids = (s: WorkspaceState) => ({ recordings: s.recordings.map((r) => r.recordingId), sortings: s.sortings.map((x) => x.sortingId) });

describe('workspace reducer', () => {
  it('starts empty with the 2021 snippet length', () => {
    expect(initialWorkspaceState).toEqual({ recordings: [], sortings: [], snippetLen: [50, 80] });
  });

  it('adds recordings and sortings in log order', () => {
    const s = run([
      { type: 'ADD_RECORDING', recording: recording('R-1') },
      { type: 'ADD_RECORDING', recording: recording('R-2') },
      { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-2') },
      { type: 'ADD_SORTING', sorting: sorting('S-2', 'R-1') },
    ]);
    expect(ids(s)).toEqual({ recordings: ['R-1', 'R-2'], sortings: ['S-1', 'S-2'] });
    expect(findSorting(s, 'S-1')?.recordingId).toBe('R-2');
    expect(findRecording(s, 'R-9')).toBeUndefined();
  });

  it('skips an add whose id exists (first add wins), and a sorting of an absent recording', () => {
    const s = run([{ type: 'ADD_RECORDING', recording: recording('R-1', 'first') }, { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1', 'first') }]);
    expect(workspaceReducer(s, { type: 'ADD_RECORDING', recording: recording('R-1', 'second') })).toBe(s);
    expect(workspaceReducer(s, { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1', 'second') })).toBe(s);
    expect(workspaceReducer(s, { type: 'ADD_SORTING', sorting: sorting('S-2', 'R-404') })).toBe(s);
    expect(findRecording(s, 'R-1')?.recordingLabel).toBe('first');
  });

  it('DELETE_RECORDINGS also drops the sortings of those recordings', () => {
    const s = run([
      { type: 'ADD_RECORDING', recording: recording('R-1') },
      { type: 'ADD_RECORDING', recording: recording('R-2') },
      { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1') },
      { type: 'ADD_SORTING', sorting: sorting('S-2', 'R-2') },
      { type: 'ADD_SORTING', sorting: sorting('S-3', 'R-1') },
      { type: 'DELETE_RECORDINGS', recordingIds: ['R-1', 'R-404'] },
    ]);
    expect(ids(s)).toEqual({ recordings: ['R-2'], sortings: ['S-2'] });
  });

  it('DELETE_SORTINGS and DELETE_SORTINGS_FOR_RECORDINGS keep the recordings', () => {
    const base = run([
      { type: 'ADD_RECORDING', recording: recording('R-1') },
      { type: 'ADD_RECORDING', recording: recording('R-2') },
      { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1') },
      { type: 'ADD_SORTING', sorting: sorting('S-2', 'R-2') },
      { type: 'ADD_SORTING', sorting: sorting('S-3', 'R-1') },
    ]);
    expect(ids(run([{ type: 'DELETE_SORTINGS', sortingIds: ['S-1', 'S-2'] }], base))).toEqual({ recordings: ['R-1', 'R-2'], sortings: ['S-3'] });
    expect(ids(run([{ type: 'DELETE_SORTINGS_FOR_RECORDINGS', recordingIds: ['R-1'] }], base))).toEqual({ recordings: ['R-1', 'R-2'], sortings: ['S-2'] });
  });

  it('sets unit metrics on a sorting and the snippet length', () => {
    const s = run([
      { type: 'ADD_RECORDING', recording: recording('R-1') },
      { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1') },
      { type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId: 'S-1', metricsUri: 'sha1://c/unit_metrics.json' } },
      { type: 'SET_SNIPPET_LEN', snippetLen: [30, 40] },
    ]);
    expect(findSorting(s, 'S-1')?.unitMetricsUri).toBe('sha1://c/unit_metrics.json');
    expect(s.snippetLen).toEqual([30, 40]);
  });

  it('returns the same object for every no-op', () => {
    const s = run([
      { type: 'ADD_RECORDING', recording: recording('R-1') },
      { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1') },
      { type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId: 'S-1', metricsUri: 'sha1://m' } },
    ]);
    const noOps: WorkspaceAction[] = [
      { type: 'DELETE_RECORDINGS', recordingIds: ['R-404'] },
      { type: 'DELETE_RECORDINGS', recordingIds: [] },
      { type: 'DELETE_SORTINGS', sortingIds: ['S-404'] },
      { type: 'DELETE_SORTINGS_FOR_RECORDINGS', recordingIds: ['R-404'] },
      { type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId: 'S-1', metricsUri: 'sha1://m' } },
      { type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId: 'S-404', metricsUri: 'sha1://m' } },
      { type: 'SET_SNIPPET_LEN', snippetLen: [50, 80] },
    ];
    for (const a of noOps) expect(workspaceReducer(s, a), a.type).toBe(s);
  });

  it('never mutates the state it is given', () => {
    const s = run([{ type: 'ADD_RECORDING', recording: recording('R-1') }, { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1') }]);
    const copy = structuredClone(s);
    run([
      { type: 'ADD_RECORDING', recording: recording('R-2') },
      { type: 'SET_UNIT_METRICS_FOR_SORTING', unitMetricsForSorting: { sortingId: 'S-1', metricsUri: 'sha1://m' } },
      { type: 'SET_SNIPPET_LEN', snippetLen: [1, 2] },
      { type: 'DELETE_RECORDINGS', recordingIds: ['R-1'] },
    ], s);
    expect(s).toEqual(copy);
    expect(initialWorkspaceState).toEqual({ recordings: [], sortings: [], snippetLen: [50, 80] });
  });
});

describe('workspace messages: schema and replay', () => {
  it('parses a 2021 ADD_RECORDING message; description defaults to ""', () => {
    const { description: _, ...withoutDescription } = recording('R-0123456789ab');
    const m = workspaceMessageSchema.parse({ action: { type: 'ADD_RECORDING', recording: withoutDescription } });
    expect(m.action).toMatchObject({ type: 'ADD_RECORDING', recording: { recordingId: 'R-0123456789ab', description: '' } });
  });

  it('refuses malformed actions and SET_USER_PERMISSIONS', () => {
    expect(workspaceActionSchema.safeParse({ type: 'SET_SNIPPET_LEN', snippetLen: [50] }).success).toBe(false);
    expect(workspaceActionSchema.safeParse({ type: 'SET_SNIPPET_LEN', snippetLen: [-1, 80] }).success).toBe(false);
    expect(workspaceActionSchema.safeParse({ type: 'SET_SNIPPET_LEN', snippetLen: [0, 0] }).success).toBe(false);
    expect(workspaceActionSchema.safeParse({ type: 'DELETE_RECORDINGS', recordingIds: 'R-1' }).success).toBe(false);
    expect(workspaceActionSchema.safeParse({ type: 'SET_USER_PERMISSIONS', userId: 'a@b.c', permissions: { edit: true } }).success).toBe(false);
  });

  it('replays a log, ignoring 2021 permission messages and invalid ones, and reports them', () => {
    const { state, ignored } = replayWorkspace([
      { action: { type: 'ADD_RECORDING', recording: recording('R-1') } },
      { action: { type: 'SET_USER_PERMISSIONS', userId: 'someone@example.org', permissions: { edit: true } } },
      { action: { type: 'ADD_SORTING', sorting: sorting('S-1', 'R-1') } },
      { type: 'ADD_RECORDING', recording: recording('R-2') }, // not wrapped in {action}
      'garbage',
      { action: { type: 'SET_SNIPPET_LEN', snippetLen: [20, 20] } },
      // Stored before depth was bounded: skipped, so no reader walks it recursively.
      JSON.parse(`{"action":{"type":"ADD_RECORDING","recording":{"recordingId":"R-3","recordingLabel":"deep","recordingPath":"sha1://${'a'.repeat(40)}/x.json","recordingObject":${'{"recording_format":"subrecording","data":{"recording":'.repeat(2000)}{}${'}}'.repeat(2000)}}}}`),
    ]);
    expect(ids(state)).toEqual({ recordings: ['R-1'], sortings: ['S-1'] });
    expect(state.snippetLen).toEqual([20, 20]);
    expect(ignored.map((i) => [i.position, i.reason])).toEqual([[1, 'legacy-permissions'], [3, 'invalid'], [4, 'invalid'], [6, 'invalid']]);
    expect(ignored[3].detail).toMatch(/nests more than 64 levels/);
  });
});
