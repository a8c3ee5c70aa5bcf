/**
 * Test-only: a relay over in-memory data and a loop that runs a task through its rounds, the way the
 * worker and the relay do (NeedChunks → chunks encoded into the store → run again from the start).
 */
import { DataSource, NeedChunks } from '../../../data/dataSource';
import { produceSnippetSumsSync } from '../../../data/snippetSums';
import { extractSnippets, minMaxDownsample, timeseriesSegmentFrames } from '../../../kernels/waveforms';
import { synthRecording, type SynthRecording } from '../../../kernels/waveforms/testing/synth';
import { encodeChunk, errorChunk, jsonChunk } from '../../../protocol/chunkEncoding';
import { chunkSpecSchema, MAX_CHUNKS_PER_REQUEST, type ChunkSpec } from '../../../protocol/messages';
import { chunkHash } from '../../../protocol/paths';
import type { RecordingInfoChunk } from '../../../protocol/recordingInfoChunk';
import type { TaskContext, TaskDefinition } from '../../types';
import { bytesPerSample, RELAY_MAX_CHUNK_BYTES } from '../limits';

export interface FakeRecording {
  info: RecordingInfoChunk;
  traces: Int16Array | Float32Array;
  /** Stored templates (info.templates gives their size), rows of `unitIds`, served for `sorting` only. */
  templates?: { sorting: string; unitIds: number[]; data: Float32Array };
  /** Stored amplitudes of every spike, by unit, in train order (info.spikeAmplitudes), served for `sorting` only. */
  spikeAmplitudes?: { sorting: string; byUnit: Map<number, Float32Array> };
}
export interface FakeSorting { sampleRateHz: number; unitIds: number[]; trains: Float64Array[] }

export class FakeRelay {
  recordings = new Map<string, FakeRecording>();
  sortings = new Map<string, FakeSorting>();
  files = new Map<string, Uint8Array>();
  /** Every spec served, in order. */
  served: ChunkSpec[] = [];

