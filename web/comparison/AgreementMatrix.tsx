import { useCallback, useMemo, useState, type MouseEvent } from 'react';
import type { SortingAgreement } from '../../core/tasks/contracts/comparison';
import { PlotCanvas } from '../components/PlotCanvas';
import { agreementColor, agreementOrder } from './agreementOrder';

/** The matrix's largest side in CSS pixels before it scrolls, and its cell sizes. */
const MATRIX_PX = 560;
const MAX_CELL_PX = 40;
const MIN_CELL_PX = 2;
/** Scores are written in cells at least this big; unit ids beside rows/columns from LABEL_CELL_PX. */
const SCORE_CELL_PX = 28;
const LABEL_CELL_PX = 12;
const MARGIN = 44;

/**
 * The two sortings' agreement matrix (sortingview.sorting_agreement.1), in SpikeInterface's order
 * (agreementOrder: matched pairs on the diagonal): a cell per pair of units coloured by agreement,
 * the score written in it when the cell is big enough, otherwise shown on hover; a click picks the
 * pair, as picking a unit in either table does.
 */
export function AgreementMatrix({ result, labelA, labelB, onPick }: {
  result: SortingAgreement; labelA: string; labelB: string; onPick: (a: number, b: number) => void;
}) {
  const K1 = result.unit_ids_a.length;
  const K2 = result.unit_ids_b.length;
  const order = useMemo(() => agreementOrder(result.agreement.data, K1, K2), [result, K1, K2]);
  const cell = Math.max(MIN_CELL_PX, Math.min(MAX_CELL_PX, Math.floor(MATRIX_PX / Math.max(K1, K2, 1))));
  const labels = cell >= LABEL_CELL_PX;
  const m = labels ? MARGIN : 4;
  const width = m + K2 * cell + 2;
  const height = m + K1 * cell + 2;
  const [hover, setHover] = useState<{ i: number; j: number } | null>(null);
  const score = (i: number, j: number) => result.agreement.data[i * K2 + j]!;

  const draw = useCallback((ctx: CanvasRenderingContext2D) => {
    order.rows.forEach((i, r) => order.cols.forEach((j, c) => {
      ctx.fillStyle = agreementColor(score(i, j));
      ctx.fillRect(m + c * cell, m + r * cell, cell, cell);
    }));
    ctx.strokeStyle = '#c4cad3';
    ctx.lineWidth = 1;
    ctx.strokeRect(m - 0.5, m - 0.5, K2 * cell + 1, K1 * cell + 1);
    if (cell >= SCORE_CELL_PX) {
      ctx.font = '10px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      order.rows.forEach((i, r) => order.cols.forEach((j, c) => {
        const s = score(i, j);
        if (s < 0.005) return;
        ctx.fillStyle = s > 0.55 ? '#ffffff' : '#1d2430';
        ctx.fillText(s.toFixed(2), m + (c + 0.5) * cell, m + (r + 0.5) * cell);
      }));
    }
    if (labels) {
      ctx.fillStyle = '#4a5565';
      ctx.font = `${Math.min(11, cell - 2)}px system-ui, sans-serif`;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      order.rows.forEach((i, r) => ctx.fillText(String(result.unit_ids_a[i]), m - 4, m + (r + 0.5) * cell));
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      order.cols.forEach((j, c) => ctx.fillText(String(result.unit_ids_b[j]), m + (c + 0.5) * cell, m - 3));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- score reads result, listed
  }, [order, cell, m, labels, result, K1, K2]);

  const at = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const c = Math.floor((e.clientX - box.left - m) / cell);
    const r = Math.floor((e.clientY - box.top - m) / cell);
    return r >= 0 && r < K1 && c >= 0 && c < K2 ? { i: order.rows[r]!, j: order.cols[c]! } : null;
  };
  const shown = hover ?? null;
  return (
    <section className="agreement" id="agreement-matrix">
      <h2>Agreement</h2>
      <p className="small muted">
        Rows: {labelA} (A), columns: {labelB} (B), matched pairs on the diagonal. Agreement = matching spikes (within {result.delta_frames} frames)
        / (spikes of A + spikes of B − matching), as SpikeInterface's compare_two_sorters; {result.matches.length} pairs match at ≥ 0.5.
      </p>
      <div className="agreement-legend small"><span>0</span><span className="agreement-ramp" /><span>1</span></div>
      <div className="agreement-scroll" style={{ maxHeight: MATRIX_PX + MARGIN + 4, maxWidth: MATRIX_PX + MARGIN + 4, overflow: 'auto' }}>
        <PlotCanvas width={width} height={height} draw={draw} className="agreement-canvas"
          data-rows={order.rows.map((i) => result.unit_ids_a[i]).join(',')} data-cols={order.cols.map((j) => result.unit_ids_b[j]).join(',')}
          data-cell={cell} data-scores-written={cell >= SCORE_CELL_PX ? '1' : '0'} data-margin={m}
          onMouseMove={(e) => setHover(at(e))} onMouseLeave={() => setHover(null)}
          onClick={(e) => { const p = at(e); if (p) onPick(result.unit_ids_a[p.i]!, result.unit_ids_b[p.j]!); }} />
      </div>
      <p className="small" id="agreement-hover">
        {shown ? `A ${result.unit_ids_a[shown.i]} × B ${result.unit_ids_b[shown.j]}: agreement ${score(shown.i, shown.j).toFixed(3)} (${result.match_counts.data[shown.i * K2 + shown.j]} matching of ${result.spike_counts_a[shown.i]} and ${result.spike_counts_b[shown.j]} spikes)` : 'Hover a cell for its score; click it to show both waveforms.'}
      </p>
    </section>
  );
}
