import type { Dispatch, ReactNode } from 'react';
import type { ViewLayout } from '../route';
import { VIEW_REGISTRY } from '../views/registry';
import { CurationPanel } from './CurationPanel';
import type { LayoutAction } from './layout';
import { NavigationPanel } from './NavigationPanel';
import { useSelection, useSortingData } from './sortingContext';

function Section({ title, children, open = true, id }: { title: string; children: ReactNode; open?: boolean; id?: string }) {
  return (
    <details className="panel-section" open={open} id={id}>
      <summary>{title}</summary>
      <div className="panel-section-body">{children}</div>
    </details>
  );
}

/** The left panel (2021 MVSortingView): open views, visible units, selection and curation, electrodes, options. */
export function LeftPanel({ layout, dispatchLayout, curationLength, curationLoading, message }: {
  layout: ViewLayout; dispatchLayout: Dispatch<LayoutAction>; curationLength: number; curationLoading: boolean; message: string | null;
}) {
  const data = useSortingData();
  const { selection, dispatch, displayedUnitIds } = useSelection();
  const open = new Set([...layout.north, ...layout.south]);
  return (
    <aside className="left-panel">
      {message ? <div className="status-message" id="status-message" role="status">{message}</div> : null}
      <Section title="Open views" id="open-views">
        <div className="launchers">
          {VIEW_REGISTRY.map((v) => {
            const can = v.canHandle(data);
            return (
              <button key={v.name} type="button" className={`launcher${open.has(v.name) ? ' is-open' : ''}`} data-launch={v.name}
                disabled={can !== true} title={can === true ? v.description : `${v.label} ${can}`}
                onClick={() => dispatchLayout({ type: 'OPEN', name: v.name, area: v.defaultArea, singleton: v.singleton })}>{v.label}</button>
            );
          })}
        </div>
      </Section>
      <Section title="Visible units" id="visible-units">
        {(['all', 'accepted', 'nonrejected'] as const).map((f) => (
          <label key={f} className="block">
            <input type="radio" name="visible-units" value={f} checked={data.visibleUnitsFilter === f} onChange={() => data.setVisibleUnitsFilter(f)} />{' '}
            {f === 'all' ? 'All units' : f === 'accepted' ? 'Show accepted only' : 'Hide rejected'}
          </label>
        ))}
        <p className="muted small">{displayedUnitIds.length} of {data.unitIds?.length ?? '…'} units shown{selection.applyMerges && selection.mergeGroups.length ? ' (merge groups as one)' : ''}.</p>
      </Section>
      <Section title="Navigation" id="navigation-section">
        <NavigationPanel />
      </Section>
      <Section title="Selection and curation" id="curation-section">
        <CurationPanel curationLength={curationLength} curationLoading={curationLoading} />
      </Section>
      <Section title="Visible electrodes" open={false}>
        <p className="small">{selection.selectedElectrodeIds.length ? `Traces show electrodes ${selection.selectedElectrodeIds.join(', ')}.` : 'Traces show every electrode. Select electrodes in the electrode geometry view to show only those.'}</p>
        {selection.selectedElectrodeIds.length ? <button type="button" className="small-button" onClick={() => dispatch({ type: 'SET_SELECTED_ELECTRODES', electrodeIds: [] })}>Show all electrodes</button> : null}
      </Section>
      <Section title="Options" open={false}>
        <div className="small">Waveform layout:</div>
        <label className="block"><input type="radio" name="opt-wf" checked={selection.waveformsMode === 'geom'} onChange={() => dispatch({ type: 'SET_WAVEFORMS_MODE', mode: 'geom' })} /> electrode geometry</label>
        <label className="block"><input type="radio" name="opt-wf" checked={selection.waveformsMode === 'vertical'} onChange={() => dispatch({ type: 'SET_WAVEFORMS_MODE', mode: 'vertical' })} /> vertical</label>
        <div className="small">Amplitude scale ×{selection.ampScaleFactor.toFixed(2)}{' '}
          <button type="button" className="small-button" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'down' })}>−</button>{' '}
          <button type="button" className="small-button" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'up' })}>+</button>{' '}
          <button type="button" className="small-button" onClick={() => dispatch({ type: 'SET_AMP_SCALE_FACTOR', factor: 1 })}>reset</button>
        </div>
        <p className="muted small">Snippets: {data.ref.snippetLen?.[0] ?? 50} frames before, {data.ref.snippetLen?.[1] ?? 80} after (the workspace's setting).</p>
      </Section>
      <Section title="Metrics" open={false}>
        <p className="small">{data.sorting.unitMetricsUri ? 'External metrics of this sorting appear as extra columns of the units table.' : 'Attach your own unit metrics (a JSON list of {name, label, data: {unitId: value}}) with SET_UNIT_METRICS_FOR_SORTING; they appear as units-table columns.'}</p>
      </Section>
    </aside>
  );
}
