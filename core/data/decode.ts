import type { Chunk } from './dataSource';
import { TaskError } from '../taskError';

/** Typed views of chunk payloads. Copies into aligned buffers (payloads start at any byte offset). */
export function ndarrayOfChunk(chunk: Chunk): { data: Int16Array | Float32Array; shape: number[] } {
  const h = chunk.header;
  if (h.kind !== 'ndarray' || (h.dtype !== 'int16' && h.dtype !== 'float32')) throw new TaskError(`Expected an int16/float32 chunk, got ${h.kind}`);
  const copy = chunk.payload.slice();
  const data = h.dtype === 'int16' ? new Int16Array(copy.buffer) : new Float32Array(copy.buffer);
  const n = h.shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new TaskError(`Chunk holds ${data.length} values; its shape [${h.shape}] says ${n}`);
  return { data, shape: h.shape };
}

export interface SpikeTrains {
  sampleRateHz: number;
  unitIds: number[];
  trains: Map<number, Float64Array>;
  initialLabels?: Record<string, string[]>;
}

export function spikeTrainsOfChunk(chunk: Chunk): SpikeTrains {
  const h = chunk.header;
  if (h.kind !== 'sorting') throw new TaskError(`Expected a sorting chunk, got ${h.kind}`);
  const total = h.spikeCounts.reduce((a, b) => a + b, 0);
  if (h.unitIds.length !== h.spikeCounts.length || chunk.payload.byteLength !== total * 8) throw new TaskError('Sorting chunk is inconsistent with its header');
  const all = new Float64Array(chunk.payload.slice().buffer);
  const trains = new Map<number, Float64Array>();
  let offset = 0;
  h.unitIds.forEach((id, i) => {
    trains.set(id, all.subarray(offset, offset + h.spikeCounts[i]));
    offset += h.spikeCounts[i];
  });
  return { sampleRateHz: h.sampleRateHz, unitIds: h.unitIds, trains, initialLabels: h.initialLabels };
}
