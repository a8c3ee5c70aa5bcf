import { useCallback, useMemo } from 'react';
import { correlogramMatrixRequest, MAX_CCG_MATRIX_UNITS, type CorrelogramMatrixResult } from '../../../core/tasks/contracts/correlograms';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawCorrelogram } from '../common/drawCorrelogram';
import { useUnitSelectionForTask } from '../common/loaders';
import type { ViewProps } from '../types';

/** The auto- and cross-correlograms of the selected units (at most 20), from one task. */
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
  const size = Math.max(60, Math.min(width - 20, height - 40));
  return (
    <div className="view-scroll" style={{ width, height }} data-testid="cross-correlograms">
      <div className="view-toolbar muted small">{units.length}×{units.length} correlograms, ±25 ms. Row unit's spikes at 0; column unit's after them on the right.</div>
      <TaskGate rec={rec} label="cross-correlograms" spec={spec ?? undefined}>
        {(r) => <Matrix r={r} units={units} size={size} />}
      </TaskGate>
    </div>
  );
}

function Matrix({ r, units, size }: { r: CorrelogramMatrixResult; units: number[]; size: number }) {
  const K = units.length;
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number) => {
    const label = 28;
    const cell = (w - label) / K;
    const nBins = r.bins.shape[0];
    const counts = r.bin_counts.data;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let i = 0; i < K; i++) {
      ctx.fillStyle = unitColor(units[i]);
      ctx.fillText(String(units[i]), label + (i + 0.5) * cell, label / 2);
      ctx.save();
      ctx.translate(label / 2, label + (i + 0.5) * cell);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(String(units[i]), 0, 0);
      ctx.restore();
      for (let j = 0; j < K; j++) {
        const off = (i * K + j) * nBins;
        drawCorrelogram(ctx, { x: label + j * cell + 2, y: label + i * cell + 2, w: cell - 4, h: cell - 4 }, r.bins.data,
          counts.subarray(off, off + nBins), i === j ? unitColor(units[i]) : '#4a5563', cell > 170);
      }
    }
  }, [r, units, K]);
  return <PlotCanvas width={size} height={size} draw={draw} className="ccg-canvas" />;
}
