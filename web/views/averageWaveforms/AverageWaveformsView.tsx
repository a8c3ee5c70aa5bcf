import { useCallback, useMemo } from 'react';
import { averageWaveformRequest, type AverageWaveformResult } from '../../../core/tasks/contracts/averageWaveform';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { useGainUvPerBit, useUnitSelectionForTask } from '../common/loaders';
import { UnitCell, UnitGrid, useUnitsToShow } from '../common/UnitGrid';
import type { ViewProps } from '../types';
import { drawWaveform, referenceAmplitude } from './draw';

/** Average waveforms (fetch_average_waveform.2) of the selected units (or all), in geometry or vertical layout. */
export function AverageWaveformsView({ width, height }: ViewProps) {
  const { unitIds, fromSelection } = useUnitsToShow();
  const { selection, dispatch } = useSelection();
  return (
    <div className="view-scroll" style={{ width, height }}>
      <div className="view-toolbar">
        <label><input type="radio" name="wf-mode" checked={selection.waveformsMode === 'geom'} onChange={() => dispatch({ type: 'SET_WAVEFORMS_MODE', mode: 'geom' })} /> geometry</label>
        <label><input type="radio" name="wf-mode" checked={selection.waveformsMode === 'vertical'} onChange={() => dispatch({ type: 'SET_WAVEFORMS_MODE', mode: 'vertical' })} /> vertical</label>
        <button type="button" className="small-button" title="Scale amplitudes down (↓)" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'down' })}>amp −</button>
        <button type="button" className="small-button" title="Scale amplitudes up (↑)" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'up' })}>amp +</button>
        <span className="muted small">×{selection.ampScaleFactor.toFixed(2)}</span>
      </div>
      <UnitGrid unitIds={unitIds} fromSelection={fromSelection} width={width} cellWidth={selection.waveformsMode === 'geom' ? 170 : 150} testId="average-waveforms"
        renderCell={(u, size) => <WaveformCell unitId={u} width={size.width} height={Math.round(size.height * 1.3)} />} />
    </div>
  );
}

function WaveformCell({ unitId, width, height }: { unitId: number; width: number; height: number }) {
  const { ref, recordingInfo } = useSortingData();
  const { selection } = useSelection();
  const forTask = useUnitSelectionForTask();
  const spec = useMemo(() => averageWaveformRequest(ref, forTask(unitId)), [ref, forTask, unitId]);
  const rec = useTask(spec);
  return (
    <UnitCell unitId={unitId} title={<>Unit {unitId}{rec?.result ? <span className="muted small"> · {rec.result.num_spikes} spikes</span> : null}</>}>
      <TaskGate rec={rec} label="waveform" spec={spec} compact>
        {(r) => <WaveformCanvas r={r} width={width} height={height} unitId={unitId} noise={recordingInfo?.noise_level ?? null}
          mode={selection.waveformsMode} amp={selection.ampScaleFactor} electrodes={selection.selectedElectrodeIds} />}
      </TaskGate>
    </UnitCell>
  );
}

function WaveformCanvas({ r, width, height, unitId, noise, mode, amp, electrodes }: {
  r: AverageWaveformResult; width: number; height: number; unitId: number; noise: number | null; mode: 'geom' | 'vertical'; amp: number; electrodes: number[];
}) {
  const gain = useGainUvPerBit();
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    drawWaveform(ctx, w, h, r, { mode, referenceAmplitude: referenceAmplitude(r, noise, gain), ampScaleFactor: amp, color: unitColor(unitId), highlightChannelIds: new Set(electrodes) });
  }, [r, mode, noise, gain, amp, unitId, electrodes]);
  return <PlotCanvas width={width} height={height} draw={draw} className="waveform-canvas" data-unit-id={unitId} />;
}
