import { jsonTooDeep } from '../protocol/jsonBounds';
import {
  legacyPermissionsActionSchema, workspaceMessageSchema,
  type WorkspaceAction, type WorkspaceRecording, type WorkspaceSorting,
} from './workspaceActions';

/**
 * The state of a workspace: the pure reducer of its action log (2021 `workspaceReducer.ts` and
 * `workspace.py`), with no I/O. Returns the same object when an action changes nothing.
 *
 * Decisions (where the two 2021 readers differed):
 * - ADD_RECORDING / ADD_SORTING with an id that already exists are skipped, as the Python reader did
 *   (the GUI reducer replaced by id). First add wins: a curation refers to a sorting by id, so a later
 *   message must not silently swap the object behind it; and a duplicated message is a no-op.
 * - ADD_SORTING for a recording id the workspace does not hold is skipped, so that every sorting's
 *   recording is present (DELETE_RECORDINGS drops a recording's sortings to keep the same invariant).
 * - SET_UNIT_METRICS_FOR_SORTING for an unknown sorting is a no-op; it sets `sorting.unitMetricsUri`.
 * - SET_USER_PERMISSIONS (2021) is not part of the public log; `replayWorkspace` ignores it.
 */
export interface WorkspaceState {
  recordings: WorkspaceRecording[];
  sortings: WorkspaceSorting[];
  /** Frames before and after a spike in snippets; [50, 80] until SET_SNIPPET_LEN. */
  snippetLen: [number, number];
}

export const DEFAULT_SNIPPET_LEN: [number, number] = [50, 80];

export const initialWorkspaceState: WorkspaceState = Object.freeze({
  recordings: [],
  sortings: [],
  snippetLen: DEFAULT_SNIPPET_LEN,
}) as WorkspaceState;

export function workspaceReducer(state: WorkspaceState, action: WorkspaceAction): WorkspaceState {
  switch (action.type) {
    case 'ADD_RECORDING': {
      const r = action.recording;
      if (state.recordings.some((x) => x.recordingId === r.recordingId)) return state;
      return { ...state, recordings: [...state.recordings, r] };
    }
    case 'ADD_SORTING': {
      const s = action.sorting;
      if (state.sortings.some((x) => x.sortingId === s.sortingId)) return state;
      if (!state.recordings.some((x) => x.recordingId === s.recordingId)) return state;
      return { ...state, sortings: [...state.sortings, s] };
    }
    case 'DELETE_RECORDINGS': {
      const ids = new Set(action.recordingIds);
      const recordings = state.recordings.filter((r) => !ids.has(r.recordingId));
      const sortings = state.sortings.filter((s) => !ids.has(s.recordingId));
      if (recordings.length === state.recordings.length && sortings.length === state.sortings.length) return state;
      return { ...state, recordings, sortings };
    }
    case 'DELETE_SORTINGS': {
      const ids = new Set(action.sortingIds);
      const sortings = state.sortings.filter((s) => !ids.has(s.sortingId));
      return sortings.length === state.sortings.length ? state : { ...state, sortings };
    }
    case 'DELETE_SORTINGS_FOR_RECORDINGS': {
      const ids = new Set(action.recordingIds);
      const sortings = state.sortings.filter((s) => !ids.has(s.recordingId));
      return sortings.length === state.sortings.length ? state : { ...state, sortings };
    }
    case 'SET_UNIT_METRICS_FOR_SORTING': {
      const { sortingId, metricsUri } = action.unitMetricsForSorting;
      const i = state.sortings.findIndex((s) => s.sortingId === sortingId);
      if (i < 0 || state.sortings[i].unitMetricsUri === metricsUri) return state;
      const sortings = state.sortings.slice();
      sortings[i] = { ...sortings[i], unitMetricsUri: metricsUri };
      return { ...state, sortings };
    }
    case 'SET_SNIPPET_LEN': {
      const [before, after] = action.snippetLen;
      if (state.snippetLen[0] === before && state.snippetLen[1] === after) return state;
      return { ...state, snippetLen: [before, after] };
    }
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** A log message replay did not apply, with why. */
export interface IgnoredMessage {
  position: number;
  reason: 'legacy-permissions' | 'invalid';
  detail?: string;
}

/**
 * Replays a workspace log (the `message` of each stored message, in order). Messages that are not a
 * valid `{action}` are skipped and reported, never fatal: one bad message must not make a workspace
 * unreadable.
 */
export function replayWorkspace(messages: readonly unknown[], from: WorkspaceState = initialWorkspaceState): { state: WorkspaceState; ignored: IgnoredMessage[] } {
  let state = from;
  const ignored: IgnoredMessage[] = [];
  messages.forEach((m, position) => {
    // Written before depth was bounded (core/protocol/jsonBounds.ts): recursive readers would overflow on it.
    const tooDeep = jsonTooDeep(m, 'The message');
    if (tooDeep) {
      ignored.push({ position, reason: 'invalid', detail: tooDeep });
      return;
    }
    const parsed = workspaceMessageSchema.safeParse(m);
    if (parsed.success) {
      state = workspaceReducer(state, parsed.data.action);
    } else if (legacyPermissionsActionSchema.safeParse((m as { action?: unknown } | null)?.action).success) {
      ignored.push({ position, reason: 'legacy-permissions' });
    } else {
      const issue = parsed.error.issues[0];
      ignored.push({ position, reason: 'invalid', detail: issue ? `${issue.path.join('.')}: ${issue.message}` : undefined });
    }
  });
  return { state, ignored };
}

export function findRecording(state: WorkspaceState, recordingId: string): WorkspaceRecording | undefined {
  return state.recordings.find((r) => r.recordingId === recordingId);
}

export function findSorting(state: WorkspaceState, sortingId: string): WorkspaceSorting | undefined {
  return state.sortings.find((s) => s.sortingId === sortingId);
}
