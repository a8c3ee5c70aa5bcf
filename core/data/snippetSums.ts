import { encodeChunk } from '../protocol/chunkEncoding';
import type { ChunkSpec } from '../protocol/messages';
import { TaskError } from '../taskError';
import type { Chunk } from './dataSource';

/**
 * The `snippetSums` chunk: for each group of spike frames, the sum of its snippets on `channelIds`
 * (float64, exact for int16 data), and with `detailChannelIds` every snippet of the group on that one
 * channel. A mean waveform then travels as T × C values instead of spikes × T × C, and the units
 * table's SNR still sees each spike on the peak channel. The relay produces it by reading the
 * snippets in bounded slices (`read` is its own snippet gather); tests' fake relay shares this code.
 */
export type SnippetSumsSpec = Extract<ChunkSpec, { type: 'snippetSums' }>;
type Samples = Int16Array | Float32Array;

/** Snippets read at once while summing: bounds the relay's memory whatever the group size. */
const READ_VALUES = 4 * 1024 * 1024;

type Read<R> = (frames: Float64Array, before: number, after: number, channelIds: number[]) => R;

/** The relay's producer: reads each group in bounded slices through its own snippet gather. */
export async function produceSnippetSums(spec: SnippetSumsSpec, read: Read<Promise<Samples>>): Promise<Uint8Array> {
  const b = new SnippetSumsBuilder(spec);
  for (const slice of b.slices()) b.add(slice, await read(slice.frames, spec.before, spec.after, spec.channelIds));
  return b.finish();
}

/** The same over in-memory traces (tests' fake relay). */
export function produceSnippetSumsSync(spec: SnippetSumsSpec, read: Read<Samples>): Uint8Array {
  const b = new SnippetSumsBuilder(spec);
  for (const slice of b.slices()) b.add(slice, read(slice.frames, spec.before, spec.after, spec.channelIds));
  return b.finish();
}

interface Slice { group: number; start: number; frames: Float64Array }

class SnippetSumsBuilder {
  private readonly T: number;
  private readonly C: number;
  private readonly sums: Float64Array;
  private readonly detailCols?: number[];
  private readonly details: (Samples | undefined)[];
  private dtype: 'int16' | 'float32' | undefined;

  constructor(private readonly spec: SnippetSumsSpec) {
    this.T = spec.before + spec.after;
    this.C = spec.channelIds.length;
    const G = spec.groups.length;
    this.detailCols = spec.detailChannelIds?.map((id) => {
      const c = spec.channelIds.indexOf(id);
      if (c < 0) throw new RangeError(`snippetSums: detail channel ${id} is not among the chunk's channels`);
      return c;
    });
    if (this.detailCols && this.detailCols.length !== G) throw new RangeError(`snippetSums: ${this.detailCols.length} detail channels for ${G} groups`);
    this.sums = new Float64Array(G * this.T * this.C);
    this.details = spec.groups.map(() => undefined);
  }

  slices(): Slice[] {
    const perRead = Math.max(1, Math.floor(READ_VALUES / Math.max(1, this.T * this.C)));
    const out: Slice[] = [];
    this.spec.groups.forEach((g, group) => {
      const frames = Float64Array.from(g);
      for (let start = 0; start < frames.length; start += perRead) out.push({ group, start, frames: frames.subarray(start, start + perRead) });
    });
    return out;
  }

  add({ group, start, frames }: Slice, s: Samples): void {
    const { T, C } = this;
    const n = frames.length;
    if (s.length !== n * T * C) throw new RangeError(`snippetSums: a read returned ${s.length} values for ${n} snippets of ${T} × ${C}`);
    this.dtype = s instanceof Int16Array ? 'int16' : 'float32';
    const sum = this.sums.subarray(group * T * C, (group + 1) * T * C);
    for (let k = 0; k < n; k++) {
      const off = k * T * C;
      for (let j = 0; j < T * C; j++) sum[j] += s[off + j];
    }
    if (!this.detailCols) return;
    const total = this.spec.groups[group].length * T;
    const detail = (this.details[group] ??= s instanceof Int16Array ? new Int16Array(total) : new Float32Array(total));
    const col = this.detailCols[group];
    for (let k = 0; k < n; k++) for (let t = 0; t < T; t++) detail[(start + k) * T + t] = s[(k * T + t) * C + col];
  }

  finish(): Uint8Array {
    const details = this.detailCols ? this.details.map((d) => d ?? new Int16Array(0)) : [];
    const payload = new Uint8Array(this.sums.byteLength + details.reduce((n, d) => n + d.byteLength, 0));
    payload.set(new Uint8Array(this.sums.buffer), 0);
    let off = this.sums.byteLength;
    for (const d of details) {
      payload.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), off);
      off += d.byteLength;
    }
    const counts = this.spec.groups.map((g) => g.length);
    return encodeChunk({ kind: 'snippetSums', numSamples: this.T, numChannels: this.C, counts, ...(this.detailCols ? { detailDtype: this.dtype ?? 'int16' } : {}) }, payload);
  }
}

export interface SnippetSums {
  /** float64 `[T][C]` per group. */
  sums: Float64Array[];
  counts: number[];
  /** `[count][T]` per group on its detail channel. */
  details?: (Int16Array | Float32Array)[];
  numSamples: number;
  numChannels: number;
}

export function snippetSumsOfChunk(chunk: Chunk): SnippetSums {
  const h = chunk.header;
  if (h.kind !== 'snippetSums') throw new TaskError(`Expected a snippetSums chunk, got ${h.kind}`);
  const T = h.numSamples;
  const C = h.numChannels;
  const G = h.counts.length;
  const bytes = chunk.payload.slice(); // aligned copy
  const sumBytes = G * T * C * 8;
  const width = h.detailDtype === 'float32' ? 4 : 2;
  const detailBytes = h.detailDtype ? h.counts.reduce((n, c) => n + c * T * width, 0) : 0;
  if (bytes.byteLength !== sumBytes + detailBytes) throw new TaskError(`A snippetSums chunk holds ${bytes.byteLength} bytes; its header says ${sumBytes + detailBytes}`);
  const all = new Float64Array(bytes.buffer, 0, G * T * C);
  const sums = h.counts.map((_, g) => all.subarray(g * T * C, (g + 1) * T * C));
  if (!h.detailDtype) return { sums, counts: h.counts, numSamples: T, numChannels: C };
  let off = sumBytes;
  const details = h.counts.map((n) => {
    const d = h.detailDtype === 'float32' ? new Float32Array(bytes.buffer, off, n * T) : new Int16Array(bytes.buffer, off, n * T);
    off += n * T * width;
    return d;
  });
  return { sums, counts: h.counts, details, numSamples: T, numChannels: C };
}
