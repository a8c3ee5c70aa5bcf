import { useCallback, useMemo } from 'react';
import { individualClusterFeaturesRequest, type ClusterFeaturesResult } from '../../../core/tasks/contracts/clusterFeatures';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawAxes, drawPoints, extent, px, py, type Axes } from '../common/axes';
import { useUnitSelectionForTask } from '../common/loaders';
import { UnitCell, UnitGrid } from '../common/UnitGrid';
import type { ViewProps } from '../types';

const MAX_UNITS = 12;
const M = { left: 42, right: 6, top: 6, bottom: 22 };

/** PCA features (PC1, PC2) of each selected unit's spikes; clicking a point moves the time cursor to that spike. */
export function ClustersView({ width, height }: ViewProps) {
  const { selection } = useSelection();
  const units = selection.selectedUnitIds;
  if (!units.length) return <div className="view-message" style={{ width, height }}>Select units (up to {MAX_UNITS}) to see their PCA clusters.</div>;
  return (
    <div className="view-scroll" style={{ width, height }}>
      <div className="view-toolbar muted small">PC1 vs PC2 of up to 1000 spikes per unit, on its channels. Click a point to put the time cursor on that spike.</div>
      <UnitGrid unitIds={units.slice(0, MAX_UNITS)} fromSelection width={width} cellWidth={240} testId="clusters"
        renderCell={(u, size) => <ClusterCell unitId={u} width={size.width} height={size.height} />} />
    </div>
  );
}

function ClusterCell({ unitId, width, height }: { unitId: number; width: number; height: number }) {
  const { ref } = useSortingData();
  const forTask = useUnitSelectionForTask();
  const spec = useMemo(() => individualClusterFeaturesRequest(ref, forTask(unitId)), [ref, forTask, unitId]);
  const rec = useTask(spec);
  return (
    <UnitCell unitId={unitId}>
      <TaskGate rec={rec} label="PCA features" spec={spec} compact>
        {(r) => <Scatter r={r} width={width} height={height} color={unitColor(unitId)} />}
      </TaskGate>
    </UnitCell>
  );
}

function Scatter({ r, width, height, color }: { r: ClusterFeaturesResult; width: number; height: number; color: string }) {
  const { dispatch } = useSelection();
  const xs = r.x.data;
  const ys = r.y.data;
  const axes = useMemo<Axes>(() => ({ x: M.left, y: M.top, w: width - M.left - M.right, h: height - M.top - M.bottom, xRange: extent([xs]), yRange: extent([ys]) }), [xs, ys, width, height]);
  const draw = useCallback((ctx: CanvasRenderingContext2D) => {
    drawAxes(ctx, axes);
    drawPoints(ctx, axes, xs, ys, color, 2.5, 0.6);
  }, [axes, xs, ys, color]);
  return (
    <PlotCanvas width={width} height={height} draw={draw} className="cluster-canvas"
      onClick={(e) => {
        e.stopPropagation();
        const rect = e.currentTarget.getBoundingClientRect();
        const cx = e.clientX - rect.left;
        const cy = e.clientY - rect.top;
        let best = -1;
        let bestD = 64;
        for (let i = 0; i < xs.length; i++) {
          const d = (px(axes, xs[i]) - cx) ** 2 + (py(axes, ys[i]) - cy) ** 2;
          if (d < bestD) { bestD = d; best = i; }
        }
        if (best >= 0) dispatch({ type: 'SET_CURRENT_TIMEPOINT', frame: (r.timepoints.data)[best], ensureVisible: true });
      }} />
  );
}
