import { useState } from 'react';
import { formatWorkspaceUri } from '../../core/feeds';
import type { WorkspaceRecording, WorkspaceSorting } from '../../core/reducers/workspaceActions';
import { recordingInfoRequest, sortingInfoRequest } from '../../core/tasks/contracts/recording';
import { useApp } from '../app/context';
import { TaskStatusLine } from '../components/TaskStatus';
import { usePermissions } from '../curation/usePermissions';
import { useRouteWorkspace } from '../data/feeds';
import { finishedResult } from '../data/taskClient';
import { useTask } from '../data/useTask';
import { importInstructions } from './importInstructions';
import { PermissionsPanel } from './PermissionsPanel';
import { RemoveDialog } from './RemoveDialog';
import type { Removal } from './removeApi';


/** The workspace: its recordings and sortings (with sizes from recording_info.3 / sorting_info.3), and how to add more. */
export function WorkspacePage() {
  const { parsed, uriError, ws } = useRouteWorkspace();
  const { perms, api } = usePermissions(parsed?.feedId ?? null);
  const [removal, setRemoval] = useState<Removal | null>(null);
  // Only the owner removes (the API refuses others); others see no button.
  const onRemove = perms?.isOwner && api ? setRemoval : undefined;
  if (uriError) return <main className="page-narrow"><section><p className="error" role="alert" id="workspace-error">{uriError}</p></section></main>;
  const uri = formatWorkspaceUri({ feedId: parsed!.feedId });
  return (
    <main className="page-narrow" id="workspace-page">
      <section>
        <h2 id="workspace-title">{parsed!.label ?? 'Workspace'}</h2>
        <p className="mono small">{uri}</p>
        {ws.error ? <p className="error" role="alert" id="workspace-error">{ws.error}</p> : null}
        {ws.loading ? <p className="muted">Reading the workspace log…</p> : null}
        {ws.state ? <p className="muted small">{ws.length} log messages · snippet length {ws.state.snippetLen[0]} + {ws.state.snippetLen[1]} frames</p> : null}
      </section>
      {ws.state ? (
        <>
          <RecordingsTable recordings={ws.state.recordings} sortings={ws.state.sortings} onRemove={onRemove} />
          <SortingsTable sortings={ws.state.sortings} recordings={ws.state.recordings} onRemove={onRemove} />
        </>
      ) : null}
      {ws.state ? <PermissionsPanel feedId={parsed!.feedId} /> : null}
      <ImportSection workspaceUri={uri} firstRecordingId={ws.state?.recordings[0]?.recordingId} />
      {removal && api ? <RemoveDialog removal={removal} api={api} feedId={parsed!.feedId} onClose={() => setRemoval(null)} onRemoved={ws.refresh} /> : null}
    </main>
  );
}

type OnRemove = ((r: Removal) => void) | undefined;

function RemoveButton({ onClick, what }: { onClick: () => void; what: string }) {
  return <button type="button" className="link-button small remove-button" onClick={onClick} title={`Remove this ${what} from the workspace (owner only)`}>Remove…</button>;
}

function RecordingsTable({ recordings, sortings, onRemove }: { recordings: WorkspaceRecording[]; sortings: WorkspaceSorting[]; onRemove: OnRemove }) {
  return (
    <section>
      <h2>Recordings ({recordings.length})</h2>
      {recordings.length === 0 ? <p className="muted">No recordings yet: add one with the commands below.</p> : (
        <table className="data-table" id="recordings-table">
          <thead><tr><th>Recording</th><th>Num. channels</th><th>Samp. freq. (Hz)</th><th>Duration (min)</th><th>Sortings</th></tr></thead>
          <tbody>{recordings.map((r) => <RecordingRow key={r.recordingId} r={r} sortings={sortings.filter((s) => s.recordingId === r.recordingId)} onRemove={onRemove} />)}</tbody>
        </table>
      )}
    </section>
  );
}

