import { useCallback, useMemo, useState } from 'react';
import type { WorkspaceSorting } from '../../core/reducers/workspaceActions';
import { averageWaveformRequest } from '../../core/tasks/contracts/averageWaveform';
import { bestMatchingUnitsRequest, sortingAgreementRequest } from '../../core/tasks/contracts/comparison';
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
import { drawWaveformPanel, referenceAmplitude } from '../views/averageWaveforms/draw';
import { unionChannels } from '../views/averageWaveforms/overlay';
import { AgreementMatrix } from './AgreementMatrix';

/** Sorting A's and sorting B's colours wherever both are drawn together (not unit colours: ids of two sortings collide). */
export const SORTING_COLORS = { A: '#1f6fd1', B: '#e0561b' } as const;

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
  const agreement = useTask(sortingAgreementRequest(a.sortingPath, b.sortingPath));
  const agreementResult = finishedResult(agreement);
  return (
    <main className="page-wide" id="comparison-page">
      <div className="page-head">
        <a href="#" onClick={(e) => { e.preventDefault(); back(); }}>{workspaceLabel ?? 'Workspace'}</a>
        <span className="crumb-sep">/</span><strong>Compare {a.sortingLabel} (A) with {b.sortingLabel} (B)</strong>
      </div>
      <div className="side-by-side">
        <SortingColumn title={`A: ${a.sortingLabel}`} refS={refA} matches={mA} matchRec={matchA} other="B" selected={selA} onPick={pickA} id="comparison-a" />
        <SortingColumn title={`B: ${b.sortingLabel}`} refS={refB} matches={mB} matchRec={matchB} other="A" selected={selB} onPick={pickB} id="comparison-b" />
        <PairWaveforms refA={refA} refB={refB} unitA={selA} unitB={selB} labelA={a.sortingLabel} labelB={b.sortingLabel} />
      </div>
      <TaskStatusLine rec={agreement} label="agreement matrix" />
      {agreementResult ? <AgreementMatrix result={agreementResult} labelA={a.sortingLabel} labelB={b.sortingLabel} onPick={(u, v) => { setSelA(u); setSelB(v); }} /> : null}
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

/** The two units' average waveforms on the union of their channels, in the sortings' colours, on one amplitude scale. */
function PairWaveforms({ refA, refB, unitA, unitB, labelA, labelB }: {
  refA: SortingRef; refB: SortingRef; unitA: number | null; unitB: number | null; labelA: string; labelB: string;
}) {
  const wa = useTask(unitA === null ? null : averageWaveformRequest(refA, unitA));
  const wb = useTask(unitB === null ? null : averageWaveformRequest(refB, unitB));
  const ra = finishedResult(wa);
  const rb = finishedResult(wb);
  const shown = [ra ? { r: ra, color: SORTING_COLORS.A } : null, rb ? { r: rb, color: SORTING_COLORS.B } : null].filter((x) => x !== null);
  const draw = useCallback((ctx: CanvasRenderingContext2D, w: number, h: number) => {
    if (!shown.length) return;
    const set = unionChannels(shown.map((x) => x.r));
    const ref = Math.max(...shown.map((x) => referenceAmplitude(x.r, null, null)));
    drawWaveformPanel(ctx, w, h, set, shown.map(({ r, color }) => ({ data: r.average_waveform.data, T: r.average_waveform.shape[1]!, channelIds: r.channel_ids.data, color })),
      { mode: 'geom', referenceAmplitude: ref, ampScaleFactor: 1, units: shown[0]!.r.units });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- shown is derived from ra, rb
  }, [ra, rb]);
  return (
    <section className="comparison-column">
      <h2>Waveforms</h2>
      {unitA === null && unitB === null ? <p className="muted">Click a unit in either table, or a cell of the agreement matrix: both units are shown here.</p> : (
        <>
          <p className="small pair-legend" id="pair-legend">
            <span data-sorting="A"><span className="swatch-line" style={{ background: SORTING_COLORS.A }} />A {labelA}: unit {unitA ?? 'none'}</span>
            <span data-sorting="B"><span className="swatch-line" style={{ background: SORTING_COLORS.B }} />B {labelB}: unit {unitB ?? 'none'}</span>
          </p>
          <p className="small muted">On the channels of both, one amplitude scale.</p>
          <TaskStatusLine rec={wa} label={`waveform A ${unitA}`} />
          <TaskStatusLine rec={wb} label={`waveform B ${unitB}`} />
          <PlotCanvas width={360} height={420} draw={draw} className="comparison-waveforms" data-colors={shown.map((x) => x.color).join(',')} />
        </>
      )}
    </section>
  );
}
