import { useCallback, useMemo } from 'react';
import { averageWaveformRequest, type AverageWaveformResult } from '../../../core/tasks/contracts/averageWaveform';
import { pairClusterFeaturesRequest, type PairClusterFeaturesResult } from '../../../core/tasks/contracts/clusterFeatures';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate, TaskStatusLine } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { drawWaveform, referenceAmplitude } from '../averageWaveforms/draw';
import { drawAxes, drawPoints, extent, type Axes } from '../common/axes';
import { useGainUvPerBit, useUnitSelectionForTask } from '../common/loaders';
import type { ViewProps } from '../types';

/** pair_cluster_features.4 */

/**
 * Two selected units side by side: their spikes projected on the difference of their templates (x)
 * and the residuals' first PC (y), and their average waveforms on one scale. Separate clouds: two
 * neurons; one cloud: a merge candidate.
 */
export function UnitComparisonView({ width, height }: ViewProps) {
  const { ref, recordingInfo } = useSortingData();
  const { selection } = useSelection();
  const forTask = useUnitSelectionForTask();
  const gain = useGainUvPerBit();
  const [u1, u2] = selection.selectedUnitIds;
  const pair = selection.selectedUnitIds.length === 2;
  const spec = useMemo(() => (pair ? pairClusterFeaturesRequest(ref, forTask(u1), forTask(u2)) : null), [pair, ref, forTask, u1, u2]);
  const rec = useTask(spec);
  const w1 = useTask(pair ? averageWaveformRequest(ref, forTask(u1)) : null);
  const w2 = useTask(pair ? averageWaveformRequest(ref, forTask(u2)) : null);
  if (!pair) return <div className="view-message" style={{ width, height }}>Select exactly two units to compare them ({selection.selectedUnitIds.length} selected).</div>;
  const half = Math.floor((width - 24) / 2);
  const h = height - 40;
  return (
    <div className="view-scroll" style={{ width, height }} data-testid="unit-comparison">
      <div className="view-toolbar">
        <span className="legend"><span className="swatch" style={{ background: unitColor(u1) }} />{u1}</span>
        <span className="legend"><span className="swatch" style={{ background: unitColor(u2) }} />{u2}</span>
        <span className="muted small">x: projection on (template {u2} − template {u1}); y: first PC of the residuals</span>
      </div>
      <div className="side-by-side">
        <TaskGate rec={rec} label="pair features" spec={spec ?? undefined}>
          {(r) => <PairScatter r={r} u1={u1} u2={u2} width={half} height={h} />}
        </TaskGate>
        <div>
          {w1?.status === 'finished' && w2?.status === 'finished' ? (
            <Overlay a={w1.result!} b={w2.result!} u1={u1} u2={u2} width={half} height={h}
              reference={referenceAmplitude(w1.result!, recordingInfo?.noise_level ?? null, gain)} amp={selection.ampScaleFactor} />
          ) : <><TaskStatusLine rec={w1} label={`waveform ${u1}`} /><TaskStatusLine rec={w2} label={`waveform ${u2}`} /></>}
        </div>
      </div>
    </div>
  );
}

function PairScatter({ r, u1, u2, width, height }: { r: PairClusterFeaturesResult; u1: number; u2: number; width: number; height: number }) {
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    const xs = r.x.data;
    const ys = r.y.data;
    const labels = r.labels.data;
    const a: Axes = { x: 36, y: 6, w: w - 42, h: h - 30, xRange: extent([xs]), yRange: extent([ys]) };
    drawAxes(ctx, a);
    for (const [u, color] of [[u1, unitColor(u1)], [u2, unitColor(u2)]] as const) {
      const idx: number[] = [];
      for (let i = 0; i < labels.length; i++) if (labels[i] === u) idx.push(i);
      drawPoints(ctx, a, idx.map((i) => xs[i]), idx.map((i) => ys[i]), color, 2.5, 0.55);
    }
  }, [r, u1, u2]);
  return <PlotCanvas width={width} height={height} draw={draw} className="pair-canvas" />;
}

function Overlay({ a, b, u1, u2, width, height, reference, amp }: { a: AverageWaveformResult; b: AverageWaveformResult; u1: number; u2: number; width: number; height: number; reference: number; amp: number }) {
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    const half = w / 2;
    drawWaveform(ctx, half, h, a, { mode: 'geom', referenceAmplitude: reference, ampScaleFactor: amp, color: unitColor(u1) });
    ctx.save();
    ctx.translate(half, 0);
    drawWaveform(ctx, half, h, b, { mode: 'geom', referenceAmplitude: reference, ampScaleFactor: amp, color: unitColor(u2) });
    ctx.restore();
  }, [a, b, u1, u2, reference, amp]);
  return <PlotCanvas width={width} height={height} draw={draw} className="pair-waveforms-canvas" />;
}
