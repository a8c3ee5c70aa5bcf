import { useEffect, useMemo, useRef, useState } from 'react';
import { rasterRequest, type RasterResult } from '../../../core/tasks/contracts/raster';
import { timeseriesSegmentRequest } from '../../../core/tasks/contracts/recording';
import { TaskStatusLine } from '../../components/TaskStatus';
import { unitColor } from '../../components/unitColors';
import { finishedResult, type TaskRecord } from '../../data/taskClient';
import { useTasks } from '../../data/useTask';
import { useSelection, useSortingData } from '../../sorting/sortingContext';
import { useUnitSelectionForTask } from '../common/loaders';
import { channelScaleOf } from './drawTraces';
import type { ViewProps } from '../types';
import { depthOrder, HEATMAP_ABOVE_CHANNELS, tracesMode, type TracesModeChoice } from './channelOrder';
import { AXIS_HEIGHT, LABEL_WIDTH } from './drawTraces';
import { rawFallbackNotice, tracesErrorText } from './messages';
import { TracesRenderer } from './renderer';
import { planTraces } from './segments';
import type { DrawStats, SpikeMarker } from './WorkerTypes';

/** Spike markers are drawn for at most this many selected units. */
export const MAX_MARKER_UNITS = 10;
const TOOLBAR = 30;

/**
 * Raw traces (get_timeseries_segment.1): the shared time range of the selection, min/max pyramids
 * when zoomed out, raw samples when zoomed in, spike markers of the selected units, the filtered/raw
 * toggle, and the channels selected in the electrode geometry view (all when none). Scroll or drag
 * to pan, wheel to zoom, click to set the time cursor; the keys are in the help dialog.
 */