function RecordingRow({ r, sortings, onRemove }: { r: WorkspaceRecording; sortings: WorkspaceSorting[]; onRemove: OnRemove }) {
  const spec = recordingInfoRequest(r.recordingPath);
  const rec = useTask(spec);
  const info = finishedResult(rec);
  return (
    <tr data-recording-id={r.recordingId}>
      <td><strong>{r.recordingLabel}</strong><div className="muted small">{r.recordingId}{r.description ? ` · ${r.description}` : ''}
        {onRemove ? <> · <RemoveButton what="recording" onClick={() => onRemove({ kind: 'recording', recording: r, sortings })} /></> : null}</div></td>
      {info ? (
        <>
          <td className="num">{info.channel_ids.length}</td>
          <td className="num">{info.sampling_frequency}</td>
          <td className="num">{(info.num_frames / info.sampling_frequency / 60).toFixed(3)}</td>
        </>
      ) : <td colSpan={3}><TaskStatusLine rec={rec} label="recording info" spec={spec} compact /></td>}
      <td>{sortings.length ? sortings.map((s) => <SortingLink key={s.sortingId} s={s} />) : <span className="muted">none</span>}</td>
    </tr>
  );
}

function SortingLink({ s }: { s: WorkspaceSorting }) {
  const { navigate, route } = useApp();
  const rec = useTask(sortingInfoRequest(s.sortingPath));
  const n = (finishedResult(rec)?.unit_ids.length ?? null);
  return (
    <a href="#" className="sorting-link" onClick={(e) => { e.preventDefault(); navigate({ backend: route.backend, workspace: route.workspace, sortingId: s.sortingId }); }}>
      {s.sortingLabel} ({n === null ? (rec?.status === 'error' ? 'error' : '…') : `${n} units`})
    </a>
  );
}

function SortingsTable({ sortings, recordings, onRemove }: { sortings: WorkspaceSorting[]; recordings: WorkspaceRecording[]; onRemove: OnRemove }) {
  if (!sortings.length) return null;
  return (
    <section>
      <h2>Sortings ({sortings.length})</h2>
      <table className="data-table" id="sortings-table">
        <thead><tr><th>Sorting</th><th>Recording</th><th>Units</th><th>Compare with</th></tr></thead>
        <tbody>{sortings.map((s) => <SortingRow key={s.sortingId} s={s} recordings={recordings} others={sortings.filter((o) => o.recordingId === s.recordingId && o.sortingId !== s.sortingId)} onRemove={onRemove} />)}</tbody>
      </table>
    </section>
  );
}

function SortingRow({ s, recordings, others, onRemove }: { s: WorkspaceSorting; recordings: WorkspaceRecording[]; others: WorkspaceSorting[]; onRemove: OnRemove }) {
  const { navigate, route } = useApp();
  const spec = sortingInfoRequest(s.sortingPath);
  const rec = useTask(spec);
  const info = finishedResult(rec);
  const [other, setOther] = useState(others[0]?.sortingId ?? '');
  return (
    <tr data-sorting-id={s.sortingId}>
      <td><a href="#" onClick={(e) => { e.preventDefault(); navigate({ backend: route.backend, workspace: route.workspace, sortingId: s.sortingId }); }}><strong>{s.sortingLabel}</strong></a><div className="muted small">{s.sortingId}
        {onRemove ? <> · <RemoveButton what="sorting" onClick={() => onRemove({ kind: 'sorting', sorting: s })} /></> : null}</div></td>
      <td>{recordings.find((r) => r.recordingId === s.recordingId)?.recordingLabel ?? s.recordingId}</td>
      <td className="num">{info ? info.unit_ids.length : <TaskStatusLine rec={rec} label="sorting info" spec={spec} compact />}</td>
      <td>
        {others.length ? (
          <span className="inline-form">
            <select value={other} onChange={(e) => setOther(e.target.value)} aria-label="Sorting to compare with">
              {others.map((o) => <option key={o.sortingId} value={o.sortingId}>{o.sortingLabel}</option>)}
            </select>
            <button type="button" className="small-button compare-button" onClick={() => navigate({ backend: route.backend, workspace: route.workspace, sortingId: s.sortingId, compareSortingId: other })}>Compare</button>
          </span>
        ) : <span className="muted small">no other sorting of this recording</span>}
      </td>
    </tr>
  );
}

function ImportSection({ workspaceUri, firstRecordingId }: { workspaceUri: string; firstRecordingId?: string }) {
  const { backendUri, backend } = useApp();
  const steps = importInstructions({ workspaceUri, backendUri, backendLabel: backend?.label, recordingId: firstRecordingId });
  return (
    <section id="import-instructions">
      <h2>Add recordings and sortings</h2>
      <p className="muted small">Data stay on the lab's disks: the CLI stores only small object JSON files and registers them with the backend's relay.</p>
      <ol>
        {steps.map((s) => (
          <li key={s.title}>{s.title}:<pre className="command">{s.lines.join('\n')}</pre></li>
        ))}
      </ol>
    </section>
  );
}
