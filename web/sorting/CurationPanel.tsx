import { useState, type FormEvent } from 'react';
import { isAttributionOf } from '../../core/curation/attribution';
import { parseWorkspaceUri } from '../../core/feeds';
import { STANDARD_UNIT_LABELS } from '../../core/reducers/curationActions';
import { useApp } from '../app/context';
import { describeCurationMessage, formatWhen } from '../curation/describe';
import type { CurationLogEntry } from '../data/feeds';
import { useSelection, useSortingData } from './sortingContext';

/**
 * Selected units, their labels, and the curation controls (2021 CurationControl): apply or remove
 * labels, merge/unmerge, apply merges, close/reopen, undo/redo. When the page may not edit, the
 * controls are disabled and the reason is shown; labels and merges from the log are always shown.
 */
export function CurationPanel({ curationLength, curationLoading }: { curationLength: number; curationLoading: boolean }) {
  const { curation, curationReadOnly, curate, editRefusal, undo, redo, canUndo, canRedo, pending, curationLog } = useSortingData();
  const { selection, dispatch, displayedUnitIds } = useSelection();
  const [custom, setCustom] = useState('');
  const selected = selection.selectedUnitIds;
  const closed = curation.isClosed;
  // One rule for buttons and keyboard shortcuts alike: the editor's (web/curation/editor.ts), which
  // treats every label and merge action the same way.
  const editBlocked = editRefusal([{ type: 'ADD_UNIT_LABEL', unitId: selected, label: 'accept' }]);
  const off = !!curationReadOnly;
  const none = selected.length === 0;
  const ignore = () => undefined;
  // Labels of the selected units: full (every selected unit has it) or partial.
  const counts = new Map<string, number>();
  for (const u of selected) for (const l of curation.labelsByUnit[String(u)] ?? []) counts.set(l, (counts.get(l) ?? 0) + 1);
  const labels = [...counts.keys()].sort();
  const customLabels = [...new Set(Object.values(curation.labelsByUnit).flat())].filter((l) => !(STANDARD_UNIT_LABELS as readonly string[]).includes(l)).sort();
  const inGroup = selected.some((u) => curation.mergeGroups.some((g) => g.includes(u)));
  const addCustom = (e: FormEvent) => {
    e.preventDefault();
    const l = custom.trim();
    if (!l || none) return;
    void curate([{ type: 'ADD_UNIT_LABEL', unitId: selected, label: l }]).catch(ignore);
    setCustom('');
  };
  return (
    <div className="curation-panel">
      <div className="small" id="selected-units">
        Selected units: {none ? <span className="muted">none</span> : selected.length > 30 ? `${selected.slice(0, 30).join(', ')}, … (${selected.length})` : selected.join(', ')}
      </div>
      <div className="button-row">
        <button type="button" className="small-button" id="select-all-units" onClick={() => dispatch({ type: 'SET_SELECTED_UNITS', unitIds: displayedUnitIds })}>Select all</button>
        <button type="button" className="small-button" onClick={() => dispatch({ type: 'SET_SELECTED_UNITS', unitIds: [] })} disabled={none}>Clear</button>
      </div>
      {labels.length ? (
        <div className="chips" id="selected-labels">
          {labels.map((l) => {
            const full = counts.get(l) === selected.length;
            return (
              <button key={l} type="button" className={`label-chip label-${l}${full ? '' : ' partial'}`} disabled={!!editBlocked}
                title={editBlocked ?? (full ? `Remove "${l}" from the selected units` : `Apply "${l}" to all selected units`)}
                onClick={() => void curate([{ type: full ? 'REMOVE_UNIT_LABEL' : 'ADD_UNIT_LABEL', unitId: selected, label: l }]).catch(ignore)}>{l}{full ? ' ×' : ' +'}</button>
            );
          })}
        </div>
      ) : null}
      <div className="small">Apply label:</div>
      <div className="button-row wrap">
        {[...STANDARD_UNIT_LABELS, ...customLabels].map((l) => (
          <button key={l} type="button" className={`small-button label-button label-${l}`} data-label={l} disabled={!!editBlocked || none}
            title={editBlocked ?? `Label the selected units "${l}"`}
            onClick={() => void curate([{ type: 'ADD_UNIT_LABEL', unitId: selected, label: l }]).catch(ignore)}>{l}</button>
        ))}
      </div>
      <form className="inline-form" onSubmit={addCustom}>
        <input type="text" value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="custom label" aria-label="Custom label" disabled={!!editBlocked || none} maxLength={100} />
        <button type="submit" className="small-button" disabled={!!editBlocked || none || !custom.trim()}>Add</button>
      </form>
      <div className="button-row">
        <button type="button" className="small-button" id="merge-units" disabled={!!editBlocked || selected.length < 2} title={editBlocked ?? 'Merge the selected units (m)'}
          onClick={() => void curate([{ type: 'MERGE_UNITS', unitIds: selected }]).then(() => dispatch({ type: 'SET_SELECTED_UNITS', unitIds: [] }), ignore)}>Merge selected</button>
        <button type="button" className="small-button" id="unmerge-units" disabled={!!editBlocked || !inGroup} title={editBlocked ?? 'Take the selected units out of their merge groups'}
          onClick={() => void curate([{ type: 'UNMERGE_UNITS', unitIds: selected }]).then(() => dispatch({ type: 'SET_SELECTED_UNITS', unitIds: [] }), ignore)}>Unmerge selected</button>
      </div>
      <label className="block small">
        <input type="checkbox" id="apply-merges" checked={selection.applyMerges} onChange={() => dispatch({ type: 'TOGGLE_APPLY_MERGES' })} /> Apply merges
        <span className="muted"> ({curation.mergeGroups.length} merge group{curation.mergeGroups.length === 1 ? '' : 's'}{curation.mergeGroups.length ? `: ${curation.mergeGroups.map((g) => g.join('+')).join(', ')}` : ''})</span>
      </label>
      <div className="button-row">
        <button type="button" className="small-button" id="undo" disabled={off || !canUndo} title="Undo (Ctrl+Z)" onClick={() => void undo().catch(ignore)}>Undo</button>
        <button type="button" className="small-button" id="redo" disabled={off || !canRedo} title="Redo (Ctrl+Shift+Z)" onClick={() => void redo().catch(ignore)}>Redo</button>
        <button type="button" className="small-button" id="close-curation" disabled={!!editRefusal([{ type: closed ? 'REOPEN_CURATION' : 'CLOSE_CURATION' }])} title={off ? curationReadOnly! : closed ? 'Allow changes again' : 'Mark the curation complete: no more changes until reopened'}
          onClick={() => void curate([{ type: closed ? 'REOPEN_CURATION' : 'CLOSE_CURATION' }]).catch(ignore)}>{closed ? 'Reopen curation' : 'Curation complete'}</button>
      </div>
      <p className="small muted" id="curation-log-info">{curationLoading ? 'Reading the curation log…' : `Curation log: ${curationLength} action${curationLength === 1 ? '' : 's'}${closed ? ' · closed (complete)' : ''}.`}</p>
      {pending.length ? (
        <ul className="small curation-pending" id="curation-pending" aria-live="polite">
          {pending.map((p) => <li key={p.id}>{p.untilLength === null ? 'Saving' : 'Saved, waiting for the log'}: {p.description}…</li>)}
        </ul>
      ) : null}
      {curationReadOnly ? <p className="small warn" id="curation-read-only">{curationReadOnly}</p> : null}
      <CurationHistoryList entries={curationLog} />
    </div>
  );
}