  serve(spec: ChunkSpec): Uint8Array {
    this.served.push(spec);
    switch (spec.type) {
      case 'object': return jsonChunk({ uri: spec.uri });
      case 'file': {
        const f = this.files.get(spec.uri);
        return f ? encodeChunk({ kind: 'bytes' }, f) : errorChunk(`No such file: ${spec.uri}`);
      }
      case 'sorting': {
        const s = this.sortings.get(spec.sorting);
        if (!s) return errorChunk(`No such sorting: ${spec.sorting}`);
        const all = new Float64Array(s.trains.reduce((n, t) => n + t.length, 0));
        let k = 0;
        for (const t of s.trains) { all.set(t, k); k += t.length; }
        return encodeChunk({ kind: 'sorting', sampleRateHz: s.sampleRateHz, unitIds: s.unitIds, spikeCounts: s.trains.map((t) => t.length) }, new Uint8Array(all.buffer));
      }
      default: break;
    }
    const rec = this.recordings.get(spec.recording);
    if (!rec) return errorChunk(`No such recording: ${spec.recording}`);
    const { info, traces } = rec;
    const C = info.channelIds.length;
    const cols = (ids: number[]) => ids.map((id) => info.channelIds.indexOf(id));
    const nd = (a: Int16Array | Float32Array, shape: number[]) =>
      encodeChunk({ kind: 'ndarray', dtype: a instanceof Int16Array ? 'int16' : 'float32', shape }, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    switch (spec.type) {
      case 'recordingInfo': return jsonChunk(info);
      case 'traces': {
        if (spec.endFrame > info.numFrames || spec.startFrame > spec.endFrame) return errorChunk('traces outside the recording');
        // The relay's cap (relay/chunks/formatChunks.ts checkBytes).
        const bytes = (spec.endFrame - spec.startFrame) * spec.channelIds.length * bytesPerSample(info.dtype);
        if (bytes > RELAY_MAX_CHUNK_BYTES) return errorChunk(`A chunk of ${bytes} bytes was asked for; chunks are capped at ${RELAY_MAX_CHUNK_BYTES}: ask in smaller pieces`);
        const s = extractSnippets(traces, C, 0, [spec.startFrame], [0, spec.endFrame - spec.startFrame], cols(spec.channelIds));
        return nd(s.data as Int16Array | Float32Array, [spec.endFrame - spec.startFrame, spec.channelIds.length]);
      }
      case 'snippets': {
        if (spec.frames.some((f) => f - spec.before < 0 || f + spec.after > info.numFrames)) return errorChunk('snippet window leaves the recording');
        const s = extractSnippets(traces, C, 0, spec.frames, [spec.before, spec.after], cols(spec.channelIds));
        return nd(s.data as Int16Array | Float32Array, [spec.frames.length, spec.before + spec.after, spec.channelIds.length]);
      }
      case 'snippetSums': {
        try {
          return produceSnippetSumsSync(spec, (f, before, after, ids) => {
            if (f.some((x) => x - before < 0 || x + after > info.numFrames)) throw new RangeError('snippet window leaves the recording');
            return extractSnippets(traces, C, 0, f, [before, after], cols(ids)).data as Int16Array | Float32Array;
          });
        } catch (err) {
          return errorChunk((err as Error).message);
        }
      }
      case 'minmax': {
        const { startFrame, endFrame } = timeseriesSegmentFrames(info.numFrames, spec.dsFactor, spec.segment, spec.segmentSize);
        const level = minMaxDownsample(traces.subarray(startFrame * C, endFrame * C), C, spec.dsFactor);
        return nd(level.data, level.shape);
      }
      case 'templates': {
        const t = rec.templates;
        if (!t || !info.templates) return errorChunk(`${spec.recording} has no stored templates`);
        if (spec.sorting !== t.sorting) return errorChunk(`the templates of ${spec.recording} are its own sorting's; ${spec.sorting} is another sorting`);
        const row = info.templates.numSamples * C;
        const out = new Float32Array(spec.unitIds.length * row);
        for (const [i, u] of spec.unitIds.entries()) {
          const r = t.unitIds.indexOf(u);
          if (r < 0) return errorChunk(`no template for unit ${u}`);
          out.set(t.data.subarray(r * row, (r + 1) * row), i * row);
        }
        return nd(out, [spec.unitIds.length, info.templates.numSamples, C]);
      }
      case 'spikeAmplitudes': {
        const a = rec.spikeAmplitudes;
        if (!a || !info.spikeAmplitudes) return errorChunk(`${spec.recording} has no stored spike amplitudes`);
        if (spec.sorting !== a.sorting) return errorChunk(`the spike amplitudes of ${spec.recording} are its own sorting's; ${spec.sorting} is another sorting`);
        if (spec.unitIds.some((u) => !a.byUnit.has(u))) return errorChunk('no amplitudes for a unit');
        const parts = spec.unitIds.map((u) => a.byUnit.get(u)!);
        const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
        let k = 0;
        for (const p of parts) { out.set(p, k); k += p.length; }
        return nd(out, [out.length]);
      }
    }
  }
}

/** An analyzer recording whose traces are gone: `base`'s info, and `template(u)` ([T][C]) stored for each unit of `sorting`. */
export const REC_TEMPLATES_URI = `sha1://${'a9'.repeat(20)}/analyzer.json`;
export function addStoredTemplates(relay: FakeRelay, opts: {
  base: string; sorting: string; numSamples: number; template: (unitId: number) => Float32Array; uri?: string;
  /** Stored spike amplitudes too: unit → one per spike of its (ascending) train. */
  amplitudes?: (unitId: number, train: Float64Array) => Float32Array;
}): string {
  const uri = opts.uri ?? REC_TEMPLATES_URI;
  const { unitIds, trains } = relay.sortings.get(opts.sorting)!;
  const sortedTrain = (i: number) => Float64Array.from(trains[i]!).sort();
  relay.recordings.set(uri, {
    info: {
      ...relay.recordings.get(opts.base)!.info, tracesAvailable: false, templates: { nbefore: 4, numSamples: opts.numSamples, units: 'uV', maxSpikesPerUnit: 500 },
      ...(opts.amplitudes ? { spikeAmplitudes: { units: 'uV' as const } } : {}),
    },
    traces: new Int16Array(0),
    templates: { sorting: opts.sorting, unitIds, data: Float32Array.from(unitIds.flatMap((u) => Array.from(opts.template(u)))) },
    ...(opts.amplitudes ? { spikeAmplitudes: { sorting: opts.sorting, byUnit: new Map(unitIds.map((u, i) => [u, opts.amplitudes!(u, sortedTrain(i))])) } } : {}),
  });
  return uri;
}

export interface Rounds { result: unknown; rounds: ChunkSpec[][] }

/** Runs a task to completion, answering each NeedChunks like the relay; every round's specs are checked against the relay message schema. */
export async function runRounds<K>(task: TaskDefinition<K>, kwargs: unknown, relay: FakeRelay, maxRounds = 8): Promise<Rounds> {
  const parsed = task.kwargs.parse(kwargs);
  const store = new Map<string, Uint8Array>();
  const ctx: TaskContext = { sleep: async () => {}, now: () => 0, data: new DataSource(async (s) => store.get(chunkHash(s)) ?? null) };
  const rounds: ChunkSpec[][] = [];
  for (;;) {
    try {
      return { result: await task.run(parsed, ctx), rounds };
    } catch (err) {
      if (!(err instanceof NeedChunks)) throw err;
      if (rounds.length >= maxRounds) throw new Error(`more than ${maxRounds} rounds`);
      if (err.specs.length > MAX_CHUNKS_PER_REQUEST) throw new Error(`round of ${err.specs.length} chunks`);
      for (const s of err.specs) chunkSpecSchema.parse(s);
      rounds.push(err.specs);
      for (const s of err.specs) store.set(chunkHash(s), relay.serve(s));
    }
  }
}

export const REC_URI = `sha1://${'a1'.repeat(20)}/recording.json`;
export const REC_WIDE_URI = `sha1://${'b2'.repeat(20)}/wide.json`;
export const REC_FILTERED_URI = `sha1://${'c3'.repeat(20)}/filtered.json`;
export const SORTING_URI = `sha1://${'d4'.repeat(20)}/sorting.json`;
export const SORTING_WIDE_URI = `sha1://${'e5'.repeat(20)}/sorting-wide.json`;
export const SORTING_B_URI = `sha1://${'f6'.repeat(20)}/sorting-b.json`;
export const METRICS_URI = `sha1://${'0a'.repeat(20)}/metrics.json`;

/**
 * The test dataset (seeded): 1.5 s at 30 kHz, an 8-channel and a 20-channel probe (2 columns, 20 µm),
 * units with templates over noise and DC offsets, and the edge cases:
 * unit 1 and 2 (normal, 2 spikes of unit 2 on frames of unit 1: merges share frames), 3 empty,
 * 4 one spike, 5 spikes at frame 0 and at the last frame (plus a few others), 6 many spikes,
 * 7 spikes only within a snippet of the ends (no window inside the recording).
 */
export function testDataset(): {
  relay: FakeRelay; narrow: SynthRecording; wide: SynthRecording; trainsNarrow: Map<number, Float64Array>; trainsWide: Map<number, Float64Array>;
} {
  const F = 45_000;
  const units = (peaks: number[]) => [
    { unitId: 1, peakChannel: peaks[0], amplitude: 220, count: 120, extraTimes: [10_000, 20_000] },
    { unitId: 2, peakChannel: peaks[1], amplitude: 140, count: 90, extraTimes: [10_000, 20_000, 20_001] },
    { unitId: 3, peakChannel: peaks[2], amplitude: 100, count: 0 },
    { unitId: 4, peakChannel: peaks[2], amplitude: 100, count: 0, extraTimes: [30_000] },
    { unitId: 5, peakChannel: peaks[2], amplitude: 100, count: 0, extraTimes: [0, 5_000, 25_000, F - 1] },
    { unitId: 6, peakChannel: peaks[3], amplitude: 90, count: 700 },
    { unitId: 7, peakChannel: peaks[2], amplitude: 100, count: 0, extraTimes: [0, 1, F - 2, F - 1] },
  ];
  const narrow = synthRecording({ seed: 11, numFrames: F, numChannels: 8, units: units([1, 6, 3, 4]) });
  const wide = synthRecording({ seed: 12, numFrames: F, numChannels: 20, units: units([2, 17, 9, 12]) });
  const relay = new FakeRelay();
  const info = (r: SynthRecording, filters: RecordingInfoChunk['filters'] = []): RecordingInfoChunk => ({
    sampleRateHz: r.sampleRateHz, numFrames: r.numFrames, channelIds: r.channelIds, channelGroups: r.channelIds.map(() => 0),
    geom: r.geom.map((p) => [p[0], p[1]] as [number, number]), dtype: r.traces instanceof Int16Array ? 'int16' : 'float32', gainUvPerBit: 0.195, filters,
  });
  relay.recordings.set(REC_URI, { info: info(narrow), traces: narrow.traces });
  relay.recordings.set(REC_WIDE_URI, { info: { ...info(wide), gainUvPerBit: null }, traces: wide.traces });
  relay.recordings.set(REC_FILTERED_URI, { info: info(narrow, [{ type: 'bandpass_filter', freqMinHz: 300, freqMaxHz: 6000, freqWidHz: 1000 }]), traces: narrow.traces });
  const trains = (r: SynthRecording) => new Map(r.units.map((u) => [u.unitId, u.times.slice().sort()]));
  const trainsNarrow = trains(narrow);
  const trainsWide = trains(wide);
  const sorting = (t: Map<number, Float64Array>): FakeSorting => ({ sampleRateHz: 30000, unitIds: [...t.keys()], trains: [...t.values()] });
  relay.sortings.set(SORTING_URI, sorting(trainsNarrow));
  relay.sortings.set(SORTING_WIDE_URI, sorting(trainsWide));
  // A second sorting of the narrow recording: unit 1 jittered by ±3 frames, unit 6 halved, a new unit.
  const jitter = trainsNarrow.get(1)!.map((t, i) => t + ((i % 7) - 3));
  relay.sortings.set(SORTING_B_URI, {
    sampleRateHz: 30000, unitIds: [10, 11, 12],
    trains: [jitter.sort(), trainsNarrow.get(6)!.filter((_, i) => i % 2 === 0), Float64Array.from([100, 200, 300])],
  });
  return { relay, narrow, wide, trainsNarrow, trainsWide };
}
