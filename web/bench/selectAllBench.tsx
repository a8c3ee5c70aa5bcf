import { useMemo, useReducer } from 'react';
import { createRoot } from 'react-dom/client';
import { displayedUnitIds as displayedOf, initialSortingSelection, selectionReducer } from '../../core/reducers/selection';
import { taskHash } from '../../core/protocol';
import type { TaskRequest } from '../../core/tasks/contract';
import { unitsSummaryRequest } from '../../core/tasks/contracts/unitsTable';
import { AppContext, type AppState } from '../app/context';
import type { TaskClient, TaskRecord } from '../data/taskClient';
import { SelectionContext, SortingDataContext, type SortingData } from '../sorting/sortingContext';
import { CurationPanel } from '../sorting/CurationPanel';
import { AutocorrelogramsView } from '../views/autocorrelograms/AutocorrelogramsView';
import { AverageWaveformsView } from '../views/averageWaveforms/AverageWaveformsView';
import { UnitsTableView } from '../views/unitsTable/UnitsTableView';

/**
 * Bench page (not part of the app): the units table, the curation panel, average waveforms and
 * autocorrelograms over N synthetic units, with a task client that answers the units summary at
 * once and leaves per-unit tasks pending. bench/guiSelectAll.ts (`npm run bench`) loads it and times
 * select-all. N comes from `window.BENCH_UNITS`.
 */
const N = (window as unknown as { BENCH_UNITS?: number }).BENCH_UNITS ?? 1000;
const unitIds = Array.from({ length: N }, (_, i) => i + 1);
const ref = { recordingUri: `sha1://${'a'.repeat(40)}/r.json`, sortingUri: `sha1://${'b'.repeat(40)}/s.json` };
const summarySpec = unitsSummaryRequest(ref);
const summary = {
  unit_ids: unitIds, num_frames: 30000 * 600, sampling_frequency: 30000, isi_threshold_msec: 2.5, snippet_len: [50, 80], spikes_per_unit: 500,
  units: Object.fromEntries(unitIds.map((u) => [String(u), { count: 1000 + ((u * 7919) % 50000), rate: '1.00', firing_rate_hz: 1 + (u % 37), isi_violation_rate: (u % 13) / 100, peak_channel: u % 384, snr: 2 + (u % 29) }])),
};
const records = new Map<string, TaskRecord>();
const finished: TaskRecord = { hash: taskHash(summarySpec.functionId, summarySpec.kwargs), functionId: summarySpec.functionId, kwargs: summarySpec.kwargs, status: 'finished', requestedMs: 0, startedMs: 0, endedMs: 1, source: 'bucket', result: summary };
records.set(finished.hash, finished);
const fakeClient = {
  backendLabel: 'bench',
  request: (spec: TaskRequest) => {
    const hash = taskHash(spec.functionId, spec.kwargs);
    if (!records.has(hash)) records.set(hash, { hash, functionId: spec.functionId, kwargs: spec.kwargs, status: 'queued', requestedMs: performance.now(), startedMs: performance.now() });
    return records.get(hash)!;
  },
  get: (hash: string) => records.get(hash),
  subscribe: () => () => {},
  subscribeAll: () => () => {},
  all: () => [...records.values()],
  retry: () => {},
} as unknown as TaskClient;

function Bench() {
  const [selection, dispatch] = useReducer(selectionReducer, initialSortingSelection);
  const displayedUnitIds = useMemo(() => displayedOf(selection, unitIds), [selection.applyMerges, selection.mergeGroups, selection.visibleUnitIds]); // eslint-disable-line react-hooks/exhaustive-deps
  const app = useMemo<AppState>(() => ({
    config: { storageUrl: 'http://localhost' }, route: {}, navigate: () => {}, backendUri: 'gs://b/sortingview-backends/bench.json',
    backend: { label: 'bench', apiUrl: 'http://localhost', version: '0', taskFunctionIds: [], timestamp: Date.now() }, backendError: null, store: null, client: fakeClient,
    auth: { unavailable: 'bench', ready: true, user: null, emulator: null, signIn: async () => {}, signOut: async () => {}, getIdToken: null },
    ownApi: { apiUrl: null, reason: 'bench' },
  }), []);
  const data = useMemo<SortingData>(() => ({
    sorting: { sortingId: 'S-1', sortingLabel: 'bench', sortingPath: ref.sortingUri, sortingObject: {}, recordingId: 'R-1', recordingPath: ref.recordingUri, recordingObject: {}, description: '' },
    recording: { recordingId: 'R-1', recordingLabel: 'r', recordingPath: ref.recordingUri, recordingObject: {}, description: '' },
    ref, recordingInfo: null, unitIds, curation: { labelsByUnit: {}, mergeGroups: [], isClosed: false }, curationReadOnly: 'bench', pending: [], curationLog: [],
    curate: async () => {}, editRefusal: () => 'bench', undo: async () => {}, redo: async () => {}, canUndo: false, canRedo: false,
    visibleUnitsFilter: 'all', setVisibleUnitsFilter: () => {}, tracesFilter: undefined, setTracesFilter: () => {}, notify: () => {},
  }), []);
  const sel = useMemo(() => ({ selection, dispatch, displayedUnitIds }), [selection, displayedUnitIds]);
  return (
    <AppContext.Provider value={app}>
      <SortingDataContext.Provider value={data}>
        <SelectionContext.Provider value={sel}>
          <div style={{ display: 'flex' }}>
            <div style={{ width: 290 }}><CurationPanel curationLength={0} curationLoading={false} /></div>
            <div>
              <UnitsTableView width={1100} height={420} />
              <AverageWaveformsView width={1100} height={250} />
              <AutocorrelogramsView width={1100} height={250} />
            </div>
          </div>
        </SelectionContext.Provider>
      </SortingDataContext.Provider>
    </AppContext.Provider>
  );
}

createRoot(document.getElementById('app')!).render(<Bench />);
