import { useCallback, useMemo } from 'react';
import { autocorrelogramRequest, type CorrelogramResult } from '../../../core/tasks/contracts/correlograms';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSortingData } from '../../sorting/sortingContext';
import { drawCorrelogram } from '../common/drawCorrelogram';
import { useUnitSelectionForTask } from '../common/loaders';
import { UnitCell, UnitGrid, useUnitsToShow } from '../common/UnitGrid';
import type { ViewProps } from '../types';

/** Autocorrelograms (fetch_correlogram_plot_data.6, 50 ms window, 1 ms bins, subsampled) of the selected units, or all. */
export function AutocorrelogramsView({ width, height }: ViewProps) {
  const { unitIds, fromSelection } = useUnitsToShow();
  return (
    <div className="view-scroll" style={{ width, height }}>
      <div className="view-toolbar muted small">±25 ms, 1 ms bins. Long recordings are subsampled to 100 windows of 10 s.</div>
      <UnitGrid unitIds={unitIds} fromSelection={fromSelection} width={width} cellWidth={150} testId="autocorrelograms"
        renderCell={(u, size) => <AcgCell unitId={u} width={size.width} height={size.height} />} />
    </div>
  );
}

function AcgCell({ unitId, width, height }: { unitId: number; width: number; height: number }) {
  const { ref } = useSortingData();
  const forTask = useUnitSelectionForTask();
  const spec = useMemo(() => autocorrelogramRequest(ref, forTask(unitId)), [ref, forTask, unitId]);
  const rec = useTask(spec);
  return (
    <UnitCell unitId={unitId}>
      <TaskGate rec={rec} label="autocorrelogram" spec={spec} compact>
        {(r) => <AcgCanvas r={r} width={width} height={height} unitId={unitId} />}
      </TaskGate>
    </UnitCell>
  );
}

function AcgCanvas({ r, width, height, unitId }: { r: CorrelogramResult; width: number; height: number; unitId: number }) {
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    drawCorrelogram(ctx, { x: 2, y: 2, w: w - 4, h: h - 4 }, r.bins.data, r.bin_counts.data, unitColor(unitId), true);
  }, [r, unitId]);
  return <PlotCanvas width={width} height={height} draw={draw} className="acg-canvas" data-unit-id={unitId} />;
}
