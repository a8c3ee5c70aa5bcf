import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { busyText } from '../../core/client/httpPolicy';
import type { CurationAction } from '../../core/reducers/curationActions';
import { displayedUnitIds as displayedUnitIdsOf, initialSortingSelection, selectionReducer, type SortingSelection } from '../../core/reducers/selection';
import type { WorkspaceState } from '../../core/reducers/workspace';
import type { WorkspaceSorting } from '../../core/reducers/workspaceActions';
import type { SortingRef } from '../../core/tasks/contracts/kwargs';
import { recordingInfoRequest, sortingInfoRequest, type TimeseriesFilter } from '../../core/tasks/contracts/recording';
import { useApp } from '../app/context';
import { TaskStatusLine } from '../components/TaskStatus';
import { readOnlyReason, usePermissions } from '../curation/usePermissions';
import { apiCurationWriter } from '../curation/writer';
import { useCuration, useRouteWorkspace } from '../data/feeds';
import { finishedResult } from '../data/taskClient';
import { useTask } from '../data/useTask';
import type { SortingViewState, VisibleUnitsFilter } from '../route';
import { HelpDialog } from './HelpDialog';
import { DEFAULT_LAYOUT, layoutReducer } from './layout';
import { LeftPanel } from './LeftPanel';
import { NavigationProvider } from './NavigationProvider';
import { PageKeys } from './PageKeys';
import { SelectionContext, SortingDataContext, type SelectionContextValue, type SortingData } from './sortingContext';
import { useCurationEditing } from './useCurationEditing';
import { useViewStateInUrl, viewStateOf } from './useViewStateInUrl';
import { ViewArea } from './ViewArea';
import { visibleUnitsFor } from './visibleUnits';

/** The MountainView page of one sorting: loads the workspace entry, then lays out the panel and the two tab areas. */
export function SortingPage() {
  const { route, navigate } = useApp();
  const { parsed, uriError, ws } = useRouteWorkspace();
  const back = () => navigate({ backend: route.backend, workspace: route.workspace });
  if (uriError) return <main className="page-narrow"><p className="error" role="alert">{uriError}</p></main>;
  if (ws.error && !ws.state) return <main className="page-narrow"><p className="error" role="alert" id="workspace-error">{ws.error}</p></main>;
  if (!ws.state) return <main className="page-narrow"><p className="muted">Reading the workspace log…</p></main>;
  const sorting = ws.state.sortings.find((s) => s.sortingId === route.sortingId);
  if (!sorting) {
    return (
      <main className="page-narrow">
        <p className="error" role="alert" id="sorting-error">The workspace has no sorting {route.sortingId}{ws.state.sortings.length ? `; it has ${ws.state.sortings.map((s) => `${s.sortingId} (${s.sortingLabel})`).join(', ')}` : ''}.</p>
        <p><a href="#" onClick={(e) => { e.preventDefault(); back(); }}>Back to the workspace</a></p>
      </main>
    );
  }
  return <LoadedSortingPage workspace={ws.state} sorting={sorting} feedId={parsed!.feedId} workspaceLabel={parsed!.label} />;
}

function initialSelection(view: SortingViewState | undefined): SortingSelection {
  if (!view) return initialSortingSelection;
  return selectionReducer(initialSortingSelection, {
    type: 'RESTORE',
    state: {
      ...(view.selectedUnitIds ? { selectedUnitIds: view.selectedUnitIds } : {}),
      ...(view.applyMerges !== undefined ? { applyMerges: view.applyMerges } : {}),
      ...(view.timeRangeFrames ? { timeRangeFrames: view.timeRangeFrames } : {}),
      ...(view.currentTimepointFrames !== undefined ? { currentTimepointFrames: view.currentTimepointFrames } : {}),
      ...(view.ampScaleFactor !== undefined ? { ampScaleFactor: view.ampScaleFactor } : {}),
      ...(view.waveformsMode ? { waveformsMode: view.waveformsMode } : {}),
      ...(view.selectedElectrodeIds ? { selectedElectrodeIds: view.selectedElectrodeIds } : {}),
    },
  });
}