export function TracesView({ width, height }: ViewProps) {
  const { ref, recordingInfo, recording, tracesFilter, setTracesFilter } = useSortingData();
  const { selection, dispatch } = useSelection();
  const forTask = useUnitSelectionForTask();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<TracesRenderer | null>(null);
  const [stats, setStats] = useState<DrawStats | null>(null);
  const [drawError, setDrawError] = useState<string | null>(null);
  const [modeChoice, setModeChoice] = useState<TracesModeChoice>('auto');
  const lastComplete = useRef<string[]>([]);

  useEffect(() => {
    const r = new TracesRenderer();
    r.onDrawn = setStats;
    r.onError = setDrawError;
    rendererRef.current = r;
    return () => {
      r.dispose();
      rendererRef.current = null;
    };
  }, []);

  const info = recordingInfo;
  const N = info?.num_frames ?? 1;
  const fs = info?.sampling_frequency ?? 1;
  const M = info?.channel_ids.length ?? 1;
  const range = selection.timeRangeFrames ?? [0, Math.min(N, Math.round(fs / 10))];
  const plotWidth = Math.max(100, width - LABEL_WIDTH - 6);
  const canvasHeight = Math.max(60, height - TOOLBAR);
  const ownFiltered = recording?.recordingObject.recording_format === 'filtered';
  const filtered = tracesFilter === 'bandpass' || (tracesFilter === undefined && ownFiltered);
  const plan = planTraces({ startFrame: range[0], endFrame: range[1], numFrames: N, numChannels: M, widthPx: plotWidth, filtered });
  // Too wide to filter (segments.ts planTraces): the raw pyramid stands in, with a notice.
  const filterAsked = plan.rawFallback ? 'none' : tracesFilter;
  const segSpecs = useMemo(() => (info ? plan.segmentNums.map((n) => timeseriesSegmentRequest(ref.recordingUri, { dsFactor: plan.dsFactor, segmentNum: n, segmentSize: plan.segmentSize, filter: filterAsked })) : []),
    [info, ref.recordingUri, plan.dsFactor, plan.segmentSize, plan.segmentNums.join(','), filterAsked]); // eslint-disable-line react-hooks/exhaustive-deps
  const segRecs = useTasks(segSpecs);

  const markerUnits = selection.selectedUnitIds.slice(0, MAX_MARKER_UNITS);
  const rasterSpecs = useMemo(() => (info ? markerUnits.map((u) => rasterRequest(ref, N / fs, [forTask(u)])) : []),
    [info, ref, N, fs, markerUnits.join(','), forTask]); // eslint-disable-line react-hooks/exhaustive-deps
  const rasterRecs = useTasks(rasterSpecs);

  // Channels: those selected in the electrode view, else all, in probe-depth order (channelOrder.ts).
  const channels = useMemo(() => {
    if (!info) return { indices: [] as number[], labels: [] as string[] };
    const sel = new Set(selection.selectedElectrodeIds);
    const indices = depthOrder(info.channel_ids.map((_, i) => i).filter((i) => !sel.size || sel.has(info.channel_ids[i])), info.geom);
    return { indices, labels: indices.map((i) => String(info.channel_ids[i])) };
  }, [info, selection.selectedElectrodeIds]);
  const mode = tracesMode(modeChoice, channels.indices.length);
  const viewKey = `${range[0]}-${range[1]}/${plan.dsFactor}/${plan.segmentNums.join(',')}/${filterAsked ?? ''}/${mode}/${channels.indices.length}`;
  // What the canvas shows: the stats of the last draw, once it is a draw of this view (a draw is asynchronous).
  const drawn = stats && stats.viewKey === viewKey ? stats : null;

  const markers = useMemo(() => spikeMarkers(rasterRecs, markerUnits, fs), [rasterRecs, markerUnits.join(','), fs]); // eslint-disable-line react-hooks/exhaustive-deps

  // Hand finished segments to the renderer, then draw.
  const finishedKeys = segRecs.map((r) => (r?.status === 'finished' ? r.hash : '')).join(',');
  useEffect(() => {
    const renderer = rendererRef.current;
    const canvas = canvasRef.current;
    if (!renderer || !canvas || !info) return;
    segRecs.forEach((r, i) => {
      const result = finishedResult(r);
      if (!r || !result || renderer.has(r.hash)) return;
      const { traces } = result;
      renderer.addSegment({
        key: r.hash, dsFactor: plan.dsFactor, segmentNum: plan.segmentNums[i], segmentSize: plan.segmentSize,
        numChannels: traces.shape[0], pointsPerChannel: traces.shape[1], data: traces.data,
      });
    });
    const noise = info.noise_level > 0 ? info.noise_level : 1;
    // Channels at other imroTbl gains than the median are drawn at its µV scale (the noise level is in its raw units).
    const channelScale = channelScaleOf(info.channel_gains_uv_per_bit);
    // While segments of this zoom level load, the last complete level stands in (no blank flashes).
    const current = segRecs.filter((r) => r?.status === 'finished').map((r) => r!.hash);
    const complete = current.length === segRecs.length;
    const keys = complete ? current : [...lastComplete.current.filter((k) => renderer.has(k) && !current.includes(k)), ...current];
    if (complete) lastComplete.current = current;
    renderer.draw({
      width, height: canvasHeight, dpr: window.devicePixelRatio || 1, startFrame: range[0], endFrame: range[1], sampleRateHz: fs,
      dsFactor: plan.dsFactor, segmentSize: plan.segmentSize, segmentKeys: keys,
      channelIndices: channels.indices, channelLabels: channels.labels, referenceAmplitude: 10 * noise, channelScale,
      ampScaleFactor: selection.ampScaleFactor, markers: markers.filter((m) => m.frame >= range[0] && m.frame < range[1]), currentFrame: selection.currentTimepointFrames,
      mode, segmentsPending: segRecs.length - current.length, viewKey,
    }, canvas);
  }, [finishedKeys, width, canvasHeight, range[0], range[1], channels, markers, selection.ampScaleFactor, selection.currentTimepointFrames, info, mode, viewKey]); // eslint-disable-line react-hooks/exhaustive-deps

  // Wheel zoom about the pointer (a non-passive listener, so the page does not scroll).
  const rangeRef = useRef(range);
  rangeRef.current = range;
  useEffect(() => {
    const c = canvasRef.current;
    if (!c) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = rangeRef.current;
      const rect = c.getBoundingClientRect();
      const frac = Math.min(1, Math.max(0, (e.clientX - rect.left - LABEL_WIDTH) / Math.max(1, rect.width - LABEL_WIDTH - 6)));
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        dispatch({ type: 'SHIFT_TIME_RANGE', fraction: (e.deltaX || e.deltaY) > 0 ? 0.1 : -0.1 });
      } else {
        dispatch({ type: 'ZOOM_TIME_RANGE', factor: e.deltaY < 0 ? 1.25 : 0.8, anchorFrame: r[0] + frac * (r[1] - r[0]) });
      }
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
    // The canvas exists only once the recording's info is in: attach then (attaching at mount found none).
  }, [dispatch, Boolean(info)]); // eslint-disable-line react-hooks/exhaustive-deps

  const drag = useRef<{ x: number; range: [number, number]; moved: boolean } | null>(null);
  const frameAt = (clientX: number) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    const frac = (clientX - rect.left - LABEL_WIDTH) / Math.max(1, rect.width - LABEL_WIDTH - 6);
    return range[0] + frac * (range[1] - range[0]);
  };

  if (!info) return <div className="view-message" style={{ width, height }}>Waiting for the recording's info (recording_info.3)…</div>;
  const setFiltered = (want: boolean) => setTracesFilter(want === ownFiltered ? undefined : want ? 'bandpass' : 'none');
  const failed = segRecs.find((r) => r?.status === 'error');
  const loading = segRecs.filter((r) => r?.status !== 'finished').length;
  const t0 = range[0] / fs;
  const t1 = range[1] / fs;
  return (
    <div className="traces-view" style={{ width, height }} data-testid="traces-view">
      <div className="view-toolbar" style={{ height: TOOLBAR }}>
        <button type="button" className="small-button" title="Shift time left (←)" onClick={() => dispatch({ type: 'SHIFT_TIME_RANGE', fraction: -0.2 })}>◀</button>
        <button type="button" className="small-button" title="Shift time right (→)" onClick={() => dispatch({ type: 'SHIFT_TIME_RANGE', fraction: 0.2 })}>▶</button>
        <button type="button" className="small-button" id="traces-zoom-in" title="Time zoom in (+)" onClick={() => dispatch({ type: 'ZOOM_TIME_RANGE', factor: 1.5 })}>zoom +</button>
        <button type="button" className="small-button" id="traces-zoom-out" title="Time zoom out (−)" onClick={() => dispatch({ type: 'ZOOM_TIME_RANGE', factor: 1 / 1.5 })}>zoom −</button>
        <button type="button" className="small-button" id="traces-all" title="Whole recording" onClick={() => dispatch({ type: 'SET_TIME_RANGE', range: [0, N] })}>all</button>
        <button type="button" className="small-button" title="Amplitude down (↓)" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'down' })}>amp −</button>
        <button type="button" className="small-button" title="Amplitude up (↑)" onClick={() => dispatch({ type: 'SCALE_AMPLITUDE', direction: 'up' })}>amp +</button>
        <label title={ownFiltered ? 'The recording is a filtered recording; uncheck to see the raw data' : 'Band-pass 300–6000 Hz, computed by the backend'}>
          <input type="checkbox" id="traces-filter" checked={filtered} onChange={(e) => setFiltered(e.target.checked)} /> filtered
        </label>
        <label title={`Lines, or a heat map of one row per channel (colour = signed amplitude); auto draws a heat map above ${HEATMAP_ABOVE_CHANNELS} channels`}>
          <select id="traces-mode" value={modeChoice} onChange={(e) => setModeChoice(e.target.value as TracesModeChoice)}>
            <option value="auto">auto ({mode === 'heatmap' ? 'heat map' : 'lines'})</option>
            <option value="lines">lines</option>
            <option value="heatmap">heat map</option>
          </select>
        </label>
        <span className="muted small" id="traces-range">{t0.toFixed(3)}–{t1.toFixed(3)} s · {plan.dsFactor === 1 ? 'raw samples' : `min/max of ${plan.dsFactor} frames`} · {channels.indices.length}/{M} ch
          {markerUnits.length ? ` · spikes of ${markerUnits.join(', ')}${selection.selectedUnitIds.length > MAX_MARKER_UNITS ? ` (first ${MAX_MARKER_UNITS})` : ''}` : ''}</span>
        <span className="toolbar-status">
          {plan.rawFallback ? <span className="muted small" id="traces-notice">{rawFallbackNotice(plan.filteredWindowFrames / fs)}</span> : null}
          {failed ? <TaskStatusLine rec={{ ...failed, error: tracesErrorText(failed.error ?? '', filtered && !plan.rawFallback) }} label="traces" spec={segSpecs[segRecs.indexOf(failed)]} compact /> : loading ? <span className="muted small">loading {loading} of {segRecs.length} segments…</span> : null}
          {drawError ? <span className="error small">drawing failed: {drawError}</span> : null}
        </span>
      </div>
      <canvas ref={canvasRef} className="traces-canvas" style={{ width, height: canvasHeight, display: 'block', cursor: 'crosshair', touchAction: 'none' }}
        data-ds-factor={plan.dsFactor} data-mode={drawn?.mode ?? ''} data-filtered-shown={String(filtered && !plan.rawFallback)}
        data-draw-ms={drawn ? drawn.drawMs.toFixed(1) : ''} data-points-drawn={stats?.pointsDrawn ?? 0} data-segments-missing={drawn ? drawn.segmentsMissing : -1}
        data-markers={markers.length} data-range={`${range[0]}-${range[1]}`} data-rows={channels.labels.join(',')}
        data-renderer={stats ? (rendererRef.current?.usesWorker ? 'worker' : 'main-thread') : ''}
        onPointerDown={(e) => { e.currentTarget.setPointerCapture(e.pointerId); drag.current = { x: e.clientX, range: [range[0], range[1]], moved: false }; }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const dx = e.clientX - d.x;
          if (Math.abs(dx) > 3) d.moved = true;
          if (!d.moved) return;
          const df = -(dx / plotWidth) * (d.range[1] - d.range[0]);
          dispatch({ type: 'SET_TIME_RANGE', range: [d.range[0] + df, d.range[1] + df] });
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (d && !d.moved && e.clientY - canvasRef.current!.getBoundingClientRect().top < canvasHeight - AXIS_HEIGHT) dispatch({ type: 'SET_CURRENT_TIMEPOINT', frame: frameAt(e.clientX) });
        }} />
    </div>
  );
}

/** Spike frames of each marker unit inside the recording, coloured by unit. */
function spikeMarkers(recs: (TaskRecord<RasterResult> | undefined)[], units: number[], fs: number): SpikeMarker[] {
  const out: SpikeMarker[] = [];
  recs.forEach((r, i) => {
    const result = finishedResult(r);
    if (!result) return;
    const times = result.times_sec.data;
    const color = unitColor(units[i]);
    for (const t of times) out.push({ frame: Math.round(t * fs), color });
  });
  return out;
}
