import { useCallback, useMemo, useState } from 'react';
import { averageWaveformRequest, type AverageWaveformResult } from '../../../core/tasks/contracts/averageWaveform';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate, TaskStatusLine } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { finishedResult, TaskClient } from '../../data/taskClient';
import { useTask, useTasks } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { useGainUvPerBit, useUnitSelectionForTask } from '../common/loaders';
import { UnitCell, UnitGrid, useUnitsToShow } from '../common/UnitGrid';
import type { ViewProps } from '../types';
import { drawWaveformPanel, referenceAmplitude, type PanelDrawn, type WaveformTrace } from './draw';
import { channelsOf, unionChannels, type ChannelSet } from './overlay';
import { fillGrid, singlePanelSize, type FilledGrid } from './panelSize';

/** Below this a panel is too small to fill the view with (the scrolling grid's panels are about this size). */
const MIN_FILLED_PANEL = { width: 150, height: 140 };

/** At most this many units in one overlay (phy overlays a handful; more is unreadable). */
const MAX_OVERLAY_UNITS = 12;

type Panels = 'units' | 'overlay';

/**
 * Average waveforms (fetch_average_waveform.2) of the selected units (or all), in geometry or
 * vertical layout: one panel per unit (one selected unit fills the view), or the selected units
 * overlaid in their colours on the union of their channels. Each panel writes the channel ids beside
 * their traces and has a µV scale bar (raw units when the recording has no gain).
 */
export function AverageWaveformsView({ width, height }: ViewProps) {
  const { unitIds, fromSelection } = useUnitsToShow();
  const { selection, dispatch } = useSelection();
  const [panels, setPanels] = useState<Panels>('units');
  const overlay = panels === 'overlay' && fromSelection;
  // A few selected units share the view between them (one fills it); more get the scrolling grid.
  const filled = !overlay && fromSelection ? fillGrid(unitIds.length, width, height, MIN_FILLED_PANEL) : null;
  return (
    <div className="view-scroll" style={{ width, height }} data-testid="average-waveforms-view">
      <div className="view-toolbar">
        <label><input type="radio" name="wf-mode" checked={selection.waveformsMode === 'geom'} onChange={() => dispatch({ type: 'SET_WAVEFORMS_MODE', mode: 'geom' })} /> geometry</label>
        <label><input type="radio" name="wf-mode" checked={selection.waveformsMode === 'vertical'} onChange={() => dispatch({ type: 'SET_WAVEFORMS_MODE', mode: 'vertical' })} /> vertical</label>
        <span className="muted">|</span>
        <label title="One panel per unit"><input type="radio" name="wf-panels" id="wf-panels-units" checked={panels === 'units'} onChange={() => setPanels('units')} /> per unit</label>
        <label title="The selected units on the same channels (the union of their neighbourhoods), in their colours"><input type="radio" name="wf-panels" id="wf-panels-overlay" checked={panels === 'overlay'} onChange={() => setPanels('overlay')} /> overlay</label>
        <span className="muted">|</span>
        <button type="button" className="small-button" title="Scale amplitudes down (↓)" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'down' })}>amp −</button>
        <button type="button" className="small-button" title="Scale amplitudes up (↑)" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'up' })}>amp +</button>
        <span className="muted small">×{selection.ampScaleFactor.toFixed(2)}</span>
      </div>
      {overlay ? <OverlayPanel unitIds={unitIds.slice(0, MAX_OVERLAY_UNITS)} total={unitIds.length} width={width} height={height} />
        : filled ? <FilledPanels unitIds={unitIds} grid={filled} />
          : (
            <>
              {panels === 'overlay' ? <div className="muted small grid-caption" style={{ padding: '0 8px' }} id="wf-overlay-hint">Select units to overlay them; with none selected every unit has its own panel.</div> : null}
              <UnitGrid unitIds={unitIds} fromSelection={fromSelection} width={width} cellWidth={selection.waveformsMode === 'geom' ? 170 : 150} testId="average-waveforms"
                renderCell={(u, size) => <WaveformCell unitId={u} width={size.width} height={Math.round(size.height * 1.3)} />} />
            </>
          )}
    </div>
  );
}

/** The selected units' panels sharing the view's space (one unit: all of it). */
function FilledPanels({ unitIds, grid }: { unitIds: number[]; grid: FilledGrid }) {
  return (
    <div className="unit-grid-wrap" data-testid="average-waveforms">
      <div className="muted small grid-caption">{unitIds.length} selected unit{unitIds.length === 1 ? '' : 's'}</div>
      <div className="unit-grid" style={{ gridTemplateColumns: `repeat(${grid.cols}, ${grid.width + 6}px)` }}>
        {unitIds.map((u) => <WaveformCell key={u} unitId={u} width={grid.width} height={grid.height} />)}
      </div>
    </div>
  );
}

function useWaveformStyle() {
  const { recordingInfo } = useSortingData();
  const { selection } = useSelection();
  const gain = useGainUvPerBit();
  return { noise: recordingInfo?.noise_level ?? null, gain, mode: selection.waveformsMode, amp: selection.ampScaleFactor, electrodes: selection.selectedElectrodeIds };
}