function LoadedSortingPage({ workspace, sorting, feedId, workspaceLabel }: { workspace: WorkspaceState; sorting: WorkspaceSorting; feedId: string; workspaceLabel?: string }) {
  const { route, navigate, backend, auth, ownApi } = useApp();
  const recording = workspace.recordings.find((r) => r.recordingId === sorting.recordingId);
  const ref: SortingRef = useMemo(() => ({ recordingUri: sorting.recordingPath, sortingUri: sorting.sortingPath, snippetLen: workspace.snippetLen }),
    [sorting.recordingPath, sorting.sortingPath, workspace.snippetLen]);
  const recInfoSpec = useMemo(() => recordingInfoRequest(ref.recordingUri), [ref.recordingUri]);
  const sortInfoSpec = useMemo(() => sortingInfoRequest(ref.sortingUri), [ref.sortingUri]);
  const recInfo = useTask(recInfoSpec);
  const sortInfo = useTask(sortInfoSpec);
  const recordingInfo = finishedResult(recInfo);
  const unitIds = (finishedResult(sortInfo)?.unit_ids ?? null);
  const curationFeed = useCuration(feedId, sorting.sortingId);
  const [selection, dispatch] = useReducer(selectionReducer, route.view, initialSelection);
  const [layout, dispatchLayout] = useReducer(layoutReducer, route.view?.layout ?? DEFAULT_LAYOUT);
  const [visibleUnitsFilter, setVisibleUnitsFilter] = useState<VisibleUnitsFilter>(route.view?.visibleUnits ?? 'all');
  const [tracesFilter, setTracesFilter] = useState<TimeseriesFilter>(route.view?.tracesFilter);
  const [message, setMessage] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);

  const notify = useCallback((m: string) => setMessage(m), []);
  useEffect(() => {
    if (!message) return;
    const t = setTimeout(() => setMessage(null), 6000);
    return () => clearTimeout(t);
  }, [message]);

  const permissions = usePermissions(feedId);
  const curationReadOnly = readOnlyReason({
    hasBackend: !!backend, notOwnApi: ownApi.reason, authUnavailable: auth.unavailable, authReady: auth.ready, email: auth.user?.email ?? null, permissions,
  });
  const signedInApi = permissions.api;
  const writer = useMemo(() => (curationReadOnly || !signedInApi ? null : apiCurationWriter({ ...signedInApi, onWait: (w) => notify(`Saving: ${busyText(w.retryInSec)}`) })), [curationReadOnly, signedInApi, notify]);
  const { curation, pending, canUndo, canRedo, editor } = useCurationEditing({
    feedId, sortingId: sorting.sortingId, log: { state: curationFeed.state?.curation, length: curationFeed.length, refresh: curationFeed.refresh },
    writer, readOnly: curationReadOnly, notify, refreshPermissions: permissions.refresh,
  });
  const curate = useCallback((actions: CurationAction[]) => editor.curate(actions), [editor]);
  const undo = useCallback(() => editor.undo(), [editor]);
  const redo = useCallback(() => editor.redo(), [editor]);
  const editRefusal = useCallback((actions: CurationAction[]) => editor.refusal(actions), [editor]);

  useEffect(() => {
    if (recordingInfo) dispatch({ type: 'SET_RECORDING', numFrames: recordingInfo.num_frames, sampleRateHz: recordingInfo.sampling_frequency });
  }, [recordingInfo]);
  useEffect(() => dispatch({ type: 'SET_MERGE_GROUPS', mergeGroups: curation.mergeGroups }), [curation.mergeGroups]);
  const visible = useMemo(() => visibleUnitsFor(visibleUnitsFilter, unitIds, curation.labelsByUnit), [visibleUnitsFilter, unitIds, curation.labelsByUnit]);
  useEffect(() => dispatch({ type: 'SET_VISIBLE_UNITS', unitIds: visible }), [visible]);

  const displayedUnitIds = useMemo(() => (unitIds ? displayedUnitIdsOf(selection, unitIds) : []),
    [unitIds, selection.applyMerges, selection.mergeGroups, selection.visibleUnitIds]); // eslint-disable-line react-hooks/exhaustive-deps

  useViewStateInUrl(viewStateOf(layout, selection, visibleUnitsFilter, tracesFilter));

  const data: SortingData = useMemo(() => ({
    sorting, recording, ref, recordingInfo, unitIds, curation, curationReadOnly, pending, curationLog: curationFeed.state?.entries ?? [],
    curate, undo, redo, editRefusal, canUndo, canRedo,
    visibleUnitsFilter, setVisibleUnitsFilter, tracesFilter, setTracesFilter, notify,
  }), [sorting, recording, ref, recordingInfo, unitIds, curation, curationReadOnly, pending, curationFeed.state, curate, undo, redo, editRefusal, canUndo, canRedo, visibleUnitsFilter, tracesFilter, notify]);
  const sel: SelectionContextValue = useMemo(() => ({ selection, dispatch, displayedUnitIds }), [selection, displayedUnitIds]);

  const both = layout.north.length > 0 && layout.south.length > 0;
  return (
    <SortingDataContext.Provider value={data}>
      <SelectionContext.Provider value={sel}>
        <NavigationProvider>
          <PageKeys onHelp={() => setHelpOpen(true)} />
          <div className="sorting-page" id="sorting-page">
            <div className="page-head">
              <a href="#" onClick={(e) => { e.preventDefault(); navigate({ backend: route.backend, workspace: route.workspace }); }}>{workspaceLabel ?? 'Workspace'}</a>
              <span className="crumb-sep">/</span>
              <strong id="sorting-title">{sorting.sortingLabel}</strong>
              <span className="muted small"> · recording {recording?.recordingLabel ?? sorting.recordingId}{unitIds ? ` · ${unitIds.length} units` : ''}
                {recordingInfo ? ` · ${recordingInfo.channel_ids.length} channels · ${(recordingInfo.num_frames / recordingInfo.sampling_frequency).toFixed(1)} s at ${recordingInfo.sampling_frequency} Hz` : ''}</span>
              <span className="page-head-status">
                <TaskStatusLine rec={recInfo} label="recording info" spec={recInfoSpec} compact />
                <TaskStatusLine rec={sortInfo} label="sorting info" spec={sortInfoSpec} compact />
                {curationFeed.error ? <span className="error small">curation log: {curationFeed.error}</span> : null}
              </span>
              <button type="button" className="small-button" id="help-button" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (?)">? Help</button>
            </div>
            <div className="sorting-body">
              <LeftPanel layout={layout} dispatchLayout={dispatchLayout} curationLength={curationFeed.length} curationLoading={curationFeed.loading} message={message} />
              <div className="view-areas">
                <ViewArea area="north" layout={layout} dispatchLayout={dispatchLayout} grow={both ? 1 : layout.north.length ? 1 : 0} />
                <ViewArea area="south" layout={layout} dispatchLayout={dispatchLayout} grow={both ? 1 : layout.south.length ? 1 : 0} />
              </div>
            </div>
            {helpOpen ? <HelpDialog onClose={() => setHelpOpen(false)} /> : null}
          </div>
        </NavigationProvider>
      </SelectionContext.Provider>
    </SortingDataContext.Provider>
  );
}

