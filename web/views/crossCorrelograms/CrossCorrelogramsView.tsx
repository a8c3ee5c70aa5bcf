import { useCallback, useMemo, type CSSProperties } from 'react';
import { correlogramMatrixRequest, MAX_CCG_MATRIX_UNITS, type CorrelogramMatrixResult } from '../../../core/tasks/contracts/correlograms';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawCorrelogram } from '../common/drawCorrelogram';
import { useUnitSelectionForTask } from '../common/loaders';
import type { ViewProps } from '../types';
import { LABEL_PX, matrixCellPx } from './matrixLayout';

const TOOLBAR_PX = 28;
const SCROLLBAR_PX = 16;

/**
 * The auto- and cross-correlograms of the selected units (at most 20), from one task. Cells keep a
 * readable size (matrixLayout.ts); a larger matrix scrolls, its unit ids along the top and the left
 * staying in view.
 */
export function CrossCorrelogramsView({ width, height }: ViewProps) {
  const { ref } = useSortingData();
  const { selection } = useSelection();
  const forTask = useUnitSelectionForTask();
  const units = selection.selectedUnitIds;
  const ok = units.length >= 1 && units.length <= MAX_CCG_MATRIX_UNITS;
  const spec = useMemo(() => (ok ? correlogramMatrixRequest(ref, units.map(forTask)) : null), [ok, ref, units, forTask]);
  const rec = useTask(spec);
  if (!units.length) return <div className="view-message" style={{ width, height }}>Select units (up to {MAX_CCG_MATRIX_UNITS}) to see their cross-correlograms.</div>;
  if (!ok) return <div className="view-message" style={{ width, height }}>Please select {MAX_CCG_MATRIX_UNITS} or fewer units ({units.length} are selected).</div>;
  const bodyH = height - TOOLBAR_PX;
  const cell = matrixCellPx(units.length, width - LABEL_PX - SCROLLBAR_PX, bodyH - LABEL_PX - SCROLLBAR_PX);
  return (
    <div style={{ width, height }} data-testid="cross-correlograms">
      <div className="view-toolbar muted small" style={{ height: TOOLBAR_PX }}>{units.length}×{units.length} correlograms, ±25 ms. Row unit's spikes at 0; column unit's after them on the right.</div>
      <TaskGate rec={rec} label="cross-correlograms" spec={spec ?? undefined}>
        {(r) => <Matrix r={r} units={units} cell={cell} width={width} height={bodyH} />}
      </TaskGate>
    </div>
  );
}

const sticky: CSSProperties = { position: 'sticky', background: '#fff', zIndex: 1 };

function Matrix({ r, units, cell, width, height }: { r: CorrelogramMatrixResult; units: number[]; cell: number; width: number; height: number }) {
  const K = units.length;
  const side = K * cell;
  const draw = useCallback((ctx: CanvasRenderingContext2D) => {
    const nBins = r.bins.shape[0];
    const counts = r.bin_counts.data;
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        const off = (i * K + j) * nBins;
        drawCorrelogram(ctx, { x: j * cell + 2, y: i * cell + 2, w: cell - 4, h: cell - 4 }, r.bins.data,
          counts.subarray(off, off + nBins), i === j ? unitColor(units[i]) : '#4a5563', cell > 170);
      }
    }
  }, [r, units, K, cell]);
  const label = (u: number): CSSProperties => ({ position: 'absolute', color: unitColor(u), fontWeight: 600, fontSize: 11, display: 'flex', alignItems: 'center', justifyContent: 'center' });
  return (
    <div className="ccg-scroll" style={{ width, height, overflow: 'auto' }} data-cell-px={cell}>
      <div style={{ display: 'grid', gridTemplateColumns: `${LABEL_PX}px ${side}px`, gridTemplateRows: `${LABEL_PX}px ${side}px`, width: LABEL_PX + side }}>
        <div style={{ ...sticky, top: 0, left: 0, zIndex: 2 }} />
        <div className="ccg-col-labels" style={{ ...sticky, top: 0, height: LABEL_PX }}>
          {units.map((u, j) => <span key={u} className="ccg-label" data-unit-id={u} title={`column: unit ${u}`} style={{ ...label(u), left: j * cell, width: cell, height: LABEL_PX }}>{u}</span>)}
        </div>
        <div className="ccg-row-labels" style={{ ...sticky, left: 0, width: LABEL_PX }}>
          {units.map((u, i) => (
            <span key={u} className="ccg-label" data-unit-id={u} title={`row: unit ${u}`} style={{ ...label(u), top: i * cell, height: cell, width: LABEL_PX }}>
              <span style={{ transform: 'rotate(-90deg)', whiteSpace: 'nowrap' }}>{u}</span>
            </span>
          ))}
        </div>
        <PlotCanvas width={side} height={side} draw={draw} className="ccg-canvas" />
      </div>
    </div>
  );
}
