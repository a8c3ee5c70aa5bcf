import { useCallback, useMemo, useState } from 'react';
import type { TemplateSimilarityResult } from '../../../core/tasks/contracts/templateSimilarity';
import { PlotCanvas } from '../../components/PlotCanvas';
import { TaskGate } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { useTask } from '../../data/useTask';
import { WizardControls } from '../../sorting/NavigationPanel';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { suggestPairs } from './suggest';
import { useTemplateSimilaritySpec } from './useSimilarity';
import type { ViewProps } from '../types';

const rep = (sel: number | number[]) => (typeof sel === 'number' ? sel : Math.min(...sel));

/** Cosine similarity of the units' templates as a matrix, and the pairs above the threshold as merge suggestions. */
export function TemplateSimilarityView({ width, height }: ViewProps) {
  const spec = useTemplateSimilaritySpec();
  const rec = useTask(spec);
  return (
    <div className="view-scroll" style={{ width, height }} data-testid="template-similarity">
      <TaskGate rec={rec} label="template similarity" spec={spec}>
        {(r) => <Similarity r={r} width={width} height={height} />}
      </TaskGate>
    </div>
  );
}

function Similarity({ r, width, height }: { r: TemplateSimilarityResult; width: number; height: number }) {
  const { selection, dispatch, displayedUnitIds } = useSelection();
  const { curate, editRefusal, curation } = useSortingData();
  const [hover, setHover] = useState<string | null>(null);
  // The task's default (0.9) to start with; the matrix holds every pair, so moving it needs no task.
  const [threshold, setThreshold] = useState(r.threshold);
  const K = r.unit_ids.length;
  const indexOf = useMemo(() => new Map(r.unit_ids.map((s, i) => [rep(s), i])), [r]);
  const rows = displayedUnitIds.filter((u) => indexOf.has(u));
  const listW = Math.min(300, Math.max(220, width * 0.3));
  // Room below the matrix for its colour legend.
  const size = Math.max(80, Math.min(width - listW - 30, height - 64));
  const sim = r.similarity.data;
  const suggested = useMemo(() => suggestPairs(r.unit_ids.map(rep), sim, threshold), [r, sim, threshold]);
  const label = 30;
  const selected = useMemo(() => new Set(selection.selectedUnitIds), [selection.selectedUnitIds]);
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number) => {
    const n = rows.length;
    const cell = (w - label) / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = sim[indexOf.get(rows[i])! * K + indexOf.get(rows[j])!];
        const c = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
        ctx.fillStyle = `rgb(${c}, ${Math.round(c * 0.9 + 20)}, 255)`;
        ctx.fillRect(label + j * cell, label + i * cell, Math.ceil(cell), Math.ceil(cell));
      }
    }
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    // Row labels need a text height (12 px) each, column labels a text width (about 6 px a digit).
    const everyRow = Math.max(1, Math.ceil(12 / cell));
    const everyCol = Math.max(1, Math.ceil((6 * Math.max(1, ...rows.map((u) => String(u).length)) + 4) / cell));
    rows.forEach((u, i) => {
      ctx.fillStyle = selected.has(u) ? '#d62728' : unitColor(u);
      if (i % everyCol === 0) ctx.fillText(String(u), label + (i + 0.5) * cell, label / 2);
      if (i % everyRow === 0) ctx.fillText(String(u), label / 2, label + (i + 0.5) * cell);
    });
    ctx.strokeStyle = '#d62728';
    ctx.lineWidth = 1.5;
    rows.forEach((u, i) => {
      if (!selected.has(u)) return;
      ctx.strokeRect(label + i * cell, label, cell, n * cell);
      ctx.strokeRect(label, label + i * cell, n * cell, cell);
    });
  }, [rows, sim, indexOf, K, selected]);
  const cellAt = (e: React.MouseEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const cell = (size - label) / Math.max(1, rows.length);
    const j = Math.floor((e.clientX - rect.left - label) / cell);
    const i = Math.floor((e.clientY - rect.top - label) / cell);
    return i >= 0 && j >= 0 && i < rows.length && j < rows.length ? [rows[i], rows[j]] as const : null;
  };
  const inGroup = (a: number, b: number) => curation.mergeGroups.some((g) => g.includes(a) && g.includes(b));
  return (
    <div className="side-by-side">
      <div>
        <div className="view-toolbar muted small">{hover ?? 'Hover a cell for its similarity; click to select the pair.'}</div>
        <PlotCanvas width={size} height={size} draw={draw} className="similarity-canvas"
          onMouseMove={(e) => {
            const c = cellAt(e);
            setHover(c ? `units ${c[0]} and ${c[1]}: similarity ${sim[indexOf.get(c[0])! * K + indexOf.get(c[1])!].toFixed(3)}` : null);
          }}
          onClick={(e) => { const c = cellAt(e); if (c) dispatch({ type: 'SET_SELECTED_UNITS', unitIds: [c[0], c[1]] }); }} />
        <div className="similarity-legend small" id="similarity-legend" style={{ width: size - label, marginLeft: label }}>
          <span>0</span><span className="similarity-gradient" aria-hidden="true" /><span>1</span>
          <span className="muted" title="cosine similarity of the units' templates">similarity</span>
        </div>
      </div>
      <div className="suggestions" style={{ width: listW }}>
        <h3>Wizard</h3>
        <div className="similarity-wizard"><WizardControls /></div>
        <h3>Merge suggestions</h3>
        <label className="small threshold-control">Similarity ≥ <strong id="similarity-threshold-value">{threshold.toFixed(2)}</strong>
          <input type="range" id="similarity-threshold" min={0.5} max={1} step={0.01} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} aria-label="Similarity threshold" />
        </label>
        <p className="muted small" id="suggestion-count">{suggested.count} pair{suggested.count === 1 ? '' : 's'}, most similar first{suggested.count > suggested.pairs.length ? ` (the first ${suggested.pairs.length} shown)` : ''}.</p>
        {suggested.count === 0 ? (
          <p className="muted" id="no-merge-suggestions">No pair reaches {threshold.toFixed(2)}{suggested.best ? `: the most similar are units ${suggested.best.a} and ${suggested.best.b} (${suggested.best.similarity.toFixed(3)}). Lower the threshold to list them.` : '.'}</p>
        ) : null}
        <ul className="suggestion-list">
          {suggested.pairs.map((s) => {
            const { a, b } = s;
            const refusal = editRefusal([{ type: 'MERGE_UNITS', unitIds: [a, b] }]);
            return (
              <li key={`${a}-${b}`} className="merge-suggestion">
                <button type="button" className="link-button" onClick={() => dispatch({ type: 'SET_SELECTED_UNITS', unitIds: [a, b] })}>
                  <span style={{ color: unitColor(a) }}>{a}</span> &amp; <span style={{ color: unitColor(b) }}>{b}</span>
                </button>
                <span className="muted small"> {s.similarity.toFixed(3)}</span>
                {inGroup(a, b) ? <span className="chip">merged</span> : (
                  <button type="button" className="small-button" disabled={!!refusal} title={refusal ?? `Merge units ${a} and ${b}`}
                    onClick={() => void curate([{ type: 'MERGE_UNITS', unitIds: [a, b] }]).catch(() => undefined)}>merge</button>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
