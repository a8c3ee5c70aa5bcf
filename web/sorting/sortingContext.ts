import { createContext, useContext, type Dispatch } from 'react';
import type { CurationState } from '../../core/reducers/curation';
import type { CurationAction } from '../../core/reducers/curationActions';
import type { SelectionAction, SortingSelection } from '../../core/reducers/selection';
import type { WorkspaceRecording, WorkspaceSorting } from '../../core/reducers/workspaceActions';
import type { SortingRef } from '../../core/tasks/contracts/kwargs';
import type { RecordingInfoResult, TimeseriesFilter } from '../../core/tasks/contracts/recording';
import type { PendingAppend } from '../curation/editor';
import type { CurationLogEntry } from '../data/feeds';
import type { VisibleUnitsFilter } from '../route';

/**
 * What the views of a sorting page share, in two contexts: the data (changes rarely) and the
 * selection (changes on every click). Views read both through the hooks below.
 */
export interface SortingData {
  sorting: WorkspaceSorting;
  recording: WorkspaceRecording | undefined;
  /** The kwargs' common part (recording, sorting, the workspace's snippet_len). */
  ref: SortingRef;
  recordingInfo: RecordingInfoResult | null;
  /** The sorting's units (sorting_info.3), null while loading. */
  unitIds: number[] | null;
  curation: CurationState;
  /** Why curation cannot be edited here (null: it can). */
  curationReadOnly: string | null;
  /** Appends sent (or being sent) whose actions the polled log does not contain yet; shown optimistically. */
  pending: PendingAppend[];
  /** The curation log's newest messages: who did what and when. */
  curationLog: CurationLogEntry[];
  /** Appends curation actions (recording them for undo); rejects, after saying why on the page, when refused. */
  curate(actions: CurationAction[]): Promise<void>;
  /** Why these actions cannot be sent now (read-only, or the curation is complete), null when they can: buttons are disabled by it. */
  editRefusal(actions: CurationAction[]): string | null;
  undo(): Promise<void>;
  redo(): Promise<void>;
  canUndo: boolean;
  canRedo: boolean;
  visibleUnitsFilter: VisibleUnitsFilter;
  setVisibleUnitsFilter(f: VisibleUnitsFilter): void;
  tracesFilter: TimeseriesFilter;
  setTracesFilter(f: TimeseriesFilter): void;
  /** A short message for the status bar (curation results, shortcuts that did nothing). */
  notify(message: string): void;
}

export interface SelectionContextValue {
  selection: SortingSelection;
  dispatch: Dispatch<SelectionAction>;
  /** The units views list: visible, and one per merge group when merges are applied. */
  displayedUnitIds: number[];
}

export const SortingDataContext = createContext<SortingData | null>(null);
export const SelectionContext = createContext<SelectionContextValue | null>(null);

export function useSortingData(): SortingData {
  const v = useContext(SortingDataContext);
  if (!v) throw new Error('useSortingData outside a sorting page');
  return v;
}

export function useSelection(): SelectionContextValue {
  const v = useContext(SelectionContext);
  if (!v) throw new Error('useSelection outside a sorting page');
  return v;
}