/** Who did what and when: the curation log's newest messages first. */
function CurationHistoryList({ entries }: { entries: CurationLogEntry[] }) {
  const [all, setAll] = useState(false);
  const { auth, route } = useApp();
  const feedId = feedIdOf(route.workspace);
  const email = auth.user?.email;
  // The log names curators by attribution (core/curation/attribution.ts), not address: mark the user's own.
  const who = (user: string) => (feedId && email && isAttributionOf(feedId, email, user) ? `you (${user})` : user);
  if (!entries.length) return null;
  const now = Date.now();
  const shown = entries.slice(all ? 0 : -8).reverse();
  return (
    <details className="curation-history small" id="curation-history" open>
      <summary>History ({entries.length})</summary>
      <ol reversed start={entries.at(-1)!.position + 1}>
        {shown.map((e) => (
          <li key={e.position} data-position={e.position} title={new Date(e.timestamp).toISOString()}>
            <span className="muted">{formatWhen(e.timestamp, now)}</span> <span className="history-user">{who(e.user)}</span>: {describeCurationMessage(e.action)}
          </li>
        ))}
      </ol>
      {entries.length > 8 ? <button type="button" className="link-button small" onClick={() => setAll(!all)}>{all ? 'Show fewer' : `Show all ${entries.length}`}</button> : null}
    </details>
  );
}

function feedIdOf(workspace: string | undefined): string | null {
  try {
    return workspace ? parseWorkspaceUri(workspace).feedId : null;
  } catch {
    return null;
  }
}