function WaveformCell({ unitId, width, height }: { unitId: number; width: number; height: number }) {
  const { ref } = useSortingData();
  const forTask = useUnitSelectionForTask();
  const spec = useMemo(() => averageWaveformRequest(ref, forTask(unitId)), [ref, forTask, unitId]);
  const rec = useTask(spec);
  return (
    <UnitCell unitId={unitId} title={<>Unit {unitId}{rec?.result ? <span className="muted small"> · {rec.result.num_spikes} spikes</span> : null}</>}>
      <TaskGate rec={rec} label="waveform" spec={spec} compact>
        {(r) => <UnitWaveformCanvas r={r} width={width} height={height} unitId={unitId} />}
      </TaskGate>
    </UnitCell>
  );
}

function UnitWaveformCanvas({ r, width, height, unitId }: { r: AverageWaveformResult; width: number; height: number; unitId: number }) {
  const set = useMemo(() => channelsOf(r), [r]);
  const traces = useMemo(() => [traceOf(r, unitId)], [r, unitId]);
  return <PanelCanvas set={set} traces={traces} reference={r} units={r.units} width={width} height={height} className="waveform-canvas" unitIds={[unitId]} />;
}

const traceOf = (r: AverageWaveformResult, unitId: number): WaveformTrace =>
  ({ data: r.average_waveform.data, T: r.average_waveform.shape[1], channelIds: r.channel_ids.data, color: unitColor(unitId) });

/** A canvas drawing one panel; its data attributes say what it drew. */
function PanelCanvas({ set, traces, reference, units, width, height, className, unitIds }: {
  set: ChannelSet; traces: WaveformTrace[]; reference: AverageWaveformResult; units: 'uV' | 'raw'; width: number; height: number; className: string; unitIds: number[];
}) {
  const { noise, gain, mode, amp, electrodes } = useWaveformStyle();
  const [drawn, setDrawn] = useState<PanelDrawn | null>(null);
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    const d = drawWaveformPanel(ctx, w, h, set, traces, {
      mode, referenceAmplitude: referenceAmplitude(reference, noise, gain), ampScaleFactor: amp, units, highlightChannelIds: new Set(electrodes),
    });
    // Only when it changes: the attributes are for reading, and a new object each draw would loop.
    setDrawn((prev) => (prev && prev.scaleBar?.label === d.scaleBar?.label && prev.scaleBar?.px === d.scaleBar?.px && prev.channelLabels === d.channelLabels
      && prev.channelIds.join() === d.channelIds.join() ? prev : d));
  }, [set, traces, reference, units, mode, noise, gain, amp, electrodes]);
  return (
    <PlotCanvas width={width} height={height} draw={draw} className={className} data-unit-id={unitIds.length === 1 ? unitIds[0] : undefined}
      data-units={unitIds.join(',')} data-channel-ids={drawn?.channelIds.join(',')} data-channel-labels={drawn ? String(drawn.channelLabels) : undefined}
      data-scale-bar={drawn?.scaleBar?.label} data-scale-bar-value={drawn?.scaleBar?.value} data-scale-bar-px={drawn?.scaleBar ? drawn.scaleBar.px.toFixed(1) : undefined}
      title={units === 'raw' ? 'The recording has no gain: amplitudes and the scale bar are in its raw units, not µV' : undefined}
      data-layout={mode} data-amplitude-reference={noise && noise > 0 ? 'noise' : 'peak-to-peak'} />
  );
}

/** The selected units on the union of their channels (the first unit's first), each in its colour. */
function OverlayPanel({ unitIds, total, width, height }: { unitIds: number[]; total: number; width: number; height: number }) {
  const { ref } = useSortingData();
  const forTask = useUnitSelectionForTask();
  const specs = useMemo(() => unitIds.map((u) => averageWaveformRequest(ref, forTask(u))), [ref, forTask, unitIds]);
  const recs = useTasks(specs);
  const results = recs.map((r) => finishedResult(r));
  // Finished records never change: which tasks are finished (and which tasks they are) says when the overlay does.
  const readyKey = specs.map((s, i) => (results[i] ? TaskClient.hashOf(s) : '-')).join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const ready = useMemo(() => unitIds.flatMap((u, i) => (results[i] ? [{ unitId: u, r: results[i] }] : [])), [readyKey]);
  const set = useMemo(() => unionChannels(ready.map((x) => x.r)), [ready]);
  const traces = useMemo(() => ready.map((x) => traceOf(x.r, x.unitId)), [ready]);
  const size = singlePanelSize(width, height);
  const pending = unitIds.flatMap((u, i) => (results[i] ? [] : [{ u, rec: recs[i], spec: specs[i] }]));
  return (
    <div className="unit-grid-wrap" data-testid="average-waveforms">
      <div className="muted small grid-caption" id="wf-overlay-caption">
        Overlay of {unitIds.length} unit{unitIds.length === 1 ? '' : 's'}{total > unitIds.length ? ` (the first ${unitIds.length} of ${total} selected)` : ''} on the union of their channels{ready.length ? ` (${set.ids.length} channels)` : ''}:{' '}
        {unitIds.map((u) => <span key={u} className="wf-overlay-unit" data-unit-id={u} style={{ color: unitColor(u), fontWeight: 600, marginRight: 6 }}>■ {u}</span>)}
      </div>
      {pending.length ? <div className="small">{pending.map((p) => <TaskStatusLine key={p.u} rec={p.rec} label={`waveform ${p.u}`} spec={p.spec} compact />)}</div> : null}
      {ready.length ? (
        <div className="unit-cell">
          <PanelCanvas set={set} traces={traces} reference={ready[0].r} units={ready[0].r.units} width={size.width} height={size.height - (pending.length ? 22 * pending.length : 0)}
            className="waveform-overlay-canvas" unitIds={ready.map((x) => x.unitId)} />
        </div>
      ) : null}
    </div>
  );
}
