import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { curationReducer, initialCurationState, type CurationState } from '../../core/reducers/curation';
import type { CurationAction } from '../../core/reducers/curationActions';
import { displayedUnitIds as displayedUnitIdsOf, initialSortingSelection, selectionReducer, type SortingSelection } from '../../core/reducers/selection';
import type { WorkspaceState } from '../../core/reducers/workspace';
import type { WorkspaceSorting } from '../../core/reducers/workspaceActions';
import { recordingInfoTask, sortingInfoTask, type SortingRef, type TimeseriesFilter } from '../../core/tasks/viewKwargs';
import { FLUSH_URL_EVENT, useApp } from '../app/context';
import { TaskStatusLine } from '../components/TaskStatus';
import { emptyHistory, record, redo as redoHistory, undo as undoHistory, type CurationHistory } from '../curation/history';
import { ApiError } from '../auth/apiFetch';
import { describeCurationMessage } from '../curation/describe';
import { readOnlyReason, usePermissions } from '../curation/usePermissions';
import { apiCurationWriter } from '../curation/writer';
import { useCuration, useRouteWorkspace } from '../data/feeds';
import { useTask } from '../data/useTask';
import type { SortingViewState, VisibleUnitsFilter } from '../route';
import type { RecordingInfoResult, SortingInfoResult } from '../workspace/WorkspacePage';
import { HelpDialog } from './HelpDialog';
import { DEFAULT_LAYOUT, layoutReducer } from './layout';
import { LeftPanel } from './LeftPanel';
import { SelectionContext, SortingDataContext, type PendingAppend, type SelectionContextValue, type SortingData } from './sortingContext';
import { commandFor, type Command } from './shortcuts';
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
  const recInfoSpec = useMemo(() => recordingInfoTask(ref.recordingUri), [ref.recordingUri]);
  const sortInfoSpec = useMemo(() => sortingInfoTask(ref.sortingUri), [ref.sortingUri]);
  const recInfo = useTask(recInfoSpec);
  const sortInfo = useTask(sortInfoSpec);
  const recordingInfo = recInfo?.status === 'finished' ? (recInfo.result as RecordingInfoResult) : null;
  const unitIds = sortInfo?.status === 'finished' ? (sortInfo.result as SortingInfoResult).unit_ids : null;
  const curationFeed = useCuration(feedId, sorting.sortingId);
  const logLength = curationFeed.length;
  // Appended actions show at once (optimistically) until the log read back contains them; a refused
  // append is rolled back (removed) with the API's message.
  const [pending, setPending] = useState<PendingAppend[]>([]);
  const shownPending = useMemo(() => pending.filter((p) => p.untilLength === null || p.untilLength > logLength), [pending, logLength]);
  useEffect(() => {
    if (shownPending.length !== pending.length) setPending((ps) => ps.filter((p) => p.untilLength === null || p.untilLength > logLength));
  }, [shownPending, pending, logLength]);
  const logState = curationFeed.state?.curation;
  const curation: CurationState = useMemo(() => shownPending.flatMap((p) => p.actions).reduce(curationReducer, logState ?? initialCurationState), [logState, shownPending]);

  const [selection, dispatch] = useReducer(selectionReducer, route.view, initialSelection);
  const [layout, dispatchLayout] = useReducer(layoutReducer, route.view?.layout ?? DEFAULT_LAYOUT);
  const [visibleUnitsFilter, setVisibleUnitsFilter] = useState<VisibleUnitsFilter>(route.view?.visibleUnits ?? 'all');
  const [tracesFilter, setTracesFilter] = useState<TimeseriesFilter>(route.view?.tracesFilter);
  const [message, setMessage] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [history, setHistory] = useState<CurationHistory>(emptyHistory);

  useEffect(() => {
    if (recordingInfo) dispatch({ type: 'SET_RECORDING', numFrames: recordingInfo.num_frames, sampleRateHz: recordingInfo.sampling_frequency });
  }, [recordingInfo]);
  useEffect(() => dispatch({ type: 'SET_MERGE_GROUPS', mergeGroups: curation.mergeGroups }), [curation.mergeGroups]);
  const visible = useMemo(() => visibleUnitsFor(visibleUnitsFilter, unitIds, curation.labelsByUnit), [visibleUnitsFilter, unitIds, curation.labelsByUnit]);
  useEffect(() => dispatch({ type: 'SET_VISIBLE_UNITS', unitIds: visible }), [visible]);

  const displayedUnitIds = useMemo(() => (unitIds ? displayedUnitIdsOf(selection, unitIds) : []),
    [unitIds, selection.applyMerges, selection.mergeGroups, selection.visibleUnitIds]); // eslint-disable-line react-hooks/exhaustive-deps

  // The URL follows the view state (replaceState, debounced) so that a copied link reproduces it.
  useEffect(() => {
    const write = () => {
      navigate({
        ...route,
        view: {
          layout, selectedUnitIds: selection.selectedUnitIds, applyMerges: selection.applyMerges,
          timeRangeFrames: selection.timeRangeFrames ?? undefined, currentTimepointFrames: selection.currentTimepointFrames ?? undefined,
          ampScaleFactor: selection.ampScaleFactor, waveformsMode: selection.waveformsMode, selectedElectrodeIds: selection.selectedElectrodeIds,
          visibleUnits: visibleUnitsFilter, tracesFilter,
        },
      }, { replace: true });
    };
    const t = setTimeout(write, 250);
    // "Copy link" asks for the URL now, not after the debounce.
    window.addEventListener(FLUSH_URL_EVENT, write);
    return () => {
      clearTimeout(t);
      window.removeEventListener(FLUSH_URL_EVENT, write);
    };
  }, [layout, selection, visibleUnitsFilter, tracesFilter]); // eslint-disable-line react-hooks/exhaustive-deps

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
  const writer = useMemo(() => (curationReadOnly || !signedInApi ? null : apiCurationWriter(signedInApi)), [curationReadOnly, signedInApi]);
  const stateRef = useRef(curation);
  stateRef.current = curation;
  const nextId = useRef(1);
  const refreshFeed = curationFeed.refresh;
  const refreshPermissions = permissions.refresh;
  const append = useCallback(async (actions: CurationAction[], describe: string) => {
    if (!writer) {
      notify(curationReadOnly ?? 'Curation is read-only');
      throw new Error(curationReadOnly ?? 'read-only');
    }
    const id = nextId.current++;
    setPending((p) => [...p, { id, actions, description: describe, untilLength: null }]);
    try {
      const { positions } = await writer.append(feedId, sorting.sortingId, actions);
      const untilLength = positions.length ? Math.max(...positions) + 1 : 0;
      setPending((p) => p.map((x) => (x.id === id ? { ...x, untilLength } : x)));
      notify(`Saved: ${describe}`);
      refreshFeed();
    } catch (err) {
      setPending((p) => p.filter((x) => x.id !== id));
      const why = (err as Error).message;
      notify(`Not saved (${describe}): ${why}`);
      // Rights changed under us: read them again; the page turns read-only with the owner's answer.
      if (err instanceof ApiError && err.status === 403) refreshPermissions();
      throw err;
    }
  }, [writer, curationReadOnly, feedId, sorting.sortingId, notify, refreshFeed, refreshPermissions]);
  const curate = useCallback(async (actions: CurationAction[]) => {
    let h = history;
    let s = stateRef.current;
    for (const a of actions) {
      h = record(h, s, a);
      s = curationReducer(s, a);
    }
    await append(actions, actions.map(describeCurationMessage).join('; '));
    setHistory(h);
  }, [history, append]);
  const undo = useCallback(async () => {
    const u = undoHistory(history);
    if (!u) return notify('Nothing to undo');
    await append(u.append, u.description);
    setHistory(u.history);
  }, [history, append, notify]);
  const redo = useCallback(async () => {
    const r = redoHistory(history);
    if (!r) return notify('Nothing to redo');
    await append(r.append, r.description);
    setHistory(r.history);
  }, [history, append, notify]);

  const data: SortingData = useMemo(() => ({
    sorting, recording, ref, recordingInfo, unitIds, curation, curationReadOnly, pending: shownPending, curationLog: curationFeed.state?.entries ?? [],
    curate, undo, redo, canUndo: history.done.length > 0, canRedo: history.undone.length > 0,
    visibleUnitsFilter, setVisibleUnitsFilter, tracesFilter, setTracesFilter, notify,
  }), [sorting, recording, ref, recordingInfo, unitIds, curation, curationReadOnly, shownPending, curationFeed.state, curate, undo, redo, history, visibleUnitsFilter, tracesFilter, notify]);
  const sel: SelectionContextValue = useMemo(() => ({ selection, dispatch, displayedUnitIds }), [selection, displayedUnitIds]);

  // Keyboard shortcuts (not while typing in a field).
  const run = useCallback((c: Command) => {
    const selected = selection.selectedUnitIds;
    const ignore = () => undefined;
    switch (c.kind) {
      case 'label': if (selected.length) void curate([{ type: 'ADD_UNIT_LABEL', unitId: selected, label: c.label }]).catch(ignore); else notify('Select units to label first'); break;
      case 'merge': if (selected.length >= 2) void curate([{ type: 'MERGE_UNITS', unitIds: selected }]).catch(ignore); else notify('Select two or more units to merge'); break;
      case 'unmerge': if (selected.length) void curate([{ type: 'UNMERGE_UNITS', unitIds: selected }]).catch(ignore); break;
      case 'undo': void undo().catch(ignore); break;
      case 'redo': void redo().catch(ignore); break;
      case 'selectAll': dispatch({ type: 'SET_SELECTED_UNITS', unitIds: displayedUnitIds }); break;
      case 'clearSelection': dispatch({ type: 'SET_SELECTED_UNITS', unitIds: [] }); break;
      case 'shiftTime': dispatch({ type: 'SHIFT_TIME_RANGE', fraction: c.fraction }); break;
      case 'zoomTime': dispatch({ type: 'ZOOM_TIME_RANGE', factor: c.factor }); break;
      case 'amplitude': dispatch({ type: 'SCALE_AMPLITUDE', direction: c.direction }); break;
      case 'timeHome': { const r = selection.timeRangeFrames; if (r) dispatch({ type: 'SET_TIME_RANGE', range: [0, r[1] - r[0]] }); break; }
      case 'timeEnd': { const r = selection.timeRangeFrames; const n = selection.numFrames; if (r && n) dispatch({ type: 'SET_TIME_RANGE', range: [n - (r[1] - r[0]), n] }); break; }
      case 'help': setHelpOpen(true); break;
      default: { const never: never = c; return never; }
    }
  }, [selection, displayedUnitIds, curate, undo, redo, notify]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      if (document.querySelector('.dialog')) return;
      const c = commandFor(e);
      if (!c) return;
      e.preventDefault();
      run(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const both = layout.north.length > 0 && layout.south.length > 0;
  return (
    <SortingDataContext.Provider value={data}>
      <SelectionContext.Provider value={sel}>
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
      </SelectionContext.Provider>
    </SortingDataContext.Provider>
  );
}

