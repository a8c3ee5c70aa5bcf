import { useCallback, useMemo, useState } from 'react';
import type { WorkspaceSorting } from '../../core/reducers/workspaceActions';
import { averageWaveformRequest } from '../../core/tasks/contracts/averageWaveform';
import { bestMatchingUnitsRequest } from '../../core/tasks/contracts/comparison';
import type { SortingRef } from '../../core/tasks/contracts/kwargs';
import { sortingInfoRequest } from '../../core/tasks/contracts/recording';
import { unitsSummaryRequest } from '../../core/tasks/contracts/unitsTable';
import { useApp } from '../app/context';
import { PlotCanvas } from '../components/PlotCanvas';
import { TaskStatusLine } from '../components/TaskStatus';
import { unitColor } from '../components/unitColors';
import { useRouteWorkspace } from '../data/feeds';
import { finishedResult } from '../data/taskClient';
import { useTask } from '../data/useTask';
import { drawWaveform, referenceAmplitude } from '../views/averageWaveforms/draw';

/** "3B" → 3, "-1B" → null (get_best_matching_units.2's answer per unit). */
export function parseMatch(v: string | undefined): number | null {
  if (!v) return null;
  const n = parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * Two sortings of one recording side by side (2021 MVSortingComparisonView): each unit with its best
 * match in the other sorting (get_best_matching_units.2); selecting a unit selects its match and
 * shows both average waveforms on one scale.
 */
export function ComparisonPage() {
  const { route, navigate } = useApp();
  const { parsed, uriError, ws } = useRouteWorkspace();
  if (uriError) return <main className="page-narrow"><p className="error" role="alert">{uriError}</p></main>;
  if (ws.error && !ws.state) return <main className="page-narrow"><p className="error" role="alert">{ws.error}</p></main>;
  if (!ws.state) return <main className="page-narrow"><p className="muted">Reading the workspace log…</p></main>;
  const a = ws.state.sortings.find((s) => s.sortingId === route.sortingId);
  const b = ws.state.sortings.find((s) => s.sortingId === route.compareSortingId);
  if (!a || !b) return <main className="page-narrow"><p className="error" role="alert">The workspace has no sorting {!a ? route.sortingId : route.compareSortingId}.</p></main>;
  if (a.recordingId !== b.recordingId) return <main className="page-narrow"><p className="error" role="alert">{a.sortingLabel} and {b.sortingLabel} sort different recordings; only sortings of one recording can be compared.</p></main>;
  const back = () => navigate({ backend: route.backend, workspace: route.workspace });
  return <Comparison a={a} b={b} snippetLen={ws.state.snippetLen} back={back} workspaceLabel={parsed!.label} />;
}

function Comparison({ a, b, snippetLen, back, workspaceLabel }: { a: WorkspaceSorting; b: WorkspaceSorting; snippetLen: [number, number]; back: () => void; workspaceLabel?: string }) {
  const [selA, setSelA] = useState<number | null>(null);
  const [selB, setSelB] = useState<number | null>(null);
  const refA: SortingRef = useMemo(() => ({ recordingUri: a.recordingPath, sortingUri: a.sortingPath, snippetLen }), [a, snippetLen]);
  const refB: SortingRef = useMemo(() => ({ recordingUri: b.recordingPath, sortingUri: b.sortingPath, snippetLen }), [b, snippetLen]);
  const matchA = useTask(bestMatchingUnitsRequest(a.sortingPath, b.sortingPath, 'A'));
  const matchB = useTask(bestMatchingUnitsRequest(b.sortingPath, a.sortingPath, 'B'));
  const mA = finishedResult(matchA);
  const mB = finishedResult(matchB);
  const pickA = (u: number) => { setSelA(u); setSelB(parseMatch(mA?.[String(u)])); };
  const pickB = (u: number) => { setSelB(u); setSelA(parseMatch(mB?.[String(u)])); };
  return (
    <main className="page-wide" id="comparison-page">
      <div className="page-head">
        <a href="#" onClick={(e) => { e.preventDefault(); back(); }}>{workspaceLabel ?? 'Workspace'}</a>
        <span className="crumb-sep">/</span><strong>Compare {a.sortingLabel} (A) with {b.sortingLabel} (B)</strong>
      </div>
      <div className="side-by-side">
        <SortingColumn title={`A: ${a.sortingLabel}`} refS={refA} matches={mA} matchRec={matchA} other="B" selected={selA} onPick={pickA} id="comparison-a" />
        <SortingColumn title={`B: ${b.sortingLabel}`} refS={refB} matches={mB} matchRec={matchB} other="A" selected={selB} onPick={pickB} id="comparison-b" />
        <PairWaveforms refA={refA} refB={refB} unitA={selA} unitB={selB} />
      </div>
    </main>
  );
}

function SortingColumn({ title, refS, matches, matchRec, other, selected, onPick, id }: {
  title: string; refS: SortingRef; matches: Record<string, string> | null; matchRec: ReturnType<typeof useTask>; other: string;
  selected: number | null; onPick: (u: number) => void; id: string;
}) {
  const info = useTask(sortingInfoRequest(refS.sortingUri));
  const summary = useTask(unitsSummaryRequest(refS));
  const units = (finishedResult(info)?.unit_ids ?? []);
  const s = finishedResult(summary);
  return (
    <section className="comparison-column" id={id}>
      <h2>{title}</h2>
      <TaskStatusLine rec={info} label="sorting info" />
      <TaskStatusLine rec={matchRec} label="best matches" />
      <div className="table-scroll" style={{ maxHeight: '70vh' }}>
        <table className="data-table">
          <thead><tr><th>Unit</th><th>Num. events</th><th>SNR</th><th>Best match in {other}</th></tr></thead>
          <tbody>
            {units.map((u) => (
              <tr key={u} data-unit-id={u} className={u === selected ? 'selected' : ''} onClick={() => onPick(u)}>
                <td><span className="swatch" style={{ background: unitColor(u) }} />{u}</td>
                <td className="num">{s?.units[String(u)]?.count ?? '…'}</td>
                <td className="num">{s?.units[String(u)]?.snr?.toFixed(2) ?? ''}</td>
                <td className="num best-match">{matches ? (parseMatch(matches[String(u)]) ?? 'none') : '…'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PairWaveforms({ refA, refB, unitA, unitB }: { refA: SortingRef; refB: SortingRef; unitA: number | null; unitB: number | null }) {
  const wa = useTask(unitA === null ? null : averageWaveformRequest(refA, unitA));
  const wb = useTask(unitB === null ? null : averageWaveformRequest(refB, unitB));
  const ra = finishedResult(wa);
  const rb = finishedResult(wb);
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    const ref = ra ? referenceAmplitude(ra, null, null) : rb ? referenceAmplitude(rb, null, null) : 1;
    if (ra) drawWaveform(ctx, w / 2, h, ra, { mode: 'geom', referenceAmplitude: ref, ampScaleFactor: 1, color: unitColor(unitA ?? 0) });
    if (rb) {
      ctx.save();
      ctx.translate(w / 2, 0);
      drawWaveform(ctx, w / 2, h, rb, { mode: 'geom', referenceAmplitude: ref, ampScaleFactor: 1, color: unitColor(unitB ?? 0) });
      ctx.restore();
    }
  }, [ra, rb, unitA, unitB]);
  return (
    <section className="comparison-column">
      <h2>Waveforms</h2>
      {unitA === null && unitB === null ? <p className="muted">Click a unit in either table: it and its best match are shown here.</p> : (
        <>
          <p className="small">A unit {unitA ?? 'none'} · B unit {unitB ?? 'none'} (one amplitude scale)</p>
          <TaskStatusLine rec={wa} label={`waveform A ${unitA}`} />
          <TaskStatusLine rec={wb} label={`waveform B ${unitB}`} />
          <PlotCanvas width={360} height={420} draw={draw} className="comparison-waveforms" />
        </>
      )}
    </section>
  );
}
